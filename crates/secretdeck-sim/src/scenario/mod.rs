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

/// Totals for the generated apps (onthetop not counted), spread evenly
/// over them. `None`: what each app's trouble brings (one or two
/// ExternalSecrets, one ConfigMap, two or three pods).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    pub external_secrets: Option<usize>,
    pub config_maps: Option<usize>,
    /// Secrets, ESO's targets included; plain ones (TLS) make up the rest.
    pub secrets: Option<usize>,
    pub pods: Option<usize>,
}

/// A named size of the generated part: `large` is 2,000 apps with 5,000
/// ExternalSecrets, 10,000 ConfigMaps, 10,000 Secrets and 20,000 pods;
/// `small` a tenth of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Small,
    Large,
}

impl Scale {
    pub fn apps(self) -> usize {
        self.tenths() * 200
    }

    pub fn shape(self) -> Shape {
        let t = self.tenths();
        Shape {
            external_secrets: Some(t * 500),
            config_maps: Some(t * 1_000),
            secrets: Some(t * 1_000),
            pods: Some(t * 2_000),
        }
    }

    fn tenths(self) -> usize {
        match self {
            Scale::Small => 1,
            Scale::Large => 10,
        }
    }
}

impl std::str::FromStr for Scale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "small" => Ok(Scale::Small),
            "large" => Ok(Scale::Large),
            other => Err(format!("unknown scale {other:?} (small or large)")),
        }
    }
}

/// The demo scenario: onthetop plus `apps` generated apps of `shape`.
pub fn build(apps: usize, shape: Shape, eso: EsoVersion) -> Scenario {
    let mut s = Scenario::default();
    for ns in ["argocd", "external-secrets", "kube-system", "default"] {
        s.objects.push(namespace(ns));
    }
    s.objects.push(json!({
        "apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "external-secrets-sa", "namespace": "external-secrets"}
    }));
    onthetop::add(&mut s, eso);
    generated::add(&mut s, apps, shape, eso);
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
        let s = build(12, Shape::default(), EsoVersion::V1);
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
        let s = build(2000, Shape::default(), EsoVersion::V1beta1);
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

    /// What the generated apps' Git paths hold, by kind: ExternalSecrets,
    /// ConfigMaps, Secrets (ESO's targets counted, one per ExternalSecret)
    /// and pods (the Deployments' replicas).
    fn generated_counts(s: &Scenario) -> [usize; 4] {
        let manifests = s
            .git
            .iter()
            .filter(|g| g.repo == PLATFORM_REPO)
            .flat_map(|g| g.manifests.iter());
        let mut n = [0; 4];
        for m in manifests {
            match m["kind"].as_str() {
                Some("ExternalSecret") => {
                    n[0] += 1;
                    n[2] += 1;
                }
                Some("ConfigMap") => n[1] += 1,
                Some("Secret") => n[2] += 1,
                Some("Deployment") => n[3] += m["spec"]["replicas"].as_u64().unwrap() as usize,
                _ => {}
            }
        }
        n
    }

    #[test]
    fn the_large_scale_holds_exactly_its_counts_and_small_a_tenth() {
        for (scale, apps, counts) in [
            (Scale::Large, 2000, [5_000, 10_000, 10_000, 20_000]),
            (Scale::Small, 200, [500, 1_000, 1_000, 2_000]),
        ] {
            assert_eq!(scale.apps(), apps);
            let s = build(scale.apps(), scale.shape(), EsoVersion::V1);
            assert_eq!(generated_counts(&s), counts, "{scale:?}");
            // Every ExternalSecret's remote key exists in Secrets Manager,
            // except the scripted missing ones.
            let aws: std::collections::HashSet<&str> =
                s.aws_secrets.iter().map(|(n, _, _)| n.as_str()).collect();
            let missing = s
                .git
                .iter()
                .flat_map(|g| g.manifests.iter())
                .filter(|m| m["kind"] == "ExternalSecret")
                .flat_map(|m| m["spec"]["data"].as_array().unwrap().iter())
                .filter_map(|d| d["remoteRef"]["key"].as_str())
                .filter(|k| !aws.contains(k))
                .count();
            assert_eq!(missing, apps / 12 + usize::from(apps % 12 > 0), "{scale:?}");
        }
    }

    #[test]
    fn a_count_flag_changes_only_its_kind_and_the_default_shape_is_the_demo() {
        let plain = build(24, Shape::default(), EsoVersion::V1);
        let more = build(
            24,
            Shape {
                config_maps: Some(60),
                ..Shape::default()
            },
            EsoVersion::V1,
        );
        let (a, b) = (generated_counts(&plain), generated_counts(&more));
        assert_eq!(a[1], 24, "one ConfigMap per app by default");
        assert_eq!(b[1], 60);
        assert_eq!([a[0], a[2], a[3]], [b[0], b[2], b[3]]);
    }
}
