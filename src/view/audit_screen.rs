//! The `:audit` screen over the body: time, user, context, action, target,
//! outcome and error of each record, newest first.

use super::theme::Theme;
use crate::state::audit_screen::{AuditScreen, AuditState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(screen: &AuditScreen, theme: &Theme, frame: &mut Frame, body: Rect) {
    frame.render_widget(Clear, body);
    let visible = usize::from(body.height.saturating_sub(3));
    let mut lines = vec![Line::styled(
        format!(
            " {:<24} {:<10} {:<16} {:<13} {:<8} {}",
            "TIME", "USER", "CONTEXT", "ACTION", "OUTCOME", "TARGET / ERROR"
        ),
        theme.header,
    )];
    match &screen.state {
        AuditState::Loading => lines.push(Line::styled(" reading the audit log…", theme.muted)),
        AuditState::Failed(e) => lines.push(Line::styled(format!(" ✖ {e}"), theme.error)),
        AuditState::Loaded(rows) if rows.is_empty() => {
            lines.push(Line::styled(" no audit records yet", theme.muted));
        }
        AuditState::Loaded(rows) => {
            for r in rows.iter().skip(screen.scroll).take(visible) {
                let outcome_style = match r.outcome.as_str() {
                    "ok" => theme.ok,
                    "ignored" => theme.warn,
                    _ => theme.error,
                };
                let mut spans = vec![
                    Span::styled(
                        format!(
                            " {:<24} {:<10} {:<16} {:<13} ",
                            clip(&r.time, 24),
                            clip(&r.os_user, 10),
                            clip(&r.kube_context, 16),
                            clip(&r.action, 13)
                        ),
                        theme.text,
                    ),
                    Span::styled(format!("{:<8} ", clip(&r.outcome, 8)), outcome_style),
                    Span::styled(r.target.clone(), theme.text),
                ];
                if let Some(e) = &r.error {
                    spans.push(Span::styled(format!("  {e}"), theme.error));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dialog_border)
        .title(format!(
            " audit log, newest first ({}) — j/k scroll, esc closes ",
            screen.rows().len()
        ));
    frame.render_widget(Paragraph::new(lines).style(theme.dialog).block(block), body);
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
