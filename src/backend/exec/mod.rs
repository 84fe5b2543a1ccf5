//! Every `Cmd` is carried out here, and only here: this is the one layer
//! that receives `Cmd` and sends `Msg`. The command loop forwards the
//! current watch session's messages and handles a context switch or
//! namespace scope itself (the old session's messages are cut off,
//! `Msg::ClearData` sent, a new session started); the other commands go
//! to their executor:
//!
//! - `queries`: AWS identity, metadata and values;
//! - `operations`: force-sync, Argo CD refresh/sync, restarts (`ops::*`);
//! - `config`: the ConfigMap editor's commands (`ops::config_edit`);
//! - `rotation`: rotate, roll back, resume (`ops::rotation`);
//! - `audit`: reveal and refusal records, the log for `:audit`;
//! - `content`: the content log in the state dir.
//!
//! Executors call `ops` (plain async functions returning results) and turn
//! the results into `Msg`s; `ops` knows nothing of `Msg` or `Cmd`.

mod audit;
mod config;
mod content;
mod operations;
mod queries;
mod rotation;

use crate::backend::KubeCluster;
use crate::backend::aws::Aws;
use crate::backend::connect::connect;
use crate::backend::content_store;
use crate::backend::kube_cluster::run_watches;
use crate::state::{Cmd, Msg};
use kube::config::Kubeconfig;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const SESSION_CAPACITY: usize = 1024;

/// One connection's watches and the channel they feed.
struct Session {
    task: JoinHandle<()>,
    rx: mpsc::Receiver<Msg>,
}

