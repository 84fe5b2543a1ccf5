//! `secretdeck refresh es NS/NAME | app NAME [--hard | --es] | sync APP` and
//! `secretdeck restart NS/DEPLOYMENT`: the console's operations (`ops::*`)
//! for runbooks and automation. Each asks on the terminal unless `--yes`
//! (and refuses when stdin is not a terminal), is refused in read-only mode
//! (`ops::guard::decide`), writes an audit record per target (and per
//! refusal), prints text or JSON (`-o json`) and exits 0 when every target
//! ended well, 1 otherwise, 2 on an error, 3 when refused.

pub mod args;
mod plan;

pub use args::{OpFlags, OpOutput, RefreshArgs, RefreshWhat, RestartArgs};

use crate::audit::AuditLog;
use crate::backend::{ConnectOptions, connect};
use crate::cli::ConsoleArgs;
use crate::ops::guard::{self, Refusal};
use crate::ops::outcome::OpResult;
use anyhow::Context;
use plan::Plan;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// `secretdeck refresh ...`.
pub fn run_refresh(console: ConsoleArgs, args: RefreshArgs) -> anyhow::Result<ExitCode> {
    let asked = args.what.asked();
    run(console, args.flags.clone(), asked, move |client| {
        Box::pin(plan::refresh(client, args.what))
    })
}

/// `secretdeck restart ...`.
pub fn run_restart(console: ConsoleArgs, args: RestartArgs) -> anyhow::Result<ExitCode> {
    let asked = format!("rollout restart {}", args.target);
    run(console, args.flags.clone(), asked, move |client| {
        Box::pin(plan::restart(client, args.target))
    })
}

type PlanFuture = std::pin::Pin<Box<dyn Future<Output = anyhow::Result<Plan>> + Send>>;

fn run(
    console: ConsoleArgs,
    flags: OpFlags,
    asked: String,
    make_plan: impl FnOnce(kube::Client) -> PlanFuture,
) -> anyhow::Result<ExitCode> {
    let _ = crate::logging::init();
    let config = crate::settings::config::load()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let opts = ConnectOptions {
            kubeconfig: None,
            context: console.context.clone(),
        };
        let conn = connect(&opts).await?;
        crate::backend::connect::probe(&conn).await?;
        let context = conn.info.context.clone();
        // Refused before anything is looked up: a read-only context answers
        // the same whether the target exists or not.
        guard::decide(&config.readonly_contexts, console.readonly, &context)
            .check(&asked, &context)?;
        let plan = make_plan(conn.client.clone()).await?;
        confirm(&plan, &context, flags.yes).map_err(|r| r.audited(&context))?;
        let results = plan.execute(flags.timeout).await;
        audit(&results, &context);
        print(&results, flags.output)?;
        Ok(if results.iter().all(OpResult::is_ok) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// Ask on the terminal, unless `--yes`; refuse when stdin is not a terminal.
fn confirm(plan: &Plan, context: &str, yes: bool) -> Result<(), Refusal> {
    if yes {
        return Ok(());
    }
    let action = plan.describe.join("; ");
    if !std::io::stdin().is_terminal() {
        return Err(Refusal::not_confirmed(
            &action,
            "refusing to change anything without --yes: stdin is not a terminal to ask on",
        ));
    }
    ask(plan, context).map_err(|e| Refusal::not_confirmed(&action, &e.to_string()))
}

fn ask(plan: &Plan, context: &str) -> anyhow::Result<()> {
    let mut err = std::io::stderr();
    writeln!(err, "context: {context}")?;
    for line in &plan.describe {
        writeln!(err, "  {line}")?;
    }
    for note in &plan.notes {
        writeln!(err, "  note: {note}")?;
    }
    write!(err, "Proceed? [y/N] ")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        anyhow::bail!("cancelled: nothing changed")
    }
}

fn audit(results: &[OpResult], context: &str) {
    let Some(log) = AuditLog::default_location() else {
        eprintln!("secretdeck: no state directory for the audit log");
        return;
    };
    for r in results {
        if let Err(e) = log.append(&r.audit_record(context)) {
            eprintln!("secretdeck: {e}");
        }
    }
}

fn print(results: &[OpResult], output: OpOutput) -> anyhow::Result<()> {
    match output {
        OpOutput::Json => {
            let doc = serde_json::json!({
                "ok": results.iter().all(OpResult::is_ok),
                "results": results,
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        OpOutput::Text => {
            for r in results {
                let word = match r.outcome {
                    crate::ops::outcome::Outcome::Ok => "ok",
                    crate::ops::outcome::Outcome::Failed => "failed",
                    crate::ops::outcome::Outcome::Ignored => "ignored",
                };
                println!("{} {}: {word}: {}", r.action, r.target, r.message);
            }
        }
    }
    Ok(())
}
