//! The demo's first screen, end to end: the simulated environment in
//! process, the console's real backend connected through the kubeconfig the
//! sim wrote, the screen drawn on a TestBackend.

use crate::support;
use secretdeck::settings::Paths;

use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::backend::{ConnectOptions, KubeCluster, connect};
use secretdeck::cli::ConsoleArgs;
use secretdeck::console::Session;
use support::{kube_client, row, sm_client, until_screen};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_first_screen_is_live() {
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(12, dir.path()).await;
    let conn = connect(&ConnectOptions {
        kubeconfig: Some(env.kubeconfig.clone()),
        context: None,
    })
    .await
    .expect("connect through the sim's kubeconfig");
    let terminal = Terminal::new(TestBackend::new(140, 24)).unwrap();
    let paths = Paths::under(dir.path());
    let mut session = Session::start(
        KubeCluster::new(conn, None, paths.clone()),
        &ConsoleArgs::default(),
        &paths,
        terminal,
    )
    .unwrap();

    // onthetop is Synced, Healthy, its one ExternalSecret ready; the apps
    // with trouble show it.
    let last = until_screen(&mut session, "the expected apps", |s| {
        row(s, "onthetop-backend")
            .is_some_and(|r| r.contains("Synced") && r.contains("Healthy") && r.contains("1/1"))
            && row(s, "payments-api").is_some_and(|r| r.contains("0/1"))
            && row(s, "billing-service").is_some_and(|r| r.contains("OutOfSync"))
            && row(s, "auth-gateway").is_some_and(|r| r.contains("Degraded"))
    })
    .await;
    assert!(
        last.contains("onthetop-backend"),
        "destination namespace shown"
    );

    // An out-of-band failure shows up without any key press: the AWS secret
    // goes away and the ExternalSecret is force-synced.
    let sm = sm_client(&env.sm_endpoint, &env.region);
    sm.delete_secret()
        .secret_id("onthetop/backend/secrets-properties")
        .force_delete_without_recovery(true)
        .send()
        .await
        .unwrap();
    let client = kube_client(&env.kubeconfig).await;
    let gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "ExternalSecret");
    let es: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        "onthetop-backend",
        &ApiResource::from_gvk(&gvk),
    );
    let patch = serde_json::json!({"metadata": {"annotations": {"force-sync": "1700000000"}}});
    es.patch(
        "onthetop-backend-secrets",
        &PatchParams::default(),
        &Patch::Merge(&patch),
    )
    .await
    .unwrap();
    until_screen(&mut session, "the failed ExternalSecret", |s| {
        row(s, "onthetop-backend").is_some_and(|r| r.contains("0/1"))
    })
    .await;
    let events: Api<Event> = Api::namespaced(client, "onthetop-backend");
    let failed = events.list(&Default::default()).await.unwrap();
    assert!(
        failed
            .items
            .iter()
            .any(|e| e.reason.as_deref() == Some("UpdateFailed"))
    );
    env.shutdown().await;
}
