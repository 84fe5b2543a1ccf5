//! `secretdeck` (no subcommand): the console on the current kube context,
//! in the real terminal. The event loop is `terminal`'s; the pieces tests
//! share (`Session`, `exit_notice`, the theme) are `crate::console`'s. May
//! import `backend`, `state`, `terminal`, `view`, `settings` and `console`.

use crate::backend::{AwsOptions, Cluster, ConnectOptions, KubeCluster, connect};
use crate::cli::ConsoleArgs;
use crate::console::{CHANNEL_CAPACITY, TICK, exit_notice};
use crate::settings::Paths;
use crate::terminal::{TerminalGuard, event_loop_with, forward_signals};
use crate::view::Theme;
use anyhow::Context;
use crossterm::event::EventStream;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::sync::mpsc;

/// `secretdeck`: the console on the current kube context (`KUBECONFIG` or
/// `~/.kube/config`, `--context`), or in-cluster.
pub async fn run(args: ConsoleArgs, paths: &Paths) -> anyhow::Result<ExitCode> {
    run_with(&args, None, AwsOptions::default(), paths).await
}

/// The console on a kubeconfig file (`None` = the usual lookup), with
/// explicit AWS options (the demo's endpoint).
pub async fn run_with(
    args: &ConsoleArgs,
    kubeconfig: Option<PathBuf>,
    aws: AwsOptions,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    let theme = crate::settings::theme::load_in(args.theme.as_deref(), paths)?;
    let opts = ConnectOptions {
        kubeconfig,
        context: args.context.clone(),
    };
    let conn = connect(&opts).await?;
    let cluster = KubeCluster::new(conn, args.namespace.clone(), paths.clone())
        .with_connect_options(opts)
        .with_aws(aws);
    run_interactive(cluster, args, theme, paths).await
}

/// Run the interactive console on any cluster source, in the real terminal.
pub async fn run_interactive(
    cluster: impl Cluster,
    args: &ConsoleArgs,
    theme: Theme,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    let mut model = crate::console::initial_model(args, paths)?;
    let (tx, mut rx) = mpsc::channel(CHANNEL_CAPACITY);
    let signals = forward_signals(tx.clone()).context("cannot listen for signals")?;
    let backend = cluster.start(tx);
    let mut guard = TerminalGuard::enter().context("cannot set up the terminal")?;
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
