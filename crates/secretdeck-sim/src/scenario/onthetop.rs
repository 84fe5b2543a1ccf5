//! The onthetop system, from its real manifests (tests/fixtures/onthetop).

use super::{GITOPS_REPO, Scenario, eso_api};
use crate::kube::resources::EsoVersion;
use serde_json::Value;

const FIXTURES: [&str; 5] = [
    include_str!(
        "../../../../tests/fixtures/onthetop/application-gitops-repo/kubernetes/onthetop-backend/namespace.yaml"
    ),
    include_str!(
        "../../../../tests/fixtures/onthetop/application-gitops-repo/kubernetes/onthetop-backend/configmap.yaml"
    ),
    include_str!(
        "../../../../tests/fixtures/onthetop/application-gitops-repo/kubernetes/onthetop-backend/external-secret.yaml"
    ),
    include_str!(
        "../../../../tests/fixtures/onthetop/application-gitops-repo/kubernetes/onthetop-backend/deployment.yaml"
    ),
    include_str!(
        "../../../../tests/fixtures/onthetop/application-gitops-repo/kubernetes/onthetop-backend/service.yaml"
    ),
];
const APPLICATION: &str = include_str!(
    "../../../../tests/fixtures/onthetop/argocd-config-repo/applications/onthetop-backend.yaml"
);
const STORE: &str =
    include_str!("../../../../tests/fixtures/onthetop/cluster/cluster-secret-store.yaml");
const SECRETS_PROPERTIES: &str =
    include_str!("../../../../tests/fixtures/onthetop/aws/secrets.properties");

pub const AWS_SECRET: &str = "onthetop/backend/secrets-properties";

fn yaml(s: &str) -> Value {
    serde_yaml::from_str(s).expect("embedded fixture is valid YAML")
}

/// ESO objects move to the served API version (current ESO serves `v1`;
/// the manifests were written for `v1beta1`).
fn eso_version(mut v: Value, eso: EsoVersion) -> Value {
    if v["apiVersion"]
        .as_str()
        .is_some_and(|a| a.starts_with("external-secrets.io/"))
    {
        v["apiVersion"] = Value::String(eso_api(eso));
    }
    v
}

pub fn add(s: &mut Scenario, eso: EsoVersion) {
    s.objects.push(eso_version(yaml(STORE), eso));
    s.objects.push(yaml(APPLICATION));
    s.git.push(super::GitPath {
        repo: GITOPS_REPO.to_string(),
        path: "kubernetes/onthetop-backend".to_string(),
        manifests: FIXTURES.iter().map(|f| eso_version(yaml(f), eso)).collect(),
    });
    s.aws_secrets.push((
        AWS_SECRET.to_string(),
        SECRETS_PROPERTIES.to_string(),
        "secrets.properties of the onthetop backend".to_string(),
    ));
}
