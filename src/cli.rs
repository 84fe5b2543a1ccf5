//! Command-line interface (clap).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "secretdeck",
    version,
    about = "Terminal console for AWS Secrets Manager -> External Secrets -> Kubernetes -> Argo CD"
)]
pub struct Cli {
    #[command(flatten)]
    pub console: ConsoleArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the console (the default command). They belong to the
/// console only: each subcommand declares the options it uses (a
/// mutating one takes `TargetArgs`); given before a subcommand, `main`
/// passes on the ones it uses and refuses the others.
#[derive(Debug, Args, Clone, Default)]
pub struct ConsoleArgs {
    /// Kube context to use (default: the kubeconfig's current context).
    #[arg(long)]
    pub context: Option<String>,
    /// Limit the view to one namespace.
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    /// Refuse every mutation.
    #[arg(long)]
    pub readonly: bool,
    /// Theme name (dark, light, high-contrast, colorblind) or a path to a theme file.
    #[arg(long)]
    pub theme: Option<String>,
    // CONFIG part: the local clone for Git-side ConfigMap edits.
    /// Local clone of the app's GitOps repo, for editing ConfigMaps in Git.
    #[arg(long, value_name = "PATH")]
    pub gitops_repo: Option<PathBuf>,
}

/// Where a mutating command writes, and whether it may.
#[derive(Debug, Args, Clone, Default)]
pub struct TargetArgs {
    /// Kube context to use (default: the kubeconfig's current context).
    #[arg(long, global = true)]
    pub context: Option<String>,
    /// Refuse every change (as a context matching `readonly_contexts` in config.toml does).
    #[arg(long, global = true)]
    pub readonly: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the simulated environment in-process and the console on it.
    #[cfg(feature = "demo")]
    Demo(DemoArgs),
    /// Run the simulated environment headless; print a kubeconfig and the AWS endpoint.
    #[cfg(feature = "demo")]
    Sim(secretdeck_sim::cli::SimArgs),
    /// Print the apps' status once (table, JSON or YAML); exit 0 healthy, 1 problems, 2 error.
    Status(StatusArgs),
    // REFRESH part: force refresh, Argo CD refresh/sync, restarts.
    /// Force-sync ExternalSecrets, refresh or sync Argo CD apps: `refresh es NS/NAME | app NAME [--hard|--es] | sync APP`.
    Refresh(crate::cli_ops::RefreshArgs),
    /// Rollout restart of a workload (NS/DEPLOYMENT), followed to Available.
    Restart(crate::cli_ops::RestartArgs),
    // CONFIG part
    /// Change a ConfigMap: `config set NS/CM KEY=VALUE [--live | --git PATH] [--yes]`.
    Config(crate::cli_config::ConfigArgs),
    // ROTATION part: guided rotation and rollback of an AWS secret.
    /// Rotate the AWS secret an ExternalSecret reads: write, sync, restart.
    Rotate(crate::cli_rotate::RotateArgs),
    /// Move AWSCURRENT back to the previous version, then sync and restart.
    Rollback(crate::cli_rotate::RollbackArgs),
}

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

impl ConsoleArgs {
    /// A subcommand's options (`own`) with those given before the
    /// subcommand (`secretdeck --readonly rotate ...`) added. `uses` names
    /// the console options the subcommand takes; any other one given
    /// before it is an error rather than silently ignored.
    pub fn for_subcommand(
        self,
        sub: &str,
        own: ConsoleArgs,
        uses: &[&str],
    ) -> anyhow::Result<ConsoleArgs> {
        let given = [
            ("--context", self.context.is_some()),
            ("--namespace", self.namespace.is_some()),
            ("--readonly", self.readonly),
            ("--theme", self.theme.is_some()),
            ("--gitops-repo", self.gitops_repo.is_some()),
        ];
        if let Some((name, _)) = given.iter().find(|(n, set)| *set && !uses.contains(n)) {
            anyhow::bail!(
                "{name} is not an option of `secretdeck {sub}` (see `secretdeck {sub} --help`)"
            );
        }
        Ok(ConsoleArgs {
            context: own.context.or(self.context),
            namespace: own.namespace.or(self.namespace),
            readonly: own.readonly || self.readonly,
            theme: own.theme.or(self.theme),
            gitops_repo: own.gitops_repo.or(self.gitops_repo),
        })
    }
}

impl TargetArgs {
    /// As console options, for the commands' `run` functions.
    pub fn console(&self) -> ConsoleArgs {
        ConsoleArgs {
            context: self.context.clone(),
            readonly: self.readonly,
            ..ConsoleArgs::default()
        }
    }
}

/// The console options a mutating subcommand takes.
pub const TARGET_OPTIONS: &[&str] = &["--context", "--readonly"];
