//! `:ctx NAME` switches the live console to another kube context: the data
//! of the old cluster goes away and the new one's arrives, without a restart.

use crate::support;
use secretdeck::settings::Paths;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::backend::{ConnectOptions, KubeCluster, connect};
use secretdeck::cli::ConsoleArgs;
use secretdeck::console::Session;
use secretdeck::state::{Key, KeyCode};
use support::until_screen as until;

fn server_of(kubeconfig: &std::path::Path) -> String {
    let text = std::fs::read_to_string(kubeconfig).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("server:"))
        .unwrap();
    line.trim_start()
        .trim_start_matches("server:")
        .trim()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctx_switches_clusters_live() {
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = support::sim_with_apps(0, d1.path()).await;
    let second = support::sim_with_apps(1, d2.path()).await;
    let kubeconfig = d1.path().join("two-contexts");
    let cluster =
        |name: &str, server: &str| format!("- name: {name}\n  cluster:\n    server: {server}\n");
    let context =
        |name: &str| format!("- name: {name}\n  context:\n    cluster: {name}\n    user: u\n");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n{}{}contexts:\n{}{}current-context: first\nusers:\n- name: u\n  user:\n    token: t\n",
            cluster("first", &server_of(&first.kubeconfig)),
            cluster("second", &server_of(&second.kubeconfig)),
            context("first"),
            context("second"),
        ),
    )
    .unwrap();
    let opts = ConnectOptions {
        kubeconfig: Some(kubeconfig),
        context: None,
    };
    let conn = connect(&opts).await.unwrap();
    let paths = Paths::under(d1.path());
    let cluster = KubeCluster::new(conn, None, paths.clone()).with_connect_options(opts);
    let terminal = Terminal::new(TestBackend::new(160, 30)).unwrap();
    let mut session = Session::start(cluster, &ConsoleArgs::default(), &paths, terminal).unwrap();
    until(&mut session, "the first cluster", |s| {
        s.contains("ctx: first") && s.contains("onthetop-backend") && !s.contains("payments-api")
    })
    .await;

    session.press(Key::char(':')).unwrap();
    for c in "ctx second".chars() {
        session.press(Key::char(c)).unwrap();
    }
    session.press(Key::new(KeyCode::Enter)).unwrap();
    until(&mut session, "the second cluster", |s| {
        s.contains("ctx: second") && s.contains("payments-api")
    })
    .await;
    first.shutdown().await;
    second.shutdown().await;
}
