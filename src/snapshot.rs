//! One reading of the cluster: run the watches until every kind's initial
//! list is in (or cannot be: not installed, forbidden), or a timeout, and
//! keep what they delivered. Shared by `secretdeck status`, `config set`
//! and the rotation's preparation (`ops::rotation::setup`). May import
//! `backend` (the `Cluster` trait), `state` (`ClusterData`, `Msg`) and
//! `domain`; prints nothing.

use crate::backend::Cluster;
use crate::domain::content::ContentLog;
use crate::state::{ClusterData, ClusterStatus, Msg, WatchKind, WatchState};
use std::time::Duration;
use tokio::sync::mpsc;

/// What the watches delivered before `collect` stopped.
#[derive(Debug, Default)]
pub struct Collected {
    pub status: ClusterStatus,
    pub data: ClusterData,
}

impl Collected {
    /// Kinds whose initial list is not in yet (still connecting or retrying).
    pub fn unsettled(&self) -> Vec<(WatchKind, WatchState)> {
        WatchKind::ALL
            .iter()
            .map(|k| (*k, self.status.watch(*k)))
            .filter(|(_, s)| !settled(s))
            .collect()
    }
}

/// A watch that will not change what `status` reports any more.
pub fn settled(state: &WatchState) -> bool {
    matches!(
        state,
        WatchState::Live | WatchState::NotInstalled | WatchState::Forbidden
    )
}

/// Run `cluster` until every kind's initial list is in, or `timeout`. The
/// backend lays the data over the content identities the console saw
/// before (the state dir's content log), so pods of a reverted edit are
/// not stale here either.
pub async fn collect(cluster: impl Cluster, timeout: Duration) -> Collected {
    let (tx, mut rx) = mpsc::channel(1024);
    let _backend = cluster.start(tx);
    let mut out = Collected::default();
    let deadline = tokio::time::Instant::now() + timeout;
    while !out.unsettled().is_empty() {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(msg)) => apply(&mut out, msg),
            Ok(None) | Err(_) => break,
        }
    }
    // What already arrived belongs to the same moment.
    while let Ok(msg) = rx.try_recv() {
        apply(&mut out, msg);
    }
    out
}

fn apply(out: &mut Collected, msg: Msg) {
    match msg {
        Msg::Cluster(info) => {
            out.data.inventory.content.scope = ContentLog::scope_of(&info.context, &info.server);
            out.status.info = Some(info);
        }
        Msg::ClusterError(e) => out.status.error = Some(e),
        Msg::Watch { kind, state } => {
            if state == WatchState::Live {
                out.status.error = None;
            }
            out.status.watches.insert(kind, state);
        }
        other => {
            out.data.apply_msg(other);
        }
    }
}
