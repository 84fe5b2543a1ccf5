//! Force-sync and Argo CD refresh/sync through `ops::*` against the sim:
//! the outcome reported is what the sim's controllers really did.

use crate::support;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use secretdeck::domain::ops::outcome::Outcome;
use secretdeck::ops::{argo, refresh};
use secretdeck_sim::{SimEnv, SimOptions};
use std::time::Duration;
use support::{eventually, kube_client, sm_client};

const T: Duration = Duration::from_secs(30);

async fn sim(apps: usize, dir: &std::path::Path) -> (SimEnv, kube::Client) {
    let env = SimEnv::start(
        SimOptions {
            apps,
            ..SimOptions::default()
        },
        dir,
    )
    .await
    .expect("sim");
    let client = kube_client(&env.kubeconfig).await;
    (env, client)
}

async fn es_ready(client: &kube::Client, ar: &ApiResource, ns: &str, name: &str) -> Option<()> {
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, ar);
    let o = api.get(name).await.ok()?;
    let c = o.data.pointer("/status/refreshTime")?;
    c.is_string().then_some(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_sync_after_an_aws_put_reports_synced_and_the_secret_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (env, client) = sim(0, dir.path()).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let (ns, name) = ("onthetop-backend", "onthetop-backend-secrets");
    eventually(30, "first sync", || es_ready(&client, &ar, ns, name)).await;
    let secrets: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(client.clone(), ns);
    let hash = |s: &k8s_openapi::api::core::v1::Secret| {
        s.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("reconcile.external-secrets.io/data-hash").cloned())
    };
    let before = hash(&secrets.get(name).await.unwrap());
    let sm = sm_client(&env.sm_endpoint, &env.region);
    sm.put_secret_value()
        .secret_id("onthetop/backend/secrets-properties")
        .secret_string("spring.datasource.password=forced-sync-value-1\n")
        .send()
        .await
        .unwrap();
    let r = refresh::force_sync(&client, &ar, ns, name, chrono::Utc::now(), T).await;
    assert_eq!(r.outcome, Outcome::Ok, "{r:?}");
    assert_eq!(r.message, "SecretSynced");
    let after = hash(&secrets.get(name).await.unwrap());
    assert_ne!(before, after, "the Secret's data changed");
    let es: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &ar);
    let o = es.get(name).await.unwrap();
    assert!(o.metadata.annotations.unwrap().contains_key("force-sync"));
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_sync_of_a_failing_es_reports_the_provider_message() {
    let dir = tempfile::tempdir().unwrap();
    let (env, client) = sim(1, dir.path()).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let (ns, name) = ("payments-api", "payments-api-secrets");
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &ar);
    eventually(30, "the first failure", || async {
        let o = api.get(name).await.ok()?;
        let conds = o.data.pointer("/status/conditions")?.as_array()?.clone();
        conds
            .iter()
            .any(|c| c["reason"] == "SecretSyncedError")
            .then_some(())
    })
    .await;
    let r = refresh::force_sync(&client, &ar, ns, name, chrono::Utc::now(), T).await;
    assert_eq!(r.outcome, Outcome::Failed, "{r:?}");
    assert!(r.message.starts_with("SecretSyncedError: "), "{r:?}");
    assert!(
        r.message.contains("webhook-signing-key"),
        "the provider's message: {r:?}"
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_sync_of_a_sync_once_es_is_reported_ignored_and_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (env, client) = sim(6, dir.path()).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let (ns, name) = ("notifications", "notifications-secrets");
    eventually(30, "first sync", || es_ready(&client, &ar, ns, name)).await;
    let r = refresh::force_sync(&client, &ar, ns, name, chrono::Utc::now(), T).await;
    assert_eq!(r.outcome, Outcome::Ignored, "{r:?}");
    assert!(r.message.contains("refreshInterval is 0"), "{r:?}");
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &ar);
    let o = api.get(name).await.unwrap();
    let annotated = o
        .metadata
        .annotations
        .is_some_and(|a| a.contains_key("force-sync"));
    assert!(!annotated, "nothing was patched");
    env.shutdown().await;
}

fn apps_api(client: &kube::Client) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("argoproj.io", "v1alpha1", "Application");
    Api::namespaced_with(client.clone(), "argocd", &ApiResource::from_gvk(&gvk))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn argo_hard_refresh_clears_the_annotation_and_reconciled_at_moves() {
    let dir = tempfile::tempdir().unwrap();
    let (env, client) = sim(0, dir.path()).await;
    let ar = argo::app_resource(&client).await.unwrap();
    let apps = apps_api(&client);
    let name = "onthetop-backend";
    let before = eventually(30, "reconciledAt", || async {
        let o = apps.get(name).await.ok()?;
        o.data
            .pointer("/status/reconciledAt")?
            .as_str()
            .map(str::to_string)
    })
    .await;
    let found = argo::find_app(&client, &ar, name).await.unwrap();
    assert_eq!(found, ("argocd".to_string(), name.to_string()));
    let r = argo::refresh(&client, &ar, "argocd", name, true, T).await;
    assert_eq!(r.outcome, Outcome::Ok, "{r:?}");
    let o = apps.get(name).await.unwrap();
    let annotations = o.metadata.annotations.clone().unwrap_or_default();
    assert!(!annotations.contains_key(secretdeck::domain::ops::annotations::ARGO_REFRESH));
    let after = o
        .data
        .pointer("/status/reconciledAt")
        .and_then(|v| v.as_str());
    assert_ne!(after, Some(before.as_str()));
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn argo_sync_of_the_out_of_sync_app_succeeds_and_it_is_synced() {
    let dir = tempfile::tempdir().unwrap();
    let (env, client) = sim(3, dir.path()).await;
    let ar = argo::app_resource(&client).await.unwrap();
    let apps = apps_api(&client);
    let name = "billing-service";
    eventually(60, "billing-service OutOfSync", || async {
        let o = apps.get(name).await.ok()?;
        (o.data.pointer("/status/sync/status")? == "OutOfSync").then_some(())
    })
    .await;
    let r = argo::sync(&client, &ar, "argocd", name, "oncall", T).await;
    assert_eq!(r.outcome, Outcome::Ok, "{r:?}");
    assert!(r.message.starts_with("Succeeded"), "{r:?}");
    let o = apps.get(name).await.unwrap();
    assert_eq!(o.data.pointer("/status/sync/status").unwrap(), "Synced");
    let by = o
        .data
        .pointer("/status/history")
        .and_then(|h| h.as_array())
        .and_then(|h| h.last())
        .and_then(|h| h.pointer("/initiatedBy/username"))
        .cloned();
    assert_eq!(by, Some(serde_json::json!("oncall")));
    env.shutdown().await;
}
