//! Arguments of `secretdeck refresh ...` and `secretdeck restart ...`.

use clap::{Args, Subcommand};

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
pub struct RefreshArgs {
    #[command(subcommand)]
    pub what: RefreshWhat,
    #[command(flatten)]
    pub flags: OpFlags,
    #[command(flatten)]
    pub guard: crate::cli::TargetArgs,
}

#[derive(Debug, Subcommand, Clone)]
pub enum RefreshWhat {
    /// Force-sync an ExternalSecret (annotation force-sync) and wait for ESO.
    Es {
        /// NS/NAME of the ExternalSecret.
        target: String,
    },
    /// Argo CD refresh of an Application (NAME or NS/NAME), or with --es
    /// force-sync every ExternalSecret of the app.
    App {
        /// The Application: NAME or NAMESPACE/NAME.
        name: String,
        /// Hard refresh (regenerate the manifests).
        #[arg(long, conflicts_with = "es")]
        hard: bool,
        /// Force-sync every ExternalSecret of the app instead.
        #[arg(long)]
        es: bool,
    },
    /// Argo CD sync of an Application (NAME or NS/NAME), followed to its end.
    Sync {
        /// The Application: NAME or NAMESPACE/NAME.
        name: String,
    },
}

impl RefreshWhat {
    /// What was asked for, in words, before any target is looked up.
    pub fn asked(&self) -> String {
        match self {
            RefreshWhat::Es { target } => format!("force-sync ExternalSecret {target}"),
            RefreshWhat::App { name, es: true, .. } => {
                format!("force-sync every ExternalSecret of Application {name}")
            }
            RefreshWhat::App {
                name, hard: true, ..
            } => format!("hard refresh Application {name}"),
            RefreshWhat::App { name, .. } => format!("refresh Application {name}"),
            RefreshWhat::Sync { name } => format!("sync Application {name}"),
        }
    }
}

#[derive(Debug, Args, Clone)]
pub struct RestartArgs {
    /// NS/NAME of a Deployment (or KIND/NS/NAME: StatefulSet, DaemonSet).
    pub target: String,
    #[command(flatten)]
    pub flags: OpFlags,
    #[command(flatten)]
    pub guard: crate::cli::TargetArgs,
}
