//! What the screens show, computed from the `Inventory` (pure; `now` is
//! passed in). The types here are the contract between the data and the
//! screens: fields may be added, none renamed.

mod app;
mod es;
mod lists;
mod workloads;

pub use app::{
    app_detail, app_detail_in, app_namespaces, app_view, app_view_with, app_views, app_views_in,
    app_workloads,
};
pub use es::{es_view, es_views, force_sync_ignored, store_of};
pub use lists::{config_map_views, event_views, secret_views, store_views};

use super::{Condition, HealthStatus, ObjKey, SyncStatus};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    #[default]
    Ok,
    Warn,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Warn => "warning",
            Severity::Error => "error",
        }
    }
}

/// A kind + namespace + name, e.g. kind `Deployment`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ObjRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ObjRef {
    pub fn new(
        kind: impl Into<String>,
        namespace: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        ObjRef {
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    pub fn key(&self) -> ObjKey {
        ObjKey::new(self.namespace.clone(), self.name.clone())
    }
}

impl std::fmt::Display for ObjRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// How a workload consumes a Secret or ConfigMap.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    Env,
    EnvFrom,
    Volume,
    SubPathVolume,
    Projected,
}

impl Channel {
    /// A running pod sees changes (after a kubelet sync): whole volumes.
    pub fn updates_in_place(&self) -> bool {
        matches!(self, Channel::Volume | Channel::Projected)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Channel::Env => "env var",
            Channel::EnvFrom => "envFrom",
            Channel::Volume => "volume",
            Channel::SubPathVolume => "subPath mount",
            Channel::Projected => "projected volume",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Consumer {
    pub workload: ObjRef,
    pub channel: Channel,
    pub container: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppView {
    /// The Application (`argocd/<name>`).
    pub key: ObjKey,
    pub name: String,
    pub dest_namespace: String,
    pub sync: SyncStatus,
    pub health: HealthStatus,
    pub es_ready: usize,
    pub es_total: usize,
    /// e.g. `SecretSyncedError`.
    pub es_worst_reason: Option<String>,
    pub config_maps: usize,
    pub stale_pods: usize,
    /// Newest ESO refreshTime among its ExternalSecrets.
    pub last_refresh: Option<DateTime<Utc>>,
    pub severity: Severity,
    /// In words, worst first.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoreView {
    /// `SecretStore` or `ClusterSecretStore`.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub exists: bool,
    pub ready: Option<bool>,
    pub reason: Option<String>,
    pub message: Option<String>,
    /// e.g. `aws SecretsManager`.
    pub provider: String,
    pub region: Option<String>,
    /// `jwt (IRSA)`, `secretRef` or `default`.
    pub auth: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteRefView {
    pub secret_key: Option<String>,
    /// The AWS secret name.
    pub key: String,
    pub property: Option<String>,
    pub version: Option<String>,
    /// `data[0]` or `dataFrom[0].extract`.
    pub from: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EsView {
    pub key: ObjKey,
    pub name: String,
    pub namespace: String,
    pub app: Option<String>,
    pub store: StoreView,
    pub ready: Option<bool>,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub conditions: Vec<Condition>,
    pub refresh_interval: String,
    pub refresh_policy: String,
    pub last_refresh: Option<DateTime<Utc>>,
    pub target_secret: String,
    pub target_exists: bool,
    pub data_hash: Option<String>,
    /// From the Secret's managedFields.
    pub secret_data_changed: Option<DateTime<Utc>>,
    pub remote_refs: Vec<RemoteRefView>,
    pub consumers: Vec<Consumer>,
    /// Newest Warning `UpdateFailed` (the provider's message).
    pub last_error_event: Option<EventView>,
    /// Why ESO would ignore a force-sync, if it would.
    pub force_sync_ignored: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfigMapView {
    pub key: ObjKey,
    pub name: String,
    pub namespace: String,
    pub app: Option<String>,
    pub data: Vec<(String, String)>,
    pub consumers: Vec<Consumer>,
    pub data_changed: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecretMetaView {
    pub key: ObjKey,
    pub name: String,
    pub namespace: String,
    pub secret_type: Option<String>,
    /// The ExternalSecret writing it (owner reference or ESO's label).
    pub managed_by: Option<String>,
    pub data_changed: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
    pub consumers: Vec<Consumer>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodView {
    pub name: String,
    pub namespace: String,
    pub phase: String,
    pub ready: bool,
    pub started: Option<DateTime<Utc>>,
    pub restarts: i32,
    pub waiting_reason: Option<String>,
    /// e.g. "started before secret x changed (subPath mount): restart needed".
    pub stale: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadView {
    pub obj: ObjRef,
    pub replicas: i32,
    pub ready: i32,
    pub updated: i32,
    pub available: i32,
    pub paused: bool,
    pub conditions: Vec<Condition>,
    /// (Secret|ConfigMap, channel).
    pub consumes: Vec<(ObjRef, Channel)>,
    pub pods: Vec<PodView>,
    pub stale_pods: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub namespace: String,
    /// e.g. `ExternalSecret/onthetop-backend-secrets`.
    pub object: String,
    pub type_: String,
    pub reason: String,
    pub message: String,
    pub count: i32,
    pub last_seen: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArgoView {
    pub sync: SyncStatus,
    pub revision: Option<String>,
    pub health: HealthStatus,
    pub health_message: Option<String>,
    /// (type, message).
    pub conditions: Vec<(String, String)>,
    /// (phase, message, finished).
    pub operation: Option<(String, String, Option<DateTime<Utc>>)>,
    /// (id, revision, deployed at), newest first.
    pub history: Vec<(i64, String, Option<DateTime<Utc>>)>,
    pub reconciled_at: Option<DateTime<Utc>>,
    pub auto_sync: bool,
    pub self_heal: bool,
    pub repo: String,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppDetail {
    pub app: AppView,
    pub argo: ArgoView,
    pub external_secrets: Vec<EsView>,
    pub config_maps: Vec<ConfigMapView>,
    pub workloads: Vec<WorkloadView>,
    pub warning_events: Vec<EventView>,
}
