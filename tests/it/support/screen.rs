//! Reading a console session's screen: its text, a table row, and
//! waiting until it shows something.

use std::time::Duration;

/// The text of a TestBackend screen, one line per row.
pub fn screen(session: &secretdeck::console::Session<ratatui::backend::TestBackend>) -> String {
    let buf = session.terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen line of a table row whose cells include `name`.
pub fn row<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == name))
}

/// Let the backend's messages in until the drawn screen satisfies `cond`;
/// fail with `what` and the last screen after 40 s.
pub async fn until_screen(
    session: &mut secretdeck::console::Session<ratatui::backend::TestBackend>,
    what: &str,
    cond: impl Fn(&str) -> bool,
) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        let _ = session
            .wait_for(Duration::from_millis(200), |_| false)
            .await;
        let s = screen(session);
        if cond(&s) {
            return s;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never saw {what}:\n{s}"
        );
    }
}
