//! `status` exits 2 with a message when it cannot read the cluster.

use super::status;
use crate::support;

#[tokio::test]
async fn a_malformed_kubeconfig_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(
        &path,
        "apiVersion: v1\nclusters: [ {\n  token: hunter2secret\n",
    )
    .unwrap();
    let run = status(&path, &["-o", "json"]).await;
    assert_eq!(run.code, Some(2), "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("cannot read the kubeconfig"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("malformed YAML"), "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2secret"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[tokio::test]
async fn an_unreachable_cluster_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let path = dir.path().join("config");
    std::fs::write(
        &path,
        secretdeck_sim::env::kubeconfig_yaml(&format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    // The default watch timeout (30 s): the probe up front must answer.
    let run = status(&path, &[]).await;
    assert_eq!(
        run.code,
        Some(2),
        "stdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "cannot reach the Kubernetes API server at http://127.0.0.1:{port}/"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("refused"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_namespace_is_an_error_and_a_forbidden_one_is_not() {
    use secretdeck_sim::{SimEnv, SimOptions};
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(0, dir.path()).await;
    let run = status(&env.kubeconfig, &["-n", "does-not-exist"]).await;
    assert_eq!(
        run.code,
        Some(2),
        "{}
{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr
            .contains("namespace \"does-not-exist\" does not exist in kube context secretdeck-sim"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    env.shutdown().await;
    // RBAC that forbids reading namespaces does not block `-n`.
    let dir = tempfile::tempdir().unwrap();
    let env = SimEnv::start(
        SimOptions {
            apps: 0,
            forbid: vec!["namespaces".into()],
            ..SimOptions::default()
        },
        dir.path(),
    )
    .await
    .unwrap();
    let run = status(&env.kubeconfig, &["-n", "onthetop-backend", "-o", "json"]).await;
    assert!(
        matches!(run.code, Some(0 | 1)),
        "{}
{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stdout.contains("onthetop-backend"), "{}", run.stdout);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_not_an_api_server_is_said_at_once() {
    // Anything answering HTTP 404 to /version (a web server, a proxy).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum::Router::new().fallback(|| async { (axum::http::StatusCode::NOT_FOUND, "no") });
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(
        &path,
        secretdeck_sim::env::kubeconfig_yaml(&format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    let run = status(&path, &[]).await;
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "cannot reach the Kubernetes API server at http://127.0.0.1:{port}/: GET /version answered HTTP 404"
        )),
        "{}",
        run.stderr
    );
    server.abort();
}
