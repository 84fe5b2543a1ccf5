//! What the console knows about the cluster: where it is, how each watch is
//! doing, and the objects the watches delivered.

use crate::domain::{Application, ExternalSecret, ObjKey};
use std::collections::BTreeMap;

/// Where the console is connected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterInfo {
    /// Kube context name (empty when not from a kubeconfig, e.g. in-cluster).
    pub context: String,
    /// API server URL.
    pub server: String,
}

/// The kinds the console watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WatchKind {
    Applications,
    ExternalSecrets,
}

impl WatchKind {
    pub const ALL: [WatchKind; 2] = [WatchKind::Applications, WatchKind::ExternalSecrets];

    /// Short label for the status bar.
    pub fn label(self) -> &'static str {
        match self {
            WatchKind::Applications => "apps",
            WatchKind::ExternalSecrets => "es",
        }
    }
}

/// How one watch is doing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WatchState {
    /// Not started yet, or listing for the first time.
    #[default]
    Connecting,
    /// Listed and watching.
    Live,
    /// The watch failed and is being retried with backoff (reason in words).
    Reconnecting(String),
    /// The API group is not served (e.g. no Argo CD on this cluster).
    NotInstalled,
    /// 403: the user may not list/watch this kind.
    Forbidden,
}

impl WatchState {
    /// Words for the status bar (colour is added by the view).
    pub fn label(&self) -> &'static str {
        match self {
            WatchState::Connecting => "connecting",
            WatchState::Live => "live",
            WatchState::Reconnecting(_) => "reconnecting",
            WatchState::NotInstalled => "not installed",
            WatchState::Forbidden => "forbidden",
        }
    }
}

/// Connection and watch health.
#[derive(Debug, Clone, Default)]
pub struct ClusterStatus {
    pub info: Option<ClusterInfo>,
    /// The last connection problem (cleared when a watch goes live).
    pub error: Option<String>,
    pub watches: BTreeMap<WatchKind, WatchState>,
}

impl ClusterStatus {
    pub fn watch(&self, kind: WatchKind) -> WatchState {
        self.watches.get(&kind).cloned().unwrap_or_default()
    }
}

/// The objects delivered by the watches, keyed by namespace/name.
#[derive(Debug, Clone, Default)]
pub struct ClusterData {
    pub apps: BTreeMap<ObjKey, Application>,
    pub external_secrets: BTreeMap<ObjKey, ExternalSecret>,
}
