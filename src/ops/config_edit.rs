//! Applying a ConfigMap edit, for the console and `secretdeck config set`:
//! with the resourceVersion the edit started from (a 409 means someone
//! else changed it: the caller gets their version, nothing is overwritten),
//! GitOps awareness from the Argo CD Application that tracks the ConfigMap,
//! and pausing / resuming the Application's automated sync.

use crate::audit::{AuditLog, AuditRecord};
use crate::backend::kube_words::kube_words;
use crate::domain::config_edit::ConfigEdit;
use crate::domain::ops::guard::refuse_if_readonly;
use crate::domain::{Application, ConfigMapObj, join};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use std::collections::BTreeMap;

/// A ConfigMap as an edit starts from it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Loaded {
    pub namespace: String,
    pub name: String,
    pub data: BTreeMap<String, String>,
    pub binary_keys: Vec<String>,
    pub resource_version: String,
}

impl std::fmt::Debug for Loaded {
    // Keys and version only: values stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("keys", &self.data.keys().collect::<Vec<_>>())
            .field("binary_keys", &self.binary_keys)
            .field("resource_version", &self.resource_version)
            .finish()
    }
}

impl Loaded {
    pub fn from_obj(cm: &ConfigMapObj) -> Self {
        Loaded {
            namespace: cm.metadata.namespace().to_string(),
            name: cm.metadata.name().to_string(),
            data: cm.data.clone(),
            binary_keys: cm.binary_data.clone(),
            resource_version: cm.metadata.resource_version.clone().unwrap_or_default(),
        }
    }

    /// `ConfigMap ns/name`, as audit records name it.
    pub fn target(&self) -> String {
        format!("ConfigMap {}/{}", self.namespace, self.name)
    }
}

/// What applying gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Written; the new resourceVersion.
    Done { resource_version: String },
    /// Someone else changed the ConfigMap since the edit started: their
    /// version, freshly read. Nothing was written.
    Conflict { theirs: Loaded },
}

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

/// How the Application tracking a ConfigMap syncs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitOps {
    pub app: String,
    pub app_namespace: String,
    pub automated: bool,
    pub self_heal: bool,
    pub repo_url: Option<String>,
    pub path: Option<String>,
}

impl GitOps {
    /// The warning for a live edit, or `None` when the app does not sync by itself.
    pub fn live_warning(&self) -> String {
        if self.automated && self.self_heal {
            format!(
                "Argo CD app {} syncs automatically with selfHeal: a live edit will be reverted by Argo CD within seconds",
                self.app
            )
        } else {
            format!(
                "Argo CD app {} will show OutOfSync until Git matches this change",
                self.app
            )
        }
    }

    /// A live edit would be reverted.
    pub fn reverts(&self) -> bool {
        self.automated && self.self_heal
    }
}

/// The Application tracking `cm` (tracking-id annotation, instance label,
/// or its `status.resources`), and how it syncs.
pub fn gitops_of(apps: &[Application], cm: &ConfigMapObj) -> Option<GitOps> {
    let app = apps
        .iter()
        .find(|a| crate::domain::owning_app(&cm.metadata) == Some(a.metadata.name()))
        .or_else(|| {
            apps.iter()
                .find(|a| join::belongs_to(a, "ConfigMap", &cm.metadata))
        })?;
    let automated = app
        .spec
        .sync_policy
        .as_ref()
        .and_then(|p| p.automated.as_ref());
    let source = app.spec.source.as_ref().or(app.spec.sources.first());
    Some(GitOps {
        app: app.metadata.name().to_string(),
        app_namespace: app.metadata.namespace().to_string(),
        automated: automated.is_some(),
        self_heal: automated.and_then(|a| a.self_heal).unwrap_or(false),
        repo_url: source.and_then(|s| s.repo_url.clone()),
        path: source.and_then(|s| s.path.clone()),
    })
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
) -> Result<(), String> {
    let mut record = AuditRecord::now(action, target, context);
    if let Err(e) = result {
        record.outcome = "error".into();
        record.error = Some(e.clone());
    }
    let log = AuditLog::default_location()
        .ok_or_else(|| "no state directory for the audit log".to_string())?;
    log.append(&record)
}
