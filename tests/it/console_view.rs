//! Rendering edge cases: empty states say why, huge lists draw only what
//! fits, the status bar names every watch that is not live.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::domain::{Application, from_value};
use secretdeck::state::{Change, Key, Model, Msg, WatchKind, WatchState, update_all};
use secretdeck::view::{Theme, view};
use serde_json::json;

fn screen(model: &Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| view(model, &Theme::dark(), f))
        .expect("draw");
    let buf = terminal.backend().buffer();
    (0..height)
        .map(|y| (0..width).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn app(name: &str) -> Application {
    from_value(json!({"metadata": {"name": name, "namespace": "argocd"}})).expect("app")
}

#[test]
fn empty_table_says_why() {
    let cases = [
        (WatchState::Connecting, "Loading Argo CD Applications"),
        (WatchState::NotInstalled, "Argo CD is not installed"),
        (
            WatchState::Forbidden,
            "No permission to list Argo CD Applications",
        ),
        (WatchState::Live, "No Argo CD Applications"),
        (
            WatchState::Reconnecting("server answered 500".into()),
            "Reconnecting: server answered 500",
        ),
    ];
    for (state, text) in cases {
        let mut model = Model::new(false, None);
        update_all(
            &mut model,
            [Msg::Watch {
                kind: WatchKind::Applications,
                state: state.clone(),
            }],
        );
        let s = screen(&model, 100, 10);
        assert!(s.contains(text), "{state:?}:\n{s}");
        // Only watches that are not live are spelled out.
        if state == WatchState::Live {
            assert!(!s.contains("apps: "), "{s}");
        } else {
            assert!(
                s.contains(state.label()),
                "status bar names the state {state:?}:\n{s}"
            );
        }
    }
    let mut model = Model::new(false, None);
    update_all(
        &mut model,
        [Msg::ClusterError(
            "discovery failed: connection refused".into(),
        )],
    );
    let s = screen(&model, 120, 10);
    assert!(
        s.contains("Cannot reach the cluster: discovery failed: connection refused"),
        "{s}"
    );
}

#[test]
fn only_visible_rows_are_drawn_and_the_selection_is_among_them() {
    let mut model = Model::new(false, None);
    let apps: Vec<Application> = (0..5000).map(|i| app(&format!("app-{i:05}"))).collect();
    update_all(
        &mut model,
        [
            Msg::Resize {
                width: 80,
                height: 10,
            },
            Msg::Apps(Change::Reset(apps)),
        ],
    );
    update_all(
        &mut model,
        std::iter::repeat_n(Msg::Key(Key::char('j')), 2500),
    );
    let s = screen(&model, 80, 10);
    assert!(s.contains("apps (5000)"), "{s}");
    assert!(s.contains("▶ app-02500"), "{s}");
    assert!(!s.contains("app-00000"), "{s}");
    let shown = s.lines().filter(|l| l.contains("app-0")).count();
    assert_eq!(
        shown, 6,
        "10 lines minus title, header and two status lines:\n{s}"
    );
    // The view corrects an offset that does not fit the real height.
    let s = screen(&model, 80, 5);
    assert!(s.contains("▶ app-02500"), "{s}");
}

#[test]
fn tiny_terminals_do_not_panic() {
    let mut model = Model::new(true, Some("ns".into()));
    update_all(
        &mut model,
        [Msg::Apps(Change::Reset(vec![app("a"), app("b")]))],
    );
    for (w, h) in [(1, 1), (10, 2), (20, 3), (0, 0), (200, 4)] {
        let _ = screen(&model, w, h);
    }
}
