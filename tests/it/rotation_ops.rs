//! The rotation operations end to end on the simulated environment:
//! crash and resume, rollback, an AWS error on the write, a sync failure,
//! read-only mode — and no value in the journal or the audit log.

use crate::rotation_support;
use crate::support;

use rotation_support::*;
use secretdeck::domain::rotation::{Edit, Sensitive, apply_edit, plan};
use secretdeck::domain::rotation::{Journal, Reached, StepId};
use secretdeck::domain::secret_format::detect;
use secretdeck::ops::rotation::{resume, rollback, rotate, steps};

const NEW: &str = "resume-test-value-7f3k2";

fn new_doc(env: &secretdeck_sim::SimEnv, value: &str) -> Sensitive {
    let old = env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap();
    let e = apply_edit(&old, detect(&old), &Edit::Key(KEY.into()), value).unwrap();
    Sensitive(e.document)
}

async fn wait_synced(env: &secretdeck_sim::SimEnv) {
    support::eventually(60, "the onthetop Secret exists", || async {
        secret_data(env, NS, "onthetop-backend-secrets", "secrets.properties").map(|_| ())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_after_the_put_resumes_with_one_new_version_then_rollback_restores() {
    let dir = tempfile::tempdir().unwrap();
    let env = sim(dir.path()).await;
    wait_synced(&env).await;
    let state = dir.path().join("state");
    let (ops, inv) = ops(&env, &state, false).await;
    let plan = plan(&inv, SECRET);
    assert_eq!(plan.readers.len(), 1);
    assert_eq!(plan.restarts.len(), 1, "{plan:?}");
    let old_value = env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap();
    let versions_before = env.sm.version_stages(SECRET).len();

    // What `rotate` does up to the put, then the process dies.
    let old_version = steps::current_version(&ops, SECRET, None).await.unwrap();
    let mut j = Journal::new(
        plan.clone(),
        &ops.kube_context,
        "key x",
        old_version.clone(),
        true,
    );
    j.hashes_before = steps::hashes(&ops, &plan.readers).await;
    ops.journal.save(&j).unwrap();
    steps::write(&ops, SECRET, None, &j.token, &new_doc(&env, NEW))
        .await
        .unwrap();
    drop(j);

    let j = ops
        .journal
        .unfinished()
        .unwrap()
        .expect("an unfinished journal");
    assert_eq!(j.reached, Reached::Prepared);
    let (report, _) = recorder();
    let out = resume(&ops, j.clone(), &report).await;
    assert!(out.ok(), "{out:?}");
    assert_eq!(env.sm.version_stages(SECRET).len(), versions_before + 1);
    assert_eq!(out.new_version.as_deref(), Some(j.token.as_str()));
    let props = secret_data(&env, NS, "onthetop-backend-secrets", "secrets.properties").unwrap();
    assert!(props.contains(&format!("{KEY}={NEW}")));
    assert_eq!(ops.journal.unfinished().unwrap(), None);
    // Resuming again is refused (nothing unfinished), a second resume of
    // the same journal would not add a version either.
    let out = resume(&ops, j, &report).await;
    assert!(out.ok(), "{out:?}");
    assert_eq!(env.sm.version_stages(SECRET).len(), versions_before + 1);

    let out = rollback(&ops, &plan, None, true, &report).await;
    assert!(out.ok(), "{out:?}");
    assert_eq!(
        env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap(),
        old_value
    );
    assert_eq!(out.new_version, old_version);
    let props = secret_data(&env, NS, "onthetop-backend-secrets", "secrets.properties").unwrap();
    assert_eq!(props, old_value);

    let text = all_text(&state);
    assert!(text.contains("\"action\":\"rollback\""));
    assert!(!text.contains(NEW), "a value leaked into the state dir");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_denied_on_put_changes_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let env = sim(dir.path()).await;
    wait_synced(&env).await;
    let state = dir.path().join("state");
    let (ops, inv) = ops(&env, &state, false).await;
    let plan = plan(&inv, SECRET);
    let versions = env.sm.version_stages(SECRET);
    let before = secret_data(&env, NS, "onthetop-backend-secrets", "secrets.properties");
    let pods_before = pods(&env, NS);
    env.sm
        .inject_fault("PutSecretValue", "AccessDeniedException", 1);
    let (report, seen) = recorder();
    let out = rotate(
        &ops,
        &plan,
        "key x",
        &new_doc(&env, "denied-value-91"),
        true,
        &report,
    )
    .await;
    let (step, msg) = out.failed.clone().expect("failed");
    assert_eq!(step, StepId::Write);
    assert!(msg.contains("AccessDeniedException"), "{msg}");
    assert!(seen.lock().unwrap().iter().any(|p| matches!(&p.state, secretdeck::domain::rotation::StepState::Failed(m) if m.contains("access denied"))));
    assert_eq!(env.sm.version_stages(SECRET), versions);
    assert_eq!(
        secret_data(&env, NS, "onthetop-backend-secrets", "secrets.properties"),
        before
    );
    assert_eq!(pods(&env, NS), pods_before);
    // Nothing was written: no rotation is left to resume.
    assert_eq!(ops.journal.unfinished().unwrap(), None);
    let audit = std::fs::read_to_string(state.join("audit.jsonl")).unwrap();
    assert!(audit.contains("AccessDeniedException") && audit.contains("\"outcome\":\"error\""));
    assert!(!all_text(&state).contains("denied-value-91"));
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_failure_is_shown_and_rollback_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let env = sim(dir.path()).await;
    wait_synced(&env).await;
    let state = dir.path().join("state");
    let (ops, inv) = ops(&env, &state, false).await;
    let plan = plan(&inv, SECRET);
    let old_value = env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap();
    let (report, _) = recorder();
    let mut j = Journal::new(plan.clone(), &ops.kube_context, "key x", None, false);
    j.hashes_before = steps::hashes(&ops, &plan.readers).await;
    steps::write(
        &ops,
        SECRET,
        None,
        &j.token,
        &new_doc(&env, "never-synced-55"),
    )
    .await
    .unwrap();
    // ESO cannot read the secret any more.
    env.sm
        .inject_fault("GetSecretValue", "AccessDeniedException", 10_000);
    let e = steps::sync(&ops, &plan.readers, &j.hashes_before, true, &report)
        .await
        .unwrap_err();
    // Whichever ESO reports first: the Ready condition or its event.
    assert!(
        e.contains("SecretSyncedError")
            || (e.contains("UpdateFailed") && e.contains("AccessDeniedException")),
        "{e}"
    );
    env.sm.clear_faults();
    let out = rollback(&ops, &plan, None, false, &report).await;
    assert!(out.ok(), "{out:?}");
    assert_eq!(
        env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap(),
        old_value
    );
    support::eventually(60, "the Secret back at the old value", || async {
        (secret_data(&env, NS, "onthetop-backend-secrets", "secrets.properties").as_deref()
            == Some(old_value.as_str()))
        .then_some(())
    })
    .await;
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_rotate_and_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let env = sim(dir.path()).await;
    wait_synced(&env).await;
    let state = dir.path().join("state");
    let (ops, inv) = ops(&env, &state, true).await;
    let plan = plan(&inv, SECRET);
    let versions = env.sm.version_stages(SECRET);
    let (report, _) = recorder();
    let out = rotate(
        &ops,
        &plan,
        "key x",
        &new_doc(&env, "readonly-value-3"),
        true,
        &report,
    )
    .await;
    assert!(
        out.failed
            .as_ref()
            .is_some_and(|(_, m)| m.contains("read-only mode")),
        "{out:?}"
    );
    let out = rollback(&ops, &plan, None, true, &report).await;
    assert!(
        out.failed
            .as_ref()
            .is_some_and(|(_, m)| m.contains("read-only mode")),
        "{out:?}"
    );
    assert_eq!(env.sm.version_stages(SECRET), versions);
    env.shutdown().await;
}
