//! Read-only mode refuses every REFRESH-part mutation, from the CLI
//! (`--readonly`, or a context matching `readonly_contexts`) and from the
//! console's keys, and writes nothing.

mod support;

use kube::api::{Api, DynamicObject};
use secretdeck::ops::refresh;
use secretdeck::sim::{SimEnv, SimOptions};
use std::path::Path;
use support::kube_client;

async fn secretdeck(kubeconfig: &Path, state: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_secretdeck"))
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("SECRETDECK_LOG_DIR", state.join("logs"))
        .env("SECRETDECK_STATE_DIR", state)
        .env("SECRETDECK_CONFIG_DIR", state.join("config"))
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("run secretdeck");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_refuses_every_mutation_in_read_only_mode() {
    let dir = tempfile::tempdir().unwrap();
    let env = SimEnv::start(
        SimOptions {
            apps: 3,
            ..SimOptions::default()
        },
        dir.path(),
    )
    .await
    .unwrap();
    let client = kube_client(&env.kubeconfig).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let commands: [&[&str]; 5] = [
        &[
            "refresh",
            "es",
            "onthetop-backend/onthetop-backend-secrets",
            "--yes",
        ],
        &["refresh", "app", "onthetop-backend", "--hard", "--yes"],
        &["refresh", "app", "onthetop-backend", "--es", "--yes"],
        &["refresh", "sync", "billing-service", "--yes"],
        &["restart", "onthetop-backend/onthetop-backend", "--yes"],
    ];
    // By flag, and by a config pattern matching the context.
    let flagged = tempfile::tempdir().unwrap();
    let configured = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(configured.path().join("config")).unwrap();
    std::fs::write(
        configured.path().join("config/config.toml"),
        "readonly_contexts = [\"*-sim\"]\n",
    )
    .unwrap();
    for args in commands {
        let mut with_flag = vec!["--readonly"];
        with_flag.extend_from_slice(args);
        for (state, args) in [
            (flagged.path(), with_flag.as_slice()),
            (configured.path(), args),
        ] {
            let (code, stderr) = secretdeck(&env.kubeconfig, state, args).await;
            assert_eq!(code, Some(2), "{args:?}: {stderr}");
            assert!(stderr.contains("read-only mode"), "{args:?}: {stderr}");
        }
    }
    for state in [flagged.path(), configured.path()] {
        assert!(
            !state.join("audit.jsonl").exists(),
            "nothing audited as done"
        );
    }
    let es: Api<DynamicObject> = Api::namespaced_with(client.clone(), "onthetop-backend", &ar);
    let o = es.get("onthetop-backend-secrets").await.unwrap();
    assert!(
        !o.metadata
            .annotations
            .unwrap_or_default()
            .contains_key("force-sync")
    );
    let deploys: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(client.clone(), "onthetop-backend");
    let d = deploys.get("onthetop-backend").await.unwrap();
    let restarted = d
        .spec
        .template
        .metadata
        .and_then(|m| m.annotations)
        .is_some_and(|a| a.contains_key("kubectl.kubernetes.io/restartedAt"));
    assert!(!restarted);
    env.shutdown().await;
}
