//! `secretdeck status`: the apps table (or JSON/YAML with each app's
//! ExternalSecrets and stale pods) for scripts and runbooks. Same data path
//! as the console: `backend::connect`, the `KubeCluster` watches, the
//! `ClusterData` they fill, and the domain's view functions; it waits until
//! every watch has delivered its initial list (or cannot: not installed,
//! forbidden), prints once and exits 0 (healthy), 1 (problems) or 2 (error).

pub mod report;
pub mod table;

pub use report::{AppStatus, EsStatus, StalePod, StatusReport, report};

use crate::backend::{Cluster, ConnectOptions, KubeCluster, connect};
use crate::cli::{ConsoleArgs, OutputFormat, StatusArgs};
use crate::domain::content::ContentLog;
use crate::state::{ClusterData, ClusterStatus, Msg, WatchKind, WatchState};
use anyhow::Context;
use std::process::ExitCode;
use std::time::Duration;
use tokio::sync::mpsc;

/// What the watches delivered before `collect` stopped.
#[derive(Debug, Default)]
pub struct Collected {
    pub status: ClusterStatus,
    pub data: ClusterData,
}

impl Collected {
    /// Kinds whose initial list is not in yet (still connecting or retrying).
    pub fn unsettled(&self) -> Vec<(WatchKind, WatchState)> {
        WatchKind::ALL
            .iter()
            .map(|k| (*k, self.status.watch(*k)))
            .filter(|(_, s)| !settled(s))
            .collect()
    }
}

/// A watch that will not change what `status` reports any more.
pub fn settled(state: &WatchState) -> bool {
    matches!(
        state,
        WatchState::Live | WatchState::NotInstalled | WatchState::Forbidden
    )
}

/// Run `cluster` until every kind's initial list is in, or `timeout`. The
/// backend lays the data over the content identities the console saw
/// before (the state dir's content log), so pods of a reverted edit are
/// not stale here either.
pub async fn collect(cluster: impl Cluster, timeout: Duration) -> Collected {
    let (tx, mut rx) = mpsc::channel(1024);
    let _backend = cluster.start(tx);
    let mut out = Collected::default();
    let deadline = tokio::time::Instant::now() + timeout;
    while !out.unsettled().is_empty() {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(msg)) => apply(&mut out, msg),
            Ok(None) | Err(_) => break,
        }
    }
    // What already arrived belongs to the same moment.
    while let Ok(msg) = rx.try_recv() {
        apply(&mut out, msg);
    }
    out
}

fn apply(out: &mut Collected, msg: Msg) {
    match msg {
        Msg::Cluster(info) => {
            out.data.inventory.content.scope = ContentLog::scope_of(&info.context, &info.server);
            out.status.info = Some(info);
        }
        Msg::ClusterError(e) => out.status.error = Some(e),
        Msg::Watch { kind, state } => {
            if state == WatchState::Live {
                out.status.error = None;
            }
            out.status.watches.insert(kind, state);
        }
        other => {
            out.data.apply_msg(other);
        }
    }
}

/// `secretdeck status`.
pub fn run(console: ConsoleArgs, args: StatusArgs) -> anyhow::Result<ExitCode> {
    // Logging is optional here: stderr stays for the error message.
    let _ = crate::logging::init();
    // The same settings as every command: a broken config.toml is an error.
    crate::settings::config::load()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run_async(console, args))
}

async fn run_async(console: ConsoleArgs, args: StatusArgs) -> anyhow::Result<ExitCode> {
    let opts = ConnectOptions {
        kubeconfig: None,
        context: console.context.clone(),
    };
    let conn = connect(&opts).await?;
    crate::backend::connect::probe(&conn).await?;
    if let Some(ns) = &console.namespace {
        namespace_exists(&conn, ns).await?;
    }
    let server = conn.info.server.clone();
    let cluster = KubeCluster::new(conn, console.namespace.clone());
    let collected = collect(cluster, Duration::from_secs(args.timeout)).await;
    let unsettled = collected.unsettled();
    if unsettled.len() == WatchKind::ALL.len() {
        let why = collected
            .status
            .error
            .clone()
            .or_else(|| unsettled.iter().find_map(|(_, s)| reason(s)))
            .unwrap_or_else(|| "no answer".into());
        anyhow::bail!(
            "cannot read the cluster at {server} within {}s: {why}",
            args.timeout
        );
    }
    let now = chrono::Utc::now();
    let report = report(&collected, console.namespace.as_deref(), now);
    let text = match args.output {
        OutputFormat::Table => table::render(&report),
        OutputFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        OutputFormat::Yaml => serde_yaml::to_string(&report)?,
    };
    print!("{text}");
    if !unsettled.is_empty() {
        let kinds: Vec<String> = unsettled
            .iter()
            .map(|(k, s)| format!("{} ({})", k.plural(), state_words(s)))
            .collect();
        eprintln!(
            "secretdeck: incomplete: no initial list within {}s for {}",
            args.timeout,
            kinds.join(", ")
        );
    }
    Ok(ExitCode::from(report.exit_code()))
}

/// `-n NS` must name a namespace that exists; a 403 on reading it (RBAC
/// scoped to the namespace's objects) does not block.
async fn namespace_exists(conn: &crate::backend::Connection, ns: &str) -> anyhow::Result<()> {
    let api: kube::Api<k8s_openapi::api::core::v1::Namespace> = kube::Api::all(conn.client.clone());
    match api.get(ns).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 403 => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 404 => anyhow::bail!(
            "namespace {ns:?} does not exist in kube context {} ({})",
            conn.info.context,
            conn.info.server
        ),
        Err(e) => anyhow::bail!("cannot read namespace {ns:?}: {e}"),
    }
}

fn reason(state: &WatchState) -> Option<String> {
    match state {
        WatchState::Reconnecting(r) => Some(r.clone()),
        _ => None,
    }
}

/// A watch state in words, with the reason when it is retrying.
pub fn state_words(state: &WatchState) -> String {
    match state {
        WatchState::Reconnecting(r) => format!("reconnecting: {r}"),
        other => other.label().to_string(),
    }
}
