//! `secretdeck config set NS/CM KEY=VALUE [--live | --git PATH] [--yes]
//! [-o json]`: the console's ConfigMap edit without the console — the same
//! validation, apply-with-resourceVersion, GitOps warning, Git-side edit,
//! read-only guard and audit records.

use crate::backend::{ConnectOptions, KubeCluster, connect};
use crate::cli::{ConsoleArgs, TargetArgs};
use crate::domain::config_edit::{Applied, ConfigEdit, EditKind, Loaded, data_diff};
use crate::domain::gitops::{GitOps, gitops_of};
use crate::domain::join::consumers_of;
use crate::domain::ops::guard::{self, Refusal};
use crate::ops::config_edit as ops;
use crate::ops::guard::{AuditRefusal, CheckAccess};
use crate::settings::Paths;
use clap::{Args, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Args, Clone)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
    #[command(flatten)]
    pub guard: TargetArgs,
}

#[derive(Debug, Subcommand, Clone)]
pub enum ConfigCommand {
    /// Set one key of a ConfigMap (live, or in a Git clone of the app's repo).
    Set(SetArgs),
}

#[derive(Debug, Args, Clone)]
pub struct SetArgs {
    /// The ConfigMap, as NAMESPACE/NAME.
    pub target: String,
    /// KEY=VALUE (the value may contain '=').
    pub assignment: String,
    /// Apply to the cluster (the default).
    #[arg(long, conflicts_with = "git")]
    pub live: bool,
    /// Edit the manifest in this local clone of the app's repo and commit it on a new branch.
    #[arg(long, value_name = "PATH")]
    pub git: Option<PathBuf>,
    /// Do not ask; required for a live edit an Argo CD selfHeal app would revert.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Output format: text or json.
    #[arg(long, short = 'o', default_value = "text")]
    pub output: String,
}

/// What `config set` did, as `-o json` prints it.
#[derive(Debug, serde::Serialize)]
struct Report {
    configmap: String,
    key: String,
    change: &'static str,
    mode: &'static str,
    kube_context: String,
    diff: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    git: Option<crate::gitops::GitEdit>,
    stale_consumers: Vec<String>,
}

/// Why `config set` stopped; each has its exit code.
#[derive(Debug)]
enum Fail {
    /// Bad arguments, settings or connection: exit 2.
    Usage(String),
    /// Read-only or not confirmed (audited): exit 3.
    Refused(Refusal),
    /// The edit failed (a 409 included): exit 1.
    Failed(String),
}

impl From<String> for Fail {
    fn from(e: String) -> Self {
        Fail::Failed(e)
    }
}

impl From<Refusal> for Fail {
    fn from(r: Refusal) -> Self {
        Fail::Refused(r)
    }
}

fn usage(e: impl std::fmt::Display) -> Fail {
    Fail::Usage(e.to_string())
}

