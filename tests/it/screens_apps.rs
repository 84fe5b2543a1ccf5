//! The apps screen on the fixed fixture: snapshot, worst first, the sort
//! cycle in the header, the filter's highlight, colours that carry meaning,
//! and the screen without Argo CD.

use crate::screens_fixture;
use ratatui::style::Color;
use screens_fixture::*;
use secretdeck::domain::HealthStatus;
use secretdeck::state::{Key, KeyCode, Msg, WatchKind, WatchState, update_all};
use secretdeck::view::Theme;

#[test]
fn apps_screen_worst_first() {
    let model = model();
    let s = screen(&model);
    let payments = s.find("payments-api").expect("payments row");
    let onthetop = s.find("onthetop-backend").expect("onthetop row");
    assert!(payments < onthetop, "worst first:\n{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn degraded_health_cell_uses_the_theme_colour() {
    let model = model();
    let buf = draw(&model);
    let theme = Theme::dark();
    let lines: Vec<String> = text(&buf).lines().map(str::to_string).collect();
    let y = lines
        .iter()
        .position(|l| l.contains("payments-api"))
        .expect("row");
    let x = lines[y]
        .chars()
        .position(|c| c == '✖')
        .expect("health icon");
    // "✖ Degraded": the word's first letter.
    let cell = &buf[(x as u16 + 2, y as u16)];
    assert_eq!(cell.symbol(), "D");
    let expected = theme
        .health(HealthStatus::Degraded)
        .fg
        .expect("health colour");
    assert_eq!(cell.fg, expected);
    assert_ne!(expected, Color::Reset);
    let healthy_y = lines
        .iter()
        .position(|l| l.contains("♥ Healthy"))
        .expect("row");
    let hx = lines[healthy_y]
        .chars()
        .position(|c| c == '♥')
        .expect("icon");
    assert_eq!(
        buf[(hx as u16 + 2, healthy_y as u16)].fg,
        theme.health(HealthStatus::Healthy).fg.expect("colour")
    );
}

#[test]
fn sort_cycles_and_the_header_says_which() {
    let mut model = model();
    for (label, first) in [
        ("sort: name", "onthetop-backend"),
        ("sort: namespace", "onthetop-backend"),
        // Oldest refresh first: payments-api's ExternalSecret never synced.
        ("sort: last refresh", "payments-api"),
        ("sort: severity", "payments-api"),
    ] {
        press(&mut model, Key::char('s'));
        let s = screen(&model);
        assert!(s.contains(label), "{label}:\n{s}");
        assert_eq!(
            model.apps.table.shown(0).map(|(r, _)| r.name.as_str()),
            Some(first),
            "{label}"
        );
    }
}

#[test]
fn filter_highlights_the_matched_characters() {
    let mut model = model();
    press(&mut model, Key::char('/'));
    type_text(&mut model, "otb");
    let buf = draw(&model);
    let s = text(&buf);
    assert!(s.contains("/otb"), "{s}");
    assert!(!s.contains("payments-api"), "filtered out:\n{s}");
    let theme = Theme::dark();
    let lines: Vec<&str> = s.lines().collect();
    let y = lines
        .iter()
        .position(|l| l.contains("onthetop-backend"))
        .expect("row") as u16;
    let line = lines[y as usize];
    let byte = line.find("onthetop-backend").expect("name");
    let x0 = line[..byte].chars().count() as u16;
    // "o" of onthetop is matched, "n" is not.
    if let Some(fg) = theme.highlight.fg {
        assert_eq!(buf[(x0, y)].fg, fg);
    }
    assert_eq!(
        buf[(x0, y)].modifier,
        buf[(x0, y)].modifier | theme.highlight.add_modifier
    );
    assert_ne!(
        (buf[(x0, y)].fg, buf[(x0, y)].modifier),
        (buf[(x0 + 1, y)].fg, buf[(x0 + 1, y)].modifier),
        "matched and unmatched characters differ"
    );
    // enter keeps the filter, esc clears it.
    press(&mut model, Key::new(KeyCode::Enter));
    assert_eq!(model.apps.table.len(), 1);
    press(&mut model, Key::new(KeyCode::Esc));
    assert_eq!(model.apps.table.len(), 2);
    assert!(!screen(&model).contains("/otb"));
}

#[test]
fn without_argo_cd_the_screen_says_so_and_lists_external_secrets() {
    let mut model = model();
    update_all(
        &mut model,
        [
            Msg::Watch {
                kind: WatchKind::Applications,
                state: WatchState::NotInstalled,
            },
            Msg::Apps(secretdeck::state::Change::Reset(vec![])),
        ],
    );
    let s = screen(&model);
    assert!(s.contains("Argo CD is not installed"), "{s}");
    assert!(
        s.contains("payments-api-secrets") && s.contains("SecretSyncedError"),
        "{s}"
    );
    insta::assert_snapshot!(s);
    // enter opens the ExternalSecret.
    let cmds = press(&mut model, Key::new(KeyCode::Enter));
    assert!(!cmds.is_empty());
    assert!(screen(&model).contains("es onthetop-backend-secrets"));
}

#[test]
fn at_80_columns_the_problem_column_shows_the_cause() {
    let mut model = model();
    update_all(
        &mut model,
        [Msg::Resize {
            width: 80,
            height: 24,
        }],
    );
    let s = text(&draw_at(&model, 80, 24));
    let header = s.lines().find(|l| l.contains("APP")).expect("header");
    assert!(header.contains("PROBLEM"), "{s}");
    assert!(
        !header.contains("NAMESPACE"),
        "every app deploys into its own name: no NAMESPACE column\n{s}"
    );
    let row = s
        .lines()
        .find(|l| l.contains("payments-api"))
        .expect("payments row");
    // The cause (the ExternalSecret), not Argo CD's symptom.
    assert!(row.contains("ExternalSecret paym"), "{row}");
    assert!(!row.contains("Argo CD:"), "{row}");
    insta::assert_snapshot!(s);
}
