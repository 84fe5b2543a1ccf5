//! The console against a Kubernetes API server having a bad day (the sim's
//! fault switch): a restored-empty server, a hung one, an expired token, a
//! 403 and 429s, expired watches, and a write answered 500. The console
//! marks what it no longer knows as stale, says why in words, and converges
//! by itself once the server is back. Watches here count as silent after
//! 2 s, with the server sending a bookmark every 300 ms.

use crate::support;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use ratatui::backend::TestBackend;
use secretdeck::console::Session;
use secretdeck::state::{Key, KeyCode};
use secretdeck_sim::SimEnv;
use secretdeck_sim::kube::store::Writer;
use serde_json::json;
use std::time::Duration;
use support::console::{Setup, start, type_text};
use support::{kube_client, row, until_screen as until};

async fn console(dir: &std::path::Path, width: u16) -> (Session<TestBackend>, SimEnv) {
    let mut setup = Setup {
        width,
        watch_silence: Some(Duration::from_secs(2)),
        ..Setup::default()
    };
    setup.sim.bookmark_every = Duration::from_millis(300);
    start(dir, setup).await
}

fn status_line(s: &str) -> &str {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len() - 2]
}

async fn live(session: &mut Session<TestBackend>) -> String {
    until(session, "onthetop listed, every watch live", |s| {
        row(s, "onthetop-backend").is_some_and(|r| r.contains("Healthy") && !r.contains("stale"))
            && status_line(s).contains("watches: ● live")
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_server_marks_every_row_stale_with_its_age_then_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(dir.path(), 200).await;
    live(&mut session).await;
    env.kube_faults.hang();
    let s = until(
        &mut session,
        "rows stale, data age in the status bar",
        |s| {
            row(s, "onthetop-backend").is_some_and(|r| r.contains("⟳ stale"))
                && status_line(s).contains("old:")
        },
    )
    .await;
    let status = status_line(&s);
    assert!(!status.contains("● live"), "{status}");
    assert!(status.contains("silent"), "{status}");
    // The global lists mark their rows too.
    session.press(Key::char(':')).unwrap();
    type_text(&mut session, "cm");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    until(&mut session, "ConfigMap rows stale", |s| {
        row(s, "onthetop-backend-config").is_some_and(|r| r.contains("⟳ stale"))
    })
    .await;
    session.press(Key::new(KeyCode::Esc)).unwrap();
    env.kube_faults.clear();
    let s = live(&mut session).await;
    assert!(!s.contains("stale"), "{s}");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restored_empty_replaces_what_the_console_showed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(dir.path(), 200).await;
    live(&mut session).await;
    assert!(env.store.current_rv() > 10, "the old server had history");
    env.kube_faults.restart_empty(&env.store);
    // Watches resume from versions the new server does not have: they
    // wait, go silent, re-list and get the (empty) truth.
    let s = until(&mut session, "the old apps gone", |s| {
        row(s, "onthetop-backend").is_none() && status_line(s).contains("watches: ● live")
    })
    .await;
    assert!(!s.contains("stale"), "{s}");
    // And the new server's changes arrive through the resumed watches.
    let ns = env
        .store
        .registry()
        .by_plural("", "namespaces")
        .unwrap()
        .clone();
    let cm = env
        .store
        .registry()
        .by_plural("", "configmaps")
        .unwrap()
        .clone();
    env.store
        .create(
            &ns,
            "",
            json!({"metadata": {"name": "restored"}}),
            Writer::update("test"),
        )
        .unwrap();
    env.store
        .create(
            &cm,
            "restored",
            json!({"metadata": {"name": "after-restore", "namespace": "restored"}, "data": {"k": "v"}}),
            Writer::update("test"),
        )
        .unwrap();
    session.press(Key::char(':')).unwrap();
    type_text(&mut session, "cm");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    let s = until(&mut session, "the new server's ConfigMap", |s| {
        s.contains("after-restore")
    })
    .await;
    assert!(!s.contains("onthetop-backend-config"), "{s}");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_said_in_words_and_the_console_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(dir.path(), 400).await;
    live(&mut session).await;
    env.kube_faults.status(401, None, None, None);
    env.kube_faults.drop_watches();
    let s = until(&mut session, "the 401 in words", |s| {
        s.contains("credentials rejected or expired: re-authenticate")
    })
    .await;
    assert!(s.contains("aws sso login"), "{s}");
    assert!(
        row(&s, "onthetop-backend").is_some_and(|r| r.contains("⟳ stale")),
        "{s}"
    );
    env.kube_faults.clear();
    let s = live(&mut session).await;
    assert!(!s.contains("credentials rejected"), "{s}");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_watches_relist_and_throttling_and_403_are_survived() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(dir.path(), 200).await;
    live(&mut session).await;
    // Every watch started next is 410 Gone: each kind lists again.
    env.kube_faults.gone(None, 11);
    env.kube_faults
        .status(429, Some("pods"), Some("list"), Some(2));
    env.kube_faults.status(403, Some("configmaps"), None, None);
    env.kube_faults.drop_watches();
    let s = until(&mut session, "ConfigMaps forbidden, the rest live", |s| {
        status_line(s).contains("cm: ⊘ forbidden")
            && row(s, "onthetop-backend").is_some_and(|r| r.contains("Healthy"))
            && !status_line(s).contains("reconnecting")
    })
    .await;
    assert!(!status_line(&s).contains("pods"), "{s}");
    // Changes made after the re-list arrive (here a ConfigMap, once the
    // 403 is lifted).
    env.kube_faults.clear();
    let cm = env
        .store
        .registry()
        .by_plural("", "configmaps")
        .unwrap()
        .clone();
    env.store
        .create(
            &cm,
            "onthetop-backend",
            json!({"metadata": {"name": "after-gone"}, "data": {"k": "v"}}),
            Writer::update("test"),
        )
        .unwrap();
    session.press(Key::char(':')).unwrap();
    type_text(&mut session, "cm");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    until(&mut session, "the new ConfigMap", |s| {
        s.contains("after-gone")
    })
    .await;
    env.kube_faults.clear();
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_sync_answered_500_fails_in_words_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(dir.path(), 200).await;
    live(&mut session).await;
    env.kube_faults
        .status(500, Some("externalsecrets"), Some("patch"), None);
    type_text(&mut session, "/onthetop");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::char('r')).unwrap();
    session.press(Key::char('y')).unwrap();
    let s = until(&mut session, "the failure in words", |s| {
        s.contains("500") || s.to_lowercase().contains("failed")
    })
    .await;
    assert!(s.contains("onthetop-backend-secrets"), "{s}");
    let client = kube_client(&env.kubeconfig).await;
    let gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "ExternalSecret");
    let es: Api<DynamicObject> =
        Api::namespaced_with(client, "onthetop-backend", &ApiResource::from_gvk(&gvk));
    let obj = es.get("onthetop-backend-secrets").await.unwrap();
    assert!(
        !obj.metadata
            .annotations
            .unwrap_or_default()
            .contains_key("force-sync"),
        "nothing half-applied"
    );
    env.kube_faults.clear();
    env.shutdown().await;
}