/// `secretdeck config set`.
pub async fn run(
    console: ConsoleArgs,
    args: ConfigArgs,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    let config = crate::settings::config::load_in(paths)?;
    let ConfigCommand::Set(set) = args.command;
    match set_async(&console, &config, &set, paths).await {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(Fail::Usage(e)) => Err(anyhow::anyhow!(e)),
        Err(Fail::Refused(r)) => Err(r.into()),
        Err(Fail::Failed(e)) => {
            eprintln!("secretdeck: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

async fn set_async(
    console: &ConsoleArgs,
    config: &crate::settings::UserConfig,
    args: &SetArgs,
    paths: &Paths,
) -> Result<(), Fail> {
    let json = match args.output.as_str() {
        "json" => true,
        "text" => false,
        other => {
            return Err(usage(format!(
                "unknown output format {other:?} (text or json)"
            )));
        }
    };
    let (ns, name) = args
        .target
        .split_once('/')
        .filter(|(n, c)| !n.is_empty() && !c.is_empty())
        .ok_or_else(|| usage(format!("expected NAMESPACE/NAME, got {:?}", args.target)))?;
    let edit = ConfigEdit::parse_assignment(&args.assignment).map_err(usage)?;
    crate::domain::config_edit::validate_key(&edit.key).map_err(usage)?;
    let git_mode = args.git.is_some();
    let action = if git_mode {
        "config-edit-git"
    } else {
        "config-edit"
    };
    let target = format!("ConfigMap {ns}/{name} key {}", edit.key);
    let conn = connect(&ConnectOptions {
        kubeconfig: None,
        context: console.context.clone(),
    })
    .await
    .map_err(usage)?;
    crate::backend::connect::probe(&conn).await.map_err(usage)?;
    let (client, context) = (conn.client.clone(), conn.info.context.clone());
    guard::decide(&config.readonly_contexts, console.readonly, &context).check(
        &format!("{action} {target}"),
        &context,
        paths,
    )?;
    let base = ops::load(&client, ns, name).await?;
    let kind = edit
        .check(&base.data, &base.binary_keys)
        .map_err(|e| e.to_string())?;
    if kind == EditKind::NoChange {
        return Err(Fail::Failed(format!(
            "{target} already has this value; nothing to do"
        )));
    }
    // The Applications and workloads, as the console sees them.
    let collected = crate::backend::snapshot::collect(
        KubeCluster::new(conn, None, paths.clone()),
        Duration::from_secs(30),
    )
    .await;
    let inv = &collected.data.inventory;
    let apps: Vec<_> = inv.apps.values().cloned().collect();
    let cm_obj = ops::load_obj(&client, ns, name).await?;
    let gitops = gitops_of(&apps, &cm_obj);
    let stale: Vec<String> = consumers_of(inv, "ConfigMap", ns, name)
        .into_iter()
        .filter(|c| !c.channel.updates_in_place())
        .map(|c| {
            format!(
                "{} {}/{} ({}, container {})",
                c.workload.kind,
                c.workload.namespace,
                c.workload.name,
                c.channel.label(),
                c.container
            )
        })
        .collect();
    let mut report = Report {
        configmap: format!("{ns}/{name}"),
        key: edit.key.clone(),
        change: kind.label(),
        mode: if git_mode { "git" } else { "live" },
        kube_context: context.clone(),
        diff: data_diff(&base.data, &edit),
        warning: None,
        resource_version: None,
        git: None,
        stale_consumers: stale,
    };
    let result = if let Some(repo) = &args.git {
        git_edit(args, repo, &base, &edit, gitops.as_ref(), &mut report)
    } else {
        live_edit(args, &client, &base, &edit, gitops.as_ref(), &mut report).await
    };
    let result = match result {
        // Audited as a refusal already.
        Err(Fail::Refused(r)) => return Err(Fail::Refused(r.audited(&context, paths))),
        Err(Fail::Usage(e) | Fail::Failed(e)) => Err(e),
        Ok(()) => Ok(()),
    };
    ops::audit(action, &target, &context, &result, paths)?;
    result?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print_text(&report);
    }
    Ok(())
}

async fn live_edit(
    args: &SetArgs,
    client: &kube::Client,
    base: &Loaded,
    edit: &ConfigEdit,
    gitops: Option<&GitOps>,
    report: &mut Report,
) -> Result<(), Fail> {
    report.warning = gitops.map(GitOps::live_warning);
    if let Some(w) = &report.warning {
        eprintln!("warning: {w}");
    }
    let action = format!(
        "config-edit ConfigMap {}/{} key {}",
        base.namespace, base.name, edit.key
    );
    if gitops.is_some_and(GitOps::reverts) && !args.yes {
        return Err(Fail::Refused(Refusal::not_confirmed(
            &action,
            &format!(
                "refused: {}; it will be reverted unless auto-sync is paused. Pass --yes to apply live anyway, or use --git PATH",
                report.warning.clone().unwrap_or_default()
            ),
        )));
    }
    let question = format!(
        "{} key {} of ConfigMap {}/{} on kube context {}:\n{}",
        report.change, edit.key, base.namespace, base.name, report.kube_context, report.diff
    );
    confirm(args.yes, &question, &action)?;
    match ops::apply(client, base, edit).await? {
        Applied::Done { resource_version } => {
            report.resource_version = Some(resource_version);
            Ok(())
        }
        Applied::Conflict { theirs } => {
            let theirs_value = theirs.data.get(&edit.key).map(String::as_str);
            Err(Fail::Failed(format!(
                "conflict: ConfigMap {}/{} changed since it was read (resourceVersion {} -> {}); their {} is {}; nothing was written, run again to apply over it",
                base.namespace,
                base.name,
                base.resource_version,
                theirs.resource_version,
                edit.key,
                theirs_value.map_or("absent".to_string(), |v| format!("{v:?}"))
            )))
        }
    }
}

fn git_edit(
    args: &SetArgs,
    repo: &std::path::Path,
    base: &Loaded,
    edit: &ConfigEdit,
    gitops: Option<&GitOps>,
    report: &mut Report,
) -> Result<(), Fail> {
    let gitops = gitops.ok_or_else(|| {
        format!(
            "no Argo CD Application tracks ConfigMap {}/{}; there is no Git source to edit",
            base.namespace, base.name
        )
    })?;
    let path = gitops.path.clone().unwrap_or_default();
    let (file, _, diff) = crate::gitops::preview(repo, &path, &base.name, edit)?;
    confirm(
        args.yes,
        &format!(
            "commit on a new branch in {} ({}):\n{diff}",
            repo.display(),
            file.display()
        ),
        &format!(
            "config-edit-git ConfigMap {}/{} key {}",
            base.namespace, base.name, edit.key
        ),
    )?;
    let done = crate::gitops::edit_and_commit(repo, &path, &base.namespace, &base.name, edit)?;
    report.diff = done.diff.clone();
    report.git = Some(done);
    Ok(())
}

/// Ask on the terminal unless `yes`; refuse when stdin is not a terminal.
fn confirm(yes: bool, question: &str, action: &str) -> Result<(), Fail> {
    if yes {
        return Ok(());
    }
    let refuse = |why: &str| Fail::Refused(Refusal::not_confirmed(action, why));
    if !std::io::stdin().is_terminal() {
        return Err(refuse(
            "refused: stdin is not a terminal; pass --yes to confirm",
        ));
    }
    eprint!("{question}\nApply? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| refuse(&format!("cannot read the answer: {e}")))?;
    if matches!(line.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(refuse("cancelled; nothing changed"))
    }
}

fn print_text(r: &Report) {
    println!(
        "{} {} of ConfigMap {} on {} ({})",
        r.change, r.key, r.configmap, r.kube_context, r.mode
    );
    print!("{}", r.diff);
    if let Some(rv) = &r.resource_version {
        println!("applied: resourceVersion {rv}");
    }
    if let Some(g) = &r.git {
        println!(
            "committed {} on branch {} in {}",
            g.commit,
            g.branch,
            g.repo.display()
        );
        println!("not pushed; to publish it run:\n  {}", g.push_command);
    }
    if !r.stale_consumers.is_empty() {
        println!("these keep the old value until restarted:");
        for c in &r.stale_consumers {
            println!("  {c}");
        }
    }
}
