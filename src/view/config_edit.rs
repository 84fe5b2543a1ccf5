//! The ConfigMap editor dialog (pick, type, diff, confirm, 409, outcome)
//! and the status bar's reminder of a paused auto-sync.

use super::theme::Theme;
use crate::domain::gitops::GitOps;
use crate::state::Model;
use crate::state::config_edit::{ConfigEditor, Mode, Stage, context};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// The reminder spans: `AUTO-SYNC PAUSED: app (U re-enables)`.
pub fn reminder<'a>(model: &Model, theme: &Theme, spans: &mut Vec<Span<'a>>) {
    if model.config.paused.is_empty() {
        return;
    }
    let apps: Vec<&str> = model.config.paused.iter().map(|p| p.app.as_str()).collect();
    spans.push(Span::styled(
        format!(" AUTO-SYNC PAUSED: {} (U re-enables)", apps.join(", ")),
        theme.warn,
    ));
}

fn keys<'a>(theme: &Theme, pairs: &[(&'a str, &'a str)]) -> Line<'a> {
    let mut spans = Vec::new();
    for (k, what) in pairs {
        spans.push(Span::styled(format!(" {k}"), theme.key_hint));
        spans.push(Span::styled(format!(" {what} "), theme.muted));
    }
    Line::from(spans)
}

fn diff_lines<'a>(diff: &'a str, theme: &Theme) -> Vec<Line<'a>> {
    diff.lines()
        .map(|l| {
            let style: Style =
                if l.starts_with("+++") || l.starts_with("---") || l.starts_with("@@") {
                    theme.muted
                } else if l.starts_with('+') {
                    theme.ok
                } else if l.starts_with('-') {
                    theme.error
                } else {
                    theme.dialog
                };
            Line::styled(format!(" {l}"), style)
        })
        .collect()
}

/// The warning, its reason on a line of its own.
fn gitops_lines<'a>(g: &GitOps, theme: &Theme) -> Vec<Line<'a>> {
    let text = g.live_warning();
    match text.split_once(": ") {
        Some((who, what)) => vec![
            Line::styled(format!(" ⚠ {who}:"), theme.warn),
            Line::styled(format!("   {what}"), theme.warn),
        ],
        None => vec![Line::styled(format!(" ⚠ {text}"), theme.warn)],
    }
}

fn body<'a>(ed: &'a ConfigEditor, ctx: &str, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    match &ed.stage {
        Stage::PickKey { selected } => {
            let what = if ed.mode == Mode::Remove {
                "remove"
            } else {
                "edit"
            };
            lines.push(Line::styled(
                format!(" pick the key to {what}:"),
                theme.header,
            ));
            for (i, (k, v)) in ed.base.data.iter().enumerate() {
                let style = if i == *selected {
                    theme.selected
                } else {
                    theme.dialog
                };
                let first = v.lines().next().unwrap_or("");
                lines.push(Line::styled(format!(" {k} = {first}"), style));
            }
            lines.push(keys(
                theme,
                &[("j/k", "move"), ("enter", "pick"), ("esc", "cancel")],
            ));
        }
        Stage::KeyName { input } => {
            lines.push(Line::styled(
                " new key name ([-._a-zA-Z0-9], at most 253):",
                theme.header,
            ));
            lines.push(Line::styled(format!(" {input}▏"), theme.dialog));
            lines.push(keys(theme, &[("enter", "next"), ("esc", "cancel")]));
        }
        Stage::Value { key, input } => {
            lines.push(Line::styled(format!(" new value of {key}:"), theme.header));
            lines.push(Line::styled(format!(" {input}▏"), theme.dialog));
            lines.push(keys(
                theme,
                &[
                    ("enter", "review the diff"),
                    ("^u", "clear"),
                    ("esc", "cancel"),
                ],
            ));
        }
        Stage::Review { diff, second, .. } => {
            lines.extend(diff_lines(diff, theme));
            lines.push(Line::raw(""));
            lines.push(Line::styled(format!(" kube context: {ctx}"), theme.header));
            if let Some(g) = &ed.gitops {
                lines.extend(gitops_lines(g, theme));
            }
            let reverts = ed.gitops.as_ref().is_some_and(GitOps::reverts);
            if reverts && *second {
                lines.push(Line::styled(
                    format!(" Apply live anyway on context {ctx}? Argo CD will revert it."),
                    theme.warn,
                ));
                lines.push(keys(
                    theme,
                    &[("y", "apply live anyway"), ("esc", "cancel")],
                ));
            } else if reverts {
                lines.push(keys(
                    theme,
                    &[
                        ("g", "edit Git instead"),
                        ("l", "apply live anyway"),
                        ("p", "pause auto-sync, then apply"),
                        ("esc", "cancel"),
                    ],
                ));
            } else if ed.gitops.is_some() {
                lines.push(keys(
                    theme,
                    &[("y", "apply"), ("g", "edit Git instead"), ("esc", "cancel")],
                ));
            } else {
                lines.push(keys(theme, &[("y", "apply"), ("esc", "cancel")]));
            }
        }
        Stage::Working(what) => lines.push(Line::styled(format!(" {what}"), theme.muted)),
        Stage::Conflict { edit, theirs } => {
            lines.push(Line::styled(
                format!(
                    " 409 Conflict: {} changed since the edit started (resourceVersion {} → {}). Nothing was overwritten.",
                    ed.base.target(),
                    ed.base.resource_version,
                    theirs.resource_version
                ),
                theme.error,
            ));
            let show = |v: Option<&str>| v.map_or("(absent)".to_string(), str::to_string);
            let k = &edit.key;
            lines.push(Line::styled(
                format!(
                    " theirs: {k} = {}",
                    show(theirs.data.get(k).map(String::as_str))
                ),
                theme.warn,
            ));
            lines.push(Line::styled(
                format!(" yours:  {k} = {}", show(edit.value())),
                theme.ok,
            ));
            lines.push(keys(
                theme,
                &[
                    ("r", "reload theirs and review yours again"),
                    ("esc", "cancel"),
                ],
            ));
        }
        Stage::Done { summary } => {
            for l in summary.lines() {
                lines.push(Line::styled(format!(" {l}"), theme.dialog));
            }
            if !ed.stale.is_empty() {
                lines.push(Line::styled(
                    " these keep the old value until restarted:",
                    theme.warn,
                ));
                for (w, why) in &ed.stale {
                    lines.push(Line::styled(
                        format!("   {} {}/{} ({why})", w.kind, w.namespace, w.name),
                        theme.dialog,
                    ));
                }
                lines.push(keys(theme, &[("r", "restart them"), ("esc", "close")]));
            } else {
                lines.push(keys(theme, &[("esc", "close")]));
            }
        }
    }
    if let Some(e) = &ed.error {
        lines.push(Line::styled(format!(" ✖ {e}"), theme.error));
    }
    lines
}

/// The dialog, over the screen's body (the model gives the kube context).
pub fn render(model: &Model, ed: &ConfigEditor, theme: &Theme, frame: &mut Frame, area: Rect) {
    let ctx = context(model);
    let lines = body(ed, &ctx, theme);
    let width = 120.min(area.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let verb = match ed.mode {
        Mode::Edit => "edit",
        Mode::Add => "add a key to",
        Mode::Remove => "remove a key of",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dialog_border)
        .title(format!(" {verb} {} on context {ctx} ", ed.base.target()));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.dialog)
            .wrap(Wrap { trim: false })
            .block(block),
        rect,
    );
}
