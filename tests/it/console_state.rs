//! `update` on its own: selection follows the app across changes, scrolling
//! keeps it visible, the namespace scope filters, watch states are kept.

use secretdeck::domain::{Application, ObjKey, from_value};
use secretdeck::state::{
    Change, Cmd, Key, KeyCode, Model, Msg, WatchKind, WatchState, update, update_all,
};
use serde_json::json;

fn app(name: &str, dest: &str) -> Application {
    from_value(json!({
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {"destination": {"namespace": dest}}
    }))
    .expect("app")
}

fn many(n: usize) -> Vec<Application> {
    (0..n).map(|i| app(&format!("app-{i:04}"), "ns")).collect()
}

fn selected(model: &Model) -> Option<&str> {
    model.apps.selected_row().map(|r| r.name.as_str())
}

#[test]
fn selection_stays_on_the_same_app_when_rows_change() {
    let mut model = Model::new(false, None);
    update_all(
        &mut model,
        [Msg::Apps(Change::Reset(vec![app("b", "x"), app("d", "x")]))],
    );
    update_all(&mut model, [Msg::Key(Key::char('j'))]);
    assert_eq!(selected(&model), Some("d"));
    // Rows inserted before it: still on "d".
    update_all(
        &mut model,
        [
            Msg::Apps(Change::Upsert(app("a", "x"))),
            Msg::Apps(Change::Upsert(app("c", "x"))),
        ],
    );
    assert_eq!(selected(&model), Some("d"));
    assert_eq!(model.apps.table.selected, 3);
    // The selected app is deleted: the selection stays in range.
    update_all(
        &mut model,
        [Msg::Apps(Change::Remove(ObjKey::new("argocd", "d")))],
    );
    assert_eq!(model.apps.table.all().len(), 3);
    assert_eq!(selected(&model), Some("c"));
    // Everything goes away: nothing selected, no panic on keys.
    update_all(&mut model, [Msg::Apps(Change::Reset(vec![]))]);
    assert_eq!(selected(&model), None);
    for k in ['j', 'k', 'g', 'G'] {
        update_all(&mut model, [Msg::Key(Key::char(k))]);
    }
    update_all(&mut model, [Msg::Key(Key::new(KeyCode::PageDown))]);
    assert_eq!(model.apps.table.selected, 0);
}

#[test]
fn scrolling_keeps_the_selection_on_screen() {
    let mut model = Model::new(false, None);
    // 14 rows of terminal = 10 table rows.
    update_all(
        &mut model,
        [
            Msg::Resize {
                width: 80,
                height: 14,
            },
            Msg::Apps(Change::Reset(many(1000))),
        ],
    );
    assert_eq!(model.page_rows(), 10);
    for _ in 0..12 {
        update(&mut model, Msg::Key(Key::char('j')));
    }
    assert_eq!(model.apps.table.selected, 12);
    assert_eq!(
        model.apps.table.offset, 3,
        "last visible row is the selected one"
    );
    update(&mut model, Msg::Key(Key::char('G')));
    assert_eq!(model.apps.table.selected, 999);
    assert_eq!(model.apps.table.offset, 990);
    update(&mut model, Msg::Key(Key::new(KeyCode::PageUp)));
    assert_eq!(model.apps.table.selected, 989);
    assert_eq!(model.apps.table.offset, 989);
    update(&mut model, Msg::Key(Key::ctrl('u')));
    assert_eq!(model.apps.table.selected, 984);
    update(&mut model, Msg::Key(Key::ctrl('d')));
    assert_eq!(model.apps.table.selected, 989);
    update(&mut model, Msg::Key(Key::char('g')));
    assert_eq!((model.apps.table.selected, model.apps.table.offset), (0, 0));
    // A smaller terminal scrolls the selection back into view.
    update(&mut model, Msg::Key(Key::new(KeyCode::End)));
    update(
        &mut model,
        Msg::Resize {
            width: 80,
            height: 6,
        },
    );
    assert!(model.apps.table.offset + model.page_rows() > model.apps.table.selected);
}

#[test]
fn namespace_scope_filters_apps_by_destination() {
    let mut model = Model::new(false, Some("team-a".into()));
    update_all(
        &mut model,
        [Msg::Apps(Change::Reset(vec![
            app("one", "team-a"),
            app("two", "team-b"),
            app("three", "team-a"),
        ]))],
    );
    let names: Vec<&str> = model
        .apps
        .table
        .all()
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["one", "three"]);
}

#[test]
fn watch_states_and_errors_are_recorded() {
    let mut model = Model::new(false, None);
    assert_eq!(
        model.cluster.watch(WatchKind::Applications),
        WatchState::Connecting
    );
    update_all(
        &mut model,
        [
            Msg::ClusterError("discovery failed: connection refused".into()),
            Msg::Watch {
                kind: WatchKind::Applications,
                state: WatchState::NotInstalled,
            },
            Msg::Watch {
                kind: WatchKind::ExternalSecrets,
                state: WatchState::Forbidden,
            },
        ],
    );
    assert_eq!(
        model.cluster.watch(WatchKind::Applications),
        WatchState::NotInstalled
    );
    assert_eq!(
        model.cluster.watch(WatchKind::ExternalSecrets),
        WatchState::Forbidden
    );
    assert!(model.cluster.error.is_some());
    update_all(
        &mut model,
        [Msg::Watch {
            kind: WatchKind::ExternalSecrets,
            state: WatchState::Live,
        }],
    );
    assert!(
        model.cluster.error.is_none(),
        "a live watch clears the connection error"
    );
}

#[test]
fn shutdown_quits_and_other_keys_do_nothing() {
    let mut model = Model::new(false, None);
    assert!(update(&mut model, Msg::Key(Key::char('x'))).is_empty());
    assert!(update(&mut model, Msg::Tick).is_empty());
    assert!(!model.quitting);
    assert_eq!(update(&mut model, Msg::Shutdown), vec![Cmd::Quit]);
    assert!(model.quitting);
}
