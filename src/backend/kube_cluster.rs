//! The real cluster: discovery (retried until the server answers), then one
//! watch per kind the server serves; commands (context switch, namespace
//! scope, AWS calls, audit records) executed alongside.

use super::aws::{Aws, AwsOptions};
use super::connect::{ConnectOptions, Connection, redact};
use super::discover::discover;
use super::exec::run_commands;
use super::merge::Merge;
use super::watch::{Liveness, Wrap, run_secret_meta_watch, run_watch};
use super::{BackendHandle, Cluster};
use crate::domain::{
    Application, ConfigMapObj, EventObj, ExternalSecret, HasMeta, Pod, SecretStore, Workload,
};
use crate::settings::Paths;
use crate::state::{Msg, WatchKind, WatchState};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{ConfigMap, Event, Pod as K8sPod, Secret};
use kube::api::Api;
use kube::core::PartialObjectMeta;
use kube::discovery::ApiResource;
use kube::{Client, Resource};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// How often `Msg::Now` is sent.
pub const CLOCK_TICK: Duration = Duration::from_secs(1);

pub struct KubeCluster {
    pub(super) conn: Connection,
    /// Watch namespaced kinds in this namespace only.
    pub(super) namespace: Option<String>,
    /// How `conn` was made: a context switch reconnects with these.
    pub(super) connect: ConnectOptions,
    pub(super) aws: AwsOptions,
    /// When a watch counts as dead (see [`Liveness`]).
    pub(super) liveness: Liveness,
    /// Where the audit log, rotation journal and content log live, and
    /// the config dir (`config.toml`'s GitOps clones).
    pub(super) paths: Paths,
}

impl KubeCluster {
    /// `paths`: the state and config dirs its operations write to and
    /// read from.
    pub fn new(conn: Connection, namespace: Option<String>, paths: Paths) -> Self {
        KubeCluster {
            conn,
            namespace,
            connect: ConnectOptions::default(),
            aws: AwsOptions::default(),
            liveness: Liveness::default(),
            paths,
        }
    }

    /// A watch with no event or bookmark for `silence` is marked stale and
    /// re-listed (90 s by default; tests shorten it).
    pub fn with_watch_silence(mut self, silence: Duration) -> Self {
        self.liveness.silence = silence;
        self
    }

    /// The kubeconfig options `conn` was made with (for `:ctx` switches).
    pub fn with_connect_options(mut self, opts: ConnectOptions) -> Self {
        self.connect = opts;
        self
    }

    /// How to reach AWS (endpoint override, region, demo credentials).
    pub fn with_aws(mut self, opts: AwsOptions) -> Self {
        self.aws = opts;
        self
    }
}

impl Cluster for KubeCluster {
    fn start(self, tx: mpsc::Sender<Msg>) -> BackendHandle {
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        let aws = Arc::new(Aws::new(self.aws.clone()));
        let clock = tokio::spawn(clock(tx.clone()));
        let main = tokio::spawn(run_commands(self, aws, tx, cmd_rx));
        BackendHandle::with_commands(vec![main, clock], cmd_tx)
    }
}

async fn clock(tx: mpsc::Sender<Msg>) {
    let mut ticker = tokio::time::interval(CLOCK_TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        ticker.tick().await;
        if tx.send(Msg::Now(chrono::Utc::now())).await.is_err() {
            return;
        }
    }
}

