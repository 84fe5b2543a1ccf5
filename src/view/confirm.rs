//! The confirmation dialog, centred over the body.

use super::theme::Theme;
use crate::state::confirm::Confirm;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn render(c: &Confirm, theme: &Theme, frame: &mut Frame, body: Rect) {
    let mut lines = vec![Line::from(vec![
        Span::styled(" context: ", theme.muted),
        Span::styled(c.context.clone(), theme.highlight),
    ])];
    if let Some(aws) = &c.aws {
        lines.push(Line::from(vec![
            Span::styled(" aws: ", theme.muted),
            Span::styled(aws.clone(), theme.highlight),
        ]));
    }
    lines.push(Line::raw(""));
    for change in &c.changes {
        lines.push(Line::styled(format!(" • {change}"), theme.dialog));
    }
    if !c.notes.is_empty() {
        lines.push(Line::raw(""));
        for note in &c.notes {
            lines.push(Line::styled(format!(" ! {note}"), theme.warn));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(" y/enter", theme.key_hint),
        Span::styled(" proceed   ", theme.dialog),
        Span::styled("n/esc", theme.key_hint),
        Span::styled(" cancel", theme.dialog),
    ]));
    let widest = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
    let title = c.title.chars().count() as u16 + 4;
    let width = (widest.max(title) + 3).clamp(40, 140).min(body.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let height = (rows as u16 + 2).min(body.height);
    let area = Rect {
        x: body.x + (body.width - width) / 2,
        y: body.y + (body.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dialog_border)
        .title(format!(" {} ", c.title));
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.dialog)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}
