//! Rollback: move AWSCURRENT back to the previous version
//! (UpdateSecretVersionStage), read it back at AWSCURRENT, then Sync and
//! Restart again. From a journal the versions are the journal's; otherwise
//! AWSCURRENT goes back to the version labelled AWSPREVIOUS.

use super::flow::{audit, restart_step};
use super::{OpsEnv, Report, steps, tell};
use crate::backend::aws::words;
use crate::domain::ops::guard::refuse_if_readonly;
use crate::domain::rotation::{Journal, Outcome, Plan, Reached, StepId, StepState};

pub async fn rollback(
    env: &OpsEnv,
    plan: &Plan,
    journal: Option<Journal>,
    restart: bool,
    report: &Report,
) -> Outcome {
    let mut out = Outcome {
        failed: None,
        old_version: None,
        new_version: None,
        restarted: vec![],
    };
    let region = plan.region.as_deref();
    let failed = |out: &mut Outcome, step: StepId, msg: String| {
        tell(report, step, StepState::Failed(msg.clone()));
        audit(
            env,
            "rollback",
            plan,
            &[out.old_version.clone(), out.new_version.clone()],
            &format!("{} failed", step.label()),
            Some(&msg),
        );
        out.failed = Some((step, msg));
    };
    if let Err(e) = refuse_if_readonly(env.readonly, &format!("roll back {}", plan.aws_secret)) {
        failed(&mut out, StepId::Write, e.to_string());
        return out;
    }
    // An unfinished rotation of this secret: roll back exactly its write.
    let journal = journal.or_else(|| {
        env.journal
            .unfinished()
            .ok()
            .flatten()
            .filter(|j| j.plan.aws_secret == plan.aws_secret)
    });
    tell(
        report,
        StepId::Write,
        StepState::Running("DescribeSecret".into()),
    );
    let described = env
        .aws
        .sm(region)
        .await
        .describe_secret()
        .secret_id(&plan.aws_secret)
        .send()
        .await;
    let described = match described {
        Ok(d) => d,
        Err(e) => {
            failed(&mut out, StepId::Write, words("DescribeSecret", &e));
            return out;
        }
    };
    let with = |stage: &str| {
        described.version_ids_to_stages().and_then(|m| {
            m.iter()
                .find(|(_, s)| s.iter().any(|x| x == stage))
                .map(|(id, _)| id.clone())
        })
    };
    let current = with("AWSCURRENT");
    if let Some(j) = &journal
        && j.reached == Reached::Prepared
        && current.as_deref() != Some(j.token.as_str())
    {
        let mut j = j.clone();
        j.reached = Reached::Abandoned;
        let _ = env.journal.save(&j);
        let msg = "the rotation never wrote a new version: nothing to roll back".to_string();
        failed(&mut out, StepId::Write, msg);
        return out;
    }
    let target = match &journal {
        Some(j) => j.old_version.clone(),
        None => with("AWSPREVIOUS"),
    };
    out.old_version = current.clone();
    let Some(target) = target else {
        failed(
            &mut out,
            StepId::Write,
            format!("{} has no previous version to go back to", plan.aws_secret),
        );
        return out;
    };
    out.new_version = Some(target.clone());
    let hashes = steps::hashes(env, &plan.readers).await;
    if current.as_deref() != Some(target.as_str()) {
        let mut call = env
            .aws
            .sm(region)
            .await
            .update_secret_version_stage()
            .secret_id(&plan.aws_secret)
            .version_stage("AWSCURRENT")
            .move_to_version_id(&target);
        if let Some(c) = &current {
            call = call.remove_from_version_id(c);
        }
        tell(
            report,
            StepId::Write,
            StepState::Running("UpdateSecretVersionStage".into()),
        );
        if let Err(e) = call.send().await {
            failed(
                &mut out,
                StepId::Write,
                words("UpdateSecretVersionStage", &e),
            );
            return out;
        }
    }
    if let Err(e) = steps::verify_current(env, &plan.aws_secret, region, &target).await {
        failed(&mut out, StepId::Write, e);
        return out;
    }
    tell(
        report,
        StepId::Write,
        StepState::Done(format!("AWSCURRENT is back at version {target}")),
    );
    audit(
        env,
        "rollback",
        plan,
        &[current.clone(), Some(target.clone())],
        "AWSCURRENT moved back",
        None,
    );
    if let Some(mut j) = journal.clone() {
        j.reached = Reached::RolledBack;
        let _ = env.journal.save(&j);
    }
    tell(
        report,
        StepId::Sync,
        StepState::Running("force-sync".into()),
    );
    match steps::sync(env, &plan.readers, &hashes, false, report).await {
        Ok(msg) => tell(report, StepId::Sync, StepState::Done(msg)),
        Err(e) => {
            failed(&mut out, StepId::Sync, e);
            return out;
        }
    }
    if !restart_step(env, "rollback", plan, restart, &mut out, report).await {
        return out;
    }
    let summary = format!(
        "rolled back {} -> {target}",
        current.as_deref().unwrap_or("none")
    );
    audit(
        env,
        "rollback",
        plan,
        &[current, Some(target)],
        &summary,
        None,
    );
    tell(report, StepId::Done, StepState::Done(summary));
    out
}
