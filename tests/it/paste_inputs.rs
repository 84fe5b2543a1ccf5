//! Pasted text (bracketed paste, `Msg::Paste`) goes into the focused input
//! as text and is never read as keys: a pasted line break is not Enter and
//! pasted letters are not commands, so no paste confirms anything or asks
//! the backend to write. Confirmations come only from key presses.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::domain::config_edit::Loaded;
use secretdeck::domain::rotation::Journal;
use secretdeck::domain::rotation::{Plan, Sensitive};
use secretdeck::domain::{Application, from_value};
use secretdeck::state::config_edit::{ConfigEditor, Mode as CmMode, Stage};
use secretdeck::state::rotation::{Mode, Phase, RotationCmd, RotationMsg};
use secretdeck::state::{Change, Cmd, Key, KeyCode, Model, Msg, update};
use secretdeck::view::{Theme, view};
use serde_json::json;

fn draw(model: &Model, width: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(width, 30)).unwrap();
    t.draw(|f| view(model, &Theme::dark(), f)).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn paste(model: &mut Model, text: &str) -> Vec<Cmd> {
    update(model, Msg::Paste(text.to_string()))
}

fn key(model: &mut Model, k: Key) -> Vec<Cmd> {
    update(model, Msg::Key(k))
}

/// The rotation screen at its value input, the current value loaded.
fn rotation_at_input() -> Model {
    let plan = Plan {
        aws_secret: "app/db".into(),
        region: Some("eu-west-1".into()),
        readers: vec![],
        restarts: vec![],
    };
    let mut model = Model::new(false, None);
    let j = Journal::new(plan, "ctx", "e", None, true);
    update(
        &mut model,
        Msg::Rotation(Box::new(RotationMsg::Unfinished(Box::new(j)))),
    );
    let s = model.rotation_mut().unwrap();
    s.mode = Mode::Rotate;
    s.phase = Phase::Loading;
    update(
        &mut model,
        Msg::Rotation(Box::new(RotationMsg::Loaded(Ok(Sensitive::new("old"))))),
    );
    key(&mut model, Key::new(KeyCode::Enter)); // the whole value
    assert_eq!(model.rotation().unwrap().phase, Phase::Input);
    model
}

fn rotation_input(model: &Model) -> String {
    model.rotation().unwrap().input.expose().to_string()
}

#[test]
fn a_pasted_line_break_and_letters_never_confirm_a_rotation() {
    let mut model = rotation_at_input();
    // The attack: value, newline, `y`. Refused whole; nothing moves on.
    assert!(paste(&mut model, "new-pass\ny").is_empty());
    let s = model.rotation().unwrap();
    assert_eq!(s.phase, Phase::Input, "a paste never validates");
    assert_eq!(
        rotation_input(&model),
        "",
        "a refused paste inserts nothing"
    );
    let screen = draw(&model, 140);
    assert!(
        screen.contains("nothing pasted: the text has 2 lines"),
        "{screen}"
    );
    assert!(!screen.contains("new-pass"), "never echoed: {screen}");

    // A line copied with its line break: the text lands, the break is
    // dropped with a note, and the screen stays at the input.
    assert!(paste(&mut model, "new-pass\n").is_empty());
    assert_eq!(rotation_input(&model), "new-pass");
    assert_eq!(model.rotation().unwrap().phase, Phase::Input);
    assert!(draw(&model, 140).contains("ended with a line break"));
    assert!(paste(&mut model, "-2").is_empty());
    assert_eq!(rotation_input(&model), "new-pass-2");

    // Enter (a key) validates; a pasted `y` at the confirmation is refused.
    key(&mut model, Key::new(KeyCode::Enter));
    assert_eq!(model.rotation().unwrap().phase, Phase::Confirm);
    assert!(paste(&mut model, "y").is_empty());
    assert!(paste(&mut model, "\n").is_empty());
    assert_eq!(model.rotation().unwrap().phase, Phase::Confirm);
    assert!(draw(&model, 140).contains("nothing pasted: no text field is open here"));
    // Only the key press runs it.
    let cmds = key(&mut model, Key::char('y'));
    assert!(
        matches!(&cmds[..], [Cmd::Rotation(c)] if matches!(&**c, RotationCmd::Run { .. })),
        "{cmds:?}"
    );
}

