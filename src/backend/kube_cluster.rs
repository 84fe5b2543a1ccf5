//! The real cluster: discovery (retried until the server answers), then one
//! watch per kind the server serves.

use super::connect::{Connection, redact};
use super::discover::discover;
use super::watch::run_watch;
use super::{BackendHandle, Cluster};
use crate::domain::{Application, ExternalSecret};
use crate::state::{Msg, WatchKind, WatchState};
use kube::api::{Api, DynamicObject};
use kube::discovery::ApiResource;
use std::time::Duration;
use tokio::sync::mpsc;

pub struct KubeCluster {
    conn: Connection,
    /// Watch namespaced kinds in this namespace only.
    namespace: Option<String>,
}

impl KubeCluster {
    pub fn new(conn: Connection, namespace: Option<String>) -> Self {
        KubeCluster { conn, namespace }
    }
}

impl Cluster for KubeCluster {
    fn start(self, tx: mpsc::Sender<Msg>) -> BackendHandle {
        BackendHandle::new(vec![tokio::spawn(run(self, tx))])
    }
}

async fn run(cluster: KubeCluster, tx: mpsc::Sender<Msg>) {
    if tx
        .send(Msg::Cluster(cluster.conn.info.clone()))
        .await
        .is_err()
    {
        return;
    }
    let mut delay = Duration::from_millis(500);
    let found = loop {
        match discover(cluster.conn.client.clone()).await {
            Ok(found) => break found,
            Err(e) => {
                tracing::warn!(error = %e, "discovery failed; retrying");
                let msg =
                    Msg::ClusterError(format!("discovery failed: {}", redact(&e.to_string())));
                if tx.send(msg).await.is_err() {
                    return;
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(30));
            }
        }
    };
    let client = cluster.conn.client;
    let ns = cluster.namespace.as_deref();
    // Each watch runs as its own task, owned by this one: aborting this task
    // (dropping the handle) drops the set and aborts them all.
    let mut tasks = tokio::task::JoinSet::new();
    let api = |ar: &ApiResource, namespaced: bool| -> Api<DynamicObject> {
        match ns {
            Some(ns) if namespaced => Api::namespaced_with(client.clone(), ns, ar),
            _ => Api::all_with(client.clone(), ar),
        }
    };
    match &found.applications {
        // Applications live in Argo CD's namespace: always watched cluster-wide.
        Some(ar) => {
            tasks.spawn(run_watch::<Application>(
                api(ar, false),
                WatchKind::Applications,
                tx.clone(),
                Msg::Apps,
            ));
        }
        None => not_installed(&tx, WatchKind::Applications).await,
    }
    match &found.external_secrets {
        Some(ar) => {
            tasks.spawn(run_watch::<ExternalSecret>(
                api(ar, true),
                WatchKind::ExternalSecrets,
                tx.clone(),
                Msg::ExternalSecrets,
            ));
        }
        None => not_installed(&tx, WatchKind::ExternalSecrets).await,
    }
    drop(tx);
    while tasks.join_next().await.is_some() {}
}

async fn not_installed(tx: &mpsc::Sender<Msg>, kind: WatchKind) {
    let _ = tx
        .send(Msg::Watch {
            kind,
            state: WatchState::NotInstalled,
        })
        .await;
}
