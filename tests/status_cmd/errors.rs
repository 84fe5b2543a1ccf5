//! `status` exits 2 with a message when it cannot read the cluster.

use super::status;

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
        secretdeck::sim::env::kubeconfig_yaml(&format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    let run = status(&path, &["--timeout", "2"]).await;
    assert_eq!(
        run.code,
        Some(2),
        "stdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr
            .contains("cannot read the cluster at http://127.0.0.1:"),
        "{}",
        run.stderr
    );
}
