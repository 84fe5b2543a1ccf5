//! `secretdeck rollback`: move AWSCURRENT back to the previous version
//! (or the one an unfinished rotation's journal names), then sync and
//! restart, as the console does. Shares its preparation and reporting
//! with `rotate`. May import `ops` and `cli::rotate`.

use super::rotate::{confirm, describe, finish, reporter, setup};
use super::{ConsoleArgs, OpArgs, TargetArgs};
use crate::ops::rotation::rollback;
use crate::settings::Paths;
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args, Clone)]
pub struct RollbackArgs {
    /// The ExternalSecret, NAMESPACE/NAME.
    pub es: String,
    /// Which AWS secret, when the ExternalSecret reads several.
    #[arg(long)]
    pub aws_secret: Option<String>,
    /// Do not restart the workloads after the sync.
    #[arg(long)]
    pub no_restart: bool,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub common: OpArgs,
    #[command(flatten)]
    pub guard: TargetArgs,
}

/// `secretdeck rollback`.
pub async fn run(
    console: ConsoleArgs,
    args: RollbackArgs,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    let json = args.common.output == "json";
    let (p, plan) = setup(
        &console,
        &format!("roll back the AWS secret of ExternalSecret {}", args.es),
        &args.es,
        args.aws_secret.as_deref(),
        args.common.timeout,
        paths,
    )
    .await?;
    let journal = p
        .env
        .journal
        .unfinished()
        .map_err(anyhow::Error::msg)?
        .filter(|j| j.plan.aws_secret == plan.aws_secret);
    let what = match &journal {
        Some(j) => format!(
            "Roll back the unfinished rotation of {} ({}): AWSCURRENT back to version {}",
            plan.aws_secret,
            j.edit,
            j.old_version.as_deref().unwrap_or("?")
        ),
        None => format!(
            "Roll back {}: AWSCURRENT back to the AWSPREVIOUS version",
            plan.aws_secret
        ),
    };
    confirm(
        &describe(&p, &plan, &what),
        args.yes,
        &format!("roll back {}", plan.aws_secret),
        &p.env.kube_context,
        paths,
    )?;
    let out = rollback(&p.env, &plan, journal, !args.no_restart, &reporter(json)).await;
    Ok(finish(&out, &plan, json))
}
