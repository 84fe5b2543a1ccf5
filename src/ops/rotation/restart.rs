//! Rollout restart (the `kubectl.kubernetes.io/restartedAt` pod-template
//! annotation, as `kubectl rollout restart` does) followed until the
//! workload is Available again. A paused Deployment is refused.

use super::{OpsEnv, Report, StepId, StepState, tell};
use crate::domain::rotation::WorkloadRef;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use serde_json::Value;
use std::time::Duration;

fn api(env: &OpsEnv, w: &WorkloadRef) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("apps", "v1", &w.kind);
    Api::namespaced_with(env.kube.clone(), &w.namespace, &ApiResource::from_gvk(&gvk))
}

/// Patch the restart annotation; returns the generation to wait for.
pub async fn start(env: &OpsEnv, w: &WorkloadRef) -> Result<i64, String> {
    let api = api(env, w);
    let obj = api
        .get(&w.name)
        .await
        .map_err(|e| format!("cannot read {}: {e}", w.label()))?;
    if obj.data.pointer("/spec/paused") == Some(&Value::Bool(true)) {
        return Err(format!(
            "{} is paused: resume it before restarting",
            w.label()
        ));
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let patch = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": now}}}}});
    let out = api
        .patch(&w.name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(|e| format!("cannot restart {}: {e}", w.label()))?;
    Ok(out.metadata.generation.unwrap_or(0))
}

fn num(v: &Value, p: &str) -> i64 {
    v.pointer(p).and_then(Value::as_i64).unwrap_or(0)
}

/// Rolled out and available, in words when not yet.
fn rolled_out(obj: &DynamicObject, generation: i64) -> Result<(), String> {
    let d = &obj.data;
    if num(d, "/status/observedGeneration") < generation {
        return Err("waiting for the controller".into());
    }
    let (updated, available, want) = if d.pointer("/status/desiredNumberScheduled").is_some() {
        (
            num(d, "/status/updatedNumberScheduled"),
            num(d, "/status/numberAvailable"),
            num(d, "/status/desiredNumberScheduled"),
        )
    } else {
        let want = d
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        let avail = if d.pointer("/status/availableReplicas").is_some() {
            num(d, "/status/availableReplicas")
        } else {
            num(d, "/status/readyReplicas")
        };
        (num(d, "/status/updatedReplicas"), avail, want)
    };
    let total = num(d, "/status/replicas").max(want);
    if updated >= want && available >= want && total <= want {
        Ok(())
    } else {
        Err(format!("{updated}/{want} updated, {available} available"))
    }
}

/// Restart each workload and follow it to Available.
pub async fn restart_all(
    env: &OpsEnv,
    workloads: &[WorkloadRef],
    report: &Report,
) -> Result<Vec<String>, String> {
    let mut started = Vec::new();
    for w in workloads {
        let generation = start(env, w).await?;
        started.push((w, generation));
    }
    let deadline = tokio::time::Instant::now() + env.timeout;
    let mut done = Vec::new();
    for (w, generation) in started {
        loop {
            let obj = api(env, w)
                .get(&w.name)
                .await
                .map_err(|e| format!("cannot read {}: {e}", w.label()))?;
            match rolled_out(&obj, generation) {
                Ok(()) => break,
                Err(why) => {
                    tell(
                        report,
                        StepId::Restart,
                        StepState::Running(format!("{}: {why}", w.label())),
                    );
                    if tokio::time::Instant::now() > deadline {
                        return Err(format!(
                            "{} not available after {}s: {why}",
                            w.label(),
                            env.timeout.as_secs()
                        ));
                    }
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
            }
        }
        done.push(w.label());
    }
    Ok(done)
}
