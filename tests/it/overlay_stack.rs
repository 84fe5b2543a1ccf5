//! The overlay stack: the top layer takes a key (or a paste) first and is
//! drawn last; a layer under it gets nothing; the operations panel takes
//! only `esc`, and only once its operation has finished.

use crate::screens_fixture;
use screens_fixture::*;
use secretdeck::domain::ops::outcome::Outcome;
use secretdeck::domain::rotation::Journal;
use secretdeck::domain::rotation::Plan;
use secretdeck::state::config_edit::Paused;
use secretdeck::state::operations::ItemState;
use secretdeck::state::rotation::RotationMsg;
use secretdeck::state::{Cmd, Key, KeyCode, Model, Msg, Overlay, Route, update_all};

fn esc(model: &mut Model) -> Vec<Cmd> {
    press(model, Key::new(KeyCode::Esc))
}

/// The app detail of onthetop-backend (it has an ExternalSecret, a
/// ConfigMap and a workload).
fn detail() -> Model {
    let mut model = model();
    press(&mut model, Key::new(KeyCode::Down));
    press(&mut model, Key::new(KeyCode::Enter));
    assert!(matches!(model.route(), Route::AppDetail(_)));
    model
}

fn kinds(model: &Model) -> Vec<&'static str> {
    model
        .overlays
        .iter()
        .map(|o| match o {
            Overlay::Operations => "operations",
            Overlay::Audit(_) => "audit",
            Overlay::Confirm(_) => "confirm",
            Overlay::Rotation(_) => "rotation",
            Overlay::ConfigEditor(_) => "config editor",
            Overlay::Palette(_) => "palette",
            Overlay::Help => "help",
        })
        .collect()
}

#[test]
fn a_confirmation_takes_every_key_until_answered() {
    let mut model = detail();
    press(&mut model, Key::char('2'));
    press(&mut model, Key::char('f'));
    assert_eq!(kinds(&model), ["confirm"]);
    // `e` on the ConfigMap under the dialog opens no editor over it.
    assert!(press(&mut model, Key::char('e')).is_empty());
    assert_eq!(kinds(&model), ["confirm"]);
    press(&mut model, Key::char('n'));
    assert!(model.overlays.is_empty());
    assert_eq!(model.message.as_deref(), Some("cancelled: nothing changed"));
}

#[test]
fn u_while_a_filter_is_typed_is_text() {
    let mut model = model();
    model.config.paused.push(Paused {
        app_namespace: "argocd".into(),
        app: "onthetop-backend".into(),
        previous: serde_json::json!({"prune": true, "selfHeal": true}),
    });
    command(&mut model, "es");
    press(&mut model, Key::char('/'));
    press(&mut model, Key::char('U'));
    assert!(model.confirm().is_none());
    assert_eq!(model.lists.es.filter.text, "U");
    // Once the filter is closed, `U` asks (on any screen: the status bar
    // names the paused app everywhere).
    press(&mut model, Key::new(KeyCode::Enter));
    press(&mut model, Key::char('U'));
    assert!(model.confirm().is_some());
}

#[test]
fn ctrl_c_quits_from_an_overlay() {
    let mut model = detail();
    press(&mut model, Key::char('2'));
    press(&mut model, Key::char('e'));
    assert_eq!(kinds(&model), ["config editor"]);
    assert_eq!(press(&mut model, Key::ctrl('c')), vec![Cmd::Quit]);
    assert!(model.quitting);
}

#[test]
fn an_unfinished_rotation_over_the_help_is_drawn_on_top_and_takes_the_keys() {
    let mut model = model();
    press(&mut model, Key::char('?'));
    let plan = Plan {
        aws_secret: "app/db".into(),
        region: Some("eu-west-1".into()),
        readers: vec![],
        restarts: vec![],
    };
    let j = Journal::new(plan, "ctx", "key password", None, true);
    update_all(
        &mut model,
        [Msg::Rotation(Box::new(RotationMsg::Unfinished(Box::new(
            j,
        ))))],
    );
    assert_eq!(kinds(&model), ["help", "rotation"]);
    let s = screen(&model);
    assert!(s.contains("unfinished rotation of app/db"), "{s}");
    assert!(!s.contains("help: apps"), "{s}");
    // `q` is the help's key, not the rotation's: it stays.
    press(&mut model, Key::char('q'));
    assert_eq!(kinds(&model), ["help", "rotation"]);
    esc(&mut model);
    assert_eq!(kinds(&model), ["help"]);
    assert!(screen(&model).contains("help: apps"));
    esc(&mut model);
    assert!(model.overlays.is_empty());
}

#[test]
fn the_operations_panel_takes_only_esc_once_finished() {
    let mut model = detail();
    press(&mut model, Key::char('f'));
    let cmds = press(&mut model, Key::char('y'));
    let [Cmd::RunOperation { id, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    let id = *id;
    assert_eq!(kinds(&model), ["operations"]);
    // Keys go on to the screen; the palette opens over the panel.
    press(&mut model, Key::char('2'));
    assert_eq!(model.app_detail.as_ref().unwrap().section.index(), 1);
    press(&mut model, Key::char(':'));
    assert_eq!(kinds(&model), ["operations", "palette"]);
    esc(&mut model);
    // Running: `esc` is the screen's (back), the panel stays.
    esc(&mut model);
    assert_eq!(model.route(), &Route::Apps);
    assert!(model.operations_panel());
    update_all(
        &mut model,
        [Msg::OpItem {
            id,
            index: 0,
            state: ItemState::Done {
                outcome: Outcome::Ok,
                message: "refreshed".into(),
            },
        }],
    );
    esc(&mut model);
    assert!(!model.operations_panel());
    assert!(model.overlays.is_empty());
}
