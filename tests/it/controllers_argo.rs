//! The Argo CD controller sim (with the Deployment controller), driven
//! through the object store on the onthetop fixtures.

use secretdeck_sim::clock::SimClock;
use secretdeck_sim::controllers::argo::{self, Git, TRACKING_ANNOTATION};
use secretdeck_sim::controllers::deployments;
use secretdeck_sim::kube::patch::PatchKind;
use secretdeck_sim::kube::resources::EsoVersion;
use secretdeck_sim::kube::store::Writer;
use secretdeck_sim::kube::{EventType, Registry, ResourceType, Store};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

const REPO: &str = "https://github.com/your-org/application-gitops-repo.git";
const PATH: &str = "kubernetes/onthetop-backend";
const NS: &str = "onthetop-backend";
const FIXTURES: &str = "tests/fixtures/onthetop";

struct Env {
    store: Arc<Store>,
    git: Arc<Git>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Env {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

fn rt(store: &Store, group: &str, kind: &str) -> ResourceType {
    store.registry().by_kind(group, kind).unwrap().clone()
}

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{path}")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn onthetop_manifests() -> Vec<Value> {
    [
        "namespace",
        "configmap",
        "deployment",
        "service",
        "external-secret",
    ]
    .iter()
    .map(|f| {
        let mut m = yaml(&format!("application-gitops-repo/{PATH}/{f}.yaml"));
        if m["kind"] == "ExternalSecret" {
            m["apiVersion"] = json!("external-secrets.io/v1");
        }
        m
    })
    .collect()
}

fn start() -> Env {
    let store = Store::new(Registry::new(EsoVersion::V1, true));
    let ns = rt(&store, "", "Namespace");
    store
        .create(
            &ns,
            "",
            json!({"metadata": {"name": "argocd"}}),
            Writer::update("test"),
        )
        .unwrap();
    let git = Git::new();
    let clock = SimClock::new(600.0);
    let tasks = vec![
        deployments::spawn(store.clone(), clock),
        argo::spawn(store.clone(), git.clone(), clock),
    ];
    Env { store, git, tasks }
}

fn app(s: &Store, name: &str) -> Value {
    s.get(&rt(s, "argoproj.io", "Application"), "argocd", name)
        .unwrap()
}

fn cm(s: &Store, ns: &str, name: &str) -> Option<Value> {
    s.get(&rt(s, "", "ConfigMap"), ns, name).ok()
}

async fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn sync_of(a: &Value) -> &str {
    a["status"]["sync"]["status"].as_str().unwrap_or_default()
}

fn health_of(a: &Value) -> &str {
    a["status"]["health"]["status"].as_str().unwrap_or_default()
}

fn patch(s: &Store, rt: &ResourceType, ns: &str, name: &str, body: Value, status: bool) {
    s.patch(
        rt,
        ns,
        name,
        PatchKind::Merge,
        &body,
        Writer::update("kubectl-edit"),
        status,
    )
    .unwrap();
}

#[tokio::test]
async fn onthetop_syncs_heals_refreshes_and_follows_git() {
    let env = start();
    let s = &env.store;
    env.git.set_path(REPO, PATH, onthetop_manifests());
    let application = yaml("argocd-config-repo/applications/onthetop-backend.yaml");
    let app_rt = rt(s, "argoproj.io", "Application");
    s.create(&app_rt, "argocd", application, Writer::update("kubectl"))
        .unwrap();

    wait_for("app synced", || {
        sync_of(&app(s, "onthetop-backend")) == "Synced"
    })
    .await;
    let es_rt = rt(s, "external-secrets.io", "ExternalSecret");
    let cfg = cm(s, NS, "onthetop-backend-config").unwrap();
    assert_eq!(
        cfg["metadata"]["annotations"][TRACKING_ANNOTATION],
        "onthetop-backend:/ConfigMap:onthetop-backend/onthetop-backend-config"
    );
    let es = s.get(&es_rt, NS, "onthetop-backend-secrets").unwrap();
    assert_eq!(
        es["metadata"]["annotations"][TRACKING_ANNOTATION],
        "onthetop-backend:external-secrets.io/ExternalSecret:onthetop-backend/onthetop-backend-secrets"
    );
    let d = s
        .get(&rt(s, "apps", "Deployment"), NS, "onthetop-backend")
        .unwrap();
    assert_eq!(
        d["metadata"]["annotations"][TRACKING_ANNOTATION],
        "onthetop-backend:apps/Deployment:onthetop-backend/onthetop-backend"
    );
    let a = app(s, "onthetop-backend");
    let first_rev = env.git.get(REPO, PATH).unwrap().0;
    assert_eq!(a["status"]["sync"]["revision"], first_rev.as_str());
    assert_eq!(a["status"]["resources"].as_array().unwrap().len(), 5);
    assert_eq!(a["status"]["operationState"]["phase"], "Succeeded");
    assert_eq!(
        a["status"]["operationState"]["operation"]["initiatedBy"]["automated"],
        true
    );
    assert_eq!(a["status"]["history"].as_array().unwrap().len(), 1);

    // Health: the ExternalSecret as ESO reports it, the Deployment's pods waiting for its Secret.
    let ready = |status: &str, msg: &str| {
        json!({"status": {"conditions": [
        {"type": "Ready", "status": status, "reason": "x", "message": msg}]}})
    };
    patch(
        s,
        &es_rt,
        NS,
        "onthetop-backend-secrets",
        ready("False", "could not get secret data from provider"),
        true,
    );
    wait_for("app degraded", || {
        health_of(&app(s, "onthetop-backend")) == "Degraded"
    })
    .await;
    let a = app(s, "onthetop-backend");
    assert_eq!(
        a["status"]["health"]["message"],
        "could not get secret data from provider"
    );
    let es_row = a["status"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "ExternalSecret")
        .unwrap()
        .clone();
    assert_eq!(es_row["health"]["status"], "Degraded");
    patch(
        s,
        &es_rt,
        NS,
        "onthetop-backend-secrets",
        ready("True", "secret synced"),
        true,
    );
    wait_for("app progressing on the Deployment", || {
        let a = app(s, "onthetop-backend");
        health_of(&a) == "Progressing"
            && a["status"]["health"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("Waiting for rollout")
    })
    .await;
    s.create(
        &rt(s, "", "Secret"),
        NS,
        json!({"metadata": {"name": "onthetop-backend-secrets"},
             "stringData": {"secrets.properties": "a=b"}}),
        Writer::update("external-secrets"),
    )
    .unwrap();
    wait_for("app healthy", || {
        health_of(&app(s, "onthetop-backend")) == "Healthy"
    })
    .await;

    // selfHeal: a declared value is put back, an undeclared key stays.
    let cm_rt = rt(s, "", "ConfigMap");
    patch(
        s,
        &cm_rt,
        NS,
        "onthetop-backend-config",
        json!({"data": {"PORT": "9090", "EXTRA": "kept"}}),
        false,
    );
    wait_for("PORT reverted", || {
        cm(s, NS, "onthetop-backend-config").unwrap()["data"]["PORT"] == "8080"
    })
    .await;
    let c = cm(s, NS, "onthetop-backend-config").unwrap();
    assert_eq!(c["data"]["EXTRA"], "kept");
    wait_for("synced after heal", || {
        sync_of(&app(s, "onthetop-backend")) == "Synced"
    })
    .await;

    // Refresh: the annotation is honoured and removed, reconciledAt moves.
    let old = "2000-01-01T00:00:00Z";
    patch(
        s,
        &app_rt,
        "argocd",
        "onthetop-backend",
        json!({"status": {"reconciledAt": old}}),
        true,
    );
    patch(
        s,
        &app_rt,
        "argocd",
        "onthetop-backend",
        json!({"metadata": {"annotations": {"argocd.argoproj.io/refresh": "hard"}}}),
        false,
    );
    wait_for("refresh handled", || {
        let a = app(s, "onthetop-backend");
        a["metadata"]["annotations"]
            .get("argocd.argoproj.io/refresh")
            .is_none()
            && a["status"]["reconciledAt"] != old
    })
    .await;

    // Git change: applied automatically, and the dropped Service is pruned.
    let mut next: Vec<Value> = onthetop_manifests()
        .into_iter()
        .filter(|m| m["kind"] != "Service")
        .collect();
    for m in next.iter_mut().filter(|m| m["kind"] == "ConfigMap") {
        m["data"]["BE_VERSION"] = json!("v2.0.4");
    }
    env.git.set_path(REPO, PATH, next);
    let new_rev = env.git.get(REPO, PATH).unwrap().0;
    let svc_rt = rt(s, "", "Service");
    wait_for("new revision synced", || {
        let a = app(s, "onthetop-backend");
        a["status"]["sync"]["revision"] == new_rev.as_str() && sync_of(&a) == "Synced"
    })
    .await;
    assert_eq!(
        cm(s, NS, "onthetop-backend-config").unwrap()["data"]["BE_VERSION"],
        "v2.0.4"
    );
    assert!(s.get(&svc_rt, NS, "onthetop-backend").is_err(), "pruned");
    let a = app(s, "onthetop-backend");
    let pruned = a["status"]["operationState"]["syncResult"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["kind"] == "Service" && r["status"] == "Pruned");
    assert!(pruned, "{}", a["status"]["operationState"]);
    let history = a["status"]["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["revision"], new_rev.as_str());
}

fn manual_manifests(port: &str) -> Vec<Value> {
    vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "manual"}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"PORT": port}}),
    ]
}

