//! The progress panel: the newest operation, one line per target
//! (pending / running… / ok / failed / ignored, with the message).

use super::theme::Theme;
use crate::domain::ops::outcome::Outcome;
use crate::state::operations::{ItemState, Operations};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(ops: &Operations, theme: &Theme, frame: &mut Frame, body: Rect) {
    let Some(op) = ops.latest() else { return };
    let height = (op.items.len() as u16 + 2).min(12).min(body.height);
    let area = Rect {
        y: body.y + body.height - height,
        height,
        ..body
    };
    let label_width = op.items.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let lines: Vec<Line> = op
        .items
        .iter()
        .map(|(label, state)| {
            Line::from(vec![
                Span::styled(format!(" {label:<label_width$}  "), theme.dialog),
                Span::styled(state.words(), style(state, theme)),
            ])
        })
        .collect();
    let hint = if op.finished() {
        "done, esc hides"
    } else {
        "running"
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dialog_border)
        .title(format!(" {} ({hint}) ", op.title));
    frame.render_widget(Paragraph::new(lines).style(theme.dialog).block(block), area);
}

fn style(state: &ItemState, theme: &Theme) -> Style {
    match state {
        ItemState::Pending => theme.muted,
        ItemState::Running => theme.highlight,
        ItemState::Done {
            outcome: Outcome::Ok,
            ..
        } => theme.ok,
        ItemState::Done {
            outcome: Outcome::Failed,
            ..
        } => theme.error,
        ItemState::Done {
            outcome: Outcome::Ignored,
            ..
        } => theme.warn,
    }
}
