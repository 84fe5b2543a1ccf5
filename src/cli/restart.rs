//! `secretdeck restart [KIND/]NS/NAME`: the console's rollout restart,
//! followed to Available, for runbooks and automation, run as `operation`
//! runs every refresh/restart. May import `ops` and `backend`.

use super::operation::{self, Plan, Step, ns_name};
use super::{ConsoleArgs, OpFlags, TargetArgs};
use crate::ops::restart;
use crate::settings::Paths;
use clap::Args;
use kube::Client;
use std::process::ExitCode;

#[derive(Debug, Args, Clone)]
pub struct RestartArgs {
    /// NS/NAME of a Deployment (or KIND/NS/NAME: StatefulSet, DaemonSet).
    pub target: String,
    #[command(flatten)]
    pub flags: OpFlags,
    #[command(flatten)]
    pub guard: TargetArgs,
}

/// `secretdeck restart ...`.
pub async fn run(
    console: ConsoleArgs,
    args: RestartArgs,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    let asked = format!("rollout restart {}", args.target);
    operation::run(
        console,
        args.flags.clone(),
        asked,
        move |client| Box::pin(plan(client, args.target)),
        paths,
    )
    .await
}

async fn plan(client: Client, target: String) -> anyhow::Result<Plan> {
    let (kind, rest) = match target.split('/').collect::<Vec<_>>().as_slice() {
        [kind, ns, name] => (kind.to_string(), format!("{ns}/{name}")),
        _ => ("Deployment".to_string(), target.clone()),
    };
    let kind = restart::KINDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(&kind))
        .map(|k| k.to_string())
        .ok_or_else(|| {
            anyhow::anyhow!("cannot restart a {kind}: only Deployment, StatefulSet, DaemonSet")
        })?;
    let (ns, name) = ns_name(&rest)?;
    Ok(Plan {
        client,
        describe: vec![format!(
            "{}: set spec.template annotation {}=<now, RFC 3339> (pods are replaced)",
            restart::target(&kind, &ns, &name),
            crate::domain::ops::annotations::RESTARTED_AT
        )],
        notes: Vec::new(),
        steps: vec![Step::Restart { kind, ns, name }],
    })
}
