//! The rotation run, start to finish or from a journal.

use super::{OpsEnv, Report, restart, steps, tell};
use crate::audit::AuditRecord;
use crate::domain::ops::guard::refuse_if_readonly;
use crate::domain::rotation::{Journal, Outcome, Plan, Reached, Sensitive, StepId, StepState};

/// One audit line (never a value).
pub(crate) fn audit(
    env: &OpsEnv,
    action: &str,
    plan: &Plan,
    versions: &[Option<String>],
    what: &str,
    error: Option<&str>,
) {
    let mut r = AuditRecord::now(
        action,
        &format!("SecretsManager {} ({what})", plan.aws_secret),
        &env.kube_context,
    );
    r.aws_identity = env.aws_identity.clone();
    r.aws_secret = Some(plan.aws_secret.clone());
    let ids: Vec<String> = versions.iter().flatten().cloned().collect();
    r.version_ids = (!ids.is_empty()).then_some(ids);
    if let Some(e) = error {
        r.outcome = "error".into();
        r.error = Some(e.to_string());
    }
    if let Err(e) = env.audit.append(&r) {
        tracing::error!(error = %e, "audit record not written");
    }
}

fn fail(
    env: &OpsEnv,
    action: &str,
    plan: &Plan,
    out: &mut Outcome,
    report: &Report,
    step: StepId,
    msg: String,
) {
    tell(report, step, StepState::Failed(msg.clone()));
    audit(
        env,
        action,
        plan,
        &[out.old_version.clone(), out.new_version.clone()],
        &format!("{} failed", step.label()),
        Some(&msg),
    );
    out.failed = Some((step, msg));
}

fn save(env: &OpsEnv, j: &Journal) -> Result<(), String> {
    env.journal.save(j)
}

/// Rotate `plan.aws_secret` to `doc`: Write, Sync, Restart (when asked), Done.
pub async fn rotate(
    env: &OpsEnv,
    plan: &Plan,
    edit: &str,
    doc: &Sensitive,
    restart: bool,
    report: &Report,
) -> Outcome {
    let mut out = Outcome {
        failed: None,
        old_version: None,
        new_version: None,
        restarted: vec![],
    };
    let region = plan.region.clone();
    if let Err(e) = refuse_if_readonly(env.readonly, &format!("rotate {}", plan.aws_secret)) {
        fail(
            env,
            "rotate",
            plan,
            &mut out,
            report,
            StepId::Write,
            e.to_string(),
        );
        return out;
    }
    if let Ok(Some(j)) = env.journal.unfinished() {
        let msg = format!(
            "an unfinished rotation of {} ({}) is in the journal: resume or roll it back first",
            j.plan.aws_secret, j.started
        );
        fail(env, "rotate", plan, &mut out, report, StepId::Write, msg);
        return out;
    }
    tell(
        report,
        StepId::Write,
        StepState::Running("reading the current version".into()),
    );
    let old = match steps::current_version(env, &plan.aws_secret, region.as_deref()).await {
        Ok(v) => v,
        Err(e) => {
            fail(env, "rotate", plan, &mut out, report, StepId::Write, e);
            return out;
        }
    };
    out.old_version = old.clone();
    let mut j = Journal::new(plan.clone(), &env.kube_context, edit, old, restart);
    j.hashes_before = steps::hashes(env, &plan.readers).await;
    if let Err(e) = save(env, &j) {
        fail(env, "rotate", plan, &mut out, report, StepId::Write, e);
        return out;
    }
    tell(
        report,
        StepId::Write,
        StepState::Running("PutSecretValue".into()),
    );
    match steps::write(env, &plan.aws_secret, region.as_deref(), &j.token, doc).await {
        Ok(v) => out.new_version = Some(v),
        Err(e) => {
            // Nothing written (no version with our token): close the journal.
            if !steps::version_exists(env, &plan.aws_secret, region.as_deref(), &j.token)
                .await
                .unwrap_or(true)
            {
                j.reached = Reached::Abandoned;
                let _ = save(env, &j);
            }
            fail(env, "rotate", plan, &mut out, report, StepId::Write, e);
            return out;
        }
    }
    continue_from_written(env, j, out, report).await
}

