//! Argo CD: refresh (normal / hard) through the `argocd.argoproj.io/refresh`
//! annotation, followed until the controller clears it and `reconciledAt`
//! moves; sync by merge-patching the top-level `operation`, followed
//! through `status.operationState` to Succeeded / Failed.

use super::follow::{self, FollowError, text_at};
use crate::backend::discover::discover;
use crate::backend::kube_words::kube_words;
use crate::domain::ops::annotations::ARGO_REFRESH;
use crate::domain::ops::outcome::OpResult;
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams};
use std::time::Duration;

pub const REFRESH: &str = "argo-refresh";
pub const SYNC: &str = "argo-sync";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

pub fn target(ns: &str, name: &str) -> String {
    format!("Application {ns}/{name}")
}

/// The Application resource, when Argo CD is installed.
pub async fn app_resource(client: &Client) -> Result<ApiResource, String> {
    discover(client.clone())
        .await
        .map_err(|e| format!("cannot discover the API groups: {}", kube_words(&e)))?
        .applications
        .ok_or_else(|| "Argo CD is not installed (no Application API)".into())
}

/// Find an Application by `NAME` (any namespace) or `NS/NAME`.
pub async fn find_app(
    client: &Client,
    ar: &ApiResource,
    spec: &str,
) -> Result<(String, String), String> {
    if let Some((ns, name)) = spec.split_once('/') {
        return Ok((ns.to_string(), name.to_string()));
    }
    let all: Api<DynamicObject> = Api::all_with(client.clone(), ar);
    let list = all
        .list(&Default::default())
        .await
        .map_err(|e| format!("cannot list Applications: {}", kube_words(&e)))?;
    let found: Vec<String> = list
        .items
        .iter()
        .filter(|a| a.metadata.name.as_deref() == Some(spec))
        .filter_map(|a| a.metadata.namespace.clone())
        .collect();
    match found.as_slice() {
        [ns] => Ok((ns.clone(), spec.to_string())),
        [] => Err(format!("no Argo CD Application named {spec}")),
        many => Err(format!(
            "Application {spec} exists in several namespaces ({}): name it as NS/{spec}",
            many.join(", ")
        )),
    }
}

/// Ask Argo CD to refresh (`hard`: also regenerate the manifests) and
/// wait until it has.
pub async fn refresh(
    client: &Client,
    ar: &ApiResource,
    ns: &str,
    name: &str,
    hard: bool,
    timeout: Duration,
) -> OpResult {
    let target = target(ns, name);
    let fail = |m: String| OpResult::failed(REFRESH, &target, m);
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, ar);
    let before = match api.get(name).await {
        Ok(o) => text_at(&o, "/status/reconciledAt"),
        Err(e) => return fail(format!("cannot read {target}: {}", kube_words(&e))),
    };
    let kind = if hard { "hard" } else { "normal" };
    let patch = serde_json::json!({"metadata": {"annotations": {ARGO_REFRESH: kind}}});
    if let Err(e) = api
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
    {
        return fail(format!("cannot annotate {target}: {}", kube_words(&e)));
    }
    let done = follow::until(&api, name, timeout, move |o| {
        let cleared = o
            .metadata
            .annotations
            .as_ref()
            .is_none_or(|a| !a.contains_key(ARGO_REFRESH));
        cleared && text_at(o, "/status/reconciledAt") != before
    })
    .await;
    match done {
        Ok(o) => {
            let sync = text_at(&o, "/status/sync/status").unwrap_or_else(|| "Unknown".into());
            let health = text_at(&o, "/status/health/status").unwrap_or_else(|| "Unknown".into());
            OpResult::ok(
                REFRESH,
                &target,
                format!("{kind} refresh done: {sync}, {health}"),
            )
        }
        Err(FollowError::TimedOut(d)) => fail(format!(
            "Argo CD did not refresh within {}s (is the application controller running?)",
            d.as_secs()
        )),
        Err(e) => fail(e.to_string()),
    }
}

/// Start a sync as `user` and follow it to its end.
pub async fn sync(
    client: &Client,
    ar: &ApiResource,
    ns: &str,
    name: &str,
    user: &str,
    timeout: Duration,
) -> OpResult {
    let target = target(ns, name);
    let fail = |m: String| OpResult::failed(SYNC, &target, m);
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, ar);
    let before = match api.get(name).await {
        Ok(o) => o,
        Err(e) => return fail(format!("cannot read {target}: {}", kube_words(&e))),
    };
    if before.data.get("operation").is_some_and(|o| !o.is_null()) {
        return fail("another operation is already in progress on this app".into());
    }
    let patch = serde_json::json!({"operation": {
        "initiatedBy": {"username": user},
        "sync": {"prune": false, "syncStrategy": {"hook": {}}}
    }});
    if let Err(e) = api
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
    {
        return fail(format!(
            "cannot start the sync of {target}: {}",
            kube_words(&e)
        ));
    }
    // Argo CD removes `operation` when it has finished it; none was there
    // before ours, so its absence with a final phase is our sync's end.
    let done = follow::until(&api, name, timeout, move |o| {
        let phase = text_at(o, "/status/operationState/phase");
        let pending = o.data.get("operation").is_some_and(|op| !op.is_null());
        !pending && matches!(phase.as_deref(), Some("Succeeded" | "Failed" | "Error"))
    })
    .await;
    match done {
        Ok(o) => {
            let phase = text_at(&o, "/status/operationState/phase").unwrap_or_default();
            let message = text_at(&o, "/status/operationState/message").unwrap_or_default();
            if phase == "Succeeded" {
                OpResult::ok(SYNC, &target, format!("Succeeded: {message}"))
            } else {
                fail(format!("{phase}: {message}"))
            }
        }
        Err(FollowError::TimedOut(d)) => fail(format!(
            "the sync did not finish within {}s (still running in Argo CD)",
            d.as_secs()
        )),
        Err(e) => fail(e.to_string()),
    }
}
