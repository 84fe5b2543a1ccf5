//! The apps (home) screen: one row per Argo CD Application, worst first;
//! without Argo CD, the ExternalSecrets by namespace.

use super::format::{age, clip, severity_icon};
use super::lists;
use super::symbols;
use super::table::Cell;
use super::table::{self, col};
use super::theme::Theme;
use crate::domain::views::AppView;
use crate::state::cluster::{APP_KINDS, stale_marker};
use crate::state::{Model, WatchKind, WatchState};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn render(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    render_rows(model, theme, frame, area);
    // An app is stale when any kind it is joined from is not live.
    if let Some(marker) = stale_marker(&model.cluster, &model.data, &APP_KINDS) {
        let mut rows = area;
        if model.without_argo() {
            // Below the one-line message.
            rows.y += 1;
            rows.height = rows.height.saturating_sub(1);
        }
        table::mark_stale(frame, rows, &marker, theme);
    }
}

fn render_rows(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    if model.without_argo() {
        let [msg, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let text = match model.cluster.watch(WatchKind::Applications) {
            WatchState::Forbidden => "No permission to list Argo CD Applications",
            _ => "Argo CD is not installed on this cluster (argoproj.io is not served)",
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(" {text} — ExternalSecrets by namespace:"),
                theme.warn,
            )),
            msg,
        );
        lists::render_es_table(model, theme, frame, rest, &model.apps.without_argo);
        return;
    }
    // Widths from the visible rows only.
    let t = &model.apps.table;
    let page = usize::from(area.height.saturating_sub(1));
    let widest = |f: &dyn Fn(&AppView) -> usize, min: usize| {
        let w = t
            .window(t.offset, page)
            .map(|(_, r, _)| f(r))
            .max()
            .unwrap_or(0);
        Constraint::Length(w.clamp(min, 40) as u16)
    };
    // PROBLEM — the cause — stays readable: no NAMESPACE when every visible
    // app deploys into its own name (at any width: it would only repeat
    // APP); narrow terminals (80 columns) also drop CM and REFRESH, show
    // SYNC and HEALTH as icons and SECRETS without the reason (PROBLEM says
    // it).
    let narrow = area.width < NARROW;
    let ns_is_name = t
        .window(t.offset, page)
        .all(|(_, r, _)| r.dest_namespace == r.name || r.dest_namespace.is_empty());
    let shown = Shown {
        namespace: !ns_is_name,
        cm_refresh: !narrow,
    };
    let secrets_width = |r: &AppView| {
        6 + r
            .es_worst_reason
            .as_ref()
            .filter(|_| !narrow)
            .map_or(0, |s| s.chars().count() + 1)
    };
    let all = [
        col("APP", widest(&|r| r.name.chars().count(), 3)),
        col(
            "NAMESPACE",
            widest(&|r| r.dest_namespace.chars().count(), 9),
        ),
        col("SYNC", Constraint::Length(if narrow { 4 } else { 11 })),
        col("HEALTH", Constraint::Length(if narrow { 6 } else { 13 })),
        col("SECRETS", widest(&secrets_width, 7)),
        col("CM", Constraint::Length(3)),
        col("STALE", Constraint::Length(5)),
        col("REFRESH", Constraint::Length(7)),
        col("PROBLEM", Constraint::Fill(1)),
    ];
    let columns: Vec<_> = all
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shown.keeps(*i))
        .map(|(_, c)| c)
        .collect();
    let now = model.now();
    table::render(
        frame,
        area,
        theme,
        &model.apps.table,
        table::Spec {
            columns: &columns,
            name_col: 0,
            empty: empty_message(model, theme),
        },
        |row| {
            app_cells(row, now, theme, !narrow)
                .into_iter()
                .enumerate()
                .filter(|(i, _)| shown.keeps(*i))
                .map(|(_, c)| c)
                .collect()
        },
    );
}

/// Below this width the table drops columns to keep PROBLEM.
const NARROW: u16 = 100;

/// Which optional columns are drawn.
#[derive(Clone, Copy)]
struct Shown {
    namespace: bool,
    cm_refresh: bool,
}

impl Shown {
    /// Whether column `i` (APP, NAMESPACE, SYNC, HEALTH, SECRETS, CM,
    /// STALE, REFRESH, PROBLEM) is drawn.
    fn keeps(self, i: usize) -> bool {
        match i {
            1 => self.namespace,
            5 | 7 => self.cm_refresh,
            _ => true,
        }
    }
}

fn app_cells<'a>(
    row: &'a AppView,
    now: Option<chrono::DateTime<chrono::Utc>>,
    theme: &Theme,
    wide: bool,
) -> Vec<Cell<'a>> {
    // Narrow: the icons alone (their colours carry the state).
    let word = |w: &str| if wide { format!(" {w}") } else { String::new() };
    let secrets = if row.es_total == 0 {
        Cell::from("–").style(theme.muted)
    } else {
        let ok = row.es_ready == row.es_total;
        let mut text = format!(
            "{}/{} {}",
            row.es_ready,
            row.es_total,
            if ok { "✔" } else { "✖" }
        );
        if let Some(reason) = row.es_worst_reason.as_ref().filter(|_| wide) {
            text.push(' ');
            text.push_str(reason);
        }
        Cell::from(text).style(if ok { theme.ok } else { theme.error })
    };
    let stale = if row.stale_pods == 0 {
        Cell::from("0").style(theme.muted)
    } else {
        Cell::from(format!("{} ⚠", row.stale_pods)).style(theme.warn)
    };
    let problem = match row.problems.first() {
        Some(p) => Cell::from(format!("{} {}", severity_icon(row.severity), clip(p, 80)))
            .style(theme.severity(row.severity)),
        None => Cell::from("").style(theme.muted),
    };
    vec![
        Cell::from(""),
        Cell::from(row.dest_namespace.as_str()),
        Cell::from(format!(
            "{}{}",
            symbols::sync(row.sync),
            word(row.sync.as_str())
        ))
        .style(theme.sync(row.sync)),
        Cell::from(format!(
            "{}{}",
            symbols::health(row.health),
            word(row.health.as_str())
        ))
        .style(theme.health(row.health)),
        secrets,
        Cell::from(row.config_maps.to_string()),
        stale,
        Cell::from(age(now, row.last_refresh)),
        problem,
    ]
}

fn empty_message(model: &Model, theme: &Theme) -> (String, Style) {
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
