//! `secretdeck status`: the apps table (or JSON/YAML with each app's
//! ExternalSecrets and stale pods) for scripts and runbooks. Same data path
//! as the console: `backend::connect`, the `KubeCluster` watches, the
//! `ClusterData` they fill, and the domain's view functions; it waits until
//! every watch has delivered its initial list (or cannot: not installed,
//! forbidden), prints once and exits 0 (healthy), 1 (problems) or 2 (error).
//!
//! The watches are read by `snapshot::collect` (shared with `config set`
//! and the rotation); this module has the arguments, the report built from
//! what they delivered, and its table/JSON/YAML printing. May import
//! `backend`, `snapshot`, `state`, `domain` and `settings`.

pub mod report;
pub mod table;

pub use report::{AppStatus, EsStatus, StalePod, StatusReport, report};

use crate::backend::snapshot::collect;
use crate::backend::{ConnectOptions, KubeCluster, connect};
use crate::cli::ConsoleArgs;
use crate::settings::Paths;
use crate::state::{WatchKind, WatchState};
use clap::Args;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Args, Clone)]
pub struct StatusArgs {
    /// Kube context to use (default: the kubeconfig's current context).
    #[arg(long)]
    pub context: Option<String>,
    /// Only this namespace (it must exist).
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Seconds to wait for every watch's initial list.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Yaml,
}

/// `secretdeck status`.
pub async fn run(
    console: ConsoleArgs,
    args: StatusArgs,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    // The same settings as every command: a broken config.toml is an error.
    crate::settings::config::load_in(paths)?;
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
    let cluster = KubeCluster::new(conn, console.namespace.clone(), paths.clone());
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
