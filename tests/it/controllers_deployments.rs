//! The Deployment controller sim, driven through the object store.

use secretdeck_sim::clock::SimClock;
use secretdeck_sim::controllers::deployments;
use secretdeck_sim::kube::patch::PatchKind;
use secretdeck_sim::kube::resources::EsoVersion;
use secretdeck_sim::kube::selectors::Selectors;
use secretdeck_sim::kube::store::Writer;
use secretdeck_sim::kube::{Registry, ResourceType, Store};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NS: &str = "shop";

struct Env {
    store: Arc<Store>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Env {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn rt(store: &Store, group: &str, kind: &str) -> ResourceType {
    store.registry().by_kind(group, kind).unwrap().clone()
}

fn start() -> Env {
    let store = Store::new(Registry::new(EsoVersion::V1, true));
    let ns = rt(&store, "", "Namespace");
    store
        .create(
            &ns,
            "",
            json!({"metadata": {"name": NS}}),
            Writer::update("test"),
        )
        .unwrap();
    let task = deployments::spawn(store.clone(), SimClock::new(300.0));
    Env { store, task }
}

fn deployment(name: &str, replicas: i64, image: &str) -> Value {
    json!({
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "main", "image": image}]},
            },
        },
    })
}

fn pods(store: &Store, deploy: &str) -> Vec<Value> {
    let (all, _) = store.list(&rt(store, "", "Pod"), Some(NS), &Selectors::default());
    all.into_iter()
        .filter(|p| p["metadata"]["ownerReferences"][0]["name"] == deploy)
        .collect()
}

fn get_deploy(store: &Store, name: &str) -> Value {
    store
        .get(&rt(store, "apps", "Deployment"), NS, name)
        .unwrap()
}

fn condition<'a>(d: &'a Value, kind: &str) -> Option<&'a Value> {
    d.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == kind)
}

fn rolled_out(d: &Value) -> bool {
    let want = d["spec"]["replicas"].as_i64().unwrap_or(1);
    d["status"]["observedGeneration"] == d["metadata"]["generation"]
        && d["status"]["updatedReplicas"] == want
        && d["status"]["availableReplicas"] == want
        && d["status"]["replicas"] == want
        && condition(d, "Progressing").is_some_and(|c| c["reason"] == "NewReplicaSetAvailable")
        && condition(d, "Available").is_some_and(|c| c["status"] == "True")
}

async fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn container_state(pod: &Value) -> &Value {
    &pod["status"]["containerStatuses"][0]["state"]
}

#[tokio::test]
async fn pods_are_created_with_labels_owner_and_status() {
    let env = start();
    let s = &env.store;
    let d = s
        .create(
            &rt(s, "apps", "Deployment"),
            NS,
            deployment("web", 2, "shop/web:v1"),
            Writer::update("kubectl"),
        )
        .unwrap();
    wait_for("web rolled out", || rolled_out(&get_deploy(s, "web"))).await;
    let ps = pods(s, "web");
    assert_eq!(ps.len(), 2);
    for p in &ps {
        let hash = p["metadata"]["labels"]["pod-template-hash"]
            .as_str()
            .unwrap();
        assert_eq!(hash.len(), 10);
        let name = p["metadata"]["name"].as_str().unwrap();
        assert!(
            name.starts_with(&format!("web-{hash}-")) && name.len() == "web-".len() + 10 + 6,
            "{name}"
        );
        assert_eq!(p["metadata"]["labels"]["app"], "web");
        let owner = &p["metadata"]["ownerReferences"][0];
        assert_eq!(
            (
                owner["kind"].as_str(),
                owner["uid"].clone(),
                owner["controller"].as_bool()
            ),
            (Some("Deployment"), d["metadata"]["uid"].clone(), Some(true))
        );
        assert_eq!(p["spec"]["nodeName"], deployments::NODE_NAME);
        assert_eq!(p["status"]["phase"], "Running");
        assert!(p["status"]["startTime"].is_string() && p["status"]["podIP"].is_string());
        let cs = &p["status"]["containerStatuses"][0];
        assert_eq!(
            (
                cs["name"].as_str(),
                cs["image"].as_str(),
                cs["ready"].as_bool()
            ),
            (Some("main"), Some("shop/web:v1"), Some(true))
        );
        assert!(container_state(p)["running"]["startedAt"].is_string());
        // status came through the status subresource, as a kubelet writes it
        let mf = p["metadata"]["managedFields"].as_array().unwrap();
        assert!(
            mf.iter()
                .any(|e| e["manager"] == "kubelet" && e["subresource"] == "status"),
            "{mf:?}"
        );
    }
    let d = get_deploy(s, "web");
    assert_eq!(d["status"]["readyReplicas"], 2);
    assert!(d["status"].get("unavailableReplicas").is_none());

    // scale down, then delete: the pods go with the Deployment
    let dr = rt(s, "apps", "Deployment");
    s.patch(
        &dr,
        NS,
        "web",
        PatchKind::Merge,
        &json!({"spec": {"replicas": 1}}),
        Writer::update("kubectl"),
        false,
    )
    .unwrap();
    wait_for("scaled to 1", || {
        pods(s, "web").len() == 1 && rolled_out(&get_deploy(s, "web"))
    })
    .await;
    s.delete(&dr, NS, "web").unwrap();
    assert!(
        pods(s, "web").is_empty(),
        "pods are collected with their Deployment"
    );
}

