//! The operations through the console's keys on the sim: the confirmation
//! names the context and the change, the progress panel shows the real
//! outcome, the sim really changed, `:audit` lists the records, and no
//! value reaches the audit log.

use crate::support;
use secretdeck::settings::Paths;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use secretdeck::state::{Cmd, Key, KeyCode};
use support::console::{Setup, press, start, type_text};
use support::{kube_client, row, sm_client, until_screen as until};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_sync_and_restart_from_the_app_detail_with_confirmation_progress_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = start(dir.path(), Setup::apps(0)).await;
    until(&mut session, "onthetop healthy", |s| {
        row(s, "onthetop-backend").is_some_and(|r| r.contains("Healthy") && r.contains("1/1"))
    })
    .await;
    let marker = "console-force-sync-marker-4242";
    sm_client(&env.sm_endpoint, &env.region)
        .put_secret_value()
        .secret_id("onthetop/backend/secrets-properties")
        .secret_string(format!("spring.datasource.password={marker}\n"))
        .send()
        .await
        .unwrap();
    type_text(&mut session, "/onthetop");
    press(&mut session, Key::new(KeyCode::Enter));
    press(&mut session, Key::new(KeyCode::Enter));
    // r: the dialog names the context and the change; nothing sent yet.
    assert!(press(&mut session, Key::char('r')).is_empty());
    let s = support::screen(&session);
    assert!(s.contains("Force-sync ExternalSecret"), "{s}");
    assert!(s.contains("context: secretdeck-sim"), "{s}");
    assert!(
        s.contains(
            "ExternalSecret onthetop-backend/onthetop-backend-secrets: set annotation force-sync="
        ),
        "{s}"
    );
    // n cancels: nothing sent.
    assert!(press(&mut session, Key::char('n')).is_empty());
    assert!(session.model.confirm().is_none());
    press(&mut session, Key::char('r'));
    let cmds = press(&mut session, Key::char('y'));
    assert!(
        matches!(cmds.as_slice(), [Cmd::RunOperation { .. }]),
        "{cmds:?}"
    );
    let s = until(&mut session, "force-sync done", |s| {
        s.contains("ok: SecretSynced")
    })
    .await;
    assert!(
        s.contains("ExternalSecret onthetop-backend/onthetop-backend-secrets"),
        "{s}"
    );
    let client = kube_client(&env.kubeconfig).await;
    let gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "ExternalSecret");
    let es: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        "onthetop-backend",
        &ApiResource::from_gvk(&gvk),
    );
    let o = es.get("onthetop-backend-secrets").await.unwrap();
    assert!(o.metadata.annotations.unwrap().contains_key("force-sync"));

    // esc hides the finished panel; ctrl-r on the Workloads section restarts.
    press(&mut session, Key::new(KeyCode::Esc));
    assert!(!session.model.operations_panel());
    press(&mut session, Key::char('3'));
    press(&mut session, Key::ctrl('r'));
    let s = support::screen(&session);
    assert!(s.contains("Rollout restart"), "{s}");
    assert!(s.contains("Deployment onthetop-backend/onthetop-backend: set spec.template annotation kubectl.kubernetes.io/restartedAt="), "{s}");
    press(&mut session, Key::new(KeyCode::Enter));
    until(&mut session, "restart done", |s| {
        s.contains("ok: rolled out: 2 available")
    })
    .await;
    let deploys: Api<Deployment> = Api::namespaced(client.clone(), "onthetop-backend");
    let d = deploys.get("onthetop-backend").await.unwrap();
    let restarted = d
        .spec
        .template
        .metadata
        .and_then(|m| m.annotations)
        .unwrap_or_default();
    assert!(restarted.contains_key("kubectl.kubernetes.io/restartedAt"));

    // :audit lists both, newest first.
    press(&mut session, Key::new(KeyCode::Esc));
    type_text(&mut session, ":audit");
    press(&mut session, Key::new(KeyCode::Enter));
    let s = until(&mut session, "audit rows", |s| {
        s.contains("restart") && s.contains("force-sync")
    })
    .await;
    let restart_at = s
        .find("Deployment onthetop-backend/onthetop-backend")
        .unwrap();
    let sync_at = s
        .find("ExternalSecret onthetop-backend/onthetop-backend-secrets")
        .unwrap();
    assert!(restart_at < sync_at, "newest first:\n{s}");
    let audit = std::fs::read_to_string(
        Paths::under(dir.path())
            .state_dir
            .unwrap()
            .join("audit.jsonl"),
    )
    .unwrap();
    assert!(audit.contains("\"action\":\"force-sync\""), "{audit}");
    assert!(!audit.contains(marker), "a value reached the audit log");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_es_of_an_app_list_each_result_and_a_sync_once_es_is_reported_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = start(dir.path(), Setup::apps(6)).await;
    until(&mut session, "notifications synced once", |s| {
        row(s, "notifications").is_some_and(|r| r.contains("1/1"))
    })
    .await;
    type_text(&mut session, "/notifications");
    press(&mut session, Key::new(KeyCode::Enter));
    press(&mut session, Key::new(KeyCode::Enter));
    // r on the sync-once ExternalSecret: not sent, and why.
    assert!(press(&mut session, Key::char('r')).is_empty());
    assert!(session.model.confirm().is_none());
    let msg = session.model.message.clone().unwrap_or_default();
    assert!(
        msg.contains("not sent: ESO will ignore it because refreshInterval is 0"),
        "{msg}"
    );
    // R: the dialog says which will be ignored; the panel reports it.
    press(&mut session, Key::char('R'));
    let s = support::screen(&session);
    assert!(
        s.contains("Force-sync every ExternalSecret of notifications"),
        "{s}"
    );
    assert!(s.contains("reported as ignored"), "{s}");
    press(&mut session, Key::char('y'));
    until(&mut session, "ignored reported", |s| {
        s.contains("ignored: not sent: ESO will ignore a force-sync because refreshInterval is 0")
    })
    .await;
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn argo_sync_from_the_apps_row_ends_succeeded() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = start(dir.path(), Setup::apps(3)).await;
    until(&mut session, "billing-service OutOfSync", |s| {
        row(s, "billing-service").is_some_and(|r| r.contains("OutOfSync"))
    })
    .await;
    type_text(&mut session, "/billing-service");
    press(&mut session, Key::new(KeyCode::Enter));
    press(&mut session, Key::char('S'));
    let s = support::screen(&session);
    assert!(
        s.contains("Application argocd/billing-service: start a sync"),
        "{s}"
    );
    press(&mut session, Key::char('y'));
    until(&mut session, "sync succeeded", |s| {
        s.contains("ok: Succeeded")
    })
    .await;
    until(&mut session, "billing-service Synced", |s| {
        row(s, "billing-service").is_some_and(|r| r.contains("Synced") && !r.contains("OutOfSync"))
    })
    .await;
    press(&mut session, Key::new(KeyCode::Esc));
    press(&mut session, Key::char('F'));
    press(&mut session, Key::char('y'));
    until(&mut session, "hard refresh done", |s| {
        s.contains("ok: hard refresh done")
    })
    .await;
    env.shutdown().await;
}
