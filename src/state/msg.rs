//! Messages into `update`, and the effects it returns.

use super::cluster::{ClusterInfo, WatchKind, WatchState};
use super::keys::Key;
use crate::domain::{Application, ExternalSecret, ObjKey};

/// A change to one kind's set of objects, as a watch delivers it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<T> {
    /// A full (re)list: replaces everything known of the kind.
    Reset(Vec<T>),
    /// Added or modified.
    Upsert(T),
    /// Deleted.
    Remove(ObjKey),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
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
    Apps(Change<Application>),
    ExternalSecrets(Change<ExternalSecret>),
    /// The process was asked to stop (SIGTERM, SIGINT, SIGHUP).
    Shutdown,
}

/// Effects `update` asks for. Mutations (force-sync, refresh, rotate, ...)
/// are added here as typed commands and executed by the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// Leave the console (restore the terminal and exit).
    Quit,
}
