//! Argo CD `Application` (`argoproj.io/v1alpha1`).

use super::Text;
use super::common::{HasMeta, Meta};
use super::lenient;
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Application {
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    #[serde(deserialize_with = "lenient::or_default")]
    pub spec: AppSpec,
    #[serde(deserialize_with = "lenient::opt")]
    pub status: Option<AppStatus>,
}

impl HasMeta for Application {
    const KIND: &'static str = "Application";
    fn meta(&self) -> &Meta {
        &self.metadata
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AppSpec {
    #[serde(deserialize_with = "lenient::text")]
    pub project: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub source: Option<AppSource>,
    /// Multi-source applications.
    #[serde(deserialize_with = "lenient::vec")]
    pub sources: Vec<AppSource>,
    #[serde(deserialize_with = "lenient::opt")]
    pub destination: Option<Destination>,
    #[serde(deserialize_with = "lenient::opt")]
    pub sync_policy: Option<SyncPolicy>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AppSource {
    #[serde(rename = "repoURL", deserialize_with = "lenient::text")]
    pub repo_url: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub path: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub target_revision: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub chart: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Destination {
    #[serde(deserialize_with = "lenient::text")]
    pub server: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub namespace: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SyncPolicy {
    #[serde(deserialize_with = "lenient::opt")]
    pub automated: Option<Automated>,
    #[serde(deserialize_with = "lenient::vec")]
    pub sync_options: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Automated {
    #[serde(deserialize_with = "lenient::opt")]
    pub prune: Option<bool>,
    #[serde(deserialize_with = "lenient::opt")]
    pub self_heal: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AppStatus {
    #[serde(deserialize_with = "lenient::opt")]
    pub sync: Option<SyncInfo>,
    #[serde(deserialize_with = "lenient::opt")]
    pub health: Option<HealthInfo>,
    #[serde(deserialize_with = "lenient::opt")]
    pub operation_state: Option<OperationState>,
    #[serde(deserialize_with = "lenient::vec")]
    pub resources: Vec<ResourceStatus>,
    #[serde(deserialize_with = "lenient::vec")]
    pub conditions: Vec<AppCondition>,
    #[serde(deserialize_with = "lenient::text")]
    pub reconciled_at: Option<Text>,
    #[serde(deserialize_with = "lenient::vec")]
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SyncInfo {
    #[serde(deserialize_with = "lenient::text")]
    pub status: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub revision: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct HealthInfo {
    #[serde(deserialize_with = "lenient::text")]
    pub status: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub message: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OperationState {
    /// `Running`, `Terminating`, `Failed`, `Error` or `Succeeded`.
    #[serde(deserialize_with = "lenient::text")]
    pub phase: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub message: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub started_at: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub finished_at: Option<Text>,
}

/// One entry of `status.resources` (per-resource `health` is often absent).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ResourceStatus {
    #[serde(deserialize_with = "lenient::text")]
    pub group: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub version: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub kind: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub namespace: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub status: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub health: Option<HealthInfo>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AppCondition {
    #[serde(rename = "type", deserialize_with = "lenient::text")]
    pub type_: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub message: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub last_transition_time: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HistoryEntry {
    #[serde(deserialize_with = "lenient::opt")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "lenient::text")]
    pub revision: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub deployed_at: Option<Text>,
}

/// Argo CD's comparison of Git with the live state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SyncStatus {
    Synced,
    OutOfSync,
    /// `Unknown`, absent, or a value this version does not know.
    Unknown,
}

impl SyncStatus {
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("Synced") => SyncStatus::Synced,
            Some("OutOfSync") => SyncStatus::OutOfSync,
            _ => SyncStatus::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::Synced => "Synced",
            SyncStatus::OutOfSync => "OutOfSync",
            SyncStatus::Unknown => "Unknown",
        }
    }
}

/// Argo CD's health of the application as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HealthStatus {
    Healthy,
    Progressing,
    Suspended,
    Degraded,
    Missing,
    /// `Unknown`, absent, or a value this version does not know.
    Unknown,
}

impl HealthStatus {
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("Healthy") => HealthStatus::Healthy,
            Some("Progressing") => HealthStatus::Progressing,
            Some("Suspended") => HealthStatus::Suspended,
            Some("Degraded") => HealthStatus::Degraded,
            Some("Missing") => HealthStatus::Missing,
            _ => HealthStatus::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Healthy => "Healthy",
            HealthStatus::Progressing => "Progressing",
            HealthStatus::Suspended => "Suspended",
            HealthStatus::Degraded => "Degraded",
            HealthStatus::Missing => "Missing",
            HealthStatus::Unknown => "Unknown",
        }
    }
}

impl Application {
    pub fn sync_status(&self) -> SyncStatus {
        let s = self.status.as_ref().and_then(|s| s.sync.as_ref());
        SyncStatus::parse(s.and_then(|s| s.status.as_deref()))
    }

    pub fn health_status(&self) -> HealthStatus {
        let h = self.status.as_ref().and_then(|s| s.health.as_ref());
        HealthStatus::parse(h.and_then(|h| h.status.as_deref()))
    }

    /// The namespace it deploys into (`spec.destination.namespace`).
    pub fn destination_namespace(&self) -> Option<&str> {
        self.spec.destination.as_ref()?.namespace.as_deref()
    }

    pub fn self_heal(&self) -> bool {
        let automated = self
            .spec
            .sync_policy
            .as_ref()
            .and_then(|p| p.automated.as_ref());
        automated.and_then(|a| a.self_heal).unwrap_or(false)
    }
}
