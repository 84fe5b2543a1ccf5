//! Carrying out the console's confirmed operations through `ops::*`:
//! each target reported running, then its outcome, then an audit record.

use super::audit;
use crate::domain::ops::outcome::OpResult;
use crate::ops::outcome::{OpAudit, os_user};
use crate::ops::{argo, refresh, restart};
use crate::settings::Paths;
use crate::state::Msg;
use crate::state::operations::{ItemState, OpRequest};
use futures::future::join_all;
use kube::Client;
use tokio::sync::mpsc;

/// Who and where, for the audit records.
#[derive(Debug, Clone)]
pub(super) struct Actor {
    pub context: String,
    pub kube_user: Option<String>,
    pub aws_identity: Option<String>,
}

pub(super) fn spawn(
    client: Client,
    actor: Actor,
    id: u64,
    request: OpRequest,
    paths: &Paths,
    tx: mpsc::Sender<Msg>,
) {
    let log = crate::audit::AuditLog::required(paths);
    tokio::spawn(async move {
        let step = |index: usize, state: ItemState| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(Msg::OpItem { id, index, state }).await;
            }
        };
        let done = |index: usize, r: OpResult| {
            let (tx, actor, log) = (tx.clone(), actor.clone(), log.clone());
            async move {
                let mut record = r.audit_record(&actor.context);
                record.kube_user = actor.kube_user;
                record.aws_identity = actor.aws_identity;
                if let Err(e) = audit::write(log, record).await {
                    tracing::error!(error = %e, "audit record not written");
                    let _ = tx.send(Msg::CmdFailed(e)).await;
                }
                let state = ItemState::Done {
                    outcome: r.outcome,
                    message: r.message,
                };
                let _ = tx.send(Msg::OpItem { id, index, state }).await;
            }
        };
        let now = chrono::Utc::now();
        match request {
            OpRequest::ForceSync { items } => {
                let ar = match refresh::es_resource(&client).await {
                    Ok(ar) => ar,
                    Err(e) => {
                        for (i, es) in items.iter().enumerate() {
                            let target = refresh::target(&es.namespace, &es.name);
                            done(i, OpResult::failed(refresh::ACTION, &target, e.clone())).await;
                        }
                        return;
                    }
                };
                join_all(items.iter().enumerate().map(|(i, es)| {
                    let (client, ar) = (client.clone(), ar.clone());
                    let (step, done) = (&step, &done);
                    async move {
                        step(i, ItemState::Running).await;
                        let t = refresh::DEFAULT_TIMEOUT;
                        let r = refresh::force_sync(&client, &ar, &es.namespace, &es.name, now, t)
                            .await;
                        done(i, r).await;
                    }
                }))
                .await;
            }
            OpRequest::ArgoRefresh { app, hard } => {
                step(0, ItemState::Running).await;
                let r = match argo::app_resource(&client).await {
                    Ok(ar) => {
                        let t = argo::DEFAULT_TIMEOUT;
                        argo::refresh(&client, &ar, &app.namespace, &app.name, hard, t).await
                    }
                    Err(e) => {
                        OpResult::failed(argo::REFRESH, &argo::target(&app.namespace, &app.name), e)
                    }
                };
                done(0, r).await;
            }
            OpRequest::ArgoSync { app } => {
                step(0, ItemState::Running).await;
                let r = match argo::app_resource(&client).await {
                    Ok(ar) => {
                        let (t, user) = (argo::DEFAULT_TIMEOUT, os_user());
                        argo::sync(&client, &ar, &app.namespace, &app.name, &user, t).await
                    }
                    Err(e) => {
                        OpResult::failed(argo::SYNC, &argo::target(&app.namespace, &app.name), e)
                    }
                };
                done(0, r).await;
            }
            OpRequest::Restart { kind, key } => {
                step(0, ItemState::Running).await;
                let t = restart::DEFAULT_TIMEOUT;
                let r =
                    restart::restart_and_follow(&client, &kind, &key.namespace, &key.name, now, t)
                        .await;
                done(0, r).await;
            }
        }
    });
}
