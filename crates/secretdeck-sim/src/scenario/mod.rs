//! What the simulated environment starts with: the onthetop system plus
//! generated apps with realistic trouble. A scenario is plain data
//! (objects, Git paths, Secrets Manager values, and follow-up actions
//! that need the controllers running), applied by `SimEnv`.

mod generated;
mod onthetop;

use crate::kube::resources::EsoVersion;
use serde_json::{Value, json};

pub const GITOPS_REPO: &str = "https://github.com/your-org/application-gitops-repo.git";
pub const PLATFORM_REPO: &str = "https://github.com/example-org/platform-apps.git";
pub const CLUSTER_STORE: &str = "aws-secrets-manager-cluster-store";
pub const REGION: &str = "ap-northeast-2";

/// A Git path of manifests that an Argo CD Application syncs.
#[derive(Debug, Clone)]
pub struct GitPath {
    pub repo: String,
    pub path: String,
    pub manifests: Vec<Value>,
}

/// Trouble that needs the controllers to have run first.
#[derive(Debug, Clone)]
pub enum FollowUp {
    /// Once `deployment` in `namespace` is available: write `value` as the
    /// new AWSCURRENT of `aws_secret` and force-sync `external_secret`, so
    /// the running pods keep the old value.
    RotateUnderRunningPods {
        namespace: String,
        deployment: String,
        aws_secret: String,
        value: String,
        external_secret: String,
    },
    /// Once the ConfigMap exists: a hand edit of one key (drift from Git).
    LiveEdit {
        namespace: String,
        configmap: String,
        key: String,
        value: String,
    },
    /// Once `deployment` is available: Git moves to `manifests` (a bad release).
    GitChange {
        namespace: String,
        deployment: String,
        git: GitPath,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Scenario {
    /// Created in order (namespaces first).
    pub objects: Vec<Value>,
    pub git: Vec<GitPath>,
    /// `(name, value, description)`
    pub aws_secrets: Vec<(String, String, String)>,
    pub follow_ups: Vec<FollowUp>,
}

/// The demo scenario: onthetop plus `apps` generated apps.
pub fn build(apps: usize, eso: EsoVersion) -> Scenario {
    let mut s = Scenario::default();
    for ns in ["argocd", "external-secrets", "kube-system", "default"] {
        s.objects.push(namespace(ns));
    }
    s.objects.push(json!({
        "apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "external-secrets-sa", "namespace": "external-secrets"}
    }));
    onthetop::add(&mut s, eso);
    generated::add(&mut s, apps, eso);
    s
}

pub fn namespace(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
}

/// An ExternalSecret's apiVersion for the served ESO version.
pub fn eso_api(eso: EsoVersion) -> String {
    format!("external-secrets.io/{}", eso.as_str())
}

/// An Argo CD Application for `path` of `repo`, deployed to `namespace`.
pub fn application(name: &str, repo: &str, path: &str, namespace: &str, automated: bool) -> Value {
    let mut app = json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {
            "project": "default",
            "source": {"repoURL": repo, "targetRevision": "HEAD", "path": path},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": namespace},
            "syncPolicy": {"syncOptions": ["CreateNamespace=true"]},
        }
    });
    if automated {
        app["spec"]["syncPolicy"]["automated"] = json!({"prune": true, "selfHeal": true});
    } else {
        // A first sync by hand, as an operator would have done.
        app["operation"] = json!({"initiatedBy": {"username": "admin"}, "sync": {"prune": false}});
    }
    app
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_scenario_has_onthetop_and_the_trouble_kinds() {
        let s = build(12, EsoVersion::V1);
        let apps: Vec<_> = s
            .objects
            .iter()
            .filter(|o| o["kind"] == "Application")
            .collect();
        assert_eq!(apps.len(), 13);
        assert!(
            s.aws_secrets
                .iter()
                .any(|(n, v, _)| n == "onthetop/backend/secrets-properties"
                    && v.contains("spring.datasource.password="))
        );
        let all_es: Vec<&Value> = s
            .git
            .iter()
            .flat_map(|g| &g.manifests)
            .filter(|m| m["kind"] == "ExternalSecret")
            .collect();
        assert!(
            all_es
                .iter()
                .all(|e| e["apiVersion"] == "external-secrets.io/v1")
        );
        assert!(all_es.iter().any(|e| e["spec"]["refreshInterval"] == "0s"));
        let keys: Vec<&str> = all_es
            .iter()
            .flat_map(|e| e["spec"]["data"].as_array().unwrap().iter())
            .map(|d| d["remoteRef"]["key"].as_str().unwrap())
            .collect();
        let missing = keys
            .iter()
            .filter(|k| !s.aws_secrets.iter().any(|(n, _, _)| n == *k))
            .count();
        assert!(missing >= 1, "a missing remote key");
        let shared = keys
            .iter()
            .filter(|k| keys.iter().filter(|o| o == k).count() > 1)
            .count();
        assert!(
            shared >= 2,
            "an AWS secret read by more than one ExternalSecret"
        );
        assert!(
            s.follow_ups
                .iter()
                .any(|f| matches!(f, FollowUp::RotateUnderRunningPods { .. }))
        );
        assert!(
            s.follow_ups
                .iter()
                .any(|f| matches!(f, FollowUp::LiveEdit { .. }))
        );
        assert!(
            s.follow_ups
                .iter()
                .any(|f| matches!(f, FollowUp::GitChange { .. }))
        );
    }

    #[test]
    fn scales_to_thousands() {
        let s = build(2000, EsoVersion::V1beta1);
        assert_eq!(
            s.objects
                .iter()
                .filter(|o| o["kind"] == "Application")
                .count(),
            2001
        );
        let mut names: Vec<_> = s.git.iter().map(|g| g.path.clone()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 2001);
    }
}
