//! The console's side: carry out a `RotationCmd` in the background and
//! send its progress back as `Msg::Rotation`.

use crate::audit::AuditLog;
use crate::backend::aws::Aws;
use crate::domain::rotation::Progress;
use crate::ops::rotation::{JournalStore, OpsEnv, Report, resume, rollback, rotate};
use crate::settings::Paths;
use crate::state::Msg;
use crate::state::rotation::{RotationCmd, RotationMsg};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How long the console waits for each sync and rollout.
pub const CONSOLE_TIMEOUT: Duration = Duration::from_secs(180);

fn env(
    kube: kube::Client,
    context: &str,
    aws: Arc<Aws>,
    identity: Option<String>,
    readonly: bool,
    paths: &Paths,
) -> Result<OpsEnv, String> {
    Ok(OpsEnv {
        kube,
        kube_context: context.to_string(),
        aws,
        aws_identity: identity,
        readonly,
        journal: JournalStore::required(paths)?,
        audit: AuditLog::required(paths)?,
        timeout: CONSOLE_TIMEOUT,
    })
}

/// Run `cmd` in a task; every message goes to `tx`.
pub(super) fn spawn(
    cmd: Box<RotationCmd>,
    kube: kube::Client,
    context: String,
    aws: Arc<Aws>,
    identity: Option<String>,
    paths: Paths,
    tx: mpsc::Sender<Msg>,
) {
    let cmd = *cmd;
    tokio::spawn(async move {
        let send = |m: RotationMsg| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(Msg::Rotation(Box::new(m))).await;
            }
        };
        if let RotationCmd::Load { secret, region } = &cmd {
            let r = aws
                .value(secret, region.as_deref())
                .await
                .map(|v| crate::domain::rotation::Sensitive::new(v.expose()));
            send(RotationMsg::Loaded(r)).await;
            return;
        }
        let readonly = match &cmd {
            RotationCmd::Run { readonly, .. }
            | RotationCmd::Rollback { readonly, .. }
            | RotationCmd::Resume { readonly, .. } => *readonly,
            RotationCmd::Load { .. } => false,
        };
        let ops = match env(kube, &context, aws, identity, readonly, &paths) {
            Ok(e) => e,
            Err(e) => {
                let _ = tx.send(Msg::CmdFailed(e)).await;
                send(RotationMsg::Finished { ok: false }).await;
                return;
            }
        };
        let ptx = tx.clone();
        let report: Report = Arc::new(move |p: Progress| {
            let _ = ptx.try_send(Msg::Rotation(Box::new(RotationMsg::Progress(p))));
        });
        let out = match cmd {
            RotationCmd::Run {
                plan,
                edit,
                doc,
                restart,
                ..
            } => rotate(&ops, &plan, &edit, &doc, restart, &report).await,
            RotationCmd::Rollback {
                plan,
                journal,
                restart,
                ..
            } => rollback(&ops, &plan, journal, restart, &report).await,
            RotationCmd::Resume { journal, .. } => {
                let journal = match journal {
                    Some(j) => Some(j),
                    None => ops.journal.unfinished().unwrap_or_default(),
                };
                match journal {
                    Some(j) => resume(&ops, j, &report).await,
                    None => {
                        let _ = tx
                            .send(Msg::CmdFailed("no unfinished rotation to retry".into()))
                            .await;
                        send(RotationMsg::Finished { ok: false }).await;
                        return;
                    }
                }
            }
            RotationCmd::Load { .. } => return,
        };
        send(RotationMsg::Finished { ok: out.ok() }).await;
    });
}

/// At start: an unfinished rotation in the journal, offered to the user.
pub(super) async fn announce_unfinished(paths: &Paths, tx: &mpsc::Sender<Msg>) {
    let Ok(store) = JournalStore::required(paths) else {
        return;
    };
    match store.unfinished() {
        Ok(Some(j)) => {
            let _ = tx
                .send(Msg::Rotation(Box::new(RotationMsg::Unfinished(Box::new(
                    j,
                )))))
                .await;
        }
        Ok(None) => {}
        Err(e) => {
            let _ = tx.send(Msg::CmdFailed(e)).await;
        }
    }
}
