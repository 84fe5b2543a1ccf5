//! The real backend against the simulated environment in process: every
//! kind arrives, Secrets without their data, 403 and missing CRDs per kind,
//! ESO v1beta1, staleness after an out-of-band rotation, AWS calls and the
//! audit record of a reveal.

use crate::support;
use secretdeck::settings::Paths;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use secretdeck::backend::{BackendHandle, Cluster, KubeCluster};
use secretdeck::domain::views::app_views;
use secretdeck::domain::{Inventory, ObjKey};
use secretdeck::state::{Change, ClusterData, Cmd, Msg, WatchKind, WatchState};
use secretdeck_sim::kube::resources::EsoVersion;
use secretdeck_sim::{SimEnv, SimOptions};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(40);

/// The backend's messages applied as the model applies them.
struct Harness {
    data: ClusterData,
    watches: BTreeMap<WatchKind, WatchState>,
    rx: mpsc::Receiver<Msg>,
    backend: BackendHandle,
    /// Every message seen (Debug form), to check no value leaked.
    seen: Vec<String>,
}

impl Harness {
    /// The backend on `env`, its files under `Paths::under(dir)`.
    async fn start(env: &SimEnv, namespace: Option<String>, dir: &Path) -> Harness {
        let paths = Paths::under(dir);
        let conn = support::console::connection(env).await;
        let cluster = KubeCluster::new(conn, namespace, paths)
            .with_connect_options(support::console::connect_options(env))
            .with_aws(support::console::aws_options(env));
        let (tx, rx) = mpsc::channel(1024);
        let backend = cluster.start(tx);
        Harness {
            data: ClusterData::default(),
            watches: BTreeMap::new(),
            rx,
            backend,
            seen: Vec::new(),
        }
    }

    fn watch(&self, kind: WatchKind) -> WatchState {
        self.watches.get(&kind).cloned().unwrap_or_default()
    }

    /// Apply messages until `cond` holds; panics with `what` at the deadline.
    async fn wait(&mut self, what: &str, cond: impl Fn(&Harness) -> bool) {
        if !self.try_wait(cond).await {
            panic!("timed out waiting for {what}; watches: {:?}", self.watches);
        }
    }

    /// Apply messages until `cond` holds (true) or the deadline (false).
    async fn try_wait(&mut self, cond: impl Fn(&Harness) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !cond(self) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(msg)) => self.apply(msg),
                Ok(None) | Err(_) => return false,
            }
        }
        true
    }

    fn apply(&mut self, msg: Msg) {
        if !matches!(msg, Msg::Now(_)) {
            self.seen.push(format!("{msg:?}"));
        }
        match msg {
            Msg::Watch { kind, state } => {
                self.watches.insert(kind, state);
            }
            other => {
                self.data.apply_msg(other);
            }
        }
    }

    fn inv(&self) -> &Inventory {
        &self.data.inventory
    }
}

async fn sim(opts: SimOptions) -> (SimEnv, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let env = SimEnv::start(opts, dir.path()).await.unwrap();
    (env, dir)
}

