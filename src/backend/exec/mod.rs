//! The backend's command loop: forwards the current watch session's
//! messages, and carries out commands — a context switch or namespace
//! scope (the old session's messages are cut off, `Msg::ClearData` sent,
//! a new session started), AWS calls, and audit records.

mod config;
mod operations;
mod rotation;

use crate::audit::{AuditLog, AuditRecord};
use crate::backend::KubeCluster;
use crate::backend::aws::Aws;
use crate::backend::connect::connect;
use crate::backend::content_store;
use crate::backend::kube_cluster::run_watches;
use crate::domain::ops::guard::{Refusal, RefusalKind};
use crate::ops::guard::audit_record;
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
    let content_path = content_store::default_path();
    let save_lock: Arc<Mutex<()>> = Arc::default();
    if let Some(path) = content_path.clone() {
        let loaded = tokio::task::spawn_blocking(move || content_store::load(&path))
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
        let msg = match loaded {
            Ok(log) => Msg::ContentLoaded(Box::new(log)),
            Err(e) => Msg::CmdFailed(e),
        };
        if tx.send(msg).await.is_err() {
            return;
        }
    }
    if announce(&cluster, &tx).await.is_err() {
        return;
    }
    {
        let (aws, tx, identity) = (aws.clone(), tx.clone(), identity.clone());
        tokio::spawn(async move {
            let result = aws.identity().await;
            if let Ok(id) = &result {
                *identity.lock().unwrap_or_else(|p| p.into_inner()) = Some(id.arn.clone());
            }
            let _ = tx.send(Msg::AwsIdentity(result)).await;
        });
    }
    // ROTATION part: offer to resume or roll back an unfinished rotation.
    rotation::announce_unfinished(&tx).await;
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
                        let (aws, tx) = (aws.clone(), tx.clone());
                        tokio::spawn(async move {
                            let result = aws.describe(&name, region.as_deref()).await;
                            let _ = tx.send(Msg::AwsDescribed { name, result }).await;
                        });
                    }
                    Cmd::FetchAwsSecretValue { name, region } => {
                        let (aws, tx) = (aws.clone(), tx.clone());
                        tokio::spawn(async move {
                            let result = aws.value(&name, region.as_deref()).await;
                            let _ = tx.send(Msg::AwsValue { name, result }).await;
                        });
                    }
                    // REFRESH part
                    Cmd::RunOperation { id, request } => {
                        let actor = operations::Actor {
                            context: cluster.conn.info.context.clone(),
                            kube_user: kube_user(&cluster),
                            aws_identity: identity.lock().unwrap_or_else(|p| p.into_inner()).clone(),
                        };
                        let client = cluster.conn.client.clone();
                        operations::spawn(client, actor, id, request, tx.clone());
                    }
                    Cmd::LoadAudit => operations::load_audit(tx.clone()),
                    Cmd::SaveContent(log) => {
                        if let Some(path) = content_path.clone() {
                            let (tx, lock) = (tx.clone(), save_lock.clone());
                            tokio::task::spawn_blocking(move || {
                                let _one_at_a_time = lock.lock().unwrap_or_else(|p| p.into_inner());
                                if let Err(e) = content_store::save(&path, &log) {
                                    let _ = tx.blocking_send(Msg::CmdFailed(e));
                                }
                            });
                        }
                    }
                    // CONFIG part: ConfigMap edits.
                    Cmd::Config(cmd) => {
                        let client = cluster.conn.client.clone();
                        let context = cluster.conn.info.context.clone();
                        let tx = tx.clone();
                        tokio::spawn(async move {
                            for msg in config::run(client, context, cmd).await {
                                let _ = tx.send(msg).await;
                            }
                        });
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
                            tx.clone(),
                        );
                    }
                    Cmd::AuditRefusal { action, message } => {
                        let refusal = Refusal::new(RefusalKind::ReadOnly, &action, &message);
                        let mut record = audit_record(&refusal, &cluster.conn.info.context);
                        record.kube_user = kube_user(&cluster);
                        spawn_audit(record, tx.clone());
                    }
                    Cmd::AuditReveal { target, aws_secret } => {
                        let mut record =
                            AuditRecord::now("reveal", &target, &cluster.conn.info.context);
                        record.kube_user = kube_user(&cluster);
                        record.aws_identity =
                            identity.lock().unwrap_or_else(|p| p.into_inner()).clone();
                        record.aws_secret = Some(aws_secret);
                        spawn_audit(record, tx.clone());
                    }
                }
            }
        }
    }
}

/// Append `record` to the audit log off the UI path; a failure is shown.
fn spawn_audit(record: AuditRecord, tx: mpsc::Sender<Msg>) {
    tokio::spawn(async move {
        if let Err(e) = write_audit(record).await {
            tracing::error!(error = %e, "audit record not written");
            let _ = tx.send(Msg::CmdFailed(e)).await;
        }
    });
}

async fn write_audit(record: AuditRecord) -> Result<(), String> {
    let log = AuditLog::default_location()
        .ok_or_else(|| "no state directory for the audit log".to_string())?;
    tokio::task::spawn_blocking(move || log.append(&record))
        .await
        .map_err(|e| format!("audit log writer failed: {e}"))?
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
