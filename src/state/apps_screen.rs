//! The apps (home) screen: one row per Argo CD Application, worst first by
//! default; `s` cycles the sort, `enter` opens. Without Argo CD it lists
//! ExternalSecrets by namespace instead.

use super::keymap::Action;
use super::model::Ctx;
use super::nav::Go;
use super::table::{Row, Table};
use crate::domain::HealthStatus;
use crate::domain::views::{AppView, EsView};
use std::cmp::Ordering;

/// The apps table's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppSort {
    /// Worst first: severity, then health, then name.
    #[default]
    Severity,
    Name,
    Namespace,
    /// Oldest ESO refresh first (never refreshed before everything).
    LastRefresh,
}

impl AppSort {
    pub fn next(self) -> Self {
        match self {
            AppSort::Severity => AppSort::Name,
            AppSort::Name => AppSort::Namespace,
            AppSort::Namespace => AppSort::LastRefresh,
            AppSort::LastRefresh => AppSort::Severity,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AppSort::Severity => "severity",
            AppSort::Name => "name",
            AppSort::Namespace => "namespace",
            AppSort::LastRefresh => "last refresh",
        }
    }

    pub fn compare(self, a: &AppView, b: &AppView) -> Ordering {
        let by_name = a.name.cmp(&b.name).then_with(|| a.key.cmp(&b.key));
        match self {
            AppSort::Severity => b
                .severity
                .cmp(&a.severity)
                .then_with(|| health_rank(b.health).cmp(&health_rank(a.health)))
                .then(by_name),
            AppSort::Name => by_name,
            AppSort::Namespace => a.dest_namespace.cmp(&b.dest_namespace).then(by_name),
            AppSort::LastRefresh => a.last_refresh.cmp(&b.last_refresh).then(by_name),
        }
    }
}

/// How bad a health status is (higher = worse).
pub fn health_rank(h: HealthStatus) -> u8 {
    match h {
        HealthStatus::Healthy => 0,
        HealthStatus::Unknown => 1,
        HealthStatus::Suspended => 2,
        HealthStatus::Progressing => 3,
        HealthStatus::Missing => 4,
        HealthStatus::Degraded => 5,
    }
}

impl Row for AppView {
    fn filter_text(&self) -> &str {
        &self.name
    }
    fn id(&self) -> String {
        self.key.to_string()
    }
}

impl Row for EsView {
    fn filter_text(&self) -> &str {
        &self.name
    }
    fn id(&self) -> String {
        self.key.to_string()
    }
}

#[derive(Debug, Clone, Default)]
pub struct AppsScreen {
    pub table: Table<AppView>,
    pub sort: AppSort,
    /// Shown instead when Argo CD is not installed: ExternalSecrets by
    /// namespace.
    pub without_argo: Table<EsView>,
}

impl AppsScreen {
    pub fn selected_row(&self) -> Option<&AppView> {
        self.table.selected_row()
    }

    pub(crate) fn set_rows(&mut self, mut rows: Vec<AppView>, page: usize) {
        let sort = self.sort;
        rows.sort_by(|a, b| sort.compare(a, b));
        self.table.set_rows(rows, page);
    }

    pub(crate) fn set_es_rows(&mut self, mut rows: Vec<EsView>, page: usize) {
        rows.sort_by(|a, b| a.namespace.cmp(&b.namespace).then(a.name.cmp(&b.name)));
        self.without_argo.set_rows(rows, page);
    }

    /// `s`: the next order.
    pub(crate) fn cycle_sort(&mut self, page: usize) {
        self.sort = self.sort.next();
        let sort = self.sort;
        self.table.sort_by(|a, b| sort.compare(a, b), page);
    }

    /// The screen's actions (moves, `s`, `enter`); without Argo CD, on the
    /// ExternalSecrets table.
    pub(crate) fn on_action(&mut self, action: Action, ctx: &Ctx) -> Go {
        let page = ctx.page;
        if ctx.without_argo {
            let table = &mut self.without_argo;
            if !table.on_move(action, page) && action == Action::Open {
                return table
                    .selected_row()
                    .map_or(Go::Stay, |es| Go::Es(es.key.clone()));
            }
            return Go::Stay;
        }
        if self.table.on_move(action, page) {
            return Go::Stay;
        }
        match action {
            Action::CycleSort => self.cycle_sort(page),
            Action::Open => {
                if let Some(app) = self.selected_row() {
                    return Go::App(app.key.clone());
                }
            }
            _ => {}
        }
        Go::Stay
    }
}
