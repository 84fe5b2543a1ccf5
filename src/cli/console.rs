//! `secretdeck` (no subcommand): the console on the current kube context,
//! in the real terminal. The event loop is `terminal`'s; the pieces tests
//! share (`Session`, `exit_notice`, the theme) are `crate::console`'s. May
//! import `backend`, `state`, `terminal`, `view`, `settings` and `console`.

use crate::backend::{AwsOptions, Cluster, ConnectOptions, KubeCluster, connect};
use crate::cli::ConsoleArgs;
use crate::console::{CHANNEL_CAPACITY, TICK, exit_notice, theme_for};
use crate::state::Model;
use crate::terminal::{TerminalGuard, event_loop_with, forward_signals};
use crate::view::Theme;
use anyhow::Context;
use crossterm::event::EventStream;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::sync::mpsc;

/// `secretdeck`: the console on the current kube context (`KUBECONFIG` or
/// `~/.kube/config`, `--context`), or in-cluster.
pub fn run(args: ConsoleArgs) -> anyhow::Result<ExitCode> {
    init_logging();
    runtime()?.block_on(run_with_kubeconfig(&args, None))
}

/// Run the interactive console against a kubeconfig file (`None` = the
/// usual lookup).
pub async fn run_with_kubeconfig(
    args: &ConsoleArgs,
    kubeconfig: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    run_with(args, kubeconfig, AwsOptions::default()).await
}

/// `run_with_kubeconfig` with explicit AWS options (the demo's endpoint).
pub async fn run_with(
    args: &ConsoleArgs,
    kubeconfig: Option<PathBuf>,
    aws: AwsOptions,
) -> anyhow::Result<ExitCode> {
    let theme = theme_for(args.theme.as_deref())?;
    let opts = ConnectOptions {
        kubeconfig,
        context: args.context.clone(),
    };
    let conn = connect(&opts).await?;
    let cluster = KubeCluster::new(conn, args.namespace.clone())
        .with_connect_options(opts)
        .with_aws(aws);
    run_interactive(cluster, args, theme).await
}

/// Run the interactive console on any cluster source, in the real terminal.
pub async fn run_interactive(
    cluster: impl Cluster,
    args: &ConsoleArgs,
    theme: Theme,
) -> anyhow::Result<ExitCode> {
    let (tx, mut rx) = mpsc::channel(CHANNEL_CAPACITY);
    let signals = forward_signals(tx.clone()).context("cannot listen for signals")?;
    let backend = cluster.start(tx);
    let mut guard = TerminalGuard::enter().context("cannot set up the terminal")?;
    let mut model = Model::new(args.readonly, args.namespace.clone());
    // REFRESH part: contexts the user's config marks read-only.
    model.readonly_contexts = crate::settings::config::load()?.readonly_contexts;
    // CONFIG part
    model.config.gitops_repo = args.gitops_repo.clone();
    let result = event_loop_with(
        &mut guard.terminal,
        &mut model,
        &theme,
        EventStream::new(),
        &mut rx,
        TICK,
        &mut |cmd| backend.send(cmd),
    )
    .await;
    // The terminal is restored before anything is said on it.
    drop(guard);
    drop(backend);
    signals.abort();
    result?;
    match exit_notice(&model) {
        Some(notice) => {
            eprintln!("{notice}");
            Ok(ExitCode::FAILURE)
        }
        None => Ok(ExitCode::SUCCESS),
    }
}

pub(super) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub(super) fn init_logging() {
    // The console works without a log file; say why there is none.
    if let Err(e) = crate::logging::init() {
        eprintln!("secretdeck: logging disabled: {e:#}");
    }
}
