//! The rotation screen: the steps with their state, and the current
//! phase's panel (pick, key, masked input, confirmation). Values are never
//! drawn, except the typed one while `ctrl-r` shows it.

use super::theme::Theme;
use crate::domain::rotation::StepState;
use crate::domain::rotation::WHOLE_LABEL;
use crate::state::Model;
use crate::state::rotation::{Mode, Phase, RotationScreen};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// The rotation screen `s` over the body (the model gives the AWS identity
/// and the apps' rows).
pub fn render(model: &Model, s: &RotationScreen, theme: &Theme, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let title = match &s.mode {
        Mode::Rotate => format!(" rotate {} ", s.plan.aws_secret),
        Mode::Rollback => format!(" roll back {} ", s.plan.aws_secret),
        Mode::Resume(_) => format!(" unfinished rotation of {} ", s.plan.aws_secret),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dialog_border)
        .title(title);
    let mut lines = Vec::new();
    for (step, state) in &s.steps {
        let (mark, text, style) = match state {
            StepState::Pending => ("·", "pending".to_string(), theme.muted),
            StepState::Running(t) => ("…", format!("running: {t}"), theme.warn),
            StepState::Done(t) => ("✓", format!("done: {t}"), theme.ok),
            StepState::Failed(t) => ("✗", format!("failed: {t}"), theme.error),
            StepState::Skipped(t) => ("-", format!("skipped: {t}"), theme.muted),
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} {:<8}", step.label()), style),
            Span::styled(text, style),
        ]));
    }
    health_line(model, s, theme, &mut lines);
    lines.push(Line::raw(""));
    phase_lines(model, s, theme, &mut lines);
    if let Some(e) = &s.error {
        lines.push(Line::styled(format!(" {e}"), theme.error));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.dialog)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn hint(theme: &Theme, text: &str) -> Line<'static> {
    Line::styled(format!(" {text}"), theme.key_hint)
}

fn phase_lines(model: &Model, s: &RotationScreen, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    match &s.phase {
        Phase::Pick(names) => {
            lines.push(Line::raw(
                " The ExternalSecret reads several AWS secrets; pick one:",
            ));
            for (i, n) in names.iter().enumerate() {
                let style = if i == s.cursor {
                    theme.selected
                } else {
                    theme.dialog
                };
                lines.push(Line::styled(format!("   {n}"), style));
            }
            lines.push(hint(theme, "j/k move · enter pick · esc cancel"));
        }
        Phase::Loading => lines.push(Line::raw(" Reading the current value (AWSCURRENT)…")),
        Phase::ChooseKey => {
            lines.push(Line::raw(format!(
                " Format: {}. What changes?",
                s.format.label()
            )));
            for (i, k) in s.choices.iter().enumerate() {
                let style = if i == s.cursor {
                    theme.selected
                } else {
                    theme.dialog
                };
                let label = if i == 0 { WHOLE_LABEL } else { k.as_str() };
                lines.push(Line::styled(format!("   {label}"), style));
            }
            lines.push(hint(theme, "j/k move · enter choose · esc cancel"));
        }
        Phase::Input => {
            let shown = if s.show {
                s.input.expose().to_string()
            } else {
                "•".repeat(s.input.len())
            };
            lines.push(Line::raw(format!(" New value for {}:", s.edit.label())));
            lines.push(Line::from(vec![
                Span::raw(" > "),
                Span::styled(shown, theme.masked),
                Span::raw("▏"),
            ]));
            lines.push(Line::raw(format!(
                " {} characters · generate: {} of {}",
                s.input.len(),
                s.gen_len,
                s.charset.label()
            )));
            lines.push(hint(theme, "type or paste · ctrl-r show/hide · ctrl-g generate · ↑/↓ length · ctrl-t charset · ctrl-u clear · enter validate · esc cancel"));
        }
        Phase::Confirm => confirm_lines(model, s, theme, lines),
        Phase::Running => lines.push(Line::raw(" Working… (the steps above show the progress)")),
        Phase::Finished { ok: true } => lines.push(hint(theme, "finished · enter close")),
        Phase::Finished { ok: false } => {
            let b = if s.mode == Mode::Rotate && crate::state::rotation::written(s) {
                "r retry · b roll back · "
            } else {
                ""
            };
            lines.push(Line::styled(
                " A step failed: nothing further was done.",
                theme.error,
            ));
            lines.push(hint(
                theme,
                &format!(
                    "{b}enter close (an unfinished rotation is offered again at the next start)"
                ),
            ));
        }
    }
}

