//! The rotation screen without a cluster: resume offered at start, the
//! masked input (generate, validation errors), and what each key asks the
//! backend for.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::domain::rotation::{Journal, Progress, StepId, StepState};
use secretdeck::domain::rotation::{Plan, Sensitive};
use secretdeck::state::rotation::{Mode, Phase, RotationCmd, RotationMsg};
use secretdeck::state::{Cmd, Key, KeyCode, Model, Msg, update};
use secretdeck::view::{Theme, view};

fn plan() -> Plan {
    Plan {
        aws_secret: "app/db".into(),
        region: Some("eu-west-1".into()),
        readers: vec![],
        restarts: vec![],
    }
}

fn draw(model: &Model) -> String {
    let mut t = Terminal::new(TestBackend::new(140, 30)).unwrap();
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

fn rot(m: RotationMsg) -> Msg {
    Msg::Rotation(Box::new(m))
}

#[test]
fn an_unfinished_rotation_is_offered_for_resume_or_rollback() {
    let j = Journal::new(plan(), "ctx", "key password", Some("v-old".into()), true);
    let mut model = Model::new(false, None);
    update(
        &mut model,
        rot(RotationMsg::Unfinished(Box::new(j.clone()))),
    );
    let s = draw(&model);
    assert!(
        s.contains("unfinished rotation of app/db") && s.contains("r resume · b roll back"),
        "{s}"
    );
    let cmds = update(&mut model, Msg::Key(Key::char('r')));
    assert_eq!(
        cmds,
        vec![Cmd::Rotation(Box::new(RotationCmd::Resume {
            journal: Some(j.clone()),
            readonly: false
        }))]
    );
    update(
        &mut model,
        rot(RotationMsg::Progress(Progress {
            step: StepId::Sync,
            state: StepState::Running("0/1 synced".into()),
        })),
    );
    assert!(draw(&model).contains("running: 0/1 synced"));
    update(&mut model, rot(RotationMsg::Finished { ok: true }));
    assert!(draw(&model).contains("finished"));
    update(&mut model, Msg::Key(Key::new(KeyCode::Enter)));
    assert!(model.rotation().is_none());

    let mut model = Model::new(false, None);
    update(
        &mut model,
        rot(RotationMsg::Unfinished(Box::new(j.clone()))),
    );
    // `b` asks first, as `W` does: nothing is asked of the backend yet.
    let cmds = update(&mut model, Msg::Key(Key::char('b')));
    assert!(cmds.is_empty(), "b alone rolls nothing back: {cmds:?}");
    let s = draw(&model);
    assert!(
        s.contains("roll back app/db")
            && s.contains(&format!("moves back from version {} to v-old", j.token))
            && s.contains("enter/y run"),
        "{s}"
    );
    // Only the confirmation runs it, from the journal.
    let cmds = update(&mut model, Msg::Key(Key::char('y')));
    assert!(
        matches!(&cmds[..], [Cmd::Rotation(c)] if matches!(&**c, RotationCmd::Rollback { journal: Some(x), .. } if *x == j)),
        "{cmds:?}"
    );
    // esc at that confirmation leaves everything as it was.
    let mut model = Model::new(false, None);
    update(
        &mut model,
        rot(RotationMsg::Unfinished(Box::new(j.clone()))),
    );
    update(&mut model, Msg::Key(Key::char('b')));
    assert!(update(&mut model, Msg::Key(Key::new(KeyCode::Esc))).is_empty());
    assert!(model.rotation().is_none());
}

#[test]
fn the_unfinished_prompt_shows_the_steps_the_journal_reached_as_done() {
    use secretdeck::domain::rotation::Reached;
    let mut j = Journal::new(plan(), "ctx", "key password", Some("v-old".into()), true);
    j.reached = Reached::Synced;
    let mut model = Model::new(false, None);
    update(
        &mut model,
        rot(RotationMsg::Unfinished(Box::new(j.clone()))),
    );
    let steps = &model.rotation().unwrap().steps;
    assert!(
        matches!(steps[0], (StepId::Write, StepState::Done(_))),
        "{steps:?}"
    );
    assert!(
        matches!(steps[1], (StepId::Sync, StepState::Done(_))),
        "{steps:?}"
    );
    assert_eq!(steps[2], (StepId::Restart, StepState::Pending));
    let s = draw(&model);
    let line = |step: &str| {
        s.lines()
            .find(|l| {
                l.contains(&format!(" {step}")) && (l.contains("done") || l.contains("pending"))
            })
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("Write").contains("✓") && line("Write").contains("done"),
        "{s}"
    );
    assert!(line("Sync").contains("done"), "{s}");
    assert!(line("Restart").contains("pending"), "{s}");
    assert!(s.contains("reached: Synced"), "{s}");

    j.reached = Reached::Written;
    let mut model = Model::new(false, None);
    update(&mut model, rot(RotationMsg::Unfinished(Box::new(j))));
    let steps = &model.rotation().unwrap().steps;
    assert!(matches!(steps[0].1, StepState::Done(_)));
    assert_eq!(steps[1].1, StepState::Pending);
}

#[test]
fn masked_input_generates_validates_and_never_shows_the_value() {
    let mut model = Model::new(false, None);
    model.close_overlay::<secretdeck::state::rotation::RotationScreen>();
    // Open through the Unfinished path is not what we want: build by keys
    // needs an inventory, so drive the screen from the Loaded message.
    let j = Journal::new(plan(), "ctx", "e", None, true);
    update(&mut model, rot(RotationMsg::Unfinished(Box::new(j))));
    let s = model.rotation_mut().unwrap();
    s.mode = Mode::Rotate;
    s.phase = Phase::Loading;
    update(
        &mut model,
        rot(RotationMsg::Loaded(Ok(Sensitive::new(
            "# c\npassword=old-secret-value\nuser=app\n",
        )))),
    );
    assert_eq!(model.rotation().unwrap().phase, Phase::ChooseKey);
    assert!(draw(&model).contains("password"));
    assert!(!draw(&model).contains("old-secret-value"));
    update(&mut model, Msg::Key(Key::char('j')));
    update(&mut model, Msg::Key(Key::new(KeyCode::Enter)));
    // Empty: refused with the reason.
    update(&mut model, Msg::Key(Key::new(KeyCode::Enter)));
    assert!(draw(&model).contains("the new value is empty"));
    update(&mut model, Msg::Key(Key::ctrl('g')));
    let generated = model.rotation().unwrap().input.expose().to_string();
    assert_eq!(generated.len(), 32);
    let s = draw(&model);
    assert!(
        !s.contains(&generated) && s.contains(&"•".repeat(32)),
        "{s}"
    );
    update(&mut model, Msg::Key(Key::new(KeyCode::Enter)));
    let s = draw(&model);
    assert!(
        s.contains("value changes (length 16 → 32)") && s.contains("region: eu-west-1"),
        "{s}"
    );
    assert!(!s.contains(&generated));
    let cmds = update(&mut model, Msg::Key(Key::new(KeyCode::Enter)));
    let [Cmd::Rotation(c)] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    let RotationCmd::Run { doc, edit, .. } = &**c else {
        panic!()
    };
    assert_eq!(edit, "key password");
    assert_eq!(
        doc.expose(),
        format!("# c\npassword={generated}\nuser=app\n")
    );
    // Debug output of the command never carries the value.
    assert!(!format!("{cmds:?}").contains(&generated));
}

#[test]
fn workloads_can_be_left_out_of_the_restart() {
    use secretdeck::domain::rotation::WorkloadRef;
    let w = |n: &str| WorkloadRef {
        kind: "Deployment".into(),
        namespace: "ns".into(),
        name: n.into(),
        why: "env var".into(),
    };
    let mut p = plan();
    p.restarts = vec![w("api"), w("worker")];
    let j = Journal::new(p, "ctx", "e", None, true);
    let mut model = Model::new(false, None);
    update(&mut model, rot(RotationMsg::Unfinished(Box::new(j))));
    let s = model.rotation_mut().unwrap();
    s.mode = Mode::Rotate;
    s.phase = Phase::Loading;
    update(
        &mut model,
        rot(RotationMsg::Loaded(Ok(Sensitive::new("old")))),
    );
    update(&mut model, Msg::Key(Key::new(KeyCode::Enter)));
    for c in "new".chars() {
        update(&mut model, Msg::Key(Key::char(c)));
    }
    update(&mut model, Msg::Key(Key::new(KeyCode::Enter)));
    update(&mut model, Msg::Key(Key::char('j')));
    update(&mut model, Msg::Key(Key::char(' ')));
    let s = draw(&model);
    assert!(
        s.contains("[x] needs a restart: Deployment ns/api")
            && s.contains("[ ] needs a restart: Deployment ns/worker"),
        "{s}"
    );
    let cmds = update(&mut model, Msg::Key(Key::new(KeyCode::Enter)));
    let [Cmd::Rotation(c)] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    let RotationCmd::Run { plan, restart, .. } = &**c else {
        panic!()
    };
    assert!(*restart);
    assert_eq!(plan.restarts, vec![w("api")]);
}

#[test]
fn leaving_during_a_rotation_says_it_is_unfinished_and_how_to_go_on() {
    let j = Journal::new(plan(), "ctx", "key password", Some("v-old".into()), true);
    let mut model = Model::new(false, None);
    assert_eq!(secretdeck::console::exit_notice(&model), None);
    update(&mut model, rot(RotationMsg::Unfinished(Box::new(j))));
    assert_eq!(
        secretdeck::console::exit_notice(&model),
        None,
        "only a running rotation is unfinished business"
    );
    update(&mut model, Msg::Key(Key::char('r')));
    update(
        &mut model,
        rot(RotationMsg::Progress(Progress {
            step: StepId::Write,
            state: StepState::Done("written".into()),
        })),
    );
    update(
        &mut model,
        rot(RotationMsg::Progress(Progress {
            step: StepId::Sync,
            state: StepState::Running("0/1 synced".into()),
        })),
    );
    // A signal arrives: the console quits, and says what is left.
    update(&mut model, Msg::Shutdown);
    assert!(model.quitting);
    let notice = secretdeck::console::exit_notice(&model).expect("a notice");
    for part in [
        "rotation of AWS secret app/db is UNFINISHED",
        "stopped at step Sync",
        "the last step done is Write",
        "start secretdeck again",
        "r resume, b roll back",
        "secretdeck rollback",
    ] {
        assert!(notice.contains(part), "{part:?} missing from:\n{notice}");
    }
}
