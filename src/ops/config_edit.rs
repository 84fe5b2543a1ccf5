//! Applying a ConfigMap edit, for the console and `secretdeck config set`:
//! with the resourceVersion the edit started from (a 409 means someone
//! else changed it: the caller gets their version, nothing is overwritten),
//! reading what the GitOps decision (`domain::gitops`) needs, pausing /
//! resuming the Application's automated sync, and the Git-side edit.

use crate::audit::{AuditLog, AuditRecord};
use crate::backend::kube_words::kube_words;
use crate::domain::config_edit::{Applied, ConfigEdit, Loaded};
use crate::domain::ops::guard::refuse_if_readonly;
use crate::domain::{Application, ConfigMapObj};
use crate::gitops::GitEdit;
use crate::settings::Paths;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use std::path::PathBuf;

fn api_code(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(status) => Some(status.code),
        _ => None,
    }
}

/// Read a ConfigMap.
pub async fn load(client: &kube::Client, namespace: &str, name: &str) -> Result<Loaded, String> {
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), namespace);
    let cm = api.get(name).await.map_err(|e| match api_code(&e) {
        Some(404) => format!("ConfigMap {namespace}/{name} not found"),
        _ => format!(
            "cannot read ConfigMap {namespace}/{name}: {}",
            kube_words(&e)
        ),
    })?;
    Ok(Loaded {
        namespace: namespace.to_string(),
        name: name.to_string(),
        data: cm.data.unwrap_or_default(),
        binary_keys: cm.binary_data.unwrap_or_default().into_keys().collect(),
        resource_version: cm.metadata.resource_version.unwrap_or_default(),
    })
}

/// Apply `edit` to the ConfigMap as of `base` (its resourceVersion).
/// Validation comes first: an invalid edit writes nothing.
pub async fn apply(
    client: &kube::Client,
    base: &Loaded,
    edit: &ConfigEdit,
) -> Result<Applied, String> {
    edit.check(&base.data, &base.binary_keys)
        .map_err(|e| e.to_string())?;
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), &base.namespace);
    let patch = edit.merge_patch(&base.resource_version);
    match api
        .patch(&base.name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
    {
        Ok(cm) => Ok(Applied::Done {
            resource_version: cm.metadata.resource_version.unwrap_or_default(),
        }),
        Err(e) if api_code(&e) == Some(409) => {
            let theirs = load(client, &base.namespace, &base.name).await?;
            Ok(Applied::Conflict { theirs })
        }
        Err(e) => Err(format!(
            "cannot update {}: {}",
            base.target(),
            kube_words(&e)
        )),
    }
}

fn applications_api(client: &kube::Client, namespace: Option<&str>) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("argoproj.io", "v1alpha1", "Application");
    let ar = ApiResource::from_gvk(&gvk);
    match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
        None => Api::all_with(client.clone(), &ar),
    }
}

/// Every Application readable (none when Argo CD is not installed).
pub async fn list_apps(client: &kube::Client) -> Vec<Application> {
    let Ok(list) = applications_api(client, None)
        .list(&Default::default())
        .await
    else {
        return Vec::new();
    };
    list.items
        .into_iter()
        .filter_map(|o| serde_json::to_value(o).ok())
        .filter_map(|v| crate::domain::from_value(v).ok())
        .collect()
}

/// Read a ConfigMap in the domain's form (for `gitops_of`).
pub async fn load_obj(client: &kube::Client, ns: &str, name: &str) -> Result<ConfigMapObj, String> {
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), ns, &ApiResource::erase::<ConfigMap>(&()));
    let obj = api
        .get(name)
        .await
        .map_err(|e| format!("cannot read ConfigMap {ns}/{name}: {}", kube_words(&e)))?;
    let v = serde_json::to_value(obj).map_err(|e| e.to_string())?;
    crate::domain::from_value(v).map_err(|e| e.to_string())
}

/// Pause automated sync: merge-patch `spec.syncPolicy.automated` to null.
/// Returns the previous value, to restore it later.
pub async fn pause_auto_sync(
    client: &kube::Client,
    app_namespace: &str,
    app: &str,
) -> Result<serde_json::Value, String> {
    let api = applications_api(client, Some(app_namespace));
    let current = api
        .get(app)
        .await
        .map_err(|e| format!("cannot read Application {app}: {}", kube_words(&e)))?;
    let previous = current.data["spec"]["syncPolicy"]["automated"].clone();
    if previous.is_null() {
        return Err(format!("Application {app} has no automated sync to pause"));
    }
    let patch = serde_json::json!({"spec": {"syncPolicy": {"automated": null}}});
    api.patch(app, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(|e| {
            format!(
                "cannot pause auto-sync of Application {app}: {}",
                kube_words(&e)
            )
        })?;
    Ok(previous)
}

/// Restore `spec.syncPolicy.automated` to `previous`.
pub async fn resume_auto_sync(
    client: &kube::Client,
    app_namespace: &str,
    app: &str,
    previous: &serde_json::Value,
) -> Result<(), String> {
    let api = applications_api(client, Some(app_namespace));
    let patch = serde_json::json!({"spec": {"syncPolicy": {"automated": previous}}});
    api.patch(app, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map(|_| ())
        .map_err(|e| {
            format!(
                "cannot re-enable auto-sync of Application {app}: {}",
                kube_words(&e)
            )
        })
}

/// The Git-side edit, off the async threads: in the local clone of the
/// app's repo (`repo`, else the one `config.toml` in the config dir of
/// `paths` maps `repo_url` to),
/// change the value in the manifest under `source_path` that declares the
/// ConfigMap, and commit it on a new branch. Nothing is pushed.
pub async fn git_edit(
    repo: Option<PathBuf>,
    repo_url: Option<String>,
    source_path: String,
    base: Loaded,
    edit: ConfigEdit,
    paths: Paths,
) -> Result<GitEdit, String> {
    tokio::task::spawn_blocking(move || {
        let config = crate::settings::config::file_in(&paths);
        let repo = crate::gitops::repos::clone_for(
            repo.as_deref(),
            repo_url.as_deref(),
            config.as_deref(),
        )?;
        crate::gitops::edit_and_commit(&repo, &source_path, &base.namespace, &base.name, &edit)
    })
    .await
    .unwrap_or_else(|e| Err(format!("the Git edit failed: {e}")))
}

/// Refuse in read-only mode, naming the action.
pub fn guard(readonly: bool, action: &str, target: &str) -> Result<(), String> {
    refuse_if_readonly(readonly, &format!("{action} {target}")).map_err(|e| e.to_string())
}

/// Write one audit record (never a value); a failure to write is returned.
pub fn audit(
    action: &str,
    target: &str,
    context: &str,
    result: &Result<(), String>,
    paths: &Paths,
) -> Result<(), String> {
    let mut record = AuditRecord::now(action, target, context);
    if let Err(e) = result {
        record.outcome = "error".into();
        record.error = Some(e.clone());
    }
    AuditLog::required(paths)?.append(&record)
}
