//! The GitOps decision for a ConfigMap edit: which Argo CD Application
//! tracks the ConfigMap (tracking-id annotation, instance label, or its
//! `status.resources`), how it syncs, and so whether a live edit would be
//! reverted. The Git-side edit itself is `crate::gitops`' work.

use super::{Application, ConfigMapObj, join, owning_app};
use crate::domain::OwnedText;

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
        .find(|a| owning_app(&cm.metadata) == Some(a.metadata.name()))
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
        repo_url: source.and_then(|s| s.repo_url.owned()),
        path: source.and_then(|s| s.path.owned()),
    })
}
