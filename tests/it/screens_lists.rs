//! Snapshots of each global list reached through the palette, the help
//! overlay and the palette itself; 403 and missing kinds in words.

use crate::screens_fixture;
use screens_fixture::*;
use secretdeck::state::{Key, Msg, WatchKind, WatchState, update_all};

#[test]
fn each_global_list() {
    let mut model = model();
    for (cmd, must) in [
        ("es", "payments-api-secrets"),
        ("stores", "ClusterSecretStore"),
        ("cm", "BE_VERSION, PORT"),
        ("secrets", "es onthetop-backend-secrets"),
        ("events", "⚠ Warning"),
        ("ctx", "✔ current"),
        ("ns", "onthetop-backend"),
    ] {
        command(&mut model, cmd);
        let s = screen(&model);
        assert!(s.contains(&format!("apps › {cmd} (")), "{cmd}:\n{s}");
        assert!(s.contains(must), "{cmd} shows {must}:\n{s}");
        insta::assert_snapshot!(format!("list_{cmd}"), s);
    }
}

#[test]
fn events_are_newest_first() {
    let mut model = model();
    command(&mut model, "events");
    let reasons: Vec<&str> = model
        .lists
        .events
        .all()
        .iter()
        .map(|e| e.reason.as_str())
        .collect();
    assert_eq!(reasons, ["UpdateFailed", "Updated"]);
}

#[test]
fn forbidden_secrets_say_so_in_place() {
    let mut model = model();
    update_all(
        &mut model,
        [
            Msg::Watch {
                kind: WatchKind::Secrets,
                state: WatchState::Forbidden,
            },
            Msg::Secrets(secretdeck::state::Change::Reset(vec![])),
        ],
    );
    command(&mut model, "secrets");
    let s = screen(&model);
    assert!(s.contains("no permission to list secrets"), "{s}");
    assert!(s.contains("secrets: ⊘ forbidden"), "status bar:\n{s}");
    // The rest keeps working.
    command(&mut model, "es");
    assert!(screen(&model).contains("payments-api-secrets"));
}

#[test]
fn help_overlay_lists_the_current_screens_keys() {
    let mut model = model();
    press(&mut model, Key::char('?'));
    let s = screen(&model);
    assert!(
        s.contains("help: apps") && s.contains("cycle the sort"),
        "{s}"
    );
    insta::assert_snapshot!("help_apps", s);
    press(&mut model, Key::char('?'));
    assert!(!screen(&model).contains("help: apps"));
}

#[test]
fn palette_completes_command_names() {
    let mut model = model();
    press(&mut model, Key::char(':'));
    type_text(&mut model, "se");
    let s = screen(&model);
    assert!(s.contains(":se▏crets"), "{s}");
    insta::assert_snapshot!("palette", s);
}

#[test]
fn external_secrets_list_is_worst_first() {
    let mut model = model();
    command(&mut model, "es");
    let names: Vec<&str> = model
        .lists
        .es
        .all()
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    // payments-api's fails, onthetop's is synced: failing first, although
    // onthetop-backend comes first by namespace.
    assert_eq!(names, ["payments-api-secrets", "onthetop-backend-secrets"]);
    assert!(screen(&model).contains("sort: worst"));
}