#[tokio::test]
async fn rollout_restart_replaces_every_pod() {
    let env = start();
    let s = &env.store;
    let dr = rt(s, "apps", "Deployment");
    s.create(
        &dr,
        NS,
        deployment("api", 3, "shop/api:v1"),
        Writer::update("kubectl"),
    )
    .unwrap();
    wait_for("api rolled out", || rolled_out(&get_deploy(s, "api"))).await;
    let before: Vec<String> = pods(s, "api")
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    let old_hash = pods(s, "api")[0]["metadata"]["labels"]["pod-template-hash"].clone();
    let restart = json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"}}}}});
    let mut rx = s.subscribe();
    s.patch(
        &dr,
        NS,
        "api",
        PatchKind::Strategic,
        &restart,
        Writer::update("kubectl-rollout"),
        false,
    )
    .unwrap();
    wait_for("api rolled out again", || {
        let d = get_deploy(s, "api");
        d["metadata"]["generation"] == 2 && rolled_out(&d)
    })
    .await;
    let after = pods(s, "api");
    assert_eq!(after.len(), 3);
    for p in &after {
        assert!(!before.contains(&p["metadata"]["name"].as_str().unwrap().to_string()));
        assert_ne!(p["metadata"]["labels"]["pod-template-hash"], old_hash);
        assert_eq!(
            p["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"],
            "2026-01-01T00:00:00Z"
        );
    }
    // During the roll the Deployment said so, and never had more than one extra pod.
    let mut saw_rolling = false;
    let mut max_pods = 0;
    let mut live = std::collections::HashSet::new();
    for b in &before {
        live.insert(b.clone());
    }
    while let Ok(ev) = rx.try_recv() {
        if ev.plural == "deployments" {
            let c = condition(&ev.object, "Progressing");
            saw_rolling |= c.is_some_and(|c| c["reason"] == "ReplicaSetUpdated");
        } else if ev.plural == "pods" {
            match ev.kind {
                secretdeck_sim::kube::EventType::Added => {
                    live.insert(ev.name.clone());
                }
                secretdeck_sim::kube::EventType::Deleted => {
                    live.remove(&ev.name);
                }
                _ => {}
            }
            max_pods = max_pods.max(live.len());
        }
    }
    assert!(saw_rolling, "Progressing/ReplicaSetUpdated while rolling");
    assert_eq!(max_pods, 4, "maxSurge 1");
}

#[tokio::test]
async fn broken_image_exceeds_the_progress_deadline() {
    let env = start();
    let s = &env.store;
    let mut d = deployment("bad", 1, "shop/bad:broken");
    d["spec"]["progressDeadlineSeconds"] = json!(120);
    s.create(
        &rt(s, "apps", "Deployment"),
        NS,
        d,
        Writer::update("kubectl"),
    )
    .unwrap();
    wait_for("deadline exceeded", || {
        condition(&get_deploy(s, "bad"), "Progressing")
            .is_some_and(|c| c["status"] == "False" && c["reason"] == "ProgressDeadlineExceeded")
    })
    .await;
    let d = get_deploy(s, "bad");
    assert_eq!(
        condition(&d, "Available").unwrap()["reason"],
        "MinimumReplicasUnavailable"
    );
    assert_eq!(d["status"]["unavailableReplicas"], 1);
    let p = &pods(s, "bad")[0];
    assert_eq!(p["status"]["phase"], "Pending");
    assert_eq!(container_state(p)["waiting"]["reason"], "ImagePullBackOff");
    assert_eq!(
        container_state(p)["waiting"]["message"],
        "Back-off pulling image \"shop/bad:broken\""
    );
}

