//! The join, staleness and roll-up on the onthetop fixtures plus small
//! fixtures of pods, events and a Secret with managedFields.

use chrono::{DateTime, Utc};
use secretdeck::domain::views::{Channel, Severity, app_detail, app_views, es_view, secret_views};
use secretdeck::domain::{
    Application, ConfigMapObj, EventObj, ExternalSecret, HasMeta, Inventory, ObjKey, Pod,
    SecretMeta, SecretStore, Workload, from_value, secret_format,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::path::Path;

const NS: &str = "onthetop-backend";

fn yaml(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn merge(a: &mut Value, b: Value) {
    json_patch::merge(a, &b);
}

fn obj<T: DeserializeOwned + HasMeta>(v: Value) -> T {
    from_value(v).expect("parses")
}

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// The onthetop system as a cluster holds it after Argo CD and ESO ran.
fn inventory() -> Inventory {
    let mut inv = Inventory::default();
    let tracking = |kind: &str, name: &str| {
        json!({"metadata": {"annotations": {
            "argocd.argoproj.io/tracking-id": format!("onthetop-backend:/{kind}:{NS}/{name}")}}})
    };
    let mut app = yaml("onthetop/argocd-config-repo/applications/onthetop-backend.yaml");
    merge(
        &mut app,
        json!({"status": {"sync": {"status": "Synced"}, "health": {"status": "Healthy"}}}),
    );
    let app: Application = obj(app);
    inv.apps.insert(app.metadata.key(), app);

    let base = "onthetop/application-gitops-repo/kubernetes/onthetop-backend/";
    let mut es = yaml(&format!("{base}external-secret.yaml"));
    merge(
        &mut es,
        tracking("ExternalSecret", "onthetop-backend-secrets"),
    );
    merge(
        &mut es,
        json!({"status": {"refreshTime": "2026-01-01T12:00:00Z",
        "conditions": [{"type": "Ready", "status": "True", "reason": "SecretSynced"}]}}),
    );
    let es: ExternalSecret = obj(es);
    inv.external_secrets.insert(es.metadata.key(), es);

    let mut d = yaml(&format!("{base}deployment.yaml"));
    merge(&mut d, tracking("Deployment", "onthetop-backend"));
    merge(
        &mut d,
        json!({"metadata": {"uid": "deploy-uid"},
        "status": {"readyReplicas": 2, "updatedReplicas": 2, "availableReplicas": 2}}),
    );
    let d: Workload = obj(d);
    inv.workloads.insert(d.metadata.key(), d);

    let mut cm = yaml(&format!("{base}configmap.yaml"));
    merge(&mut cm, tracking("ConfigMap", "onthetop-backend-config"));
    let cm: ConfigMapObj = obj(cm);
    inv.config_maps.insert(cm.metadata.key(), cm);

    let store: SecretStore = obj(yaml("onthetop/cluster/cluster-secret-store.yaml"));
    inv.cluster_secret_stores
        .insert(store.metadata.key(), store);

    let secret: SecretMeta = obj(yaml("views/secret-managed.yaml"));
    inv.secrets.insert(secret.metadata.key(), secret);
    for p in yaml("views/pods.yaml").as_array().unwrap() {
        let p: Pod = obj(p.clone());
        inv.pods.insert(p.metadata.key(), p);
    }
    for e in yaml("views/events.yaml").as_array().unwrap() {
        if let Ok(e) = from_value::<EventObj>(e.clone()) {
            inv.events.insert(e.metadata.key(), e);
        }
    }
    inv
}

fn app_key() -> ObjKey {
    ObjKey::new("argocd", "onthetop-backend")
}

const NOW: &str = "2026-01-01T13:00:00Z";

#[test]
fn secret_data_change_comes_from_the_data_manager_not_later_label_edits() {
    let inv = inventory();
    let s = &inv.secrets[&ObjKey::new(NS, "onthetop-backend-secrets")];
    assert_eq!(s.metadata.data_changed(), Some(t("2026-01-01T12:00:00Z")));
    assert_eq!(s.managed_by().as_deref(), Some("onthetop-backend-secrets"));
    // Without managedFields: the creation time.
    let mut v = yaml("views/secret-managed.yaml");
    v["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("managedFields");
    let s: SecretMeta = obj(v);
    assert_eq!(s.metadata.data_changed(), Some(t("2026-01-01T10:00:00Z")));
    let views = secret_views(&inv);
    assert_eq!(views[0].consumers.len(), 1);
    assert_eq!(views[0].consumers[0].channel, Channel::SubPathVolume);
}

#[test]
fn subpath_pod_started_before_the_change_is_stale_the_later_one_is_not() {
    let inv = inventory();
    let detail = app_detail(&inv, &app_key(), t(NOW)).expect("app");
    assert_eq!(detail.workloads.len(), 1);
    let w = &detail.workloads[0];
    assert_eq!(w.obj.kind, "Deployment");
    assert_eq!(
        w.pods.len(),
        2,
        "ReplicaSet-owned pods, not the unrelated one"
    );
    assert_eq!(w.stale_pods, 1);
    let stale = w.pods.iter().find(|p| p.stale.is_some()).unwrap();
    assert_eq!(stale.name, "onthetop-backend-7d9f8-abcde");
    assert_eq!(stale.restarts, 2);
    assert_eq!(
        stale.stale.as_deref(),
        Some(
            "started before secret onthetop-backend-secrets changed (subPath mount): restart needed (inferred from managedFields)"
        )
    );
    assert!(w.consumes.contains(&(
        secretdeck::domain::views::ObjRef::new("ConfigMap", NS, "onthetop-backend-config"),
        Channel::Env
    )));
    assert_eq!(detail.app.stale_pods, 1);
    assert_eq!(detail.app.severity, Severity::Warn);
    assert!(
        detail
            .app
            .problems
            .iter()
            .any(|p| p == "1 pod run an old secret (restart needed)")
    );
    assert_eq!(detail.config_maps.len(), 1);
    assert_eq!(detail.app.config_maps, 1);
}

#[test]
fn a_whole_volume_mount_updates_in_place_and_env_is_stale() {
    let mut inv = inventory();
    let key = ObjKey::new(NS, "onthetop-backend");
    let mut d = serde_json::to_value(yaml(
        "onthetop/application-gitops-repo/kubernetes/onthetop-backend/deployment.yaml",
    ))
    .unwrap();
    d["metadata"]["annotations"] = json!({"argocd.argoproj.io/tracking-id": "onthetop-backend:apps/Deployment:onthetop-backend/onthetop-backend"});
    d["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][0]
        .as_object_mut()
        .unwrap()
        .remove("subPath");
    inv.workloads.insert(key.clone(), obj(d.clone()));
    let detail = app_detail(&inv, &app_key(), t(NOW)).unwrap();
    assert_eq!(detail.workloads[0].stale_pods, 0, "volume updates in place");
    assert!(Channel::Volume.updates_in_place());

    d["spec"]["template"]["spec"]["containers"][0]["env"] = json!([{"name": "PW",
        "valueFrom": {"secretKeyRef": {"name": "onthetop-backend-secrets", "key": "secrets.properties"}}}]);
    inv.workloads.insert(key, obj(d));
    let detail = app_detail(&inv, &app_key(), t(NOW)).unwrap();
    let stale = detail.workloads[0]
        .pods
        .iter()
        .find_map(|p| p.stale.clone())
        .unwrap();
    assert!(stale.contains("(env var)"), "{stale}");
}

#[test]
fn external_secret_view_joins_store_target_consumers_and_last_error() {
    let inv = inventory();
    let v = es_view(&inv, &ObjKey::new(NS, "onthetop-backend-secrets"), t(NOW)).unwrap();
    assert_eq!(v.app.as_deref(), Some("onthetop-backend"));
    assert!(v.store.exists);
    assert_eq!(v.store.kind, "ClusterSecretStore");
    assert_eq!(v.store.provider, "aws SecretsManager");
    assert!(v.target_exists);
    assert_eq!(v.data_hash.as_deref(), Some("abc123"));
    assert_eq!(v.remote_refs[0].key, "onthetop/backend/secrets-properties");
    assert_eq!(v.remote_refs[0].from, "data[0]");
    assert_eq!(v.consumers[0].workload.name, "onthetop-backend");
    let err = v.last_error_event.unwrap();
    assert_eq!(err.message, "could not get secret data from provider");
    assert_eq!(v.force_sync_ignored, None);
}

#[test]
fn roll_up_reports_each_trouble_earliest_cause_first() {
    let mut inv = inventory();
    let es_key = ObjKey::new(NS, "onthetop-backend-secrets");
    let es = inv.external_secrets.get_mut(&es_key).unwrap();
    es.status.as_mut().unwrap().conditions[0] = obj_cond("False", "SecretSyncedError");
    es.spec.refresh_policy = Some("CreatedOnce".into());
    // The failure repeats: the recorder bumps the existing Event.
    let failed = ObjKey::new(NS, "e1");
    let mut e = serde_json::to_value(yaml("views/events.yaml")[0].clone()).unwrap();
    e["count"] = json!(4);
    e["lastTimestamp"] = json!("2026-01-01T12:50:00Z");
    inv.events.insert(failed, obj(e));
    let app = inv.apps.get_mut(&app_key()).unwrap();
    app.status = Some(obj_status("OutOfSync", "Degraded"));
    inv.cluster_secret_stores.clear();
    let v = &app_views(&inv, t(NOW))[0];
    assert_eq!(v.severity, Severity::Error);
    assert_eq!(v.es_ready, 0);
    assert_eq!(v.es_worst_reason.as_deref(), Some("SecretSyncedError"));
    let p = &v.problems;
    // The chain AWS → store → ExternalSecret → Secret → pods → Argo CD:
    // the missing store is the cause, Argo CD's Degraded the last symptom.
    assert_eq!(
        p[0], "ClusterSecretStore aws-secrets-manager-cluster-store not found",
        "{p:?}"
    );
    assert_eq!(
        p[1],
        "ExternalSecret onthetop-backend-secrets: could not get secret data from provider (SecretSyncedError)",
        "the provider's words: {p:?}"
    );
    let degraded = p.iter().position(|x| x == "Argo CD: Degraded").unwrap();
    let events = p
        .iter()
        .position(|x| x.starts_with("1 warning event"))
        .unwrap();
    assert!(events < degraded, "{p:?}");
    assert_eq!(p.last().map(String::as_str), Some("Argo CD: OutOfSync"));
    assert!(
        p.iter()
            .any(|x| x.starts_with("1 warning event: UpdateFailed")),
        "{p:?}"
    );
    let es = es_view(&inv, &es_key, t(NOW)).unwrap();
    assert!(es.force_sync_ignored.unwrap().contains("CreatedOnce"));
    // Old warnings no longer count.
    let later = app_views(&inv, t("2026-01-02T13:00:00Z"));
    assert!(
        later[0]
            .problems
            .iter()
            .all(|x| !x.contains("warning event"))
    );
}

fn obj_cond(status: &str, reason: &str) -> secretdeck::domain::Condition {
    serde_json::from_value(json!({"type": "Ready", "status": status, "reason": reason})).unwrap()
}

fn obj_status(sync: &str, health: &str) -> secretdeck::domain::application::AppStatus {
    serde_json::from_value(json!({"sync": {"status": sync}, "health": {"status": health}})).unwrap()
}

#[test]
fn objects_with_missing_or_malformed_fields_still_join() {
    let mut inv = Inventory::default();
    let bare = |name: &str| json!({"metadata": {"name": name, "namespace": NS}});
    let app: Application =
        obj(json!({"metadata": {"name": "a", "namespace": "argocd"}, "status": 7}));
    inv.apps.insert(app.metadata.key(), app);
    let es: ExternalSecret = obj(json!({"metadata": {"name": "e", "namespace": NS,
        "labels": {"app.kubernetes.io/instance": "a"}}, "spec": {"data": "x"}}));
    inv.external_secrets.insert(es.metadata.key(), es);
    let w: Workload = obj(
        json!({"kind": "StatefulSet", "metadata": {"name": "w", "namespace": NS,
        "labels": {"app.kubernetes.io/instance": "a"}}, "spec": {"template": {"spec": {"containers": [{"env": 5}]}}}}),
    );
    inv.workloads.insert(w.metadata.key(), w);
    let p: Pod = obj(
        json!({"metadata": {"name": "p", "namespace": NS}, "status": {"containerStatuses": "?"}}),
    );
    inv.pods.insert(p.metadata.key(), p);
    let s: SecretMeta =
        obj(json!({"metadata": {"name": "s", "namespace": NS, "managedFields": "?"}}));
    assert_eq!(s.metadata.data_changed(), None);
    inv.secrets.insert(s.metadata.key(), s);
    let cm: ConfigMapObj = obj(bare("c"));
    inv.config_maps.insert(cm.metadata.key(), cm);
    let v = app_views(&inv, t(NOW));
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].es_ready, v[0].es_total), (0, 1));
    assert_eq!(v[0].es_worst_reason.as_deref(), Some("NotReady"));
    let d = app_detail(&inv, &ObjKey::new("argocd", "a"), t(NOW)).unwrap();
    assert_eq!(d.workloads[0].obj.kind, "StatefulSet");
    assert!(d.workloads[0].pods.is_empty(), "no selector claims no pods");
    assert!(!d.external_secrets[0].store.exists);
}

#[test]
fn secret_formats_and_keys() {
    let props = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/onthetop/aws/secrets.properties"),
    )
    .unwrap();
    assert_eq!(
        secret_format::detect(&props),
        secret_format::SecretFormat::Properties
    );
    let keys = secret_format::keys(&props);
    assert!(!keys.is_empty());
    let first = props
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap();
    assert!(
        first.starts_with(&keys[0]),
        "file order: {first} / {keys:?}"
    );
    assert_eq!(
        secret_format::detect(r#"{"b": 1, "a": "x"}"#),
        secret_format::SecretFormat::Json
    );
    assert_eq!(secret_format::keys(r#"{"b": 1, "a": "x"}"#), vec!["a", "b"]);
    assert_eq!(
        secret_format::detect("hunter2"),
        secret_format::SecretFormat::Plain
    );
    assert!(secret_format::keys("just a sentence here").is_empty());
}

#[test]
fn the_es_failure_comes_before_argo_cds_progress_deadline() {
    let mut inv = inventory();
    let es_key = ObjKey::new(NS, "onthetop-backend-secrets");
    let es = inv.external_secrets.get_mut(&es_key).unwrap();
    es.status.as_mut().unwrap().conditions[0] = obj_cond("False", "SecretSyncedError");
    let app = inv.apps.get_mut(&app_key()).unwrap();
    app.status = Some(
        serde_json::from_value(json!({
            "sync": {"status": "OutOfSync"},
            "health": {"status": "Degraded",
                "message": "Deployment \"onthetop-backend\" exceeded its progress deadline"},
            "resources": [
                {"kind": "ConfigMap", "namespace": NS, "name": "onthetop-backend-config",
                 "status": "OutOfSync", "version": "v1"},
                {"kind": "Deployment", "group": "apps", "namespace": NS,
                 "name": "onthetop-backend", "status": "Synced", "version": "v1"}
            ]
        }))
        .unwrap(),
    );
    let v = &app_views(&inv, t(NOW))[0];
    assert_eq!(v.severity, Severity::Error);
    assert!(
        v.problems[0]
            .starts_with("ExternalSecret onthetop-backend-secrets: could not get secret data"),
        "{:?}",
        v.problems
    );
    assert!(
        v.problems
            .iter()
            .any(|p| p == "OutOfSync: ConfigMap onthetop-backend-config"),
        "{:?}",
        v.problems
    );
    assert!(
        v.problems
            .iter()
            .all(|p| !p.contains("Deployment onthetop-backend,"))
    );
}

#[test]
fn a_config_map_edit_reverted_by_self_heal_leaves_no_pod_stale() {
    use secretdeck::domain::common::DataWrite;
    let mut inv = inventory();
    let key = ObjKey::new(NS, "onthetop-backend-config");
    let write = |at: &str, by: &str| DataWrite {
        at: Some(t(at)),
        by: Some(by.to_string()),
    };
    let config_stale = |inv: &Inventory| {
        app_views(inv, t(NOW))[0]
            .problems
            .iter()
            .any(|p| p.contains("old config map"))
    };
    // The console sees the ConfigMap as Argo CD created it.
    let original = inv.config_maps[&key].clone();
    inv.observe_content(
        "ConfigMap",
        std::slice::from_ref(&key),
        Some(t("2026-01-01T12:30:00Z")),
    );
    assert!(!config_stale(&inv));
    // A live edit at 12:40: the running pods (env var) have the old content.
    let mut edited = original.clone();
    edited.data.insert("EXTRA", "edited");
    edited.metadata.data_write = write("2026-01-01T12:40:00Z", "kubectl-edit");
    inv.config_maps.insert(key.clone(), edited);
    inv.observe_content(
        "ConfigMap",
        std::slice::from_ref(&key),
        Some(t("2026-01-01T12:40:00Z")),
    );
    assert!(config_stale(&inv), "the edit is not in the pods");
    // Argo CD's selfHeal puts the Git content back 12 s later: the
    // managedFields time moved on, but the pods run what is current.
    let mut back = original.clone();
    back.metadata.data_write = write("2026-01-01T12:40:12Z", "argocd-controller");
    inv.config_maps.insert(key.clone(), back);
    inv.observe_content(
        "ConfigMap",
        std::slice::from_ref(&key),
        Some(t("2026-01-01T12:40:12Z")),
    );
    assert!(
        !config_stale(&inv),
        "{:?}",
        app_views(&inv, t(NOW))[0].problems
    );
    let (edit, revert) = inv.content.reverted("ConfigMap", &key).expect("a revert");
    assert_eq!(revert.by.as_deref(), Some("argocd-controller"));
    assert_eq!((revert.since - edit.since).num_seconds(), 12);
    // managedFields time alone would call them stale — and says it is a guess.
    inv.content = Default::default();
    assert!(config_stale(&inv));
    let detail = app_detail(&inv, &app_key(), t(NOW)).unwrap();
    assert!(
        detail.workloads[0]
            .pods
            .iter()
            .filter_map(|p| p.stale.as_deref())
            .any(|s| s.contains("config map") && s.ends_with("(inferred from managedFields)"))
    );
}
