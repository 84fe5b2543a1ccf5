//! `secretdeck rotate`: the console's rotation flow without the screen
//! (same functions, same journal, same audit log). The steps before the
//! change (settings, access, the plan, asking) and the reporting after it
//! are shared with `rollback`. May import `ops`, `backend`, `domain` and
//! `settings`.

use super::{ConsoleArgs, OpArgs, TargetArgs};
use crate::backend::{AwsOptions, ConnectOptions};
use crate::domain::ObjKey;
use crate::domain::ops::guard::{self, Refusal};
use crate::domain::rotation::{
    Charset, Edit, Plan, Sensitive, apply_edit, aws_secrets_of, generate, plan,
};
use crate::domain::rotation::{Outcome, Progress, StepState};
use crate::domain::secret_format::detect;
use crate::ops::guard::{AuditRefusal, CheckAccess};
use crate::ops::rotation::setup::{Prepared, prepare};
use crate::ops::rotation::{Report, rotate};
use crate::settings::Paths;
use anyhow::{Context, bail};
use clap::Args;
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Args, Clone)]
pub struct RotateArgs {
    /// The ExternalSecret, NAMESPACE/NAME.
    pub es: String,
    /// The key to change (properties or JSON); default: the whole value.
    #[arg(long)]
    pub key: Option<String>,
    /// Read the new value from stdin (one trailing newline is dropped).
    #[arg(
        long,
        conflicts_with = "generate",
        required_unless_present = "generate"
    )]
    pub value_stdin: bool,
    /// Generate a random value of this length (letters and digits).
    #[arg(long)]
    pub generate: Option<usize>,
    /// Which AWS secret, when the ExternalSecret reads several.
    #[arg(long)]
    pub aws_secret: Option<String>,
    /// Restart the workloads that need it after the sync.
    #[arg(long)]
    pub restart: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub common: OpArgs,
    #[command(flatten)]
    pub guard: TargetArgs,
}

/// Settings, connection and the read-only guard, before anything is read
/// or asked: a refusal is audited and exits `EXIT_REFUSED`.
async fn check_access(console: &ConsoleArgs, action: &str, paths: &Paths) -> anyhow::Result<()> {
    let config = crate::settings::config::load_in(paths)?;
    let conn = crate::backend::connect(&ConnectOptions {
        kubeconfig: None,
        context: console.context.clone(),
    })
    .await?;
    crate::backend::connect::probe(&conn).await?;
    let context = &conn.info.context;
    guard::decide(&config.readonly_contexts, console.readonly, context)
        .check(action, context, paths)?;
    Ok(())
}

/// What `rotate` and `rollback` do before asking: check access for
/// `action` (refused = audited, nothing read), connect, read the cluster,
/// and plan for the AWS secret ExternalSecret `es` reads.
pub(super) async fn setup(
    console: &ConsoleArgs,
    action: &str,
    es: &str,
    aws_secret: Option<&str>,
    timeout: u64,
    paths: &Paths,
) -> anyhow::Result<(Prepared, Plan)> {
    check_access(console, action, paths).await?;
    let Some((ns, name)) = es.split_once('/') else {
        bail!("expected NAMESPACE/NAME, got {es:?}");
    };
    let opts = ConnectOptions {
        kubeconfig: None,
        context: console.context.clone(),
    };
    let p = prepare(
        opts,
        AwsOptions::default(),
        console.readonly,
        Duration::from_secs(timeout),
        paths,
    )
    .await
    .map_err(anyhow::Error::msg)?;
    let key = ObjKey::new(ns, name);
    if !p.inventory.external_secrets.contains_key(&key) {
        bail!("no ExternalSecret {es} in context {}", p.env.kube_context);
    }
    let secrets = aws_secrets_of(&p.inventory, &key);
    let secret = match (aws_secret, secrets.as_slice()) {
        (Some(s), _) if secrets.iter().any(|x| x == s) => s.to_string(),
        (Some(s), _) => bail!(
            "ExternalSecret {es} does not read {s} (it reads: {})",
            secrets.join(", ")
        ),
        (None, [one]) => one.clone(),
        (None, []) => bail!("ExternalSecret {es} reads no AWS secret by name"),
        (None, many) => bail!(
            "ExternalSecret {es} reads several AWS secrets; pick one with --aws-secret: {}",
            many.join(", ")
        ),
    };
    let plan = plan(&p.inventory, &secret);
    Ok((p, plan))
}

