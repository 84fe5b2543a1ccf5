//! Messages into `update`, and the effects it returns.

use super::cluster::{ClusterInfo, WatchKind, WatchState};
use super::keys::Key;
use crate::domain::{
    Application, AwsIdentity, AwsSecretMeta, ConfigMapObj, EventObj, ExternalSecret, ObjKey, Pod,
    SecretMeta, SecretStore, SecretValue, Workload,
};
use chrono::{DateTime, Utc};

/// A change to one kind's set of objects, as a watch delivers it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<T> {
    /// A full (re)list: replaces everything known of the kind.
    Reset(Vec<T>),
    /// More of a list shown page by page (its first page came as the
    /// Reset): added to what is known.
    More(Vec<T>),
    /// One of several watches feeding the same kind listed again (see
    /// `backend::merge`): its objects now, and the keys it held before
    /// that no watch holds any more. What the other watches sent stays.
    Replace { items: Vec<T>, gone: Vec<ObjKey> },
    /// Added or modified.
    Upsert(T),
    /// Deleted.
    Remove(ObjKey),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    /// Text pasted into the terminal (bracketed paste): text for the
    /// focused input, never keys.
    Paste(String),
    /// The terminal size changed (also sent once at start).
    Resize {
        width: u16,
        height: u16,
    },
    /// A periodic tick (time-based display only).
    Tick,
    /// Connected: where to.
    Cluster(ClusterInfo),
    /// The cluster cannot be reached or understood (a message in words).
    ClusterError(String),
    Watch {
        kind: WatchKind,
        state: WatchState,
    },
    /// When the server last confirmed a watch's data (a list, an event or a
    /// bookmark); sent as the watch stops being live.
    WatchConfirmed {
        kind: WatchKind,
        at: DateTime<Utc>,
    },
    Apps(Change<Application>),
    ExternalSecrets(Change<ExternalSecret>),
    /// The process was asked to stop (SIGTERM, SIGINT, SIGHUP).
    Shutdown,
    // data side
    /// SecretStores and ClusterSecretStores (`SecretStore::kind` tells which).
    SecretStores(Change<SecretStore>),
    ConfigMaps(Change<ConfigMapObj>),
    /// Secrets, metadata only.
    Secrets(Change<SecretMeta>),
    /// Deployments, StatefulSets and DaemonSets.
    Workloads(Change<Workload>),
    Pods(Change<Pod>),
    Events(Change<EventObj>),
    /// The kubeconfig's contexts (sent at start and after a switch).
    Contexts {
        current: String,
        all: Vec<String>,
    },
    /// Reconnecting to another context or scope: forget every object.
    ClearData,
    AwsIdentity(Result<AwsIdentity, String>),
    AwsDescribed {
        name: String,
        result: Result<AwsSecretMeta, String>,
    },
    AwsValue {
        name: String,
        result: Result<SecretValue, String>,
    },
    /// The wall clock, sent periodically by the backend.
    Now(DateTime<Utc>),
    /// The content log kept in the state dir (sent once at start).
    ContentLoaded(Box<crate::domain::content::ContentLog>),
    /// A command could not be carried out (audit log unwritable, ...).
    CmdFailed(String),
    // REFRESH part
    /// Progress of one target of a running operation.
    OpItem {
        id: u64,
        index: usize,
        state: super::operations::ItemState,
    },
    /// The audit log, read for `:audit` (file order).
    AuditLoaded(Result<Vec<super::audit_screen::AuditRow>, String>),
    // CONFIG part: answers to the ConfigMap editor's commands.
    Config(super::config_edit::ConfigMsg),
    // ROTATION part
    Rotation(Box<super::rotation::RotationMsg>),
}

/// Effects `update` asks for. Mutations (force-sync, refresh, rotate, ...)
/// are added here as typed commands and executed by the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// Leave the console (restore the terminal and exit).
    Quit,
    // data side
    /// DescribeSecret (versions, stages, last change) -> `Msg::AwsDescribed`.
    DescribeAwsSecret {
        name: String,
        region: Option<String>,
    },
    /// GetSecretValue at AWSCURRENT -> `Msg::AwsValue`.
    FetchAwsSecretValue {
        name: String,
        region: Option<String>,
    },
    /// Write a reveal to the audit log (never the value).
    AuditReveal {
        /// e.g. `ExternalSecret ns/name`.
        target: String,
        aws_secret: String,
    },
    /// Write a console key's read-only refusal to the audit log.
    AuditRefusal {
        /// What was refused, e.g. `rotate the secret of ExternalSecret ns/name`.
        action: String,
        message: String,
    },
    /// Reconnect every watch to another kubeconfig context.
    SwitchContext(String),
    /// Restrict namespaced watches to one namespace (`None` = all).
    SetNamespace(Option<String>),
    // REFRESH part
    /// Carry out a confirmed operation; progress comes back as `Msg::OpItem`.
    RunOperation {
        id: u64,
        request: super::operations::OpRequest,
    },
    /// Read the audit log -> `Msg::AuditLoaded`.
    LoadAudit,
    // CONFIG part: ConfigMap edits, Git-side edits, auto-sync pause/resume.
    Config(super::config_edit::ConfigCmd),
    // ROTATION part
    Rotation(Box<super::rotation::RotationCmd>),
    /// Keep the content log in the state dir.
    SaveContent(Box<crate::domain::content::ContentLog>),
}