impl Session {
    fn start(cluster: &KubeCluster) -> Self {
        let (tx, rx) = mpsc::channel(SESSION_CAPACITY);
        let task = tokio::spawn(run_watches(
            cluster.conn.client.clone(),
            cluster.namespace.clone(),
            cluster.liveness,
            tx,
        ));
        Session { task, rx }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(in crate::backend) async fn run_commands(
    mut cluster: KubeCluster,
    aws: Arc<Aws>,
    tx: mpsc::Sender<Msg>,
    mut cmds: mpsc::UnboundedReceiver<Cmd>,
) {
    let identity: Arc<Mutex<Option<String>>> = Arc::default();
    // The content log first: data that follows is laid on top of it.
    let content_path = content_store::path_in(&cluster.paths);
    let save_lock: Arc<Mutex<()>> = Arc::default();
    if let Some(path) = content_path.clone()
        && content::load(path, &tx).await.is_err()
    {
        return;
    }
    if announce(&cluster, &tx).await.is_err() {
        return;
    }
    queries::identity(aws.clone(), identity.clone(), tx.clone());
    // ROTATION part: offer to resume or roll back an unfinished rotation.
    rotation::announce_unfinished(&cluster.paths, &tx).await;
    let mut session = Session::start(&cluster);
    let mut session_open = true;
    loop {
        tokio::select! {
            msg = session.rx.recv(), if session_open => match msg {
                Some(msg) => {
                    if tx.send(msg).await.is_err() {
                        return;
                    }
                }
                None => session_open = false,
            },
            cmd = cmds.recv() => {
                let Some(cmd) = cmd else { return };
                tracing::debug!(?cmd, "command");
                match cmd {
                    Cmd::Quit => {}
                    Cmd::SwitchContext(name) => {
                        let mut opts = cluster.connect.clone();
                        opts.context = Some(name.clone());
                        match connect(&opts).await {
                            Ok(conn) => {
                                drop(session);
                                cluster.conn = conn;
                                cluster.connect = opts;
                                if tx.send(Msg::ClearData).await.is_err()
                                    || announce(&cluster, &tx).await.is_err()
                                {
                                    return;
                                }
                                session = Session::start(&cluster);
                                session_open = true;
                            }
                            Err(e) => {
                                let msg = format!("cannot switch to context {name}: {e}");
                                if tx.send(Msg::ClusterError(msg)).await.is_err() {
                                    return;
                                }
                            }
                        }
                    }
                    Cmd::SetNamespace(ns) => {
                        drop(session);
                        cluster.namespace = ns;
                        if tx.send(Msg::ClearData).await.is_err() {
                            return;
                        }
                        session = Session::start(&cluster);
                        session_open = true;
                    }
                    Cmd::DescribeAwsSecret { name, region } => {
                        queries::describe(aws.clone(), name, region, tx.clone());
                    }
                    Cmd::FetchAwsSecretValue { name, region } => {
                        queries::value(aws.clone(), name, region, tx.clone());
                    }
                    // REFRESH part
                    Cmd::RunOperation { id, request } => {
                        let actor = operations::Actor {
                            context: cluster.conn.info.context.clone(),
                            kube_user: kube_user(&cluster),
                            aws_identity: identity.lock().unwrap_or_else(|p| p.into_inner()).clone(),
                        };
                        let client = cluster.conn.client.clone();
                        operations::spawn(client, actor, id, request, &cluster.paths, tx.clone());
                    }
                    Cmd::LoadAudit => audit::load(&cluster.paths, tx.clone()),
                    Cmd::SaveContent(log) => {
                        if let Some(path) = content_path.clone() {
                            content::save(path, save_lock.clone(), log, tx.clone());
                        }
                    }
                    // CONFIG part: ConfigMap edits.
                    Cmd::Config(cmd) => {
                        let client = cluster.conn.client.clone();
                        let context = cluster.conn.info.context.clone();
                        config::spawn(client, context, cmd, cluster.paths.clone(), tx.clone());
                    }
                    // ROTATION part
                    Cmd::Rotation(cmd) => {
                        let id = identity.lock().unwrap_or_else(|p| p.into_inner()).clone();
                        rotation::spawn(
                            cmd,
                            cluster.conn.client.clone(),
                            cluster.conn.info.context.clone(),
                            aws.clone(),
                            id,
                            cluster.paths.clone(),
                            tx.clone(),
                        );
                    }
                    Cmd::AuditRefusal { action, message } => {
                        let context = &cluster.conn.info.context;
                        let user = kube_user(&cluster);
                        audit::refusal(&action, &message, context, user, &cluster.paths, tx.clone());
                    }
                    Cmd::AuditReveal { target, aws_secret } => {
                        let context = &cluster.conn.info.context;
                        let aws_identity =
                            identity.lock().unwrap_or_else(|p| p.into_inner()).clone();
                        audit::reveal(
                            &target,
                            aws_secret,
                            context,
                            kube_user(&cluster),
                            aws_identity,
                            &cluster.paths,
                            tx.clone(),
                        );
                    }
                }
            }
        }
    }
}

/// Where we are connected, and the kubeconfig's contexts.
async fn announce(cluster: &KubeCluster, tx: &mpsc::Sender<Msg>) -> Result<(), ()> {
    tx.send(Msg::Cluster(cluster.conn.info.clone()))
        .await
        .map_err(|_| ())?;
    if let Some(kc) = kubeconfig(cluster) {
        let all = kc.contexts.iter().map(|c| c.name.clone()).collect();
        let current = cluster.conn.info.context.clone();
        tx.send(Msg::Contexts { current, all })
            .await
            .map_err(|_| ())?;
    }
    Ok(())
}

fn kubeconfig(cluster: &KubeCluster) -> Option<Kubeconfig> {
    match &cluster.connect.kubeconfig {
        Some(path) => Kubeconfig::read_from(path).ok(),
        None => Kubeconfig::read().ok(),
    }
}

/// The kubeconfig user of the current context.
fn kube_user(cluster: &KubeCluster) -> Option<String> {
    let kc = kubeconfig(cluster)?;
    let ctx = &cluster.conn.info.context;
    kc.contexts
        .iter()
        .find(|c| &c.name == ctx)?
        .context
        .as_ref()?
        .user
        .clone()
}
