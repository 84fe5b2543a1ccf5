//! The apps table: one row per Argo CD Application, joined with the
//! ExternalSecrets that belong to it.

use super::application::{Application, HealthStatus, SyncStatus};
use super::common::Meta;
use super::external_secret::ExternalSecret;
use std::collections::HashMap;

pub const TRACKING_ID: &str = "argocd.argoproj.io/tracking-id";
pub const INSTANCE_LABEL: &str = "app.kubernetes.io/instance";

/// One line of the apps table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRow {
    pub name: String,
    /// The Application's own namespace (usually `argocd`).
    pub app_namespace: String,
    /// `spec.destination.namespace`, empty when unset.
    pub dest_namespace: String,
    pub sync: SyncStatus,
    pub health: HealthStatus,
    pub es_ready: usize,
    pub es_total: usize,
}

impl AppRow {
    /// Every ExternalSecret of the app is Ready (true when it has none).
    pub fn secrets_ok(&self) -> bool {
        self.es_ready == self.es_total
    }
}

/// The app an object belongs to: the part of its tracking-id annotation
/// before the first `:` (Argo CD 3.x), else its `app.kubernetes.io/instance`
/// label (older installs).
pub fn owning_app(meta: &Meta) -> Option<&str> {
    if let Some(id) = meta.annotations.get(TRACKING_ID)
        && let Some((app, _)) = id.split_once(':')
        && !app.is_empty()
    {
        return Some(app);
    }
    meta.labels.get(INSTANCE_LABEL).filter(|s| !s.is_empty())
}

/// The rows of the apps table, sorted by app name (then namespace).
pub fn app_rows<'a>(
    apps: impl IntoIterator<Item = &'a Application>,
    external_secrets: impl IntoIterator<Item = &'a ExternalSecret>,
) -> Vec<AppRow> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for es in external_secrets {
        if let Some(app) = owning_app(&es.metadata) {
            let c = counts.entry(app).or_default();
            c.1 += 1;
            if es.is_ready() {
                c.0 += 1;
            }
        }
    }
    let mut rows: Vec<AppRow> = apps
        .into_iter()
        .map(|app| {
            let (ready, total) = counts.get(app.metadata.name()).copied().unwrap_or_default();
            AppRow {
                name: app.metadata.name().to_string(),
                app_namespace: app.metadata.namespace().to_string(),
                dest_namespace: app.destination_namespace().unwrap_or_default().to_string(),
                sync: app.sync_status(),
                health: app.health_status(),
                es_ready: ready,
                es_total: total,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.app_namespace.cmp(&b.app_namespace))
    });
    rows
}
