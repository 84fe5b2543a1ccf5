//! Messages get their own lines above the status bar and wrap, so a long
//! one (a read-only refusal, an AWS error) is read whole at 80 and 120
//! columns; without a message the screen keeps its rows for the table.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::state::{Model, Msg, update};
use secretdeck::view::{Theme, view};

fn draw(model: &Model, width: u16, height: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(width, height)).unwrap();
    t.draw(|f| view(model, &Theme::dark(), f)).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

/// The words of the screen's lines, in order (a wrapped text reads whole).
fn words(lines: &[String]) -> String {
    lines
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

const REFUSAL: &str = "read-only: refusing to re-enable auto-sync of Application onthetop-backend \
     (this context is read-only in config.toml; start without --readonly to change it)";

#[test]
fn a_long_message_wraps_whole_at_80_and_120_columns() {
    for width in [80u16, 120] {
        let mut model = Model::new(true, None);
        update(&mut model, Msg::Resize { width, height: 24 });
        model.message = Some(REFUSAL.into());
        update(
            &mut model,
            Msg::CmdFailed(
                "DescribeSecret: cannot reach Secrets Manager: connection refused — check the network/VPN and the endpoint (AWS_ENDPOINT_URL, region)"
                    .into(),
            ),
        );
        let lines = draw(&model, width, 24);
        let all = words(&lines);
        assert!(
            all.contains(REFUSAL),
            "cut off at {width}:\n{}",
            lines.join("\n")
        );
        assert!(
            all.contains("check the network/VPN and the endpoint (AWS_ENDPOINT_URL, region)"),
            "cut off at {width}:\n{}",
            lines.join("\n")
        );
        // The status bar and key hints are still the last two lines.
        let status = &lines[lines.len() - 2];
        assert!(status.contains("READ-ONLY"), "{status}");
        assert!(
            lines[lines.len() - 1].contains("help"),
            "{}",
            lines[lines.len() - 1]
        );
    }
}

#[test]
fn no_message_no_message_line() {
    let mut model = Model::new(false, None);
    update(
        &mut model,
        Msg::Resize {
            width: 80,
            height: 10,
        },
    );
    let before = draw(&model, 80, 10);
    model.message = Some("auto-sync of onthetop-backend re-enabled".into());
    let after = draw(&model, 80, 10);
    assert_eq!(before[..7], after[..7], "the screen above is unchanged");
    assert!(
        after[7].contains("auto-sync of onthetop-backend re-enabled"),
        "{after:?}"
    );
    assert_eq!(
        before[8..],
        after[8..],
        "status and hints stay at the bottom"
    );
}