/// Finish an unfinished rotation from its journal.
pub async fn resume(env: &OpsEnv, mut j: Journal, report: &Report) -> Outcome {
    let plan = j.plan.clone();
    let region = plan.region.clone();
    let mut out = Outcome {
        failed: None,
        old_version: j.old_version.clone(),
        new_version: None,
        restarted: vec![],
    };
    if let Err(e) = refuse_if_readonly(
        env.readonly,
        &format!("resume the rotation of {}", plan.aws_secret),
    ) {
        fail(
            env,
            "rotate",
            &plan,
            &mut out,
            report,
            StepId::Write,
            e.to_string(),
        );
        return out;
    }
    if j.reached == Reached::Prepared {
        match steps::version_exists(env, &plan.aws_secret, region.as_deref(), &j.token).await {
            Ok(true) => {}
            Ok(false) => {
                j.reached = Reached::Abandoned;
                let _ = save(env, &j);
                let msg = "the new value was never written (nothing changed); start a new rotation"
                    .to_string();
                fail(env, "rotate", &plan, &mut out, report, StepId::Write, msg);
                return out;
            }
            Err(e) => {
                fail(env, "rotate", &plan, &mut out, report, StepId::Write, e);
                return out;
            }
        }
    }
    if j.reached == Reached::Synced {
        out.new_version = Some(j.token.clone());
        tell(
            report,
            StepId::Write,
            StepState::Done(format!("version {}", j.token)),
        );
        tell(
            report,
            StepId::Sync,
            StepState::Done("synced before".into()),
        );
        return finish(env, j, out, report).await;
    }
    match steps::verify_current(env, &plan.aws_secret, region.as_deref(), &j.token).await {
        Ok(v) => out.new_version = Some(v),
        Err(e) => {
            fail(env, "rotate", &plan, &mut out, report, StepId::Write, e);
            return out;
        }
    }
    continue_from_written(env, j, out, report).await
}

async fn continue_from_written(
    env: &OpsEnv,
    mut j: Journal,
    mut out: Outcome,
    report: &Report,
) -> Outcome {
    let plan = j.plan.clone();
    j.reached = Reached::Written;
    let _ = save(env, &j);
    let new = out.new_version.clone().unwrap_or_default();
    tell(
        report,
        StepId::Write,
        StepState::Done(format!("AWSCURRENT is version {new}")),
    );
    audit(
        env,
        "rotate",
        &plan,
        &[out.old_version.clone(), out.new_version.clone()],
        &format!("{} written", j.edit),
        None,
    );
    tell(
        report,
        StepId::Sync,
        StepState::Running("force-sync".into()),
    );
    match steps::sync(env, &plan.readers, &j.hashes_before, true, report).await {
        Ok(msg) => tell(report, StepId::Sync, StepState::Done(msg)),
        Err(e) => {
            fail(env, "rotate", &plan, &mut out, report, StepId::Sync, e);
            return out;
        }
    }
    j.reached = Reached::Synced;
    let _ = save(env, &j);
    finish(env, j, out, report).await
}

/// Restart (when asked) and Done, shared with rollback.
pub(crate) async fn restart_step(
    env: &OpsEnv,
    action: &str,
    plan: &Plan,
    wanted: bool,
    out: &mut Outcome,
    report: &Report,
) -> bool {
    if !wanted || plan.restarts.is_empty() {
        let why = if plan.restarts.is_empty() {
            "no workload needs a restart"
        } else {
            "not asked for"
        };
        tell(report, StepId::Restart, StepState::Skipped(why.into()));
        return true;
    }
    tell(
        report,
        StepId::Restart,
        StepState::Running("rollout restart".into()),
    );
    match restart::restart_all(env, &plan.restarts, report).await {
        Ok(done) => {
            tell(
                report,
                StepId::Restart,
                StepState::Done(format!("{} available", done.join(", "))),
            );
            out.restarted = done;
            true
        }
        Err(e) => {
            fail(env, action, plan, out, report, StepId::Restart, e);
            false
        }
    }
}

async fn finish(env: &OpsEnv, mut j: Journal, mut out: Outcome, report: &Report) -> Outcome {
    let plan = j.plan.clone();
    if !restart_step(env, "rotate", &plan, j.restart, &mut out, report).await {
        return out;
    }
    j.reached = Reached::Done;
    let _ = save(env, &j);
    let summary = format!(
        "{} rotated: version {} -> {}; restarted: {}",
        j.edit,
        out.old_version.as_deref().unwrap_or("none"),
        out.new_version.as_deref().unwrap_or("?"),
        if out.restarted.is_empty() {
            "none".to_string()
        } else {
            out.restarted.join(", ")
        }
    );
    audit(
        env,
        "rotate",
        &plan,
        &[out.old_version.clone(), out.new_version.clone()],
        &summary,
        None,
    );
    tell(report, StepId::Done, StepState::Done(summary));
    out
}
