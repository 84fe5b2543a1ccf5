//! Carrying out a scenario's follow-ups once the controllers have brought
//! the apps up: each waits (bounded) for its condition, then acts through
//! the same state a user or CI pipeline would change.

use super::controllers::argo::Git;
use super::kube::patch::PatchKind;
use super::kube::store::{Store, Writer};
use super::scenario::FollowUp;
use super::sm::SmState;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// How long a follow-up waits for its condition before giving up.
const PATIENCE: Duration = Duration::from_secs(300);

fn available(store: &Store, ns: &str, name: &str) -> bool {
    let Ok(rt) = store.resource("apps", "deployments") else {
        return false;
    };
    store.get(rt, ns, name).is_ok_and(|d| {
        let want = d["spec"]["replicas"].as_i64().unwrap_or(1);
        let st = &d["status"];
        st["updatedReplicas"].as_i64() == Some(want)
            && st["availableReplicas"].as_i64() == Some(want)
    })
}

/// Available, and every pod of the deployment started at least two seconds
/// ago: a change made now is later than their start even at the one-second
/// resolution of Kubernetes timestamps.
fn settled(store: &Store, ns: &str, name: &str) -> bool {
    if !available(store, ns, name) {
        return false;
    }
    let Ok(rt) = store.resource("", "pods") else {
        return false;
    };
    let sel = super::kube::selectors::Selectors::default();
    let now = chrono::Utc::now();
    store.list(rt, Some(ns), &sel).0.iter().all(|p| {
        let owned = p["metadata"]["ownerReferences"]
            .as_array()
            .is_some_and(|o| o.iter().any(|r| r["name"] == name));
        let started = p
            .pointer("/status/containerStatuses/0/state/running/startedAt")
            .and_then(Value::as_str)
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
        !owned || started.is_some_and(|t| (now - t.with_timezone(&chrono::Utc)).num_seconds() >= 2)
    })
}

async fn wait_for(mut cond: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while tokio::time::Instant::now() < deadline {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

pub async fn run(store: Arc<Store>, sm: Arc<SmState>, git: Option<Arc<Git>>, f: FollowUp) {
    match f {
        FollowUp::RotateUnderRunningPods {
            namespace,
            deployment,
            aws_secret,
            value,
            external_secret,
        } => {
            if !wait_for(|| settled(&store, &namespace, &deployment)).await {
                return tracing::warn!(%namespace, "follow-up gave up: deployment never became available");
            }
            if let Err(e) = sm.put_value(&aws_secret, &value) {
                return tracing::warn!(%e, "follow-up: could not write the new value");
            }
            let Ok(rt) = store.resource(super::kube::resources::ESO, "externalsecrets") else {
                return;
            };
            let stamp = chrono::Utc::now().timestamp().to_string();
            let patch = json!({"metadata": {"annotations": {"force-sync": stamp}}});
            let _ = store.patch(
                rt,
                &namespace,
                &external_secret,
                PatchKind::Merge,
                &patch,
                Writer::update("kubectl-annotate"),
                false,
            );
        }
        FollowUp::LiveEdit {
            namespace,
            configmap,
            key,
            value,
        } => {
            let Ok(rt) = store.resource("", "configmaps").cloned() else {
                return;
            };
            let exists = || {
                store
                    .get(&rt, &namespace, &configmap)
                    .is_ok_and(|c| c["data"].get(&key).is_some())
            };
            if !wait_for(exists).await {
                return tracing::warn!(%namespace, "follow-up gave up: the ConfigMap never appeared");
            }
            let patch = json!({"data": {key: Value::String(value)}});
            let _ = store.patch(
                &rt,
                &namespace,
                &configmap,
                PatchKind::Merge,
                &patch,
                Writer::update("kubectl-edit"),
                false,
            );
        }
        FollowUp::GitChange {
            namespace,
            deployment,
            git: next,
        } => {
            let Some(git) = git else { return };
            if !wait_for(|| available(&store, &namespace, &deployment)).await {
                return tracing::warn!(%namespace, "follow-up gave up: deployment never became available");
            }
            git.set_path(&next.repo, &next.path, next.manifests);
        }
    }
}
