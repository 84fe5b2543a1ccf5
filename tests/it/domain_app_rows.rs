//! The apps table join: which ExternalSecrets belong to which app.

use secretdeck::domain::{
    AppRow, Application, ExternalSecret, HealthStatus, SyncStatus, app_rows, from_value, owning_app,
};
use serde_json::{Value, json};

fn app(name: &str, dest: &str, sync: &str, health: &str) -> Application {
    from_value(json!({
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {"destination": {"namespace": dest}},
        "status": {"sync": {"status": sync}, "health": {"status": health}}
    }))
    .expect("app")
}

fn es(name: &str, ns: &str, meta_extra: Value, ready: Option<&str>) -> ExternalSecret {
    let mut metadata = json!({"name": name, "namespace": ns});
    if let Value::Object(extra) = meta_extra {
        for (k, v) in extra {
            metadata[k] = v;
        }
    }
    let mut v = json!({"metadata": metadata, "spec": {}});
    if let Some(status) = ready {
        v["status"] = json!({"conditions": [{"type": "Ready", "status": status}]});
    }
    from_value(v).expect("es")
}

fn tracked(app: &str, ns: &str, name: &str) -> Value {
    json!({"annotations": {
        "argocd.argoproj.io/tracking-id":
            format!("{app}:external-secrets.io/ExternalSecret:{ns}/{name}")
    }})
}

#[test]
fn rows_count_ready_and_total_by_tracking_id_and_instance_label() {
    let apps = [
        app("shop", "shop", "OutOfSync", "Degraded"),
        app("onthetop-backend", "onthetop-backend", "Synced", "Healthy"),
        app("empty", "empty", "Synced", "Healthy"),
    ];
    let ess = [
        es(
            "a",
            "onthetop-backend",
            tracked("onthetop-backend", "onthetop-backend", "a"),
            Some("True"),
        ),
        es(
            "b",
            "onthetop-backend",
            tracked("onthetop-backend", "onthetop-backend", "b"),
            Some("False"),
        ),
        // Older installs: the instance label.
        es(
            "c",
            "shop",
            json!({"labels": {"app.kubernetes.io/instance": "shop"}}),
            Some("True"),
        ),
        // No status yet: counted, not ready.
        es(
            "d",
            "shop",
            json!({"labels": {"app.kubernetes.io/instance": "shop"}}),
            None,
        ),
        // Belongs to no app.
        es("orphan", "shop", json!({}), Some("True")),
        // A tracking id for another app wins over a label.
        es(
            "e",
            "shop",
            json!({"labels": {"app.kubernetes.io/instance": "shop"},
                   "annotations": {"argocd.argoproj.io/tracking-id": "other:/Secret:shop/e"}}),
            Some("True"),
        ),
    ];
    let rows = app_rows(&apps, &ess);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["empty", "onthetop-backend", "shop"],
        "sorted by name"
    );
    assert_eq!(
        rows[1],
        AppRow {
            name: "onthetop-backend".into(),
            app_namespace: "argocd".into(),
            dest_namespace: "onthetop-backend".into(),
            sync: SyncStatus::Synced,
            health: HealthStatus::Healthy,
            es_ready: 1,
            es_total: 2,
        }
    );
    assert_eq!((rows[2].es_ready, rows[2].es_total), (1, 2));
    assert_eq!(
        (rows[2].sync, rows[2].health),
        (SyncStatus::OutOfSync, HealthStatus::Degraded)
    );
    assert_eq!((rows[0].es_ready, rows[0].es_total), (0, 0));
    assert!(rows[0].secrets_ok());
    assert!(!rows[1].secrets_ok());
}

#[test]
fn owning_app_reads_the_tracking_id_prefix_only() {
    let e = es(
        "x",
        "ns",
        json!({"annotations": {"argocd.argoproj.io/tracking-id": "app-1:/ConfigMap:ns/x"}}),
        None,
    );
    assert_eq!(owning_app(&e.metadata), Some("app-1"));
    // Malformed tracking ids fall back to the label, then to nothing.
    let e = es(
        "x",
        "ns",
        json!({"annotations": {"argocd.argoproj.io/tracking-id": "no-colon"},
               "labels": {"app.kubernetes.io/instance": "lbl"}}),
        None,
    );
    assert_eq!(owning_app(&e.metadata), Some("lbl"));
    let e = es(
        "x",
        "ns",
        json!({"annotations": {"argocd.argoproj.io/tracking-id": ":x"}}),
        None,
    );
    assert_eq!(owning_app(&e.metadata), None);
}

#[test]
fn an_app_without_destination_or_status_still_has_a_row() {
    let bare: Application = from_value(json!({"metadata": {"name": "bare"}})).expect("app");
    let rows = app_rows([&bare], []);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].dest_namespace, "");
    assert_eq!(rows[0].sync, SyncStatus::Unknown);
    assert_eq!(rows[0].health, HealthStatus::Unknown);
}
