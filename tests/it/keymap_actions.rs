//! The key table and the screen handlers agree: on every screen, each key
//! of the table does exactly what its action does, and an action the table
//! does not bind there changes nothing (so no handler answers a key the
//! help, the footer and the README do not list).

use crate::screens_fixture;
use screens_fixture::*;
use secretdeck::state::keymap::{self, Action};
use secretdeck::state::{
    Key, KeyCode, ListKind, Model, Msg, Route, WatchKind, WatchState, on_action, update, update_all,
};

/// Every screen of the fixture: apps (with and without Argo CD), each app
/// detail section, the ExternalSecret detail, each list.
fn screens() -> Vec<(String, Model)> {
    let mut all = vec![("apps".to_string(), model())];
    let mut no_argo = model();
    update_all(
        &mut no_argo,
        [Msg::Watch {
            kind: WatchKind::Applications,
            state: WatchState::NotInstalled,
        }],
    );
    all.push(("apps without Argo CD".into(), no_argo));
    let mut detail = model();
    // onthetop-backend: it has an ExternalSecret, a ConfigMap, a workload.
    press(&mut detail, Key::new(KeyCode::Down));
    press(&mut detail, Key::new(KeyCode::Enter));
    assert!(matches!(detail.route(), Route::AppDetail(_)));
    for (i, c) in ['1', '2', '3', '4', '5'].into_iter().enumerate() {
        let mut m = detail.clone();
        press(&mut m, Key::char(c));
        all.push((format!("app detail, section {}", i + 1), m));
    }
    let mut es = detail.clone();
    press(&mut es, Key::new(KeyCode::Enter));
    assert!(matches!(es.route(), Route::EsDetail(_)), "{:?}", es.route());
    all.push(("ExternalSecret detail".into(), es));
    for kind in ListKind::ALL {
        let mut m = model();
        command(&mut m, kind.command());
        assert_eq!(m.route(), &Route::List(kind));
        all.push((format!(":{}", kind.command()), m));
    }
    all
}

fn bound(route: &Route) -> Vec<Action> {
    keymap::for_route(route, false)
        .iter()
        .flat_map(|b| b.keys.iter().map(|(_, a)| *a))
        .collect()
}

#[test]
fn an_action_a_screen_does_not_bind_changes_nothing() {
    for (name, model) in screens() {
        let bound = bound(model.route());
        for action in Action::ALL.iter().filter(|a| !bound.contains(a)) {
            let mut m = model.clone();
            let cmds = on_action(&mut m, *action);
            assert!(cmds.is_empty(), "{action:?} on {name}: {cmds:?}");
            // Compared as text: the model has no `PartialEq` (and its dump
            // would drown the message).
            assert!(
                format!("{m:?}") == format!("{model:?}"),
                "{action:?} on {name} changed the model, but the key table binds it nowhere there"
            );
        }
    }
}

#[test]
fn each_key_of_the_table_does_what_its_action_does() {
    for (name, model) in screens() {
        for b in keymap::for_route(model.route(), false) {
            for (key, action) in b.keys {
                let mut by_key = model.clone();
                let key_cmds = update(&mut by_key, Msg::Key(*key));
                let mut by_action = model.clone();
                by_action.message = None;
                let action_cmds = on_action(&mut by_action, *action);
                let what = format!("{} ({action:?}) on {name}", keymap::key_name(*key));
                assert_eq!(key_cmds, action_cmds, "{what}");
                assert!(
                    format!("{by_key:?}") == format!("{by_action:?}"),
                    "{what}: the key and the action leave different models"
                );
            }
        }
    }
}
