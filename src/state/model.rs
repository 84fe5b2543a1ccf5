//! The whole state of the console, split by screen.

use super::apps_screen::AppsScreen;
use super::cluster::{ClusterData, ClusterStatus};
use crate::domain::app_rows;

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    Apps,
}

/// Lines the apps screen uses besides its table rows: title, table
/// header and the two status bar lines. The view lays out the same.
pub const APPS_CHROME_ROWS: u16 = 4;

#[derive(Debug, Clone, Default)]
pub struct Model {
    pub screen: Screen,
    pub cluster: ClusterStatus,
    pub data: ClusterData,
    pub apps: AppsScreen,
    /// Refuse every mutation.
    pub readonly: bool,
    /// Show only apps deploying into this namespace.
    pub namespace: Option<String>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Set once the user or a signal asked to quit.
    pub quitting: bool,
    /// Objects changed since the derived rows were last computed.
    pub(crate) data_changed: bool,
}

impl Model {
    pub fn new(readonly: bool, namespace: Option<String>) -> Self {
        Model {
            readonly,
            namespace,
            ..Default::default()
        }
    }

    /// Rows of the apps table that fit on screen.
    pub fn apps_page_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(APPS_CHROME_ROWS)).max(1)
    }

    /// Recompute derived data (the apps table) after a batch of messages.
    /// `update_all` calls it; the event loop calls it once before drawing.
    pub fn settle(&mut self) {
        if !self.data_changed {
            return;
        }
        self.data_changed = false;
        let mut rows = app_rows(self.data.apps.values(), self.data.external_secrets.values());
        if let Some(ns) = &self.namespace {
            rows.retain(|r| &r.dest_namespace == ns);
        }
        let page = self.apps_page_rows();
        self.apps.set_rows(rows, page);
    }
}
