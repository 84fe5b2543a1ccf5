//! The domain types read the onthetop fixtures, tolerate missing and
//! malformed fields, and serve both ESO API versions.

use secretdeck::domain::{
    Application, ExternalSecret, HealthStatus, ParseError, SecretStore, SyncStatus, from_value,
};
use serde_json::{Value, json};
use std::path::Path;

fn fixture(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/onthetop")
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn onthetop_external_secret_reads_every_spec_field() {
    let es: ExternalSecret = from_value(fixture(
        "application-gitops-repo/kubernetes/onthetop-backend/external-secret.yaml",
    ))
    .expect("parses");
    assert_eq!(es.metadata.name(), "onthetop-backend-secrets");
    assert_eq!(es.metadata.namespace(), "onthetop-backend");
    assert_eq!(es.spec.refresh_interval.as_deref(), Some("1h"));
    let store = es.spec.secret_store_ref.as_ref().expect("store ref");
    assert_eq!(
        store.name.as_deref(),
        Some("aws-secrets-manager-cluster-store")
    );
    assert_eq!(store.kind(), "ClusterSecretStore");
    let target = es.spec.target.as_ref().expect("target");
    assert_eq!(target.creation_policy.as_deref(), Some("Owner"));
    let template = target.template.as_ref().expect("template");
    assert_eq!(
        template.data.get("secrets.properties").map(String::as_str),
        Some("{{ .secrets_properties_file_content }}")
    );
    assert_eq!(es.spec.data.len(), 1);
    assert_eq!(
        es.spec.data[0].secret_key.as_deref(),
        Some("secrets_properties_file_content")
    );
    assert_eq!(
        es.remote_keys(),
        vec!["onthetop/backend/secrets-properties"]
    );
    assert_eq!(es.target_name(), "onthetop-backend-secrets");
    // No status yet: not ready, and that is not an error.
    assert!(es.status.is_none());
    assert!(!es.is_ready());
}

#[test]
fn onthetop_application_reads_source_destination_and_policy() {
    let app: Application = from_value(fixture(
        "argocd-config-repo/applications/onthetop-backend.yaml",
    ))
    .expect("parses");
    assert_eq!(app.metadata.name(), "onthetop-backend");
    assert_eq!(app.metadata.namespace(), "argocd");
    let source = app.spec.source.as_ref().expect("source");
    assert_eq!(
        source.repo_url.as_deref(),
        Some("https://github.com/your-org/application-gitops-repo.git")
    );
    assert_eq!(source.path.as_deref(), Some("kubernetes/onthetop-backend"));
    assert_eq!(source.target_revision.as_deref(), Some("HEAD"));
    assert_eq!(app.destination_namespace(), Some("onthetop-backend"));
    assert!(app.self_heal());
    let policy = app.spec.sync_policy.as_ref().expect("sync policy");
    assert_eq!(
        policy.sync_options,
        vec!["CreateNamespace=true".to_string()]
    );
    // No status in Git: unknown, not a failure.
    assert_eq!(app.sync_status(), SyncStatus::Unknown);
    assert_eq!(app.health_status(), HealthStatus::Unknown);
}

#[test]
fn onthetop_cluster_store_reads_aws_provider() {
    let store: SecretStore =
        from_value(fixture("cluster/cluster-secret-store.yaml")).expect("parses");
    assert!(store.is_cluster_store());
    assert_eq!(store.region(), Some("ap-northeast-2"));
    let aws = store.aws().expect("aws provider");
    assert_eq!(aws.service.as_deref(), Some("SecretsManager"));
    let sa = aws
        .auth
        .as_ref()
        .and_then(|a| a.jwt.as_ref())
        .and_then(|j| j.service_account_ref.as_ref())
        .expect("service account ref");
    assert_eq!(sa.name.as_deref(), Some("external-secrets-sa"));
    assert_eq!(sa.namespace.as_deref(), Some("external-secrets"));
    assert!(!store.is_ready());
}

#[test]
fn status_fields_are_read_when_present() {
    let mut v = fixture("application-gitops-repo/kubernetes/onthetop-backend/external-secret.yaml");
    v["apiVersion"] = json!("external-secrets.io/v1");
    v["status"] = json!({
        "refreshTime": "2026-01-01T00:00:00Z",
        "syncedResourceVersion": "1-abc",
        "binding": {"name": "onthetop-backend-secrets"},
        "conditions": [{"type": "Ready", "status": "False", "reason": "SecretSyncedError",
                        "message": "could not get secret data from provider"}]
    });
    let es: ExternalSecret = from_value(v).expect("parses");
    let status = es.status.as_ref().expect("status");
    assert_eq!(status.refresh_time.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(status.synced_resource_version.as_deref(), Some("1-abc"));
    assert_eq!(
        status.binding.as_ref().and_then(|b| b.name.as_deref()),
        Some("onthetop-backend-secrets")
    );
    let ready = es.ready_condition().expect("ready condition");
    assert_eq!(ready.reason.as_deref(), Some("SecretSyncedError"));
    assert!(!es.is_ready());

    let mut app = fixture("argocd-config-repo/applications/onthetop-backend.yaml");
    app["status"] = json!({
        "sync": {"status": "OutOfSync", "revision": "abc123"},
        "health": {"status": "Degraded", "message": "rollout stuck"},
        "operationState": {"phase": "Failed", "message": "boom", "startedAt": "2026-01-01T00:00:00Z"},
        "resources": [{"group": "", "version": "v1", "kind": "ConfigMap", "namespace": "onthetop-backend",
                       "name": "onthetop-backend-config", "status": "Synced"}],
        "conditions": [{"type": "SyncError", "message": "x"}],
        "reconciledAt": "2026-01-01T00:00:01Z",
        "history": [{"id": 3, "revision": "abc123", "deployedAt": "2026-01-01T00:00:00Z"}]
    });
    let app: Application = from_value(app).expect("parses");
    assert_eq!(app.sync_status(), SyncStatus::OutOfSync);
    assert_eq!(app.health_status(), HealthStatus::Degraded);
    let status = app.status.as_ref().expect("status");
    assert_eq!(
        status
            .operation_state
            .as_ref()
            .and_then(|o| o.phase.as_deref()),
        Some("Failed")
    );
    assert_eq!(status.resources.len(), 1);
    assert!(status.resources[0].health.is_none());
    assert_eq!(status.conditions[0].type_.as_deref(), Some("SyncError"));
    assert_eq!(status.history[0].id, Some(3));
}

#[test]
fn missing_and_malformed_fields_do_not_hide_the_object() {
    // Only a name: everything else defaults.
    let es: ExternalSecret = from_value(json!({"metadata": {"name": "bare"}})).expect("parses");
    assert_eq!(es.target_name(), "bare");
    assert!(es.remote_keys().is_empty());
    assert_eq!(es.spec.secret_store_ref, None);

    // Wrong shapes everywhere: the object still reads, the odd fields are dropped.
    let es: ExternalSecret = from_value(json!({
        "metadata": {"name": "odd", "namespace": "ns", "labels": "not-a-map",
                     "annotations": {"ok": "yes", "bad": 3}},
        "spec": {"refreshInterval": 3600, "data": [{"secretKey": "a", "remoteRef": {"key": "k"}}, "junk"],
                 "target": "not-an-object"},
        "status": {"conditions": "Ready"}
    }))
    .expect("parses");
    assert_eq!(es.spec.refresh_interval.as_deref(), Some("3600"));
    assert_eq!(es.remote_keys(), vec!["k"]);
    assert!(es.metadata.labels.is_empty());
    assert_eq!(es.metadata.annotations.len(), 1);
    assert_eq!(es.target_name(), "odd");
    assert!(es.status.as_ref().expect("status").conditions.is_empty());

    let app: Application = from_value(json!({
        "metadata": {"name": "a"},
        "spec": {"destination": 7},
        "status": {"sync": {"status": "Weird"}, "health": "Healthy"}
    }))
    .expect("parses");
    assert_eq!(app.destination_namespace(), None);
    assert_eq!(app.sync_status(), SyncStatus::Unknown);
    assert_eq!(app.health_status(), HealthStatus::Unknown);

    // Not an object, or no name: a clear error, not a panic.
    assert_eq!(
        from_value::<Application>(json!([1, 2])),
        Err(ParseError::NotAnObject {
            kind: "Application"
        })
    );
    assert_eq!(
        from_value::<ExternalSecret>(json!({"spec": {}})),
        Err(ParseError::NoName {
            kind: "ExternalSecret"
        })
    );
    assert_eq!(
        from_value::<ExternalSecret>(json!({"metadata": "x"})),
        Err(ParseError::NoName {
            kind: "ExternalSecret"
        })
    );
}

#[test]
fn one_struct_serves_eso_v1_and_v1beta1_through_dynamic_objects() {
    for version in ["external-secrets.io/v1", "external-secrets.io/v1beta1"] {
        let mut v =
            fixture("application-gitops-repo/kubernetes/onthetop-backend/external-secret.yaml");
        v["apiVersion"] = json!(version);
        let dynamic: kube::api::DynamicObject = serde_json::from_value(v).expect("dynamic object");
        let es: ExternalSecret =
            secretdeck::backend::convert::from_dynamic(&dynamic).expect("converts");
        assert_eq!(es.metadata.name(), "onthetop-backend-secrets", "{version}");
        assert_eq!(
            es.remote_keys(),
            vec!["onthetop/backend/secrets-properties"],
            "{version}"
        );
    }
}
