//! The first screen without any cluster: messages describing two apps go
//! into the model, the apps table is drawn on a TestBackend, keys move the
//! selection and quit.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use secretdeck::domain::{Application, ExternalSecret, from_value};
use secretdeck::state::{
    Change, ClusterInfo, Cmd, Key, KeyCode, Model, Msg, WatchKind, WatchState, update_all,
};
use secretdeck::view::{Theme, view};
use serde_json::json;

fn app(name: &str, sync: &str, health: &str) -> Application {
    from_value(json!({
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {"destination": {"namespace": name}},
        "status": {"sync": {"status": sync}, "health": {"status": health}}
    }))
    .expect("app")
}

fn es(app: &str, ready: bool) -> ExternalSecret {
    from_value(json!({
        "metadata": {"name": format!("{app}-secrets"), "namespace": app,
                     "annotations": {"argocd.argoproj.io/tracking-id":
                        format!("{app}:external-secrets.io/ExternalSecret:{app}/{app}-secrets")}},
        "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" },
                                   "reason": if ready { "SecretSynced" } else { "SecretSyncedError" }}]}
    }))
    .expect("es")
}

fn two_apps() -> Vec<Msg> {
    vec![
        Msg::Resize {
            width: 100,
            height: 12,
        },
        Msg::Cluster(ClusterInfo {
            context: "sim".into(),
            server: "http://127.0.0.1:1234/".into(),
        }),
        Msg::Apps(Change::Reset(vec![
            app("onthetop-backend", "Synced", "Healthy"),
            app("payments", "OutOfSync", "Degraded"),
        ])),
        Msg::ExternalSecrets(Change::Reset(vec![
            es("onthetop-backend", true),
            es("payments", false),
        ])),
        Msg::Watch {
            kind: WatchKind::Applications,
            state: WatchState::Live,
        },
        Msg::Watch {
            kind: WatchKind::ExternalSecrets,
            state: WatchState::Live,
        },
    ]
}

fn draw(model: &Model) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(100, 12)).expect("terminal");
    let theme = Theme::dark();
    terminal.draw(|f| view(model, &theme, f)).expect("draw");
    terminal.backend().buffer().clone()
}

fn lines(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

fn line_with(buf: &Buffer, needle: &str) -> (u16, String) {
    let all = lines(buf);
    let y = all
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}:\n{}", all.join("\n")));
    (y as u16, all[y].clone())
}

#[test]
fn two_apps_are_listed_with_sync_health_and_secrets() {
    let mut model = Model::new(false, None);
    update_all(&mut model, two_apps());
    let buf = draw(&model);
    let screen = lines(&buf).join("\n");

    assert!(screen.contains("apps (2)"), "{screen}");
    let (_, header) = line_with(&buf, "APP");
    for col in ["SYNC", "HEALTH", "SECRETS", "PROBLEM"] {
        assert!(header.contains(col), "header {header:?} lacks {col}");
    }
    // Each app deploys into its own name: NAMESPACE would only repeat APP.
    assert!(!header.contains("NAMESPACE"), "{header:?}");
    let (_, ok) = line_with(&buf, "onthetop-backend");
    assert!(
        ok.contains("Synced") && ok.contains("Healthy") && ok.contains("1/1"),
        "{ok}"
    );
    let (bad_y, bad) = line_with(&buf, "payments");
    assert!(
        bad.contains("OutOfSync") && bad.contains("Degraded") && bad.contains("0/1"),
        "{bad}"
    );
    // Words and icons, not colour alone.
    assert!(
        bad.contains("⚠ OutOfSync") && bad.contains("✖ Degraded"),
        "{bad}"
    );

    // Worst first: the broken app is the first row, selected and marked.
    assert!(bad.starts_with("▶"), "{bad}");
    assert!(!ok.starts_with("▶"), "{ok}");

    // Status bar: context, server, watch states, key hints.
    assert!(screen.contains("ctx: sim"), "{screen}");
    assert!(screen.contains("http://127.0.0.1:1234/"), "{screen}");
    assert!(
        !screen.contains("apps: ") && !screen.contains(" es: "),
        "{screen}"
    );
    assert!(screen.contains("q ^c quit"), "{screen}");
    assert!(!screen.contains("READ-ONLY"), "{screen}");

    // Colour carries the same meaning: the Degraded cell is drawn in the error colour.
    let x = bad
        .find("✖ Degraded")
        .map(|byte| bad[..byte].chars().count())
        .expect("health cell") as u16;
    assert_eq!(buf[(x + 2, bad_y)].fg, Color::Red, "Degraded is red");
    let xs = bad
        .find("⚠ OutOfSync")
        .map(|byte| bad[..byte].chars().count())
        .expect("sync cell") as u16;
    assert_eq!(
        buf[(xs + 2, bad_y)].fg,
        Color::Yellow,
        "OutOfSync is yellow"
    );
}

