//! Rollout restart through `ops::restart` against the sim: pods replaced,
//! Available at the end; a paused Deployment refused and left alone.

use crate::support;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, Patch, PatchParams};
use secretdeck::domain::ops::outcome::Outcome;
use secretdeck::ops::restart;
use std::collections::BTreeSet;
use std::time::Duration;
use support::{eventually, kube_client};

const NS: &str = "onthetop-backend";

async fn pod_names(pods: &Api<Pod>) -> BTreeSet<String> {
    let list = pods.list(&Default::default()).await.unwrap();
    list.items
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| p.metadata.name)
        .collect()
}

async fn available(deploys: &Api<Deployment>) -> Option<()> {
    let d = deploys.get(NS).await.ok()?;
    let s = d.status?;
    (s.available_replicas == Some(2) && s.updated_replicas == Some(2)).then_some(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_replaces_the_pods_and_ends_available() {
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(0, dir.path()).await;
    let client = kube_client(&env.kubeconfig).await;
    let deploys: Api<Deployment> = Api::namespaced(client.clone(), NS);
    let pods: Api<Pod> = Api::namespaced(client.clone(), NS);
    eventually(60, "onthetop available", || available(&deploys)).await;
    let before = pod_names(&pods).await;
    let now = chrono::Utc::now();
    let r =
        restart::restart_and_follow(&client, "Deployment", NS, NS, now, Duration::from_secs(60))
            .await;
    assert_eq!(r.outcome, Outcome::Ok, "{r:?}");
    let d = deploys.get(NS).await.unwrap();
    let annotations = d.spec.template.metadata.unwrap().annotations.unwrap();
    assert_eq!(
        annotations.get(secretdeck::domain::ops::annotations::RESTARTED_AT),
        Some(&now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    );
    let after = eventually(30, "old pods gone", || async {
        let after = pod_names(&pods).await;
        (after.len() == 2 && after.is_disjoint(&before)).then_some(after)
    })
    .await;
    assert_eq!(after.len(), 2);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_deployment_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(0, dir.path()).await;
    let client = kube_client(&env.kubeconfig).await;
    let deploys: Api<Deployment> = Api::namespaced(client.clone(), NS);
    eventually(60, "onthetop available", || available(&deploys)).await;
    deploys
        .patch(
            NS,
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"paused": true}})),
        )
        .await
        .unwrap();
    let before = deploys.get(NS).await.unwrap().metadata.generation;
    let r = restart::restart_and_follow(
        &client,
        "Deployment",
        NS,
        NS,
        chrono::Utc::now(),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Failed);
    assert!(r.message.contains("paused"), "{r:?}");
    let d = deploys.get(NS).await.unwrap();
    assert_eq!(d.metadata.generation, before, "nothing patched");
    env.shutdown().await;
}
