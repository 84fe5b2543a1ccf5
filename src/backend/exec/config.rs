//! Carrying out the ConfigMap editor's commands for the console's backend:
//! each one audited (never a value), each answer a `ConfigMsg`.

use crate::domain::config_edit::{Applied, Loaded};
use crate::ops::config_edit as ops;
use crate::settings::Paths;
use crate::state::Msg;
use crate::state::config_edit::{ConfigCmd, ConfigMsg};
use tokio::sync::mpsc;

/// Run `cmd` in a task; every answer goes to `tx`.
pub(super) fn spawn(
    client: kube::Client,
    context: String,
    cmd: ConfigCmd,
    paths: Paths,
    tx: mpsc::Sender<Msg>,
) {
    tokio::spawn(async move {
        for msg in run(client, context, cmd, paths).await {
            let _ = tx.send(msg).await;
        }
    });
}

/// Run one command; the answer, and an audit failure if there was one.
async fn run(client: kube::Client, context: String, cmd: ConfigCmd, paths: Paths) -> Vec<Msg> {
    let mut out = Vec::new();
    let mut audit = |action: &str, target: &str, result: Result<(), String>| {
        if let Err(e) = ops::audit(action, target, &context, &result, &paths) {
            tracing::error!(error = %e, "audit record not written");
            out.push(Msg::CmdFailed(e));
        }
    };
    let mut later = None;
    let msg = match cmd {
        ConfigCmd::Apply { base, edit } => apply(&client, &base, &edit, &mut audit).await,
        ConfigCmd::GitEdit {
            repo,
            repo_url,
            source_path,
            base,
            edit,
        } => {
            let target = format!("{} key {}", base.target(), edit.key);
            let result =
                ops::git_edit(repo, repo_url, source_path, base, edit, paths.clone()).await;
            audit(
                "config-edit-git",
                &target,
                result.as_ref().map(|_| ()).map_err(Clone::clone),
            );
            ConfigMsg::GitEdited(result)
        }
        ConfigCmd::PauseAutoSync {
            app_namespace,
            app,
            then_apply,
        } => {
            let result = ops::pause_auto_sync(&client, &app_namespace, &app).await;
            if result.is_ok()
                && let Some((base, edit)) = then_apply
            {
                later = Some(apply(&client, &base, &edit, &mut audit).await);
            }
            let target = format!("Application {app_namespace}/{app}");
            audit(
                "pause-auto-sync",
                &target,
                result.as_ref().map(|_| ()).map_err(Clone::clone),
            );
            ConfigMsg::Paused {
                app_namespace,
                app,
                result,
            }
        }
        ConfigCmd::ResumeAutoSync {
            app_namespace,
            app,
            previous,
        } => {
            let result = ops::resume_auto_sync(&client, &app_namespace, &app, &previous).await;
            let target = format!("Application {app_namespace}/{app}");
            audit("resume-auto-sync", &target, result.clone());
            ConfigMsg::Resumed { app, result }
        }
        ConfigCmd::Restart(workloads) => {
            let mut done = Vec::new();
            let mut failed = None;
            for w in workloads {
                let target = format!("{} {}/{}", w.kind, w.namespace, w.name);
                let result = restart(&client, &w.kind, &w.namespace, &w.name).await;
                audit("restart", &target, result.clone());
                match result {
                    Ok(()) => done.push(target),
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            ConfigMsg::Restarted(match failed {
                None => Ok(done),
                Some(e) if done.is_empty() => Err(e),
                Some(e) => Err(format!("{e} (already restarted: {})", done.join(", "))),
            })
        }
    };
    let mut msgs = vec![Msg::Config(msg)];
    msgs.extend(later.map(Msg::Config));
    msgs.extend(out);
    msgs
}

/// Apply an edit (audited as `config-edit`).
async fn apply(
    client: &kube::Client,
    base: &Loaded,
    edit: &crate::domain::config_edit::ConfigEdit,
    audit: &mut impl FnMut(&str, &str, Result<(), String>),
) -> ConfigMsg {
    let target = format!("{} key {}", base.target(), edit.key);
    let result = ops::apply(client, base, edit).await;
    let outcome = match &result {
        Ok(Applied::Done { .. }) => Ok(()),
        Ok(Applied::Conflict { theirs }) => Err(format!(
            "conflict: changed since read (resourceVersion {} -> {}); nothing written",
            base.resource_version, theirs.resource_version
        )),
        Err(e) => Err(e.clone()),
    };
    audit("config-edit", &target, outcome);
    ConfigMsg::Applied(result)
}

/// A rollout restart (refused for a paused Deployment), followed until
/// the rollout is Available.
async fn restart(client: &kube::Client, kind: &str, ns: &str, name: &str) -> Result<(), String> {
    let timeout = std::time::Duration::from_secs(300);
    let r = crate::ops::restart::restart_and_follow(
        client,
        kind,
        ns,
        name,
        chrono::Utc::now(),
        timeout,
    )
    .await;
    if r.is_ok() { Ok(()) } else { Err(r.message) }
}
