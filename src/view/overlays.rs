//! Boxes drawn over the screen: the `:` palette and the `?` help.

use super::theme::Theme;
use crate::state::keymap;
use crate::state::palette::COMMANDS;
use crate::state::{Model, Palette};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The palette: a one-line input box at the top of the body, the
/// completion greyed after the cursor, matching commands listed after.
pub fn palette(p: &Palette, theme: &Theme, frame: &mut Frame, body: Rect) {
    let area = Rect {
        height: 3.min(body.height),
        ..body
    };
    frame.render_widget(Clear, area);
    let mut spans = vec![
        Span::styled(":", theme.key_hint),
        Span::styled(p.input.clone(), theme.dialog),
        Span::styled("▏", theme.dialog),
    ];
    if let Some(rest) = p.completion() {
        spans.push(Span::styled(rest, theme.muted));
    }
    let suggestions = p.suggestions();
    if !suggestions.is_empty() {
        spans.push(Span::styled(
            format!("   {}", suggestions.join(" ")),
            theme.muted,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dialog_border)
        .title(" command (tab completes, enter runs, esc closes) ");
    frame.render_widget(
        Paragraph::new(Line::from(spans))
            .style(theme.dialog)
            .block(block),
        area,
    );
}

/// The help: the current screen's keys, from the key map.
pub fn help(model: &Model, theme: &Theme, frame: &mut Frame, body: Rect) {
    let bindings = keymap::for_route(model.route(), model.is_readonly());
    let mut lines: Vec<Line> = bindings
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!(" {:<20}", b.label), theme.key_hint),
                Span::styled(b.what, theme.dialog),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(" Commands", theme.header));
    for c in COMMANDS {
        lines.push(Line::from(vec![
            Span::styled(format!(" :{:<19}", c.name), theme.key_hint),
            Span::styled(c.what, theme.dialog),
        ]));
    }
    let width = 76.min(body.width);
    let height = (lines.len() as u16 + 2).min(body.height);
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
        .title(format!(
            " help: {} (esc closes) ",
            model.nav.current().crumb()
        ));
    frame.render_widget(Paragraph::new(lines).style(theme.dialog).block(block), area);
}