fn manual_app(name: &str, path: &str, automated: Option<Value>) -> Value {
    let mut a = json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {"project": "default",
                 "source": {"repoURL": "https://git.example/apps", "path": path, "targetRevision": "HEAD"},
                 "destination": {"server": "https://kubernetes.default.svc", "namespace": "manual"}}});
    if let Some(auto) = automated {
        a["spec"]["syncPolicy"] = json!({"automated": auto});
    }
    a
}

#[tokio::test]
async fn manual_sync_through_the_operation_field() {
    let env = start();
    let s = &env.store;
    env.git
        .set_path("https://git.example/apps", "manual", manual_manifests("80"));
    let app_rt = rt(s, "argoproj.io", "Application");
    s.create(
        &app_rt,
        "argocd",
        manual_app("hand", "manual", None),
        Writer::update("kubectl"),
    )
    .unwrap();
    wait_for("out of sync, missing", || {
        let a = app(s, "hand");
        sync_of(&a) == "OutOfSync" && health_of(&a) == "Missing"
    })
    .await;
    assert!(cm(s, "manual", "settings").is_none(), "no automated sync");

    let mut rx = s.subscribe();
    let op = json!({"operation": {"initiatedBy": {"username": "alice"}, "sync": {"prune": false, "syncStrategy": {"hook": {}}}}});
    patch(s, &app_rt, "argocd", "hand", op.clone(), false);
    wait_for("sync succeeded", || {
        let a = app(s, "hand");
        a["status"]["operationState"]["phase"] == "Succeeded"
            && a.get("operation").is_none()
            && sync_of(&a) == "Synced"
    })
    .await;
    let a = app(s, "hand");
    let state = &a["status"]["operationState"];
    assert_eq!(state["message"], "successfully synced (all tasks run)");
    assert_eq!(state["operation"]["initiatedBy"]["username"], "alice");
    let msgs: Vec<&str> = state["syncResult"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["message"].as_str())
        .collect();
    assert!(msgs.contains(&"configmap/settings created"), "{msgs:?}");
    assert_eq!(
        a["status"]["history"][0]["initiatedBy"]["username"],
        "alice"
    );
    let mut phases = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        let phase = ev
            .object
            .pointer("/status/operationState/phase")
            .and_then(Value::as_str);
        if ev.plural == "applications"
            && ev.kind == EventType::Modified
            && let Some(p) = phase
            && phases.last().map(String::as_str) != Some(p)
        {
            phases.push(p.to_string());
        }
    }
    assert_eq!(phases, vec!["Running", "Succeeded"]);

    // A live edit stays and shows OutOfSync; a second manual sync reverts it.
    let cm_rt = rt(s, "", "ConfigMap");
    patch(
        s,
        &cm_rt,
        "manual",
        "settings",
        json!({"data": {"PORT": "81"}}),
        false,
    );
    wait_for("out of sync after edit", || {
        sync_of(&app(s, "hand")) == "OutOfSync"
    })
    .await;
    assert_eq!(cm(s, "manual", "settings").unwrap()["data"]["PORT"], "81");
    patch(s, &app_rt, "argocd", "hand", op, false);
    wait_for("second sync", || {
        app(s, "hand")["status"]["history"]
            .as_array()
            .is_some_and(|h| h.len() == 2)
    })
    .await;
    assert_eq!(cm(s, "manual", "settings").unwrap()["data"]["PORT"], "80");
    let a = app(s, "hand");
    assert!(
        a["status"]["operationState"]["syncResult"]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["message"] == "configmap/settings configured")
    );
}

