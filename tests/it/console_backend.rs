//! The real backend (kubeconfig -> kube client -> discovery -> watchers)
//! against the simulated environment: ESO served only at v1beta1, Argo CD
//! missing, and a 403 all become what the console shows.

use crate::support;
use ratatui::backend::TestBackend;
use secretdeck::backend::{ConnectOptions, connect};
use secretdeck::console::Session;
use secretdeck::settings::Paths;
use secretdeck::state::{WatchKind, WatchState};
use secretdeck_sim::kube::resources::EsoVersion;
use secretdeck_sim::{SimEnv, SimOptions};
use std::path::PathBuf;
use std::time::Duration;
use support::console::{Setup, connection, session_on};
use support::screen;

const WAIT: Duration = Duration::from_secs(30);

fn write_kubeconfig(dir: &std::path::Path, server: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: fake-ctx\n\
         clusters:\n- name: fake\n  cluster:\n    server: {server}\n\
         users:\n- name: u\n  user:\n    token: dummy\n\
         contexts:\n- name: fake-ctx\n  context:\n    cluster: fake\n    user: u\n"
    );
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

async fn session_for(opts: SimOptions, dir: &std::path::Path) -> (Session<TestBackend>, SimEnv) {
    let env = SimEnv::start(opts, dir).await.expect("sim");
    assert_eq!(connection(&env).await.info.context, "secretdeck-sim");
    let setup = Setup {
        width: 140,
        height: 14,
        ..Setup::default()
    };
    let session = session_on(&env, &Paths::under(dir), &setup).await;
    (session, env)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eso_v1beta1_and_argo_are_watched_live() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = SimOptions {
        eso_version: EsoVersion::V1beta1,
        apps: 2,
        ..SimOptions::default()
    };
    let (mut session, env) = session_for(opts, dir.path()).await;
    let ok = session
        .wait_for(WAIT, |m| {
            m.data.apps.len() == 3
                && m.data.external_secrets.len() >= 3
                && m.cluster.watch(WatchKind::ExternalSecrets) == WatchState::Live
                && m.cluster.watch(WatchKind::Applications) == WatchState::Live
        })
        .await
        .expect("draw");
    let s = screen(&session);
    assert!(ok, "apps and ExternalSecrets listed and watched:\n{s}");
    assert!(s.contains("secretdeck-sim"), "{s}");
    assert!(s.contains("payments-api"), "{s}");
    drop(session);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_argo_and_forbidden_external_secrets_are_shown_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = SimOptions {
        serve_argo: false,
        forbid: vec!["externalsecrets".into()],
        apps: 1,
        ..SimOptions::default()
    };
    let (mut session, env) = session_for(opts, dir.path()).await;
    let ok = session
        .wait_for(WAIT, |m| {
            m.cluster.watch(WatchKind::ExternalSecrets) == WatchState::Forbidden
                && m.cluster.watch(WatchKind::Applications) == WatchState::NotInstalled
                && m.cluster.watch(WatchKind::ConfigMaps) == WatchState::Live
        })
        .await
        .expect("draw");
    let s = screen(&session);
    assert!(ok, "{s}");
    assert!(s.contains("forbidden"), "{s}");
    assert!(s.contains("not installed"), "{s}");
    assert!(
        !session.model.data.config_maps.is_empty(),
        "the rest keeps working"
    );
    drop(session);
    env.shutdown().await;
}

#[tokio::test]
async fn kubeconfig_problems_are_clear_errors_without_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let err = connect(&ConnectOptions {
        kubeconfig: Some(missing.clone()),
        context: None,
    })
    .await
    .err()
    .expect("missing file fails");
    let msg = err.to_string();
    assert!(
        msg.contains("cannot read the kubeconfig") && msg.contains(&missing.display().to_string()),
        "{msg}"
    );

    let bad = dir.path().join("bad");
    std::fs::write(&bad, "users:\n- name: u\n  user:\n    token: SECRET-TOKEN-123\ncontexts: [\"SECRET-TOKEN-123\"\n")
        .expect("write");
    let msg = connect(&ConnectOptions {
        kubeconfig: Some(bad.clone()),
        context: None,
    })
    .await
    .err()
    .expect("malformed fails")
    .to_string();
    assert!(
        msg.contains("cannot read the kubeconfig") && msg.contains("bad"),
        "{msg}"
    );
    assert!(!msg.contains("SECRET-TOKEN-123"), "{msg}");

    let good = write_kubeconfig(dir.path(), "http://127.0.0.1:1");
    let msg = connect(&ConnectOptions {
        kubeconfig: Some(good),
        context: Some("other".into()),
    })
    .await
    .err()
    .expect("unknown context fails")
    .to_string();
    assert!(msg.contains("other"), "{msg}");
}

#[test]
fn eso_version_choice_prefers_v1() {
    use secretdeck::backend::pick_eso_version;
    assert_eq!(pick_eso_version(["v1", "v1beta1"]), Some("v1"));
    assert_eq!(pick_eso_version(["v1beta1"]), Some("v1beta1"));
    assert_eq!(pick_eso_version(["v1alpha1"]), None);
}