fn editor(stage: Stage) -> Model {
    let mut model = Model::new(false, None);
    model.open_overlay(ConfigEditor {
        base: Loaded {
            namespace: "team".into(),
            name: "settings".into(),
            data: [("mode".to_string(), "fast".to_string())].into(),
            binary_keys: vec![],
            resource_version: "7".into(),
        },
        mode: CmMode::Add,
        gitops: None,
        stale: vec![],
        stage,
        error: None,
        edit: None,
    });
    model
}

#[test]
fn pastes_into_the_config_map_editor_key_and_value_never_review_or_apply() {
    let mut model = editor(Stage::KeyName {
        input: String::new(),
    });
    assert!(paste(&mut model, "log.level\ny").is_empty());
    let ed = model.config_editor().unwrap();
    assert_eq!(ed.stage, Stage::KeyName { input: "".into() });
    assert!(ed.error.as_deref().unwrap().contains("2 lines"));
    assert!(paste(&mut model, "log.level\n").is_empty());
    let ed = model.config_editor().unwrap();
    assert_eq!(
        ed.stage,
        Stage::KeyName {
            input: "log.level".into()
        },
        "the key name landed and Enter was not pressed"
    );
    key(&mut model, Key::new(KeyCode::Enter));

    // The value: a pasted `debug⏎y` neither reviews nor applies.
    assert!(paste(&mut model, "debug\ny").is_empty());
    assert!(paste(&mut model, "debug\r\n").is_empty());
    let ed = model.config_editor().unwrap();
    assert_eq!(
        ed.stage,
        Stage::Value {
            key: "log.level".into(),
            input: "debug".into()
        }
    );
    key(&mut model, Key::new(KeyCode::Enter));
    let ed = model.config_editor().unwrap();
    assert!(matches!(ed.stage, Stage::Review { .. }), "{:?}", ed.stage);
    // At the review, a pasted `y` is refused; the `y` key applies.
    assert!(paste(&mut model, "y").is_empty());
    let ed = model.config_editor().unwrap();
    assert!(matches!(ed.stage, Stage::Review { .. }));
    assert!(draw(&model, 120).contains("nothing pasted"));
    let cmds = key(&mut model, Key::char('y'));
    assert!(matches!(&cmds[..], [Cmd::Config(_)]), "{cmds:?}");
}

#[test]
fn a_paste_into_the_palette_is_text_and_runs_no_command() {
    let mut model = Model::new(false, None);
    key(&mut model, Key::char(':'));
    assert!(paste(&mut model, "audit\n").is_empty());
    assert_eq!(
        model.palette().map(|p| p.input.as_str()),
        Some("audit"),
        "the text is in the palette, still open"
    );
    assert!(
        paste(&mut model, "\nq").is_empty(),
        "a pasted `q` never quits"
    );
    assert!(!model.quitting);
    assert_eq!(model.palette().unwrap().input, "audit");
    assert!(
        model.message.as_deref().unwrap().contains("2 lines"),
        "{:?}",
        model.message
    );
    // Enter, pressed, runs it.
    assert_eq!(
        key(&mut model, Key::new(KeyCode::Enter)),
        vec![Cmd::LoadAudit]
    );
}

fn app(name: &str) -> Application {
    from_value(json!({"metadata": {"name": name, "namespace": "argocd"},
                      "spec": {"destination": {"namespace": name}}}))
    .expect("app")
}

#[test]
fn a_paste_into_the_filter_filters_and_does_not_end_it() {
    let mut model = Model::new(false, None);
    update(
        &mut model,
        Msg::Resize {
            width: 100,
            height: 20,
        },
    );
    update(
        &mut model,
        Msg::Apps(Change::Reset(vec![app("billing"), app("payments")])),
    );
    model.settle();
    key(&mut model, Key::char('/'));
    assert!(paste(&mut model, "pay\n").is_empty());
    assert_eq!(model.apps.table.filter.text, "pay");
    assert!(
        model.apps.table.filter.editing,
        "the line break is not Enter"
    );
    let screen = draw(&model, 100);
    assert!(
        screen.contains("payments") && !screen.contains("billing"),
        "{screen}"
    );
    // Outside any input a paste does nothing but say so.
    key(&mut model, Key::new(KeyCode::Enter));
    assert!(paste(&mut model, "q").is_empty());
    assert!(!model.quitting);
    assert!(model.message.as_deref().unwrap().contains("no text field"));
}
