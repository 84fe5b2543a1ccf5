//! ConfigMap edits through the live console's keys on the simulated
//! environment: the diff, the selfHeal warning, pausing auto-sync and
//! its reminder, a concurrent change giving the 409 screen with both values
//! and nothing overwritten, the reload, the restart of stale consumers,
//! re-enabling auto-sync; read-only and invalid input refused.

use crate::support;
use secretdeck::settings::Paths;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use ratatui::backend::TestBackend;
use secretdeck::console::Session;
use secretdeck::domain::config_edit::ConfigEdit;
use secretdeck::ops::config_edit as ops;
use secretdeck::state::{Key, KeyCode};
use secretdeck_sim::SimEnv;
use std::path::Path;
use support::console::{Setup, start, type_text};
use support::{eventually, kube_client, until_screen as until};

const NS: &str = "onthetop-backend";
const CM: &str = "onthetop-backend-config";

async fn console(dir: &Path, readonly: bool) -> (Session<TestBackend>, SimEnv) {
    let mut setup = Setup {
        height: 45,
        ..Setup::default()
    };
    setup.args.readonly = readonly;
    start(dir, setup).await
}

/// The console's state dir for a test in `dir`.
fn state_dir(dir: &Path) -> std::path::PathBuf {
    Paths::under(dir).state_dir.expect("state dir")
}

fn enter(session: &mut Session<TestBackend>) {
    session.press(Key::new(KeyCode::Enter)).unwrap();
}

/// Open `:cm` with the onthetop ConfigMap selected.
async fn cm_list(session: &mut Session<TestBackend>) {
    type_text(session, ":cm");
    enter(session);
    until(session, "the ConfigMap list", |s| s.contains(CM)).await;
    type_text(session, &format!("/{CM}"));
    enter(session);
}

async fn port(client: &kube::Client) -> String {
    let cm = Api::<ConfigMap>::namespaced(client.clone(), NS)
        .get(CM)
        .await
        .unwrap();
    cm.data
        .unwrap_or_default()
        .get("PORT")
        .cloned()
        .unwrap_or_default()
}

async fn set_port(client: &kube::Client, value: &str) {
    let patch = serde_json::json!({"data": {"PORT": value}});
    Api::<ConfigMap>::namespaced(client.clone(), NS)
        .patch(CM, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap();
}

fn app_api(client: &kube::Client) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("argoproj.io", "v1alpha1", "Application");
    Api::namespaced_with(client.clone(), "argocd", &ApiResource::from_gvk(&gvk))
}

