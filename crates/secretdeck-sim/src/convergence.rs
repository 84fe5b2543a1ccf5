//! Whether the controllers have brought the scenario to rest: every
//! ExternalSecret reconciled (Ready, or failing as scripted: either way it
//! has a Ready condition) and every Argo CD Application compared and
//! assessed (a sync status and a health that is not Progressing or
//! Missing). Counted from the store, as a client would see it.

use crate::kube::resources::{ARGO, ESO};
use crate::kube::store::Store;
use serde_json::Value;

/// Settled out of total, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Convergence {
    pub external_secrets: (usize, usize),
    pub applications: (usize, usize),
    pub pods: usize,
}

impl Convergence {
    pub fn done(&self) -> bool {
        self.external_secrets.0 == self.external_secrets.1
            && self.applications.0 == self.applications.1
    }
}

impl std::fmt::Display for Convergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ExternalSecrets {}/{} reconciled, Applications {}/{} settled, {} pods",
            self.external_secrets.0,
            self.external_secrets.1,
            self.applications.0,
            self.applications.1,
            self.pods
        )
    }
}

pub fn of(store: &Store) -> Convergence {
    let count = |group: &str, plural: &str, settled: fn(&Value) -> bool| {
        store
            .resource(group, plural)
            .map_or((0, 0), |rt| store.count(rt, settled))
    };
    Convergence {
        external_secrets: count(ESO, "externalsecrets", es_settled),
        applications: count(ARGO, "applications", app_settled),
        pods: count("", "pods", |_| true).1,
    }
}

fn es_settled(es: &Value) -> bool {
    es.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|c| c.iter().any(|c| c["type"] == "Ready"))
}

fn app_settled(app: &Value) -> bool {
    let sync = app.pointer("/status/sync/status").and_then(Value::as_str);
    let health = app.pointer("/status/health/status").and_then(Value::as_str);
    matches!(sync, Some("Synced" | "OutOfSync"))
        && matches!(health, Some("Healthy" | "Degraded" | "Suspended"))
}
