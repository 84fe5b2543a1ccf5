//! The guided rotation through the console's keys, end to end on the
//! simulated environment: `w` on onthetop's ExternalSecret, choose
//! `spring.datasource.password`, type a value (masked), confirm, run.
//! Afterwards AWS, the Secret and the pods all moved, and the value is
//! nowhere on screen, in the logs or in the state dir.

use crate::rotation_support;
use crate::support;
use secretdeck::settings::Paths;

use rotation_support::*;
use secretdeck::state::{Key, KeyCode};
use support::console::{Setup, connection, session_on, type_text};
use support::{screen, until_screen as until};

const VALUE: &str = "Console-Rotated-Pw-0042xyz";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_the_onthetop_password_through_the_console() {
    let dir = tempfile::tempdir().unwrap();
    // Debug logs include every command: the value must not be in them.
    support::logs::file();
    let paths = Paths::under(dir.path());
    let state = paths.state_dir.clone().expect("state dir");
    let env = sim(dir.path()).await;
    let context = connection(&env).await.info.context.clone();
    let setup = Setup {
        width: 180,
        ..Setup::default()
    };
    let mut session = session_on(&env, &paths, &setup).await;
    until(&mut session, "onthetop healthy", |s| {
        support::row(s, "onthetop-backend")
            .is_some_and(|r| r.contains("Healthy") && r.contains("1/1"))
    })
    .await;
    // Pods that started in an earlier second than the rotation.
    support::eventually(30, "two pods running for over a second", || async {
        let p = pods(&env, NS);
        let now = chrono::Utc::now();
        let old = p.iter().all(|(_, t)| {
            chrono::DateTime::parse_from_rfc3339(t)
                .is_ok_and(|t| now.timestamp() - t.timestamp() >= 2)
        });
        (p.len() == 2 && old).then_some(())
    })
    .await;
    let pods_before = pods(&env, NS);
    let old = env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap();

    session.press(Key::char(':')).unwrap();
    type_text(&mut session, "es");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    type_text(&mut session, "/onthetop-backend");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::new(KeyCode::Enter)).unwrap();
    until(&mut session, "the ExternalSecret detail", |s| {
        s.contains("onthetop/backend/secrets-properties")
    })
    .await;
    session.press(Key::char('w')).unwrap();
    until(&mut session, "the key choice", |s| {
        s.contains("What changes?") && s.contains(KEY)
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
    // Half typed, half pasted with a line break and a `y` after it: the
    // paste is refused whole; pasted without the `y`, the text lands and
    // the line break is not Enter.
    let (typed, pasted) = VALUE.split_at(10);
    type_text(&mut session, typed);
    assert!(session.paste(&format!("{pasted}\ny")).unwrap().is_empty());
    assert!(session.paste(&format!("{pasted}\n")).unwrap().is_empty());
    assert_eq!(
        session.model.rotation().unwrap().phase,
        secretdeck::state::rotation::Phase::Input,
        "a paste never validates"
    );
    let s = screen(&session);
    assert!(
        !s.contains(VALUE) && s.contains(&"•".repeat(VALUE.len())),
        "masked:\n{s}"
    );
    session.press(Key::ctrl('r')).unwrap();
    assert!(screen(&session).contains(VALUE), "ctrl-r shows the value");
    session.press(Key::ctrl('r')).unwrap();
    session.press(Key::new(KeyCode::Enter)).unwrap();
    let old_len = secretdeck::domain::rotation::properties::get(&old, KEY)
        .unwrap()
        .chars()
        .count();
    let s = screen(&session);
    assert!(
        s.contains(&format!(
            "value changes (length {old_len} → {})",
            VALUE.len()
        )),
        "{s}"
    );
    assert!(s.contains(&format!("kube context: {context}")), "{s}");
    assert!(s.contains("region: ") && s.contains("AWS account"), "{s}");
    assert!(
        s.contains("ExternalSecret onthetop-backend/onthetop-backend-secrets"),
        "{s}"
    );
    assert!(
        s.contains("[x] needs a restart: Deployment onthetop-backend/onthetop-backend"),
        "{s}"
    );
    assert!(!s.contains(VALUE));
    session.press(Key::new(KeyCode::Enter)).unwrap();
    let s = until(&mut session, "the rotation finished", |s| {
        s.contains("finished · enter close") || s.contains("A step failed")
    })
    .await;
    assert!(s.contains("finished · enter close"), "{s}");
    until(
        &mut session,
        "Argo CD health back to Healthy on the rotation screen",
        |s| s.contains("Argo CD health: onthetop-backend Healthy"),
    )
    .await;
    assert!(!s.contains(VALUE));

    // AWS: only the password line changed; the old file is AWSPREVIOUS.
    let new = env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap();
    assert_eq!(env.sm.value_at_stage(SECRET, "AWSPREVIOUS").unwrap(), old);
    let (a, b): (Vec<&str>, Vec<&str>) = (
        old.split_inclusive('\n').collect(),
        new.split_inclusive('\n').collect(),
    );
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        if x.starts_with(&format!("{KEY}=")) {
            assert_eq!(y.trim_end(), format!("{KEY}={VALUE}"));
        } else {
            assert_eq!(x, y);
        }
    }
    // The Secret holds the new file; the stale pods were replaced.
    assert_eq!(
        secret_data(&env, NS, "onthetop-backend-secrets", "secrets.properties").unwrap(),
        new
    );
    let pods_after = pods(&env, NS);
    assert!(!pods_after.is_empty());
    for (name, started) in &pods_after {
        assert!(
            !pods_before.iter().any(|(n, _)| n == name),
            "pod {name} was not replaced"
        );
        assert!(pods_before.iter().all(|(_, t)| started >= t));
    }
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::new(KeyCode::Esc)).unwrap();
    session.press(Key::new(KeyCode::Esc)).unwrap();
    session.press(Key::new(KeyCode::Esc)).unwrap();
    let s = until(&mut session, "onthetop Healthy again, nothing stale", |s| {
        support::row(s, "onthetop-backend")
            .is_some_and(|r| r.contains("Healthy") && !r.contains("old secret"))
    })
    .await;
    assert!(!s.contains(VALUE));

    let audit = std::fs::read_to_string(state.join("audit.jsonl")).unwrap();
    assert!(audit.contains("\"action\":\"rotate\"") && audit.contains("rotated: version"));
    assert!(
        !all_text(&state).contains(VALUE),
        "the value leaked into {}",
        state.display()
    );
    let log = support::logs::text();
    assert!(!log.contains(VALUE), "the value leaked into the log");
    assert!(log.contains("command"), "debug logging was on");
    // Nor in any snapshot the tests keep.
    let snapshots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let kept = all_text(&snapshots);
    for v in [
        VALUE,
        "Cli-Rotated-Pw-93kd",
        "resume-test-value-7f3k2",
        "never-synced-55",
    ] {
        assert!(!kept.contains(v), "{v} is in a snapshot");
    }
    env.shutdown().await;
}