#[tokio::test]
async fn missing_secret_blocks_pods_until_it_exists() {
    let env = start();
    let s = &env.store;
    let mut d = deployment("cfg", 1, "shop/cfg:v1");
    d["spec"]["template"]["spec"]["containers"][0]["env"] = json!([
        {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]);
    s.create(
        &rt(s, "apps", "Deployment"),
        NS,
        d,
        Writer::update("kubectl"),
    )
    .unwrap();
    wait_for("CreateContainerConfigError", || {
        pods(s, "cfg").first().is_some_and(|p| {
            container_state(p)["waiting"]["reason"] == "CreateContainerConfigError"
        })
    })
    .await;
    let p = &pods(s, "cfg")[0];
    assert_eq!(
        container_state(p)["waiting"]["message"],
        "secret \"db\" not found"
    );
    s.create(
        &rt(s, "", "Secret"),
        NS,
        json!({"metadata": {"name": "db"}, "stringData": {"password": "x"}}),
        Writer::update("eso"),
    )
    .unwrap();
    wait_for("running after the Secret appears", || {
        rolled_out(&get_deploy(s, "cfg"))
    })
    .await;
    assert_eq!(pods(s, "cfg")[0]["status"]["phase"], "Running");

    // a missing volume Secret: the pod waits in ContainerCreating
    let mut d = deployment("vol", 1, "shop/vol:v1");
    d["spec"]["template"]["spec"]["volumes"] =
        json!([{"name": "v", "secret": {"secretName": "files"}}]);
    s.create(
        &rt(s, "apps", "Deployment"),
        NS,
        d,
        Writer::update("kubectl"),
    )
    .unwrap();
    wait_for("vol pod created", || {
        !pods(s, "vol").is_empty() && get_deploy(s, "vol")["status"]["replicas"] == 1
    })
    .await;
    let p = &pods(s, "vol")[0];
    assert_eq!(p["status"]["phase"], "Pending");
    assert_eq!(container_state(p)["waiting"]["reason"], "ContainerCreating");
}

#[tokio::test]
async fn paused_deployment_does_not_roll() {
    let env = start();
    let s = &env.store;
    let dr = rt(s, "apps", "Deployment");
    s.create(
        &dr,
        NS,
        deployment("p", 2, "shop/p:v1"),
        Writer::update("kubectl"),
    )
    .unwrap();
    wait_for("p rolled out", || rolled_out(&get_deploy(s, "p"))).await;
    let before: Vec<Value> = pods(s, "p")
        .iter()
        .map(|p| p["metadata"]["name"].clone())
        .collect();
    s.patch(
        &dr,
        NS,
        "p",
        PatchKind::Merge,
        &json!({"spec": {"paused": true}}),
        Writer::update("kubectl"),
        false,
    )
    .unwrap();
    let img = json!({"spec": {"template": {"spec": {"containers": [{"name": "main", "image": "shop/p:v2"}]}}}});
    s.patch(
        &dr,
        NS,
        "p",
        PatchKind::Strategic,
        &img,
        Writer::update("kubectl"),
        false,
    )
    .unwrap();
    wait_for("paused condition", || {
        let d = get_deploy(s, "p");
        d["status"]["observedGeneration"] == d["metadata"]["generation"]
            && condition(&d, "Progressing").is_some_and(|c| c["reason"] == "DeploymentPaused")
    })
    .await;
    let d = get_deploy(s, "p");
    assert_eq!(d["status"]["updatedReplicas"], 0);
    let now: Vec<Value> = pods(s, "p")
        .iter()
        .map(|p| p["metadata"]["name"].clone())
        .collect();
    assert_eq!(before, now, "no pod replaced while paused");
    // resuming rolls to the new image
    s.patch(
        &dr,
        NS,
        "p",
        PatchKind::Merge,
        &json!({"spec": {"paused": false}}),
        Writer::update("kubectl"),
        false,
    )
    .unwrap();
    wait_for("p rolled to v2", || {
        rolled_out(&get_deploy(s, "p"))
            && pods(s, "p")
                .iter()
                .all(|p| p["spec"]["containers"][0]["image"] == "shop/p:v2")
    })
    .await;
}