/// The lines of the screen's diff that add or remove.
fn changed_lines(screen: &str) -> Vec<String> {
    screen
        .lines()
        .map(|l| l.trim().trim_matches('│').trim())
        .filter(|l| l.starts_with(['+', '-']) && !l.starts_with("---") && !l.starts_with("+++"))
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_pause_conflict_reload_restart_resume() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(dir.path(), false).await;
    let client = kube_client(&env.kubeconfig).await;
    until(&mut session, "onthetop", |s| s.contains("onthetop-backend")).await;
    let apps = app_api(&client);
    let automated_before =
        apps.get("onthetop-backend").await.unwrap().data["spec"]["syncPolicy"]["automated"].clone();
    assert_eq!(automated_before["selfHeal"], true);

    // Edit PORT: the diff shows exactly the change, with the selfHeal warning.
    cm_list(&mut session).await;
    session.press(Key::char('e')).unwrap();
    until(&mut session, "the key picker", |s| {
        s.contains("pick the key to edit")
    })
    .await;
    type_text(&mut session, "jj");
    enter(&mut session);
    until(&mut session, "the value input", |s| {
        s.contains("new value of PORT")
    })
    .await;
    session.press(Key::ctrl('u')).unwrap();
    type_text(&mut session, "9090");
    enter(&mut session);
    let s = until(&mut session, "the diff", |s| s.contains("+PORT: 9090")).await;
    assert_eq!(changed_lines(&s), vec!["-PORT: 8080", "+PORT: 9090"], "{s}");
    assert!(
        s.contains("a live edit will be reverted by Argo CD within seconds"),
        "{s}"
    );
    assert!(s.contains("kube context: "), "{s}");
    // (c) pause auto-sync, then apply.
    session.press(Key::char('p')).unwrap();
    let s = until(&mut session, "applied with the reminder", |s| {
        s.contains("applied: PORT") && s.contains("AUTO-SYNC PAUSED: onthetop-backend")
    })
    .await;
    assert!(
        s.contains("these keep the old value until restarted"),
        "{s}"
    );
    assert!(
        apps.get("onthetop-backend").await.unwrap().data["spec"]["syncPolicy"]["automated"]
            .is_null()
    );
    // Argo CD sees the drift and leaves it: the value stays.
    eventually(30, "the app OutOfSync", || async {
        let o = apps.get("onthetop-backend").await.ok()?;
        (o.data.pointer("/status/sync/status")? == "OutOfSync").then_some(())
    })
    .await;
    assert_eq!(port(&client).await, "9090");
    session.press(Key::new(KeyCode::Esc)).unwrap();

    // A concurrent change between opening the editor and applying: 409.
    session.press(Key::char('e')).unwrap();
    type_text(&mut session, "jj");
    enter(&mut session);
    session.press(Key::ctrl('u')).unwrap();
    type_text(&mut session, "9191");
    enter(&mut session);
    until(&mut session, "the OutOfSync warning", |s| {
        s.contains("+PORT: 9191") && s.contains("will show OutOfSync until Git matches")
    })
    .await;
    set_port(&client, "7070").await;
    session.press(Key::char('y')).unwrap();
    let s = until(&mut session, "the 409 screen", |s| {
        s.contains("409 Conflict")
    })
    .await;
    assert!(s.contains("theirs: PORT = 7070"), "{s}");
    assert!(s.contains("yours:  PORT = 9191"), "{s}");
    assert!(s.contains("Nothing was overwritten"), "{s}");
    assert_eq!(port(&client).await, "7070", "nothing overwritten");
    session.press(Key::char('r')).unwrap();
    let s = until(&mut session, "the diff against theirs", |s| {
        s.contains("-PORT: 7070")
    })
    .await;
    assert_eq!(changed_lines(&s), vec!["-PORT: 7070", "+PORT: 9191"], "{s}");
    session.press(Key::char('y')).unwrap();
    until(&mut session, "applied after the reload", |s| {
        s.contains("applied: PORT")
    })
    .await;
    assert_eq!(port(&client).await, "9191");

    // Restart the stale consumers.
    session.press(Key::char('r')).unwrap();
    until(&mut session, "restarted", |s| {
        s.contains("restarted: Deployment onthetop-backend/onthetop-backend")
    })
    .await;
    session.press(Key::new(KeyCode::Esc)).unwrap();

    // Re-enable auto-sync: the confirmation warns that live edits go;
    // then `automated` comes back as it was.
    session.press(Key::char('U')).unwrap();
    let s = until(&mut session, "the re-enable confirmation", |s| {
        s.contains("Re-enable auto-sync")
    })
    .await;
    assert!(
        s.contains("will be reverted by Argo CD within seconds (selfHeal)"),
        "{s}"
    );
    assert_eq!(
        apps.get("onthetop-backend").await.unwrap().data["spec"]["syncPolicy"]["automated"],
        serde_json::Value::Null,
        "nothing sent before yes"
    );
    session.press(Key::char('y')).unwrap();
    until(&mut session, "auto-sync re-enabled", |s| {
        s.contains("auto-sync of onthetop-backend re-") && !s.contains("AUTO-SYNC PAUSED")
    })
    .await;
    let after =
        apps.get("onthetop-backend").await.unwrap().data["spec"]["syncPolicy"]["automated"].clone();
    assert_eq!(after, automated_before);

    let audit = std::fs::read_to_string(state_dir(dir.path()).join("audit.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let has = |action: &str, outcome: &str| {
        records
            .iter()
            .any(|r| r["action"] == action && r["outcome"] == outcome)
    };
    assert!(has("pause-auto-sync", "ok") && has("resume-auto-sync", "ok") && has("restart", "ok"));
    assert!(
        has("config-edit", "ok") && has("config-edit", "error"),
        "{audit}"
    );
    assert!(
        !audit.contains("9191") && !audit.contains("7070"),
        "no values in the audit log"
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_edit_reverted_by_self_heal_needs_no_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(dir.path(), false).await;
    let client = kube_client(&env.kubeconfig).await;
    until(&mut session, "onthetop healthy", |s| {
        support::row(s, "onthetop-backend").is_some_and(|r| r.contains("Healthy"))
    })
    .await;
    assert_eq!(port(&client).await, "8080");
    cm_list(&mut session).await;
    session.press(Key::char('e')).unwrap();
    until(&mut session, "the key picker", |s| {
        s.contains("pick the key to edit")
    })
    .await;
    type_text(&mut session, "jj");
    enter(&mut session);
    session.press(Key::ctrl('u')).unwrap();
    type_text(&mut session, "9090");
    enter(&mut session);
    until(&mut session, "the diff", |s| s.contains("+PORT: 9090")).await;
    // Apply live anyway, without pausing auto-sync: selfHeal puts 8080 back.
    session.press(Key::char('l')).unwrap();
    until(&mut session, "the second question", |s| {
        s.contains("Argo CD will revert it")
    })
    .await;
    session.press(Key::char('y')).unwrap();
    let s = until(&mut session, "the revert noted in the dialog", |s| {
        s.contains("reverted by argocd-application-controller")
    })
    .await;
    assert!(s.contains("applied: PORT"), "{s}");
    assert!(s.contains("s after the edit — no restart needed"), "{s}");
    assert!(!s.contains("restart them"), "{s}");
    assert!(!s.contains("keep the old value until restarted"), "{s}");
    assert_eq!(port(&client).await, "8080");
    session.press(Key::new(KeyCode::Esc)).unwrap();
    session.press(Key::new(KeyCode::Esc)).unwrap();
    // The pods run what is current: nothing on the home screen says otherwise.
    let s = until(&mut session, "the home screen", |s| {
        support::row(s, "onthetop-backend").is_some()
    })
    .await;
    let row = support::row(&s, "onthetop-backend").unwrap();
    assert!(!row.contains("old config map"), "{row}");
    assert_eq!(
        session.model.apps.table.all()[0].stale_pods,
        0,
        "{:?}",
        session.model.apps.table.all()[0].problems
    );
    // `status` reads what the console saw (the content log in the state
    // dir): no pod is stale there either, once the log holds the revert.
    let key = secretdeck::domain::ObjKey::new(NS, CM);
    let file = state_dir(dir.path()).join(secretdeck::backend::content_store::FILE_NAME);
    let scope = session.model.data.inventory.content.scope.clone();
    // The console saves the log at its next tick.
    let saved = session
        .wait_for(std::time::Duration::from_secs(20), |_| {
            secretdeck::backend::content_store::load(&file).is_ok_and(|mut log| {
                log.scope = scope.clone();
                log.reverted("ConfigMap", &key).is_some()
            })
        })
        .await
        .unwrap();
    assert!(saved, "the revert is in the content log");
    let out = support::cli::run(
        support::cli::on_sim(&env, &Paths::under(dir.path())),
        &["status", "-o", "json"],
    )
    .await;
    let report: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    let app = report["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "onthetop-backend")
        .unwrap();
    assert_eq!(app["stale_pods"], serde_json::json!([]), "{app}");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_and_invalid_input_are_refused_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, env) = console(dir.path(), true).await;
    let client = kube_client(&env.kubeconfig).await;
    until(&mut session, "onthetop", |s| s.contains("onthetop-backend")).await;
    // From the app detail's ConfigMaps section.
    type_text(&mut session, "/onthetop");
    enter(&mut session);
    enter(&mut session);
    session.press(Key::char('2')).unwrap();
    until(&mut session, "the app's ConfigMaps", |s| s.contains(CM)).await;
    session.press(Key::char('d')).unwrap();
    let s = until(&mut session, "the refusal", |s| {
        s.contains("read-only mode")
    })
    .await;
    let refusal = format!("read-only mode: remove a key of ConfigMap {NS}/{CM}");
    assert!(s.contains(&refusal), "{s}");
    session.press(Key::new(KeyCode::Esc)).unwrap();
    session.press(Key::new(KeyCode::Esc)).unwrap();
    // And from `:cm`.
    cm_list(&mut session).await;
    session.press(Key::char('e')).unwrap();
    let s = until(&mut session, "the refusal", |s| {
        s.contains("read-only mode: edit")
    })
    .await;
    assert!(
        s.contains(&format!("edit ConfigMap {NS}/{CM} refused")),
        "{s}"
    );
    assert!(!s.contains("pick the key"), "{s}");
    drop(session);

    // Writable console: a bad key name is refused with the rule.
    let dir2 = tempfile::tempdir().unwrap();
    let (mut session, env2) = console(dir2.path(), false).await;
    until(&mut session, "onthetop", |s| s.contains("onthetop-backend")).await;
    cm_list(&mut session).await;
    session.press(Key::char('a')).unwrap();
    type_text(&mut session, "bad key");
    enter(&mut session);
    let s = until(&mut session, "the key refusal", |s| {
        s.contains("is not valid")
    })
    .await;
    assert!(s.contains("only letters, digits"), "{s}");
    session.press(Key::new(KeyCode::Esc)).unwrap();

    // Too large: refused before anything is sent.
    let client2 = kube_client(&env2.kubeconfig).await;
    let base = ops::load(&client2, NS, CM).await.unwrap();
    let e = ops::apply(
        &client2,
        &base,
        &ConfigEdit::set("BIG", "x".repeat(1024 * 1024)),
    )
    .await
    .unwrap_err();
    assert!(e.contains("at most 1 MiB"), "{e}");
    let e = ops::apply(&client2, &base, &ConfigEdit::set("a/b", "x"))
        .await
        .unwrap_err();
    assert!(e.contains("is not valid"), "{e}");
    let after = ops::load(&client2, NS, CM).await.unwrap();
    assert_eq!(
        after.resource_version, base.resource_version,
        "nothing written"
    );
    assert_eq!(port(&client).await, "8080");
    env2.shutdown().await;
    env.shutdown().await;
}
