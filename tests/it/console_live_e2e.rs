//! The live console end to end on the simulated environment: the real
//! backend (kube-rs watches, AWS SDK) through the sim's kubeconfig and
//! endpoint, the screens drawn on a TestBackend, keys pressed as a user would.

use crate::support;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use ratatui::backend::TestBackend;
use secretdeck::console::Session;
use secretdeck::state::{Key, KeyCode};
use secretdeck_sim::{SimEnv, SimOptions};
use support::console::{Setup, start, type_text};
use support::{kube_client, row, sm_client, until_screen as until};

async fn console(opts: SimOptions, dir: &std::path::Path) -> (Session<TestBackend>, SimEnv) {
    start(
        dir,
        Setup {
            sim: opts,
            ..Setup::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_out_of_band_shows_the_secret_change_and_stale_pods_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(
        SimOptions {
            apps: 1,
            ..SimOptions::default()
        },
        dir.path(),
    )
    .await;
    until(&mut session, "onthetop healthy, nothing stale", |s| {
        row(s, "onthetop-backend")
            .is_some_and(|r| r.contains("Healthy") && r.contains("1/1") && !r.contains("restart"))
    })
    .await;
    // Pods must have started in an earlier second than the change below.
    let client = kube_client(&env.kubeconfig).await;
    let pods: Api<k8s_openapi::api::core::v1::Pod> =
        Api::namespaced(client.clone(), "onthetop-backend");
    support::eventually(30, "pods running for 2 s", || async {
        let list = pods.list(&Default::default()).await.ok()?;
        let now = chrono::Utc::now();
        let old = list.items.iter().all(|p| {
            p.status
                .as_ref()
                .and_then(|s| s.start_time.as_ref())
                .is_some_and(|t| now.timestamp() - t.0.as_second() >= 2)
        });
        (old && list.items.len() == 2).then_some(())
    })
    .await;

    let sm = sm_client(&env.sm_endpoint, &env.region);
    let current = sm
        .get_secret_value()
        .secret_id("onthetop/backend/secrets-properties")
        .send()
        .await
        .unwrap();
    let rotated = current
        .secret_string()
        .unwrap()
        .replace("fake-db-password-1", "e2e-rotated-password-2");
    sm.put_secret_value()
        .secret_id("onthetop/backend/secrets-properties")
        .secret_string(&rotated)
        .send()
        .await
        .unwrap();
    let gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "ExternalSecret");
    let es: Api<DynamicObject> =
        Api::namespaced_with(client, "onthetop-backend", &ApiResource::from_gvk(&gvk));
    let patch = serde_json::json!({"metadata": {"annotations": {"force-sync": chrono::Utc::now().timestamp().to_string()}}});
    es.patch(
        "onthetop-backend-secrets",
        &PatchParams::default(),
        &Patch::Merge(&patch),
    )
    .await
    .unwrap();

    let s = until(&mut session, "stale pods on onthetop", |s| {
        row(s, "onthetop-backend").is_some_and(|r| r.contains("2 pods run an old secret"))
    })
    .await;
    assert!(!s.contains("e2e-rotated-password-2"));
    // The app's workloads say why, in words.
    type_text(&mut session, "/onthetop");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::char('3')).unwrap();
    let s = until(&mut session, "workload staleness reason", |s| {
        s.contains("subPath")
    })
    .await;
    assert!(s.contains("restart needed"), "{s}");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_remote_key_shows_the_error_and_the_provider_message() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(
        SimOptions {
            apps: 1,
            ..SimOptions::default()
        },
        dir.path(),
    )
    .await;
    until(&mut session, "payments-api failing", |s| {
        row(s, "payments-api").is_some_and(|r| r.contains("SecretSyncedError"))
    })
    .await;
    session.press(Key::char(':')).unwrap();
    type_text(&mut session, "es");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    type_text(&mut session, "/payments");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::new(KeyCode::Enter)).unwrap();
    let s = until(&mut session, "the provider's message", |s| {
        s.contains("SecretSyncedError")
            && s.contains("payments-api/webhook-signing-key")
            && s.contains("ResourceNotFoundException")
    })
    .await;
    assert!(s.contains("es payments-api-secrets"), "breadcrumb:\n{s}");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_argo_and_forbidden_secrets_are_said_in_place_and_the_rest_works() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SimOptions {
        apps: 1,
        serve_argo: false,
        forbid: vec!["secrets".into()],
        ..SimOptions::default()
    };
    let (mut session, env) = console(opts, dir.path()).await;
    let s = until(
        &mut session,
        "Argo CD not installed, ExternalSecrets listed",
        |s| {
            s.to_lowercase().contains("argo cd is not installed")
                && s.contains("onthetop-backend-secrets")
        },
    )
    .await;
    assert!(
        s.contains("forbidden"),
        "status bar names the forbidden kind:\n{s}"
    );
    session.press(Key::char(':')).unwrap();
    type_text(&mut session, "secrets");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    until(&mut session, "no permission message", |s| {
        s.contains("no permission to list secrets")
    })
    .await;
    session.press(Key::char(':')).unwrap();
    type_text(&mut session, "cm");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    until(&mut session, "ConfigMaps still listed", |s| {
        s.contains("onthetop-backend-config")
    })
    .await;
    env.shutdown().await;
}
