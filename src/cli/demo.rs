//! `secretdeck demo`: start the simulated environment in-process and run
//! the console on it, through the kubeconfig it writes, exactly as on a
//! real cluster. May import `cli::console`, `backend` and `sim` (the one
//! place outside `main` that starts it).

use super::console::run_with;
use crate::backend::AwsOptions;
use crate::cli::ConsoleArgs;
use crate::settings::Paths;
use anyhow::Context;
use clap::Args;
use secretdeck_sim::{SimEnv, SimOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args, Clone)]
pub struct DemoArgs {
    /// Generated apps besides onthetop.
    #[arg(long, default_value_t = 12)]
    pub apps: usize,
    /// Limit the view to one namespace.
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    /// Refuse every mutation.
    #[arg(long)]
    pub readonly: bool,
    /// Theme name (dark, light, high-contrast, colorblind) or a path to a theme file.
    #[arg(long)]
    pub theme: Option<String>,
    /// Local clone of the app's GitOps repo, for editing ConfigMaps in Git.
    #[arg(long, value_name = "PATH")]
    pub gitops_repo: Option<PathBuf>,
}

/// `secretdeck demo`: start the simulated environment in-process and run
/// the console on it through the kubeconfig it writes.
pub async fn run(args: ConsoleArgs, demo: DemoArgs, paths: &Paths) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir().context("cannot create a directory for the demo")?;
    let opts = SimOptions {
        apps: demo.apps,
        ..Default::default()
    };
    let env = SimEnv::start(opts, dir.path())
        .await
        .context("cannot start the demo environment")?;
    let aws = AwsOptions {
        endpoint: Some(env.sm_endpoint.clone()),
        region: Some(env.region.clone()),
        test_credentials: true,
    };
    let result = run_with(&args, Some(env.kubeconfig.clone()), aws, paths).await;
    env.shutdown().await;
    result
}