fn confirm_lines(model: &Model, s: &RotationScreen, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let context = model
        .cluster
        .info
        .as_ref()
        .map(|i| i.context.clone())
        .unwrap_or_else(|| "?".into());
    let account = match &model.data.aws_identity {
        Some(Ok(id)) => id.account.clone(),
        _ => "unknown".into(),
    };
    let p = &s.plan;
    lines.push(Line::styled(
        format!(
            " kube context: {context}   AWS account: {account}   region: {}",
            p.region.as_deref().unwrap_or("default")
        ),
        theme.warn,
    ));
    match &s.mode {
        Mode::Rotate => {
            lines.push(Line::raw(format!(
                " secret: {}   {}",
                p.aws_secret,
                s.edit.label()
            )));
            lines.push(Line::raw(format!(
                " value changes (length {} → {})",
                s.lens.0, s.lens.1
            )));
        }
        Mode::Rollback => lines.push(Line::raw(match s.rollback_journal.as_deref() {
            Some(j) => format!(
                " secret: {}: AWSCURRENT moves back from version {} to {} (the unfinished rotation's previous value)",
                p.aws_secret,
                j.token,
                j.old_version.as_deref().unwrap_or("the AWSPREVIOUS version")
            ),
            None => format!(
                " secret: {}: AWSCURRENT moves back to the AWSPREVIOUS version",
                p.aws_secret
            ),
        })),
        Mode::Resume(j) => lines.push(Line::raw(format!(
            " started {} by this console ({}), reached: {:?}; version {} → {}",
            j.started,
            j.edit,
            j.reached,
            j.old_version.as_deref().unwrap_or("?"),
            j.token
        ))),
    }
    for r in &p.readers {
        lines.push(Line::raw(format!(
            "   read by ExternalSecret {}/{} (app {}) → Secret {}",
            r.namespace,
            r.name,
            r.app.as_deref().unwrap_or("-"),
            r.target
        )));
    }
    let resume = matches!(s.mode, Mode::Resume(_));
    for (i, w) in p.restarts.iter().enumerate() {
        let on = s.restart && !s.skip.get(i).copied().unwrap_or(false);
        let mark = match (resume, on) {
            (true, _) => "",
            (false, true) => "[x] ",
            (false, false) => "[ ] ",
        };
        let style = if !resume && i == s.cursor {
            theme.selected
        } else {
            theme.dialog
        };
        lines.push(Line::styled(
            format!("   {mark}needs a restart: {} ({})", w.label(), w.why),
            style,
        ));
    }
    if !resume {
        lines.push(Line::raw(format!(
            " restart after the sync: {}",
            if s.restart {
                "the workloads marked [x]"
            } else {
                "none"
            }
        )));
    }
    let keys = match &s.mode {
        Mode::Rotate | Mode::Rollback => {
            "enter/y run · j/k space: restart this workload or not · a: restart none/all · esc cancel"
        }
        Mode::Resume(_) => "r resume · b roll back · esc later",
    };
    lines.push(hint(theme, keys));
}

/// Argo CD health of the apps whose ExternalSecrets read the secret, live.
fn health_line(model: &Model, s: &RotationScreen, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let mut spans = vec![Span::styled(" Argo CD health: ", theme.muted)];
    let mut any = false;
    for app in s.plan.readers.iter().filter_map(|r| r.app.as_deref()) {
        if let Some(v) = model.apps.table.all().iter().find(|a| a.name == app) {
            if any {
                spans.push(Span::raw(", "));
            }
            any = true;
            spans.push(Span::raw(format!("{app} ")));
            spans.push(Span::styled(v.health.as_str(), theme.health(v.health)));
        }
    }
    if any {
        lines.push(Line::from(spans));
    }
}
