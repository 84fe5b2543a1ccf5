//! The apps screen: title line and the table of Argo CD Applications.

use super::symbols;
use super::theme::Theme;
use crate::domain::AppRow;
use crate::state::{Model, WatchKind, WatchState};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn render_title(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = vec![
        Span::styled(" secretdeck ", theme.title),
        Span::styled(
            format!(" Applications ({})", model.apps.rows.len()),
            theme.text,
        ),
    ];
    if let Some(ns) = &model.namespace {
        spans.push(Span::styled(format!("  namespace: {ns}"), theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn render(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let header =
        Row::new(["", "APP", "NAMESPACE", "SYNC", "HEALTH", "SECRETS"]).style(theme.header);
    let widths = [
        Constraint::Length(1),
        Constraint::Fill(3),
        Constraint::Fill(2),
        Constraint::Length(11),
        Constraint::Length(13),
        Constraint::Length(9),
    ];
    let page = usize::from(area.height.saturating_sub(1));
    let rows = &model.apps.rows;
    if rows.is_empty() {
        let table = Table::new(Vec::<Row>::new(), widths).header(header);
        frame.render_widget(table, area);
        if area.height > 2 {
            let msg_area = Rect {
                y: area.y + 2,
                height: 1,
                ..area
            };
            let (text, style) = empty_message(model, theme);
            frame.render_widget(
                Paragraph::new(Line::styled(format!("  {text}"), style)),
                msg_area,
            );
        }
        return;
    }
    let offset = visible_offset(model.apps.offset, model.apps.selected, page, rows.len());
    let end = (offset + page).min(rows.len());
    let visible = rows[offset..end].iter().enumerate().map(|(i, row)| {
        let selected = offset + i == model.apps.selected;
        app_row(row, selected, theme)
    });
    let table = Table::new(visible, widths).header(header).column_spacing(1);
    frame.render_widget(table, area);
}

/// The first visible row: the model's offset, corrected so the selection is
/// on screen even when the real table height differs from the model's guess.
fn visible_offset(offset: usize, selected: usize, page: usize, len: usize) -> usize {
    let page = page.max(1);
    let mut offset = offset;
    if selected < offset {
        offset = selected;
    } else if selected >= offset + page {
        offset = selected + 1 - page;
    }
    offset.min(len.saturating_sub(page))
}

fn app_row<'a>(row: &'a AppRow, selected: bool, theme: &Theme) -> Row<'a> {
    let marker = if selected { symbols::SELECTED } else { "" };
    let secrets_style = if row.secrets_ok() {
        theme.ok
    } else {
        theme.error
    };
    let secrets_icon = match (row.es_total, row.secrets_ok()) {
        (0, _) => "–",
        (_, true) => "✔",
        (_, false) => "✖",
    };
    let cells = vec![
        Cell::from(marker),
        Cell::from(row.name.as_str()),
        Cell::from(row.dest_namespace.as_str()),
        Cell::from(format!("{} {}", symbols::sync(row.sync), row.sync.as_str()))
            .style(theme.sync(row.sync)),
        Cell::from(format!(
            "{} {}",
            symbols::health(row.health),
            row.health.as_str()
        ))
        .style(theme.health(row.health)),
        Cell::from(format!(
            "{}/{} {}",
            row.es_ready, row.es_total, secrets_icon
        ))
        .style(if row.es_total == 0 {
            theme.muted
        } else {
            secrets_style
        }),
    ];
    let style = if selected { theme.selected } else { theme.text };
    Row::new(cells).style(style)
}

fn empty_message(model: &Model, theme: &Theme) -> (String, ratatui::style::Style) {
    if let Some(err) = &model.cluster.error {
        return (format!("Cannot reach the cluster: {err}"), theme.error);
    }
    match model.cluster.watch(WatchKind::Applications) {
        WatchState::Connecting => ("Loading Argo CD Applications…".into(), theme.muted),
        WatchState::NotInstalled => (
            "Argo CD is not installed on this cluster (argoproj.io is not served)".into(),
            theme.warn,
        ),
        WatchState::Forbidden => (
            "No permission to list Argo CD Applications".into(),
            theme.error,
        ),
        WatchState::Reconnecting(reason) => (format!("Reconnecting: {reason}"), theme.warn),
        WatchState::Live => match &model.namespace {
            Some(ns) => (
                format!("No Argo CD Applications deploy into namespace {ns}"),
                theme.muted,
            ),
            None => ("No Argo CD Applications".into(), theme.muted),
        },
    }
}
