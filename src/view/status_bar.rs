//! The two status lines: where we are (context, cluster, AWS region and
//! identity), the watches that are not live and READ-ONLY; then the current
//! screen's key hints (from the key map). Above them, only while there is
//! one, the message lines: the cluster's error, a failed command and the
//! last message, each wrapped to the width so none is cut off.

use super::symbols;
use super::theme::Theme;
use crate::state::{Model, WatchKind, WatchState, keymap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

const SEP: &str = " │ ";

pub fn render(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if model.is_readonly() {
        spans.push(Span::styled(" READ-ONLY", theme.readonly));
    }
    // CONFIG part: a paused auto-sync stays visible.
    super::config_edit::reminder(model, theme, &mut spans);
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
    if let Some(ns) = &model.namespace {
        spans.push(Span::styled(SEP, theme.muted));
        spans.push(Span::styled(format!("ns: {ns}"), theme.text));
    }
    // Watch trouble first: it must not be cut off on a narrow terminal.
    watches(model, theme, &mut spans);
    if let Some(age) = crate::state::cluster::data_age_text(&model.cluster, &model.data) {
        spans.push(Span::styled(SEP, theme.muted));
        spans.push(Span::styled(age, theme.warn));
    }
    aws(model, theme, &mut spans);
    let mut hint_spans = vec![Span::raw(" ")];
    for b in keymap::hints(model.route(), model.is_readonly()) {
        hint_spans.push(Span::styled(b.label, theme.key_hint));
        let what = b.what.split(" (").next().unwrap_or(b.what);
        hint_spans.push(Span::styled(format!(" {what}  "), theme.muted));
    }
    let text = vec![Line::from(spans), Line::from(hint_spans)];
    frame.render_widget(Paragraph::new(text).style(theme.status_bar), area);
}

fn aws<'a>(model: &'a Model, theme: &Theme, spans: &mut Vec<Span<'a>>) {
    let region = model.es_detail.as_ref().and_then(|s| s.region());
    match (&model.data.aws_identity, region) {
        (None, None) => {}
        (identity, region) => {
            spans.push(Span::styled(SEP, theme.muted));
            let mut text = String::from("aws:");
            if let Some(r) = region {
                text.push_str(&format!(" {r}"));
            }
            match identity {
                Some(Ok(id)) => text.push_str(&format!(" {}", id.arn)),
                Some(Err(e)) => text.push_str(&format!(" ✖ {e}")),
                None => {}
            }
            let style = if matches!(identity, Some(Err(_))) {
                theme.error
            } else {
                theme.text
            };
            spans.push(Span::styled(text, style));
        }
    }
}

/// Only the watches that are not live are spelled out, grouped by state
/// (`secrets: forbidden`, `connecting: cm, pods`).
fn watches(model: &Model, theme: &Theme, spans: &mut Vec<Span<'_>>) {
    let mut groups: Vec<(WatchState, Vec<&str>)> = Vec::new();
    for kind in WatchKind::ALL {
        let state = model.cluster.watch(kind);
        if state == WatchState::Live {
            continue;
        }
        match groups.iter_mut().find(|(s, _)| s.label() == state.label()) {
            Some((_, kinds)) => kinds.push(kind.label()),
            None => groups.push((state, vec![kind.label()])),
        }
    }
    if groups.is_empty() {
        spans.push(Span::styled(SEP, theme.muted));
        let state = WatchState::Live;
        spans.push(Span::styled(
            format!("watches: {} live", symbols::watch(&state)),
            theme.watch(&state),
        ));
    }
    for (state, kinds) in groups {
        spans.push(Span::styled(SEP, theme.muted));
        let text = if kinds.len() == 1 {
            format!("{}: {} {}", kinds[0], symbols::watch(&state), state.label())
        } else {
            format!(
                "{} {}: {}",
                symbols::watch(&state),
                state.label(),
                kinds.join(" ")
            )
        };
        spans.push(Span::styled(text, theme.watch(&state)));
    }
}

/// At most this many message lines; a longer text ends with `…`.
pub const MAX_MESSAGE_LINES: usize = 6;

/// One wrapped message line: its text and whether it is an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageLine {
    pub text: String,
    pub error: bool,
}

/// The messages, wrapped to `width` columns (none when there is none).
pub fn message_lines(model: &Model, width: u16) -> Vec<MessageLine> {
    let mut texts = Vec::new();
    if let Some(err) = &model.cluster.error {
        texts.push((format!("✖ {err}"), true));
    }
    if let Some(err) = &model.data.cmd_error {
        texts.push((format!("✖ {err}"), true));
    }
    if let Some(msg) = &model.message {
        texts.push((msg.clone(), false));
    }
    let width = usize::from(width.saturating_sub(2)).max(10);
    let mut lines = Vec::new();
    for (text, error) in texts {
        for part in text.lines() {
            for l in wrap(part, width) {
                lines.push(MessageLine { text: l, error });
            }
        }
    }
    if lines.len() > MAX_MESSAGE_LINES {
        lines.truncate(MAX_MESSAGE_LINES);
        if let Some(last) = lines.last_mut() {
            while last.text.width() + 1 > width {
                last.text.pop();
            }
            last.text.push('…');
        }
    }
    lines
}

/// Draw the message lines (from `message_lines`) in `area`.
pub fn render_messages(lines: &[MessageLine], theme: &Theme, frame: &mut Frame, area: Rect) {
    let text: Vec<Line> = lines
        .iter()
        .map(|l| {
            let style = if l.error { theme.error } else { theme.warn };
            Line::from(Span::styled(format!(" {}", l.text), style))
        })
        .collect();
    frame.render_widget(Paragraph::new(text).style(theme.status_bar), area);
}

/// Greedy word wrap by display width; a word longer than the width is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let sep = usize::from(!line.is_empty());
        if !line.is_empty() && line.width() + sep + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for c in word.chars() {
            if line.width() + c.to_string().width() > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn wraps_on_words_and_cuts_only_overlong_words() {
        let text = "auto-sync of onthetop-backend re-enabled after the edit";
        let lines = wrap(text, 20);
        assert_eq!(lines.join(" "), text, "no word is lost");
        assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
    }
}
