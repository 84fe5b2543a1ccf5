//! The command line: the clap definitions (`Cli`, `Command`) and the
//! argument structs several subcommands share, then one module per
//! subcommand with its own arguments and its `run`. A subcommand module may
//! import `ops`, `backend`, `domain`, `state`, `settings`, `audit`,
//! `gitops`, `snapshot` and `console`; nothing outside `cli` imports a
//! subcommand module, except `main` (and `sim`, for `SimArgs`).

#[cfg(feature = "demo")]
pub mod bench;
pub mod config;
pub mod console;
#[cfg(feature = "demo")]
pub mod demo;
mod operation;
pub mod refresh;
pub mod restart;
pub mod rollback;
pub mod rotate;
#[cfg(feature = "demo")]
pub mod sim;
pub mod status;

#[cfg(feature = "demo")]
pub use demo::DemoArgs;
#[cfg(feature = "demo")]
pub use sim::SimArgs;
pub use status::{OutputFormat, StatusArgs};

use crate::settings::Paths;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
/// mutating one takes `TargetArgs`); given before a subcommand,
/// `Cli::invocation` passes on the ones it uses and refuses the others.
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
    #[cfg(feature = "demo")]
    /// Start the simulated environment in-process and the console on it.
    Demo(DemoArgs),
    #[cfg(feature = "demo")]
    /// Run the simulated environment headless; print a kubeconfig and the AWS endpoint.
    Sim(SimArgs),
    #[cfg(feature = "demo")]
    /// Measure the console against kubectl on the simulated cluster at two scales.
    Bench(bench::BenchArgs),
    /// Print the apps' status once (table, JSON or YAML); exit 0 healthy, 1 problems, 2 error.
    Status(StatusArgs),
    // REFRESH part: force refresh, Argo CD refresh/sync, restarts.
    /// Force-sync ExternalSecrets, refresh or sync Argo CD apps: `refresh es NS/NAME | app NAME [--hard|--es] | sync APP`.
    Refresh(refresh::RefreshArgs),
    /// Rollout restart of a workload (NS/DEPLOYMENT), followed to Available.
    Restart(restart::RestartArgs),
    // CONFIG part
    /// Change a ConfigMap: `config set NS/CM KEY=VALUE [--live | --git PATH] [--yes]`.
    Config(config::ConfigArgs),
    // ROTATION part: guided rotation and rollback of an AWS secret.
    /// Rotate the AWS secret an ExternalSecret reads: write, sync, restart.
    Rotate(rotate::RotateArgs),
    /// Move AWSCURRENT back to the previous version, then sync and restart.
    Rollback(rollback::RollbackArgs),
}

