//! End to end on the simulated environment, through HTTP only: kube-rs for
//! the cluster, aws-sdk-secretsmanager for AWS.

use crate::support;

use base64::Engine as _;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use secretdeck_sim::{SimEnv, SimOptions};
use support::{eventually, kube_client, sm_client};

const NS: &str = "onthetop-backend";
const AWS_SECRET: &str = "onthetop/backend/secrets-properties";

fn es_api(client: &kube::Client) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "ExternalSecret");
    Api::namespaced_with(client.clone(), NS, &ApiResource::from_gvk(&gvk))
}

fn app_api(client: &kube::Client) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("argoproj.io", "v1alpha1", "Application");
    Api::namespaced_with(client.clone(), "argocd", &ApiResource::from_gvk(&gvk))
}

fn secret_file(s: &Secret) -> Option<String> {
    let bytes = s.data.as_ref()?.get("secrets.properties")?;
    String::from_utf8(bytes.0.clone()).ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onthetop_pipeline_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SimOptions {
        apps: 2,
        ..SimOptions::default()
    };
    let env = SimEnv::start(opts, dir.path()).await.expect("sim starts");
    let client = kube_client(&env.kubeconfig).await;
    let sm = sm_client(&env.sm_endpoint, &env.region);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let es = es_api(&client);

    // The ExternalSecret becomes Ready and its Secret holds the AWS value.
    let aws_value = sm
        .get_secret_value()
        .secret_id(AWS_SECRET)
        .send()
        .await
        .unwrap();
    let aws_value = aws_value.secret_string().unwrap().to_string();
    eventually(30, "onthetop ExternalSecret Ready=True", || async {
        let o = es.get("onthetop-backend-secrets").await.ok()?;
        let c = o.data.pointer("/status/conditions/0")?.clone();
        (c["type"] == "Ready" && c["status"] == "True" && c["reason"] == "SecretSynced")
            .then_some(())
    })
    .await;
    let s = secrets.get("onthetop-backend-secrets").await.unwrap();
    assert_eq!(secret_file(&s).as_deref(), Some(aws_value.as_str()));
    let labels = s.metadata.labels.clone().unwrap_or_default();
    assert_eq!(
        labels
            .get("reconcile.external-secrets.io/managed")
            .map(String::as_str),
        Some("true")
    );
    let hash_before = s.metadata.annotations.clone().unwrap_or_default()["reconcile.external-secrets.io/data-hash"].clone();
    assert_eq!(
        s.metadata.owner_references.unwrap()[0].kind,
        "ExternalSecret"
    );

    // The Argo CD app is Synced and Healthy.
    let apps = app_api(&client);
    eventually(30, "onthetop-backend Synced/Healthy", || async {
        let a = apps.get("onthetop-backend").await.ok()?;
        let st = &a.data["status"];
        (st["sync"]["status"] == "Synced" && st["health"]["status"] == "Healthy").then_some(())
    })
    .await;

    // A new value in AWS + force-sync: the Secret changes.
    let new_value = aws_value.replace("fake-db-password-1", "rotated-in-test-2");
    sm.put_secret_value()
        .secret_id(AWS_SECRET)
        .secret_string(&new_value)
        .send()
        .await
        .unwrap();
    let stamp = chrono::Utc::now().timestamp().to_string();
    let patch = serde_json::json!({"metadata": {"annotations": {"force-sync": stamp}}});
    es.patch(
        "onthetop-backend-secrets",
        &PatchParams::default(),
        &Patch::Merge(&patch),
    )
    .await
    .unwrap();
    let s = eventually(30, "Secret holds the new value", || async {
        let s = secrets.get("onthetop-backend-secrets").await.ok()?;
        (secret_file(&s).as_deref() == Some(new_value.as_str())).then_some(s)
    })
    .await;
    let hash_after =
        s.metadata.annotations.unwrap_or_default()["reconcile.external-secrets.io/data-hash"]
            .clone();
    assert_ne!(hash_before, hash_after);
    let eso_entry = s
        .metadata
        .managed_fields
        .unwrap()
        .into_iter()
        .find(|m| m.manager.as_deref() == Some("external-secrets"));
    assert!(
        eso_entry.is_some_and(|m| m.time.is_some()),
        "managedFields records ESO's data write"
    );

    // A live edit of a value Git declares is reverted by selfHeal.
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), NS);
    let edit = serde_json::json!({"data": {"PORT": "9999"}});
    cms.patch(
        "onthetop-backend-config",
        &PatchParams::default(),
        &Patch::Merge(&edit),
    )
    .await
    .unwrap();
    eventually(30, "selfHeal reverts PORT", || async {
        let c = cms.get("onthetop-backend-config").await.ok()?;
        (c.data?.get("PORT").map(String::as_str) == Some("8080")).then_some(())
    })
    .await;
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_remote_key_and_bad_store_credentials_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(2, dir.path()).await;
    let client = kube_client(&env.kubeconfig).await;
    let gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "ExternalSecret");
    let ar = ApiResource::from_gvk(&gvk);
    let missing: Api<DynamicObject> = Api::namespaced_with(client.clone(), "payments-api", &ar);
    let cond = eventually(30, "payments-api ES Ready=False", || async {
        let o = missing.get("payments-api-secrets").await.ok()?;
        let c = o.data.pointer("/status/conditions/0")?.clone();
        (c["status"] == "False").then_some(c)
    })
    .await;
    assert_eq!(cond["reason"], "SecretSyncedError");
    let events: Api<k8s_openapi::api::core::v1::Event> =
        Api::namespaced(client.clone(), "payments-api");
    let ev = eventually(30, "UpdateFailed event", || async {
        let list = events.list(&Default::default()).await.ok()?;
        list.items
            .into_iter()
            .find(|e| e.reason.as_deref() == Some("UpdateFailed"))
    })
    .await;
    let msg = ev.message.unwrap_or_default();
    assert!(
        msg.contains("payments-api/webhook-signing-key")
            && msg.contains("ResourceNotFoundException"),
        "{msg}"
    );

    let store_gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "SecretStore");
    let stores: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        "orders-worker",
        &ApiResource::from_gvk(&store_gvk),
    );
    let c = eventually(30, "store InvalidProviderConfig", || async {
        let s = stores.get("aws-static-creds").await.ok()?;
        let c = s.data.pointer("/status/conditions/0")?.clone();
        (c["reason"] == "InvalidProviderConfig").then_some(c)
    })
    .await;
    assert!(
        c["message"].as_str().unwrap().contains("aws-credentials"),
        "{c}"
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_sync_is_ignored_for_sync_once_external_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(6, dir.path()).await;
    let client = kube_client(&env.kubeconfig).await;
    let sm = sm_client(&env.sm_endpoint, &env.region);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), "notifications");
    let first = eventually(30, "notifications Secret synced", || async {
        let s = secrets.get("notifications-secrets").await.ok()?;
        s.data.clone()
    })
    .await;
    let value =
        serde_json::json!({"username": "n", "password": "changed-but-never-synced", "host": "h"})
            .to_string();
    sm.put_secret_value()
        .secret_id("notifications/db")
        .secret_string(&value)
        .send()
        .await
        .unwrap();
    let gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "ExternalSecret");
    let es: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        "notifications",
        &ApiResource::from_gvk(&gvk),
    );
    let patch = serde_json::json!({"metadata": {"annotations": {"force-sync": "1"}}});
    let patched = es
        .patch(
            "notifications-secrets",
            &PatchParams::default(),
            &Patch::Merge(&patch),
        )
        .await
        .unwrap();
    assert!(
        patched
            .metadata
            .annotations
            .unwrap_or_default()
            .contains_key("force-sync")
    );
    // The ESO sim handles changes in order: once two later force-syncs of a
    // periodic ExternalSecret have landed, this one has been looked at.
    let witness = es_api(&client);
    let onthetop: Api<Secret> = Api::namespaced(client.clone(), NS);
    for round in 0..2 {
        let v = format!("witness.round={round}\n");
        sm.put_secret_value()
            .secret_id(AWS_SECRET)
            .secret_string(&v)
            .send()
            .await
            .unwrap();
        let patch =
            serde_json::json!({"metadata": {"annotations": {"force-sync": format!("w{round}")}}});
        witness
            .patch(
                "onthetop-backend-secrets",
                &PatchParams::default(),
                &Patch::Merge(&patch),
            )
            .await
            .unwrap();
        eventually(30, "witness Secret updated", || async {
            let s = onthetop.get("onthetop-backend-secrets").await.ok()?;
            (secret_file(&s).as_deref() == Some(v.as_str())).then_some(())
        })
        .await;
    }
    let s = secrets.get("notifications-secrets").await.unwrap();
    assert_eq!(
        s.data,
        Some(first),
        "refreshInterval 0s: force-sync after the first sync is ignored"
    );
    let pw = base64::engine::general_purpose::STANDARD.encode("changed-but-never-synced");
    assert!(!format!("{:?}", s.data).contains(&pw));
    env.shutdown().await;
}
