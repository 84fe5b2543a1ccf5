//! The ExternalSecret screen stays true after the console writes to AWS:
//! after `w` (rotate) and `W` (roll back) it shows the version AWS now
//! labels AWSCURRENT, and `x` reveals the value AWS holds now, not the one
//! read when the screen opened.

use crate::rotation_support;
use crate::support;
use secretdeck::settings::Paths;

use ratatui::backend::TestBackend;
use rotation_support::*;
use secretdeck::console::Session;
use secretdeck::state::{Key, KeyCode};
use secretdeck_sim::SimEnv;
use support::console::{Setup, session_on, type_text};
use support::until_screen as until;

const VALUE: &str = "Es-Screen-Fresh-Pw-7731";

fn current_version(env: &SimEnv) -> String {
    env.sm
        .version_stages(SECRET)
        .into_iter()
        .find(|(_, stages)| stages.iter().any(|s| s == "AWSCURRENT"))
        .map(|(id, _)| id)
        .expect("a current version")
}

fn shows_current(s: &str, id: &str) -> bool {
    s.lines()
        .any(|l| l.contains(&format!("version {id}")) && l.contains("[AWSCURRENT"))
}

/// Wait for the rotation screen to finish, then close it.
async fn finish(session: &mut Session<TestBackend>, what: &str) {
    let s = until(session, what, |s| {
        s.contains("finished · enter close") || s.contains("A step failed")
    })
    .await;
    assert!(s.contains("finished · enter close"), "{s}");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    assert!(session.model.rotation().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn es_screen_rereads_aws_after_rotate_and_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let env = sim(dir.path()).await;
    let setup = Setup {
        width: 180,
        height: 50,
        ..Setup::default()
    };
    let mut session = session_on(&env, &Paths::under(dir.path()), &setup).await;
    until(&mut session, "onthetop listed", |s| {
        support::row(s, "onthetop-backend").is_some()
    })
    .await;
    let first = current_version(&env);
    let old = env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap();

    session.press(Key::char(':')).unwrap();
    type_text(&mut session, "es");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    type_text(&mut session, "/onthetop-backend");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::new(KeyCode::Enter)).unwrap();
    let s = until(&mut session, "the ES screen with AWS versions", |s| {
        shows_current(s, &first)
    })
    .await;
    assert!(
        s.contains(" ago"),
        "the AWS data says when it was read:\n{s}"
    );

    // Rotate one key, without restarts (not what this test is about).
    session.press(Key::char('w')).unwrap();
    until(&mut session, "the key choice", |s| {
        s.contains("What changes?")
    })
    .await;
    let index = session
        .model
        .rotation()
        .unwrap()
        .choices
        .iter()
        .position(|c| c == KEY)
        .unwrap();
    for _ in 0..index {
        session.press(Key::char('j')).unwrap();
    }
    session.press(Key::new(KeyCode::Enter)).unwrap();
    type_text(&mut session, VALUE);
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::char('a')).unwrap();
    session.press(Key::new(KeyCode::Enter)).unwrap();
    finish(&mut session, "the rotation finished").await;
    let rotated = current_version(&env);
    assert_ne!(rotated, first);

    // Without leaving the screen: the new version is AWSCURRENT...
    let s = until(
        &mut session,
        "the rotated version shown as AWSCURRENT",
        |s| shows_current(s, &rotated),
    )
    .await;
    assert!(!shows_current(&s, &first), "{s}");
    assert!(!s.contains(VALUE), "masked until x:\n{s}");
    // ...and x reveals the rotated value.
    session.press(Key::char('x')).unwrap();
    until(&mut session, "the rotated value revealed", |s| {
        s.contains(&format!("{KEY}={VALUE}"))
    })
    .await;
    session.press(Key::char('x')).unwrap();

    // Roll back: AWSCURRENT moves back to the first version.
    session.press(Key::char('W')).unwrap();
    until(&mut session, "the rollback confirmation", |s| {
        s.contains("roll back")
    })
    .await;
    session.press(Key::char('a')).unwrap();
    session.press(Key::new(KeyCode::Enter)).unwrap();
    finish(&mut session, "the rollback finished").await;
    assert_eq!(current_version(&env), first);
    let s = until(&mut session, "the first version AWSCURRENT again", |s| {
        shows_current(s, &first)
    })
    .await;
    assert!(!shows_current(&s, &rotated), "{s}");
    session.press(Key::char('x')).unwrap();
    let old_line = old
        .lines()
        .find(|l| l.starts_with(&format!("{KEY}=")))
        .unwrap()
        .to_string();
    let s = until(&mut session, "the rolled-back value revealed", |s| {
        s.contains(&old_line)
    })
    .await;
    assert!(!s.contains(VALUE), "the rotated-away value is gone:\n{s}");
    env.shutdown().await;
}
