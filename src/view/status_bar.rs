//! The two status lines: where we are connected and how each watch is
//! doing, then the key hints.

use super::symbols;
use super::theme::Theme;
use crate::state::{Model, WatchKind, WatchState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const SEP: &str = " │ ";

pub fn render(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    match &model.cluster.info {
        Some(info) => {
            let ctx = if info.context.is_empty() {
                "(none)"
            } else {
                info.context.as_str()
            };
            spans.push(Span::styled(format!(" ctx: {ctx}"), theme.text));
            spans.push(Span::styled(SEP, theme.muted));
            spans.push(Span::styled(info.server.clone(), theme.muted));
        }
        None => spans.push(Span::styled(" connecting…", theme.muted)),
    }
    for kind in WatchKind::ALL {
        let state = model.cluster.watch(kind);
        // Besides apps and ExternalSecrets, only the kinds in trouble.
        let primary = matches!(kind, WatchKind::Applications | WatchKind::ExternalSecrets);
        if !primary && matches!(state, WatchState::Live | WatchState::Connecting) {
            continue;
        }
        spans.push(Span::styled(SEP, theme.muted));
        spans.push(Span::styled(
            format!(
                "{}: {} {}",
                kind.label(),
                symbols::watch(&state),
                state.label()
            ),
            theme.watch(&state),
        ));
    }
    if model.readonly {
        spans.push(Span::styled(SEP, theme.muted));
        spans.push(Span::styled("READ-ONLY", theme.readonly));
    }
    if let Some(err) = &model.cluster.error {
        spans.push(Span::styled(SEP, theme.muted));
        spans.push(Span::styled(format!("✖ {err}"), theme.error));
    }
    let hints = [
        ("j/k", "move"),
        ("g/G", "top/bottom"),
        ("^d/^u", "page"),
        ("q", "quit"),
    ];
    let mut hint_spans = vec![Span::raw(" ")];
    for (key, what) in hints {
        hint_spans.push(Span::styled(key, theme.key_hint));
        hint_spans.push(Span::styled(format!(" {what}  "), theme.muted));
    }
    let text = vec![Line::from(spans), Line::from(hint_spans)];
    frame.render_widget(Paragraph::new(text).style(theme.status_bar), area);
}
