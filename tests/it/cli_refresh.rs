//! `secretdeck refresh` and `secretdeck restart`: the built binary against
//! the sim through its kubeconfig; JSON output, exit codes, the prompt
//! refused without a terminal, audit records without values.

use crate::support;
use support::cli::{all_text, secretdeck};

use kube::api::{Api, DynamicObject};
use secretdeck::ops::refresh;
use serde_json::Value;
use support::{eventually, kube_client, sm_client};

const NS: &str = "onthetop-backend";
const ES: &str = "onthetop-backend-secrets";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_es_with_yes_prints_json_exits_0_and_audits_without_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(0, dir.path()).await;
    let client = kube_client(&env.kubeconfig).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let es: Api<DynamicObject> = Api::namespaced_with(client.clone(), NS, &ar);
    eventually(30, "first sync", || async {
        es.get(ES)
            .await
            .ok()?
            .data
            .pointer("/status/refreshTime")
            .map(|_| ())
    })
    .await;
    let value = "spring.datasource.password=cli-refresh-secret-value-77\n";
    sm_client(&env.sm_endpoint, &env.region)
        .put_secret_value()
        .secret_id("onthetop/backend/secrets-properties")
        .secret_string(value)
        .send()
        .await
        .unwrap();
    let target = format!("{NS}/{ES}");
    let run = secretdeck(
        &env.kubeconfig,
        state.path(),
        &["refresh", "es", &target, "--yes", "-o", "json"],
    )
    .await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON output");
    assert_eq!(json["ok"], true);
    assert_eq!(json["results"][0]["action"], "force-sync");
    assert_eq!(json["results"][0]["outcome"], "ok");
    assert_eq!(json["results"][0]["message"], "SecretSynced");

    let run = secretdeck(
        &env.kubeconfig,
        state.path(),
        &[
            "restart",
            "onthetop-backend/onthetop-backend",
            "--yes",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON output");
    assert_eq!(json["results"][0]["action"], "restart");
    assert_eq!(json["results"][0]["outcome"], "ok");

    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    let records: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{audit}");
    assert_eq!(records[0]["action"], "force-sync");
    assert_eq!(records[0]["target"], format!("ExternalSecret {target}"));
    assert_eq!(records[0]["kube_context"], "secretdeck-sim");
    assert_eq!(records[0]["outcome"], "ok");
    assert_eq!(records[1]["action"], "restart");
    assert_eq!(
        records[1]["target"],
        "Deployment onthetop-backend/onthetop-backend"
    );
    let everything = all_text(state.path());
    assert!(
        !everything.contains("cli-refresh-secret-value-77"),
        "a value leaked"
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_yes_and_no_terminal_it_refuses_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(3, dir.path()).await;
    let client = kube_client(&env.kubeconfig).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let es: Api<DynamicObject> = Api::namespaced_with(client.clone(), NS, &ar);
    let target = format!("{NS}/{ES}");
    for args in [
        vec!["refresh", "es", target.as_str()],
        vec!["refresh", "sync", "billing-service"],
        vec!["restart", "onthetop-backend/onthetop-backend"],
    ] {
        let run = secretdeck(&env.kubeconfig, state.path(), &args).await;
        assert_eq!(run.code, Some(3), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("without --yes"),
            "{args:?}: {}",
            run.stderr
        );
    }
    let o = es.get(ES).await.unwrap();
    assert!(
        !o.metadata
            .annotations
            .unwrap_or_default()
            .contains_key("force-sync")
    );
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert_eq!(audit.lines().count(), 3, "one refusal per command: {audit}");
    assert!(
        audit
            .lines()
            .all(|l| l.contains("\"outcome\":\"refused-not-confirmed\"")),
        "{audit}"
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_of_a_missing_es_fails_with_exit_1_and_bad_targets_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(0, dir.path()).await;
    let run = secretdeck(
        &env.kubeconfig,
        state.path(),
        &["refresh", "es", "nowhere/nothing", "--yes"],
    )
    .await;
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("failed: cannot read ExternalSecret nowhere/nothing"),
        "{}",
        run.stdout
    );
    let run = secretdeck(
        &env.kubeconfig,
        state.path(),
        &["refresh", "es", "no-slash", "--yes"],
    )
    .await;
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("expected NAMESPACE/NAME"),
        "{}",
        run.stderr
    );
    env.shutdown().await;
}