pub(super) fn describe(p: &Prepared, plan: &Plan, what: &str) -> String {
    let mut s = format!(
        "{what}\n  kube context: {}\n  AWS account: {}  region: {}\n  read by: {}\n",
        p.env.kube_context,
        p.aws_account.as_deref().unwrap_or("unknown"),
        plan.region.as_deref().unwrap_or("default"),
        plan.readers
            .iter()
            .map(|r| format!(
                "{}/{} (app {})",
                r.namespace,
                r.name,
                r.app.as_deref().unwrap_or("-")
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let restarts: Vec<String> = plan
        .restarts
        .iter()
        .map(|w| format!("{} ({})", w.label(), w.why))
        .collect();
    s += &format!(
        "  restart needed: {}\n",
        if restarts.is_empty() {
            "none".into()
        } else {
            restarts.join(", ")
        }
    );
    s
}

/// Ask on the terminal; refuse when stdin is not one (audited as refused).
pub(super) fn confirm(
    text: &str,
    yes: bool,
    action: &str,
    context: &str,
    paths: &Paths,
) -> Result<(), Refusal> {
    eprint!("{text}");
    if yes {
        return Ok(());
    }
    let refuse = |why: &str| Refusal::not_confirmed(action, why).audited(context, paths);
    if !std::io::stdin().is_terminal() {
        return Err(refuse("stdin is not a terminal: refusing without --yes"));
    }
    eprint!("Proceed? [y/N] ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    if let Err(e) = std::io::stdin().read_line(&mut answer) {
        return Err(refuse(&format!("cannot read the answer: {e}")));
    }
    if !matches!(answer.trim(), "y" | "Y" | "yes") {
        return Err(refuse("not confirmed: nothing changed"));
    }
    Ok(())
}

pub(super) fn reporter(json: bool) -> Report {
    Arc::new(move |p: Progress| {
        if json {
            return;
        }
        let (mark, text) = match &p.state {
            StepState::Pending => return,
            StepState::Running(t) => ("…", t),
            StepState::Done(t) => ("✓", t),
            StepState::Failed(t) => ("✗", t),
            StepState::Skipped(t) => ("-", t),
        };
        eprintln!("{mark} {}: {text}", p.step.label());
    })
}

pub(super) fn finish(out: &Outcome, plan: &Plan, json: bool) -> ExitCode {
    if json {
        let v = serde_json::json!({
            "aws_secret": plan.aws_secret,
            "ok": out.ok(),
            "from_version": out.old_version,
            "to_version": out.new_version,
            "restarted": out.restarted,
            "failed_step": out.failed.as_ref().map(|(s, _)| s.label()),
            "error": out.failed.as_ref().map(|(_, e)| e),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else if let Some((step, e)) = &out.failed {
        eprintln!("secretdeck: {} failed: {e}", step.label());
    }
    if out.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `secretdeck rotate`.
pub async fn run(
    console: ConsoleArgs,
    args: RotateArgs,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    let json = args.common.output == "json";
    let (p, plan) = setup(
        &console,
        &format!("rotate the AWS secret of ExternalSecret {}", args.es),
        &args.es,
        args.aws_secret.as_deref(),
        args.common.timeout,
        paths,
    )
    .await?;
    let value = match args.generate {
        Some(len) => Sensitive(generate(len, Charset::Alphanumeric)),
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the value from stdin")?;
            if s.ends_with('\n') {
                s.pop();
                if s.ends_with('\r') {
                    s.pop();
                }
            }
            Sensitive::new(s)
        }
    };
    let current = crate::ops::rotation::steps::current_value(
        &p.env,
        &plan.aws_secret,
        plan.region.as_deref(),
    )
    .await
    .map_err(anyhow::Error::msg)?;
    let edit = args.key.clone().map_or(Edit::Whole, Edit::Key);
    let edited = apply_edit(
        current.expose(),
        detect(current.expose()),
        &edit,
        value.expose(),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    drop(value);
    let what = format!(
        "Rotate {} ({}): value changes (length {} → {})",
        plan.aws_secret,
        edit.label(),
        edited.old_len,
        edited.new_len
    );
    confirm(
        &(describe(&p, &plan, &what)
            + &format!(
                "  restart after sync: {}\n",
                if args.restart { "yes" } else { "no" }
            )),
        args.yes,
        &format!("rotate {}", plan.aws_secret),
        &p.env.kube_context,
        paths,
    )?;
    let doc = Sensitive(edited.document);
    let out = rotate(
        &p.env,
        &plan,
        &edit.label(),
        &doc,
        args.restart,
        &reporter(json),
    )
    .await;
    drop(doc);
    Ok(finish(&out, &plan, json))
}
