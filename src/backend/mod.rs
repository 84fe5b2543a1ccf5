//! The only code that talks to the world. kube-rs watches feed owned
//! changes to the UI as `Msg` over a channel; nothing here touches the
//! model. The `Cluster` trait is the seam the console runs against, so the
//! UI can be driven without a network.
//!
//! - clients: `connect`, `kube_cluster` and `watch` (the watches), `aws`
//!   (Secrets Manager, STS), `discover`, `convert`, `kube_words`,
//!   `content_store`, `merge`;
//! - `snapshot`: a one-shot read of the cluster through the same watches
//!   (`secretdeck status`, `config set`, the rotation's setup);
//! - `exec`: every `Cmd` is carried out there, and only there: it is the
//!   one layer that receives `Cmd` and sends `Msg`, calling `ops` for the
//!   operations.
//!
//! `backend` imports `state` (`Msg`, `Cmd` and what they carry), `domain`
//! and `audit`; only `exec` imports `ops` (which in turn uses the clients
//! above); nothing here calls a subcommand (`tests/it/layers.rs`).

pub mod aws;
pub mod connect;
pub mod content_store;
pub mod convert;
pub mod discover;
mod exec;
pub mod kube_cluster;
pub mod kube_words;
pub mod merge;
pub mod snapshot;
pub mod typed;
pub mod watch;

pub use aws::AwsOptions;
pub use connect::{ConnectError, ConnectOptions, Connection, connect};
pub use discover::{Discovered, pick_eso_version};
pub use kube_cluster::KubeCluster;

use crate::state::{Cmd, Msg};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A source of cluster state for the console.
pub trait Cluster: Send + 'static {
    /// Start feeding `tx`; the work stops when the returned handle is dropped.
    fn start(self, tx: mpsc::Sender<Msg>) -> BackendHandle;
}

/// Owns the backend's tasks (aborts them when dropped) and the way in for
/// commands.
#[derive(Debug, Default)]
pub struct BackendHandle {
    tasks: Vec<JoinHandle<()>>,
    cmds: Option<mpsc::UnboundedSender<Cmd>>,
}

impl BackendHandle {
    pub fn new(tasks: Vec<JoinHandle<()>>) -> Self {
        BackendHandle { tasks, cmds: None }
    }

    /// A handle whose backend executes commands sent with `send`.
    pub fn with_commands(tasks: Vec<JoinHandle<()>>, cmds: mpsc::UnboundedSender<Cmd>) -> Self {
        BackendHandle {
            tasks,
            cmds: Some(cmds),
        }
    }

    /// Hand a command to the backend (dropped, with a log line, when this
    /// backend executes none).
    pub fn send(&self, cmd: Cmd) {
        match &self.cmds {
            Some(tx) if tx.send(cmd.clone()).is_ok() => {}
            _ => tracing::debug!(?cmd, "command not executed: no backend for it"),
        }
    }

    pub fn push(&mut self, task: JoinHandle<()>) {
        self.tasks.push(task);
    }
}

impl Drop for BackendHandle {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// A cluster that sends a fixed list of messages and then nothing: for
/// driving the console in tests and recordings.
#[derive(Debug, Clone, Default)]
pub struct ScriptedCluster {
    pub msgs: Vec<Msg>,
}

impl Cluster for ScriptedCluster {
    fn start(self, tx: mpsc::Sender<Msg>) -> BackendHandle {
        BackendHandle::new(vec![tokio::spawn(async move {
            for m in self.msgs {
                if tx.send(m).await.is_err() {
                    return;
                }
            }
        })])
    }
}
