//! The two status lines: where we are (context, cluster, AWS region and
//! identity), the watches that are not live, READ-ONLY and the last
//! message; then the current screen's key hints (from the key map).

use super::symbols;
use super::theme::Theme;
use crate::state::{Model, WatchKind, WatchState, keymap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const SEP: &str = " │ ";

pub fn render(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if model.readonly {
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
    if let Some(err) = &model.cluster.error {
        spans.push(Span::styled(SEP, theme.muted));
        spans.push(Span::styled(format!("✖ {err}"), theme.error));
    }
    if let Some(err) = &model.data.cmd_error {
        spans.push(Span::styled(SEP, theme.muted));
        spans.push(Span::styled(format!("✖ {err}"), theme.error));
    }
    if let Some(msg) = &model.message {
        spans.push(Span::styled(SEP, theme.muted));
        spans.push(Span::styled(msg.clone(), theme.warn));
    }
    let mut hint_spans = vec![Span::raw(" ")];
    for b in keymap::hints(model.route(), model.readonly) {
        hint_spans.push(Span::styled(b.keys, theme.key_hint));
        let what = b.action.split(" (").next().unwrap_or(b.action);
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