#[test]
fn keys_move_the_selection_and_quit() {
    let mut model = Model::new(true, None);
    update_all(&mut model, two_apps());
    assert_eq!(
        model.apps.selected_row().map(|r| r.name.as_str()),
        Some("payments")
    );

    let cmds = update_all(&mut model, [Msg::Key(Key::char('j'))]);
    assert!(cmds.is_empty());
    assert_eq!(
        model.apps.selected_row().map(|r| r.name.as_str()),
        Some("onthetop-backend")
    );
    let (_, line) = line_with(&draw(&model), "onthetop-backend");
    assert!(line.starts_with("▶"), "{line}");

    // Past the end stays on the last row.
    update_all(&mut model, [Msg::Key(Key::new(KeyCode::Down))]);
    assert_eq!(model.apps.table.selected, 1);
    update_all(&mut model, [Msg::Key(Key::char('k'))]);
    assert_eq!(model.apps.table.selected, 0);
    update_all(&mut model, [Msg::Key(Key::char('G'))]);
    assert_eq!(model.apps.table.selected, 1);
    update_all(&mut model, [Msg::Key(Key::char('g'))]);
    assert_eq!(model.apps.table.selected, 0);
    update_all(&mut model, [Msg::Key(Key::new(KeyCode::Up))]);
    assert_eq!(model.apps.table.selected, 0);

    // Read-only is shown.
    let screen = lines(&draw(&model)).join("\n");
    assert!(screen.contains("READ-ONLY"), "{screen}");

    assert!(!model.quitting);
    assert_eq!(
        update_all(&mut model, [Msg::Key(Key::char('q'))]),
        vec![Cmd::Quit]
    );
    assert!(model.quitting);

    let mut model = Model::new(false, None);
    assert_eq!(
        update_all(&mut model, [Msg::Key(Key::ctrl('c'))]),
        vec![Cmd::Quit]
    );
    assert!(model.quitting);
}

#[tokio::test]
async fn a_session_on_a_scripted_cluster_shows_the_same_screen() {
    use secretdeck::backend::ScriptedCluster;
    use secretdeck::cli::ConsoleArgs;
    use secretdeck::console::Session;
    use std::time::Duration;

    let cluster = ScriptedCluster { msgs: two_apps() };
    let terminal = Terminal::new(TestBackend::new(100, 12)).expect("terminal");
    let mut session = Session::start(
        cluster,
        &ConsoleArgs::default(),
        &secretdeck::settings::Paths::default(),
        terminal,
    )
    .expect("session");
    let ready = session
        .wait_for(Duration::from_secs(10), |m| m.apps.table.all().len() == 2)
        .await
        .expect("draw");
    assert!(ready);
    assert!(session.press(Key::char('j')).expect("press").is_empty());
    let buf = session.terminal.backend().buffer().clone();
    let (_, line) = line_with(&buf, "onthetop-backend");
    assert!(line.starts_with("▶") && line.contains("1/1"), "{line}");
    assert_eq!(
        session.press(Key::char('q')).expect("press"),
        vec![Cmd::Quit]
    );
}