/// Options every mutating command shares.
#[derive(Debug, Args, Clone)]
pub struct OpFlags {
    /// Do not ask: proceed (required when stdin is not a terminal).
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = OpOutput::Text, global = true)]
    pub output: OpOutput,
    /// Seconds to wait for the controllers to act.
    #[arg(long, global = true)]
    pub timeout: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OpOutput {
    Text,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct OpArgs {
    /// `text` or `json`.
    #[arg(long, short = 'o', default_value = "text")]
    pub output: String,
    /// Seconds to wait for the cluster, each sync and each rollout.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
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

/// A command line ready to run: the subcommand, with the console options
/// given before it merged in (and any it does not take refused).
#[derive(Debug)]
pub enum Invocation {
    #[cfg(feature = "demo")]
    /// `secretdeck sim`: it starts its own runtime and log.
    Sim(SimArgs),
    /// Every other command: runs on the runtime `main` starts.
    Job(Job),
}

/// A command that runs on `main`'s runtime, with its options.
#[derive(Debug)]
pub enum Job {
    Console(ConsoleArgs),
    #[cfg(feature = "demo")]
    Demo(ConsoleArgs, DemoArgs),
    #[cfg(feature = "demo")]
    Bench(bench::BenchArgs),
    Status(ConsoleArgs, StatusArgs),
    Refresh(ConsoleArgs, refresh::RefreshArgs),
    Restart(ConsoleArgs, restart::RestartArgs),
    Config(ConsoleArgs, config::ConfigArgs),
    Rotate(ConsoleArgs, rotate::RotateArgs),
    Rollback(ConsoleArgs, rollback::RollbackArgs),
}

impl Cli {
    /// What to run. An option given before a subcommand that does not
    /// take it is an error (`ConsoleArgs::for_subcommand`).
    pub fn invocation(self) -> anyhow::Result<Invocation> {
        let top = self.console;
        let job = match self.command {
            None => Job::Console(top),
            #[cfg(feature = "demo")]
            Some(Command::Sim(args)) => {
                top.for_subcommand("sim", ConsoleArgs::default(), &[])?;
                return Ok(Invocation::Sim(args));
            }
            #[cfg(feature = "demo")]
            Some(Command::Bench(args)) => {
                top.for_subcommand("bench", ConsoleArgs::default(), &[])?;
                Job::Bench(args)
            }
            Some(Command::Status(args)) => {
                let own = ConsoleArgs {
                    context: args.context.clone(),
                    namespace: args.namespace.clone(),
                    ..ConsoleArgs::default()
                };
                let uses = ["--context", "--namespace"];
                Job::Status(top.for_subcommand("status", own, &uses)?, args)
            }
            #[cfg(feature = "demo")]
            Some(Command::Demo(args)) => {
                let own = ConsoleArgs {
                    context: None,
                    namespace: args.namespace.clone(),
                    readonly: args.readonly,
                    theme: args.theme.clone(),
                    gitops_repo: args.gitops_repo.clone(),
                };
                let uses = ["--namespace", "--readonly", "--theme", "--gitops-repo"];
                Job::Demo(top.for_subcommand("demo", own, &uses)?, args)
            }
            Some(Command::Config(args)) => {
                let c = top.for_subcommand("config", args.guard.console(), TARGET_OPTIONS)?;
                Job::Config(c, args)
            }
            Some(Command::Rotate(args)) => {
                let c = top.for_subcommand("rotate", args.guard.console(), TARGET_OPTIONS)?;
                Job::Rotate(c, args)
            }
            Some(Command::Rollback(args)) => {
                let c = top.for_subcommand("rollback", args.guard.console(), TARGET_OPTIONS)?;
                Job::Rollback(c, args)
            }
            Some(Command::Refresh(args)) => {
                let c = top.for_subcommand("refresh", args.guard.console(), TARGET_OPTIONS)?;
                Job::Refresh(c, args)
            }
            Some(Command::Restart(args)) => {
                let c = top.for_subcommand("restart", args.guard.console(), TARGET_OPTIONS)?;
                Job::Restart(c, args)
            }
        };
        Ok(Invocation::Job(job))
    }
}

impl Job {
    /// The console (and the demo) says why it has no log file; the other
    /// commands keep stderr for their own messages.
    pub fn says_why_no_log(&self) -> bool {
        match self {
            Job::Console(_) => true,
            #[cfg(feature = "demo")]
            Job::Demo(..) => true,
            _ => false,
        }
    }

    /// Run it, on the runtime `main` started, with the directories `main`
    /// resolved.
    pub async fn run(self, paths: &Paths) -> anyhow::Result<ExitCode> {
        match self {
            Job::Console(c) => console::run(c, paths).await,
            #[cfg(feature = "demo")]
            Job::Demo(c, args) => demo::run(c, args, paths).await,
            #[cfg(feature = "demo")]
            Job::Bench(args) => bench::run(args).await,
            Job::Status(c, args) => status::run(c, args, paths).await,
            Job::Refresh(c, args) => refresh::run(c, args, paths).await,
            Job::Restart(c, args) => restart::run(c, args, paths).await,
            Job::Config(c, args) => config::run(c, args, paths).await,
            Job::Rotate(c, args) => rotate::run(c, args, paths).await,
            Job::Rollback(c, args) => rollback::run(c, args, paths).await,
        }
    }
}