/// Discovery, then every watch, until aborted. Aborting this task drops
/// the set and aborts every watch.
pub(super) async fn run_watches(
    client: Client,
    namespace: Option<String>,
    liveness: Liveness,
    tx: mpsc::Sender<Msg>,
) {
    let mut delay = Duration::from_millis(500);
    let found = loop {
        match discover(client.clone()).await {
            Ok(found) => break found,
            Err(e) => {
                tracing::warn!(error = %e, "discovery failed; retrying");
                let msg =
                    Msg::ClusterError(format!("discovery failed: {}", redact(&e.to_string())));
                if tx.send(msg).await.is_err() {
                    return;
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(30));
            }
        }
    };
    let ns = namespace.as_deref();
    let mut tasks = JoinSet::new();
    let t = &mut Watches {
        tasks: &mut tasks,
        liveness,
        client: &client,
        namespace: ns,
    };
    // Applications live in Argo CD's namespace: always watched cluster-wide.
    let apps = found.applications.as_ref().map(|ar| (ar, false));
    watch::<Application>(t, apps, WatchKind::Applications, &tx, Box::new(Msg::Apps));
    let es = found.external_secrets.as_ref().map(|ar| (ar, true));
    let wrap = Box::new(Msg::ExternalSecrets);
    watch::<ExternalSecret>(t, es, WatchKind::ExternalSecrets, &tx, wrap);
    let stores = Merge::<SecretStore>::new(Msg::SecretStores, |s, kind| s.kind = Some(kind.into()));
    let ss = found.secret_stores.as_ref().map(|ar| (ar, true));
    watch(
        t,
        ss,
        WatchKind::SecretStores,
        &tx,
        stores.wrap_for("SecretStore"),
    );
    let css = found.cluster_secret_stores.as_ref().map(|ar| (ar, false));
    let wrap = stores.wrap_for("ClusterSecretStore");
    watch(t, css, WatchKind::ClusterSecretStores, &tx, wrap);
    let cm = erase::<ConfigMap>();
    watch::<ConfigMapObj>(
        t,
        Some((&cm, true)),
        WatchKind::ConfigMaps,
        &tx,
        Box::new(Msg::ConfigMaps),
    );
    let pods = erase::<K8sPod>();
    watch::<Pod>(
        t,
        Some((&pods, true)),
        WatchKind::Pods,
        &tx,
        Box::new(Msg::Pods),
    );
    let events = erase::<Event>();
    watch::<EventObj>(
        t,
        Some((&events, true)),
        WatchKind::Events,
        &tx,
        Box::new(Msg::Events),
    );
    let workloads = Merge::<Workload>::new(Msg::Workloads, |w, kind| w.kind = Some(kind.into()));
    for (r, kind, source) in [
        (erase::<Deployment>(), WatchKind::Deployments, "Deployment"),
        (
            erase::<StatefulSet>(),
            WatchKind::StatefulSets,
            "StatefulSet",
        ),
        (erase::<DaemonSet>(), WatchKind::DaemonSets, "DaemonSet"),
    ] {
        watch(t, Some((&r, true)), kind, &tx, workloads.wrap_for(source));
    }
    let secrets: Api<PartialObjectMeta<Secret>> = match ns {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    tasks.spawn(run_secret_meta_watch(secrets, tx.clone(), liveness));
    drop(tx);
    while tasks.join_next().await.is_some() {}
}

/// The watch tasks, when a watch counts as dead, and where they watch.
struct Watches<'a> {
    tasks: &'a mut JoinSet<()>,
    liveness: Liveness,
    client: &'a Client,
    /// The namespace the console is scoped to, if any.
    namespace: Option<&'a str>,
}

/// Start the watch of `kind` (its resource, and whether it is namespaced),
/// or report it not installed when discovery did not find it.
fn watch<T>(
    w: &mut Watches<'_>,
    resource: Option<(&ApiResource, bool)>,
    kind: WatchKind,
    tx: &mpsc::Sender<Msg>,
    wrap: Wrap<T>,
) where
    T: DeserializeOwned + HasMeta + Clone + std::fmt::Debug + Send + 'static,
{
    let tx = tx.clone();
    match resource {
        Some((ar, namespaced)) => {
            let api = match w.namespace {
                Some(ns) if namespaced => Api::namespaced_with(w.client.clone(), ns, ar),
                _ => Api::all_with(w.client.clone(), ar),
            };
            w.tasks
                .spawn(run_watch::<T>(api, kind, tx, wrap, w.liveness));
        }
        None => {
            w.tasks.spawn(async move {
                let state = WatchState::NotInstalled;
                let _ = tx.send(Msg::Watch { kind, state }).await;
            });
        }
    }
}

fn erase<K: Resource<DynamicType = ()>>() -> ApiResource {
    ApiResource::erase::<K>(&())
}