#[tokio::test]
async fn automated_without_self_heal_keeps_drift_and_missing_paths_are_errors() {
    let env = start();
    let s = &env.store;
    let repo = "https://git.example/apps";
    env.git.set_path(repo, "auto", manual_manifests("80"));
    let app_rt = rt(s, "argoproj.io", "Application");
    s.create(
        &app_rt,
        "argocd",
        manual_app("auto", "auto", Some(json!({"prune": false}))),
        Writer::update("kubectl"),
    )
    .unwrap();
    s.create(
        &app_rt,
        "argocd",
        manual_app("lost", "nowhere", Some(json!({}))),
        Writer::update("kubectl"),
    )
    .unwrap();
    wait_for("auto synced", || sync_of(&app(s, "auto")) == "Synced").await;

    let cm_rt = rt(s, "", "ConfigMap");
    patch(
        s,
        &cm_rt,
        "manual",
        "settings",
        json!({"data": {"PORT": "81"}}),
        false,
    );
    wait_for("drift seen", || sync_of(&app(s, "auto")) == "OutOfSync").await;
    // Git moves: the app syncs to it, which also overwrites the drifted value.
    env.git.set_path(repo, "auto", manual_manifests("82"));
    wait_for("git change applied", || {
        cm(s, "manual", "settings").unwrap()["data"]["PORT"] == "82"
    })
    .await;
    wait_for("synced again", || sync_of(&app(s, "auto")) == "Synced").await;
    patch(
        s,
        &cm_rt,
        "manual",
        "settings",
        json!({"data": {"PORT": "83"}}),
        false,
    );
    wait_for("drift seen again", || {
        sync_of(&app(s, "auto")) == "OutOfSync"
    })
    .await;
    // A refresh re-compares but does not sync without selfHeal.
    patch(
        s,
        &app_rt,
        "argocd",
        "auto",
        json!({"metadata": {"annotations": {"argocd.argoproj.io/refresh": "normal"}}}),
        false,
    );
    wait_for("refresh cleared", || {
        app(s, "auto")["metadata"]["annotations"]
            .get("argocd.argoproj.io/refresh")
            .is_none()
    })
    .await;
    assert_eq!(cm(s, "manual", "settings").unwrap()["data"]["PORT"], "83");
    assert_eq!(sync_of(&app(s, "auto")), "OutOfSync");

    wait_for("comparison error", || {
        app(s, "lost")["status"]["conditions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["type"] == "ComparisonError"))
    })
    .await;
    let a = app(s, "lost");
    assert_eq!(sync_of(&a), "Unknown");
    assert_eq!(health_of(&a), "Unknown");
    assert!(
        a["status"]["conditions"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nowhere: app path does not exist")
    );
}
