//! The status report: what `status -o json|yaml` prints, computed from the
//! collected watches with the domain's view functions. Never a secret value
//! (the inventory holds Secrets as metadata only).

use super::state_words;
use crate::backend::snapshot::Collected;
use crate::domain::membership::Membership;
use crate::domain::views::{EsView, Severity, app_detail_in, app_views_in, es_views};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusReport {
    pub context: String,
    pub server: String,
    /// Worst first, then by name.
    pub apps: Vec<AppStatus>,
    /// ExternalSecrets no Application owns.
    pub unowned_external_secrets: Vec<EsStatus>,
    /// Resource plural name -> `live`, `not installed`, `forbidden`, ...
    pub watches: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppStatus {
    pub name: String,
    pub namespace: String,
    pub sync: String,
    pub health: String,
    /// `ok`, `warning` or `error`.
    pub severity: String,
    pub problems: Vec<String>,
    pub external_secrets: Vec<EsStatus>,
    pub stale_pods: Vec<StalePod>,
    #[serde(skip)]
    pub level: Severity,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EsStatus {
    pub name: String,
    pub namespace: String,
    pub ready: Option<bool>,
    pub reason: Option<String>,
    pub message: Option<String>,
    /// `Kind/name` of its (Cluster)SecretStore.
    pub store: String,
    pub target_secret: String,
    /// RFC 3339.
    pub last_refresh: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StalePod {
    pub namespace: String,
    pub pod: String,
    /// `Kind/name` of the workload.
    pub workload: String,
    pub reason: String,
}

/// Build the report. `namespace` keeps only apps deploying there (the
/// watches were already limited to it).
pub fn report(c: &Collected, namespace: Option<&str>, now: DateTime<Utc>) -> StatusReport {
    let inv = &c.data.inventory;
    // Which object belongs to which app: found once, not per app.
    let members = Membership::build(inv);
    let mut apps: Vec<AppStatus> = app_views_in(inv, &members, now)
        .into_iter()
        .filter(|a| namespace.is_none_or(|ns| a.dest_namespace == ns))
        .map(|view| {
            let detail = app_detail_in(inv, &members, &view.key, now);
            let (external_secrets, stale_pods) = match &detail {
                Some(d) => (
                    d.external_secrets.iter().map(es_status).collect(),
                    d.workloads
                        .iter()
                        .flat_map(|w| {
                            w.pods.iter().filter_map(move |p| {
                                Some(StalePod {
                                    namespace: p.namespace.clone(),
                                    pod: p.name.clone(),
                                    workload: w.obj.to_string(),
                                    reason: p.stale.clone()?,
                                })
                            })
                        })
                        .collect(),
                ),
                None => (Vec::new(), Vec::new()),
            };
            AppStatus {
                name: view.name,
                namespace: view.dest_namespace,
                sync: view.sync.as_str().to_string(),
                health: view.health.as_str().to_string(),
                severity: view.severity.label().to_string(),
                problems: view.problems,
                external_secrets,
                stale_pods,
                level: view.severity,
            }
        })
        .collect();
    apps.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.name.cmp(&b.name)));
    let unowned_external_secrets = es_views(inv, now)
        .iter()
        .filter(|es| es.app.is_none())
        .filter(|es| namespace.is_none_or(|ns| es.namespace == ns))
        .map(es_status)
        .collect();
    let watches = crate::state::WatchKind::ALL
        .iter()
        .map(|k| (k.plural().to_string(), state_words(&c.status.watch(*k))))
        .collect();
    let info = c.status.info.clone().unwrap_or_default();
    StatusReport {
        context: info.context,
        server: info.server,
        apps,
        unowned_external_secrets,
        watches,
    }
}

fn es_status(es: &EsView) -> EsStatus {
    EsStatus {
        name: es.name.clone(),
        namespace: es.namespace.clone(),
        ready: es.ready,
        reason: es.reason.clone(),
        message: es.message.clone(),
        store: format!("{}/{}", es.store.kind, es.store.name),
        target_secret: es.target_secret.clone(),
        last_refresh: es
            .last_refresh
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
    }
}

impl StatusReport {
    /// 0 when everything is healthy; 1 when an app has a problem, an
    /// ExternalSecret outside any app is not Ready, or a watch never
    /// delivered its list.
    pub fn exit_code(&self) -> u8 {
        let app_trouble = self.apps.iter().any(|a| a.level != Severity::Ok);
        let es_trouble = self
            .unowned_external_secrets
            .iter()
            .any(|e| e.ready == Some(false));
        let incomplete = self
            .watches
            .values()
            .any(|w| w == "connecting" || w.starts_with("reconnecting"));
        u8::from(app_trouble || es_trouble || incomplete)
    }
}
