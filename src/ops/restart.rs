//! Rollout restart of a workload, as `kubectl rollout restart` does it:
//! patch `spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]`
//! to now (RFC 3339), then follow the rollout to Available. A paused
//! Deployment is refused: it would not roll out.

use super::follow::{self, FollowError, int_at};
use crate::backend::kube_words::kube_words;
use crate::domain::ops::annotations::RESTARTED_AT;
use crate::domain::ops::outcome::OpResult;
use chrono::{DateTime, SecondsFormat, Utc};
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use std::time::Duration;

pub const ACTION: &str = "restart";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
pub const KINDS: [&str; 3] = ["Deployment", "StatefulSet", "DaemonSet"];

pub fn target(kind: &str, ns: &str, name: &str) -> String {
    format!("{kind} {ns}/{name}")
}

fn api(client: &Client, kind: &str, ns: &str) -> Result<Api<DynamicObject>, String> {
    if !KINDS.contains(&kind) {
        return Err(format!(
            "cannot restart a {kind}: only Deployments, StatefulSets and DaemonSets"
        ));
    }
    let ar = ApiResource::from_gvk(&GroupVersionKind::gvk("apps", "v1", kind));
    Ok(Api::namespaced_with(client.clone(), ns, &ar))
}

/// Why a restart would not roll out, if it would not.
pub fn refusal(kind: &str, obj: &DynamicObject) -> Option<String> {
    let paused = obj.data.pointer("/spec/paused").and_then(|v| v.as_bool()) == Some(true);
    (paused && kind == "Deployment").then(|| {
        "the Deployment is paused (spec.paused: true): a restart would not roll out; resume it first (kubectl rollout resume)".to_string()
    })
}

/// Patch the restart annotation; the generation to wait for on success.
pub async fn restart(
    client: &Client,
    kind: &str,
    ns: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, String> {
    let target = target(kind, ns, name);
    let api = api(client, kind, ns)?;
    let current = api
        .get(name)
        .await
        .map_err(|e| format!("cannot read {target}: {}", kube_words(&e)))?;
    if let Some(why) = refusal(kind, &current) {
        return Err(format!("refused: {why}"));
    }
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let patch = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: at}}}}});
    let patched = api
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(|e| format!("cannot restart {target}: {}", kube_words(&e)))?;
    Ok(patched.metadata.generation.unwrap_or(0))
}

/// The rollout reached `generation` and every replica is updated and available.
pub fn rolled_out(kind: &str, obj: &DynamicObject, generation: i64) -> bool {
    let observed = int_at(obj, "/status/observedGeneration").unwrap_or(0);
    if observed < generation {
        return false;
    }
    let n = |p: &str| int_at(obj, p).unwrap_or(0);
    match kind {
        "DaemonSet" => {
            let want = n("/status/desiredNumberScheduled");
            n("/status/updatedNumberScheduled") == want && n("/status/numberAvailable") == want
        }
        _ => {
            let want = int_at(obj, "/spec/replicas").unwrap_or(1);
            let replicas = n("/status/replicas");
            n("/status/updatedReplicas") == want
                && replicas == want
                && n("/status/availableReplicas") == want
        }
    }
}

/// Follow a restarted workload until it is Available again.
pub async fn follow(
    client: &Client,
    kind: &str,
    ns: &str,
    name: &str,
    generation: i64,
    timeout: Duration,
) -> OpResult {
    let target = target(kind, ns, name);
    let api = match api(client, kind, ns) {
        Ok(a) => a,
        Err(e) => return OpResult::failed(ACTION, &target, e),
    };
    let k = kind.to_string();
    match follow::until(&api, name, timeout, move |o| rolled_out(&k, o, generation)).await {
        Ok(o) => {
            let n = int_at(&o, "/status/availableReplicas")
                .or_else(|| int_at(&o, "/status/numberAvailable"))
                .unwrap_or(0);
            OpResult::ok(ACTION, &target, format!("rolled out: {n} available"))
        }
        Err(FollowError::TimedOut(d)) => OpResult::failed(
            ACTION,
            &target,
            format!(
                "not Available within {}s (see its pods and events)",
                d.as_secs()
            ),
        ),
        Err(e) => OpResult::failed(ACTION, &target, e.to_string()),
    }
}

/// Restart and follow: one call for the console, the CLI and other flows.
pub async fn restart_and_follow(
    client: &Client,
    kind: &str,
    ns: &str,
    name: &str,
    now: DateTime<Utc>,
    timeout: Duration,
) -> OpResult {
    match restart(client, kind, ns, name, now).await {
        Ok(generation) => follow(client, kind, ns, name, generation, timeout).await,
        Err(e) => OpResult::failed(ACTION, &target(kind, ns, name), e),
    }
}
