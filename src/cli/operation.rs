//! What `secretdeck refresh` and `secretdeck restart` share: the plan of
//! steps (described before asking), asking on the terminal unless
//! `--yes` (refusing when stdin is not a terminal), the read-only guard
//! (`ops::guard::decide`), doing each step through `ops::*`, an audit
//! record per target (and per refusal), printing text or JSON (`-o json`);
//! exit 0 when every target ended well, 1 otherwise, 2 on an error, 3
//! when refused. May import `ops`, `backend`, `audit` and `settings`.

use super::{ConsoleArgs, OpFlags, OpOutput};
use crate::audit::AuditLog;
use crate::backend::{ConnectOptions, connect};
use crate::domain::ops::annotations;
use crate::domain::ops::guard::{self, Refusal};
use crate::domain::ops::outcome::OpResult;
use crate::ops::guard::{AuditRefusal, CheckAccess};
use crate::ops::outcome::OpAudit;
use crate::ops::{argo, refresh, restart};
use crate::settings::Paths;
use kube::Client;
use kube::api::ApiResource;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

/// The plan a subcommand makes once connected.
pub(super) type PlanFuture = std::pin::Pin<Box<dyn Future<Output = anyhow::Result<Plan>> + Send>>;

/// Settings, connection and the read-only guard, then the plan, asking,
/// doing it, the audit records and the printed results.
pub(super) async fn run(
    console: ConsoleArgs,
    flags: OpFlags,
    asked: String,
    make_plan: impl FnOnce(kube::Client) -> PlanFuture,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    let config = crate::settings::config::load_in(paths)?;
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
        .check(&asked, &context, paths)?;
    let plan = make_plan(conn.client.clone()).await?;
    confirm(&plan, &context, flags.yes).map_err(|r| r.audited(&context, paths))?;
    let results = plan.execute(flags.timeout).await;
    audit(&results, &context, paths);
    print(&results, flags.output)?;
    Ok(if results.iter().all(OpResult::is_ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
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

fn audit(results: &[OpResult], context: &str, paths: &Paths) {
    let log = match AuditLog::required(paths) {
        Ok(log) => log,
        Err(e) => {
            eprintln!("secretdeck: {e}");
            return;
        }
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
                    crate::domain::ops::outcome::Outcome::Ok => "ok",
                    crate::domain::ops::outcome::Outcome::Failed => "failed",
                    crate::domain::ops::outcome::Outcome::Ignored => "ignored",
                };
                println!("{} {}: {word}: {}", r.action, r.target, r.message);
            }
        }
    }
    Ok(())
}

/// One change, done through `ops::*`.
pub(super) enum Step {
    ForceSync {
        ar: ApiResource,
        ns: String,
        name: String,
    },
    ArgoRefresh {
        ar: ApiResource,
        ns: String,
        name: String,
        hard: bool,
    },
    ArgoSync {
        ar: ApiResource,
        ns: String,
        name: String,
    },
    Restart {
        kind: String,
        ns: String,
        name: String,
    },
}

/// What a refresh/restart command will do, described before asking.
pub(super) struct Plan {
    pub client: Client,
    pub steps: Vec<Step>,
    /// One line per change, named exactly.
    pub describe: Vec<String>,
    /// What the user should know before saying yes.
    pub notes: Vec<String>,
}

impl Plan {
    pub(super) fn force_sync(&mut self, ar: ApiResource, ns: String, name: String) {
        self.describe.push(format!(
            "{}: set annotation {}=<unix seconds now>",
            refresh::target(&ns, &name),
            annotations::FORCE_SYNC
        ));
        self.steps.push(Step::ForceSync { ar, ns, name });
    }

    /// Run every step in order; one result per step.
    pub(super) async fn execute(self, timeout: Option<u64>) -> Vec<OpResult> {
        let t = |d: Duration| timeout.map(Duration::from_secs).unwrap_or(d);
        let mut out = Vec::new();
        for step in &self.steps {
            let now = chrono::Utc::now();
            let c = &self.client;
            out.push(match step {
                Step::ForceSync { ar, ns, name } => {
                    refresh::force_sync(c, ar, ns, name, now, t(refresh::DEFAULT_TIMEOUT)).await
                }
                Step::ArgoRefresh { ar, ns, name, hard } => {
                    argo::refresh(c, ar, ns, name, *hard, t(argo::DEFAULT_TIMEOUT)).await
                }
                Step::ArgoSync { ar, ns, name } => {
                    argo::sync(c, ar, ns, name, &whoami_user(), t(argo::DEFAULT_TIMEOUT)).await
                }
                Step::Restart { kind, ns, name } => {
                    let d = t(restart::DEFAULT_TIMEOUT);
                    restart::restart_and_follow(c, kind, ns, name, now, d).await
                }
            });
        }
        out
    }
}

/// `NAMESPACE/NAME` split in two.
pub(super) fn ns_name(spec: &str) -> anyhow::Result<(String, String)> {
    match spec.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
            Ok((ns.to_string(), name.to_string()))
        }
        _ => anyhow::bail!("expected NAMESPACE/NAME, got {spec:?}"),
    }
}

/// Who starts an Argo CD sync.
pub(super) fn whoami_user() -> String {
    crate::ops::outcome::os_user()
}