fn all_live(h: &Harness) -> bool {
    WatchKind::ALL
        .iter()
        .all(|k| h.watch(*k) == WatchState::Live)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_arrives_and_secrets_carry_no_data() {
    let (env, dir) = sim(SimOptions::default()).await;
    let mut h = Harness::start(&env, None, dir.path()).await;
    h.wait("every watch live with objects", |h| {
        let i = h.inv();
        all_live(h)
            && !i.apps.is_empty()
            && !i.external_secrets.is_empty()
            && !i.cluster_secret_stores.is_empty()
            && !i.config_maps.is_empty()
            && !i.workloads.is_empty()
            && !i.pods.is_empty()
            && !i.events.is_empty()
            && i.secrets
                .contains_key(&ObjKey::new("onthetop-backend", "onthetop-backend-secrets"))
    })
    .await;
    let secret = &h.inv().secrets[&ObjKey::new("onthetop-backend", "onthetop-backend-secrets")];
    assert_eq!(
        secret.managed_by().as_deref(),
        Some("onthetop-backend-secrets")
    );
    assert!(secret.data_hash().is_some());
    assert!(secret.metadata.data_changed().is_some());
    let w = &h.inv().workloads[&ObjKey::new("onthetop-backend", "onthetop-backend")];
    assert_eq!(w.kind(), "Deployment");
    // Values never crossed the channel.
    let aws_value =
        std::fs::read_to_string("tests/fixtures/onthetop/aws/secrets.properties").unwrap();
    let needle = aws_value
        .lines()
        .find(|l| l.contains("password"))
        .unwrap_or("fake-db-password-1");
    assert!(h.seen.iter().all(|m| !m.contains(needle.trim())));
    assert!(h.seen.iter().all(|m| !m.contains("fake-db-password-1")));
    drop(h);
    env.shutdown().await;
}

/// The first list of Applications arrives page by page (a small first
/// page as the Reset, then `More`), and the watch is live only after the
/// last page: the apps screen fills at once, and says it is loading
/// until every app is there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applications_are_first_listed_page_by_page() {
    let (env, dir) = sim(SimOptions {
        apps: 240,
        ..SimOptions::default()
    })
    .await;
    let mut h = Harness::start(&env, None, dir.path()).await;
    let mut pages = Vec::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let msg = tokio::time::timeout_at(deadline, h.rx.recv())
            .await
            .expect("applications live within the wait")
            .expect("backend open");
        match &msg {
            Msg::Apps(Change::Reset(items)) => pages.push(("reset", items.len())),
            Msg::Apps(Change::More(items)) => pages.push(("more", items.len())),
            Msg::Watch {
                kind: WatchKind::Applications,
                state: WatchState::Live,
            } => {
                h.apply(msg);
                break;
            }
            _ => {}
        }
        h.apply(msg);
    }
    let total: usize = pages.iter().map(|(_, n)| n).sum();
    assert_eq!(total, h.inv().apps.len(), "{pages:?}");
    assert!(
        total > 200,
        "every app arrived before the watch was live: {pages:?}"
    );
    assert_eq!(pages[0].0, "reset", "{pages:?}");
    assert!(pages[0].1 <= 100, "a small first page: {pages:?}");
    assert!(pages[1..].iter().all(|(k, _)| *k == "more"), "{pages:?}");
    drop(h);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_secrets_and_missing_argo_leave_the_rest_live() {
    let (env, dir) = sim(SimOptions {
        forbid: vec!["secrets".into()],
        serve_argo: false,
        apps: 2,
        ..SimOptions::default()
    })
    .await;
    let mut h = Harness::start(&env, None, dir.path()).await;
    h.wait(
        "secrets forbidden, apps not installed, the rest live",
        |h| {
            h.watch(WatchKind::Secrets) == WatchState::Forbidden
                && h.watch(WatchKind::Applications) == WatchState::NotInstalled
                && [
                    WatchKind::ExternalSecrets,
                    WatchKind::ClusterSecretStores,
                    WatchKind::ConfigMaps,
                    WatchKind::Deployments,
                    WatchKind::Pods,
                ]
                .iter()
                .all(|k| h.watch(*k) == WatchState::Live)
                && !h.inv().external_secrets.is_empty()
        },
    )
    .await;
    assert!(h.inv().secrets.is_empty());
    drop(h);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eso_v1beta1_is_watched() {
    let (env, dir) = sim(SimOptions {
        eso_version: EsoVersion::V1beta1,
        apps: 1,
        ..SimOptions::default()
    })
    .await;
    let mut h = Harness::start(&env, None, dir.path()).await;
    h.wait("v1beta1 ExternalSecrets and stores", |h| {
        h.watch(WatchKind::ExternalSecrets) == WatchState::Live
            && h.inv()
                .external_secrets
                .contains_key(&ObjKey::new("onthetop-backend", "onthetop-backend-secrets"))
            && !h.inv().cluster_secret_stores.is_empty()
    })
    .await;
    drop(h);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namespace_scope_restarts_the_watches() {
    let (env, dir) = sim(SimOptions {
        apps: 2,
        ..SimOptions::default()
    })
    .await;
    let mut h = Harness::start(&env, None, dir.path()).await;
    h.wait("config maps from several namespaces", |h| {
        let namespaces: std::collections::BTreeSet<_> = h
            .inv()
            .config_maps
            .keys()
            .map(|k| k.namespace.clone())
            .collect();
        namespaces.len() > 1
    })
    .await;
    h.backend
        .send(Cmd::SetNamespace(Some("onthetop-backend".into())));
    h.wait("only onthetop-backend's objects", |h| {
        let i = h.inv();
        !i.config_maps.is_empty()
            && i.config_maps
                .keys()
                .all(|k| k.namespace == "onthetop-backend")
            && i.pods.keys().all(|k| k.namespace == "onthetop-backend")
    })
    .await;
    drop(h);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_makes_subpath_pods_stale_without_any_action() {
    let (env, dir) = sim(SimOptions {
        apps: 0,
        ..SimOptions::default()
    })
    .await;
    let mut h = Harness::start(&env, None, dir.path()).await;
    let secret_key = ObjKey::new("onthetop-backend", "onthetop-backend-secrets");
    let ok = h
        .try_wait(|h| {
            let now = h.data.now_or_epoch();
            let views = app_views(h.inv(), now);
            h.inv().secrets.contains_key(&secret_key)
                && h.inv().pods.len() >= 2
                && views
                    .iter()
                    .any(|v| v.name == "onthetop-backend" && v.stale_pods == 0 && v.es_ready == 1)
        })
        .await;
    if !ok {
        let v = app_views(h.inv(), h.data.now_or_epoch());
        panic!("{v:#?}");
    }
    let before = h.inv().secrets[&secret_key].metadata.data_changed();
    // Changes are recorded to the second: make sure the next one is later.
    let start = chrono::Utc::now();
    support::eventually(5, "a new second", || async {
        (chrono::Utc::now().timestamp() > start.timestamp() + 1).then_some(())
    })
    .await;

    let sm = support::sm_client(&env.sm_endpoint, &env.region);
    sm.put_secret_value()
        .secret_id("onthetop/backend/secrets-properties")
        .secret_string("spring.datasource.password=rotated-by-backend-test\n")
        .send()
        .await
        .unwrap();
    let client = support::kube_client(&env.kubeconfig).await;
    let gvk = GroupVersionKind::gvk("external-secrets.io", "v1", "ExternalSecret");
    let es: Api<DynamicObject> =
        Api::namespaced_with(client, "onthetop-backend", &ApiResource::from_gvk(&gvk));
    let patch = serde_json::json!({"metadata": {"annotations": {"force-sync": "backend-test"}}});
    es.patch(
        "onthetop-backend-secrets",
        &PatchParams::default(),
        &Patch::Merge(&patch),
    )
    .await
    .unwrap();

    h.wait("data_changed moved and the subPath pods are stale", |h| {
        let moved = h.inv().secrets[&secret_key].metadata.data_changed() > before;
        let now = h.data.now_or_epoch();
        moved
            && app_views(h.inv(), now)
                .iter()
                .any(|v| v.name == "onthetop-backend" && v.stale_pods >= 1)
    })
    .await;
    let view = app_views(h.inv(), h.data.now_or_epoch())
        .into_iter()
        .find(|v| v.name == "onthetop-backend")
        .unwrap();
    assert!(
        view.problems.iter().any(|p| p.contains("old secret")),
        "{:?}",
        view.problems
    );
    assert!(
        h.seen
            .iter()
            .all(|m| !m.contains("rotated-by-backend-test"))
    );
    drop(h);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_identity_describe_value_and_audited_reveal() {
    let (env, dir) = sim(SimOptions {
        apps: 1,
        ..SimOptions::default()
    })
    .await;
    let mut h = Harness::start(&env, None, dir.path()).await;
    h.wait("identity", |h| h.data.aws_identity.is_some()).await;
    let id = h.data.aws_identity.clone().unwrap().expect("identity");
    assert!(id.arn.starts_with("arn:aws:"), "{id:?}");

    let name = "onthetop/backend/secrets-properties".to_string();
    h.backend.send(Cmd::DescribeAwsSecret {
        name: name.clone(),
        region: Some(env.region.clone()),
    });
    h.wait("described", |h| h.data.aws_meta.contains_key(&name))
        .await;
    let meta = h.data.aws_meta[&name].clone().expect("describe");
    assert!(meta.version_with("AWSCURRENT").is_some(), "{meta:?}");
    assert_eq!(meta.region, env.region);

    let value: std::sync::Arc<std::sync::Mutex<Option<String>>> = Default::default();
    h.backend.send(Cmd::FetchAwsSecretValue {
        name: name.clone(),
        region: None,
    });
    let deadline = tokio::time::Instant::now() + WAIT;
    while value.lock().unwrap().is_none() {
        match tokio::time::timeout_at(deadline, h.rx.recv()).await {
            Ok(Some(Msg::AwsValue { result, .. })) => {
                let v = result.expect("value");
                assert_eq!(format!("{v:?}"), "SecretValue(***)");
                *value.lock().unwrap() = Some(v.expose().to_string());
            }
            Ok(Some(_)) => {}
            other => panic!("no value: {other:?}"),
        }
    }
    let value = value.lock().unwrap().clone().unwrap();
    assert!(value.contains('='), "a properties file");

    // Errors are words with the code, never a panic.
    h.backend.send(Cmd::DescribeAwsSecret {
        name: "no/such/secret".into(),
        region: None,
    });
    h.wait("not found", |h| {
        h.data.aws_meta.contains_key("no/such/secret")
    })
    .await;
    let err = h.data.aws_meta["no/such/secret"].clone().unwrap_err();
    assert!(err.contains("ResourceNotFoundException"), "{err}");

    h.backend.send(Cmd::AuditReveal {
        target: "ExternalSecret onthetop-backend/onthetop-backend-secrets".into(),
        aws_secret: name.clone(),
    });
    let file = Paths::under(dir.path())
        .state_dir
        .expect("state dir")
        .join("audit.jsonl");
    support::eventually(10, "audit record", || async {
        std::fs::read_to_string(&file)
            .ok()
            .filter(|s| s.ends_with('\n'))
    })
    .await;
    let text = std::fs::read_to_string(&file).unwrap();
    let rec: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(rec["action"], "reveal");
    assert_eq!(rec["aws_secret"], name.as_str());
    assert_eq!(rec["aws_identity"], id.arn.as_str());
    assert_eq!(rec["kube_context"], "secretdeck-sim");
    for line in value.lines().filter(|l| l.contains('=')) {
        let secret_part = line.split_once('=').unwrap().1.trim();
        if secret_part.len() > 3 {
            assert!(!text.contains(secret_part), "audit log holds a value");
        }
    }

    // A console key refused read-only is audited as the CLI audits it.
    h.backend.send(Cmd::AuditRefusal {
        action: "rotate the secret of ExternalSecret a/b".into(),
        message: "read-only mode: rotate the secret of ExternalSecret a/b refused".into(),
    });
    support::eventually(10, "refusal record", || async {
        std::fs::read_to_string(&file)
            .ok()
            .filter(|s| s.lines().count() == 2 && s.ends_with('\n'))
    })
    .await;
    let text = std::fs::read_to_string(&file).unwrap();
    let rec: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(rec["action"], "refused");
    assert_eq!(rec["target"], "rotate the secret of ExternalSecret a/b");
    assert_eq!(rec["outcome"], "refused-readonly");
    assert_eq!(rec["kube_context"], "secretdeck-sim");
    assert!(rec["error"].as_str().unwrap().contains("read-only mode"));
    drop(h);
    env.shutdown().await;
}
