//! `secretdeck refresh es NS/NAME | app NAME [--hard | --es] | sync APP`:
//! the console's force-sync and Argo CD refresh/sync for runbooks and
//! automation, run as `operation` runs every refresh/restart. May import
//! `ops`, `backend` and `domain`.

use super::operation::{self, Plan, Step, ns_name, whoami_user};
use super::{ConsoleArgs, OpFlags, TargetArgs};
use crate::backend::convert::from_dynamic;
use crate::domain::{Application, ExternalSecret};
use crate::ops::{argo, refresh};
use crate::settings::Paths;
use clap::{Args, Subcommand};
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject};
use std::process::ExitCode;

#[derive(Debug, Args, Clone)]
pub struct RefreshArgs {
    #[command(subcommand)]
    pub what: RefreshWhat,
    #[command(flatten)]
    pub flags: OpFlags,
    #[command(flatten)]
    pub guard: TargetArgs,
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

/// `secretdeck refresh ...`.
pub async fn run(
    console: ConsoleArgs,
    args: RefreshArgs,
    paths: &Paths,
) -> anyhow::Result<ExitCode> {
    let asked = args.what.asked();
    operation::run(
        console,
        args.flags.clone(),
        asked,
        move |client| Box::pin(plan(client, args.what)),
        paths,
    )
    .await
}

async fn plan(client: Client, what: RefreshWhat) -> anyhow::Result<Plan> {
    let mut plan = Plan {
        client: client.clone(),
        steps: Vec::new(),
        describe: Vec::new(),
        notes: Vec::new(),
    };
    match what {
        RefreshWhat::Es { target } => {
            let (ns, name) = ns_name(&target)?;
            let ar = refresh::es_resource(&client)
                .await
                .map_err(anyhow::Error::msg)?;
            plan.force_sync(ar, ns, name);
        }
        RefreshWhat::App { name, hard, es } => {
            let app_ar = argo::app_resource(&client)
                .await
                .map_err(anyhow::Error::msg)?;
            let (ns, name) = argo::find_app(&client, &app_ar, &name)
                .await
                .map_err(anyhow::Error::msg)?;
            if es {
                let es_ar = refresh::es_resource(&client)
                    .await
                    .map_err(anyhow::Error::msg)?;
                for (es_ns, es_name) in app_es(&client, &app_ar, &es_ar, &ns, &name).await? {
                    plan.force_sync(es_ar.clone(), es_ns, es_name);
                }
                if plan.steps.is_empty() {
                    anyhow::bail!("Application {ns}/{name} has no ExternalSecrets");
                }
            } else {
                let kind = if hard { "hard" } else { "normal" };
                plan.describe.push(format!(
                    "{}: set annotation {}={kind}",
                    argo::target(&ns, &name),
                    crate::domain::ops::annotations::ARGO_REFRESH
                ));
                plan.steps.push(Step::ArgoRefresh {
                    ar: app_ar,
                    ns,
                    name,
                    hard,
                });
            }
        }
        RefreshWhat::Sync { name } => {
            let ar = argo::app_resource(&client)
                .await
                .map_err(anyhow::Error::msg)?;
            let (ns, name) = argo::find_app(&client, &ar, &name)
                .await
                .map_err(anyhow::Error::msg)?;
            plan.describe.push(format!(
                "{}: start a sync (prune: false) as {}",
                argo::target(&ns, &name),
                whoami_user()
            ));
            plan.steps.push(Step::ArgoSync { ar, ns, name });
        }
    }
    Ok(plan)
}

/// The ExternalSecrets of an app, by tracking annotation/label or its resources.
async fn app_es(
    client: &Client,
    app_ar: &ApiResource,
    es_ar: &ApiResource,
    ns: &str,
    name: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let apps: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, app_ar);
    let app = apps
        .get(name)
        .await
        .context_msg(&format!("cannot read Application {ns}/{name}"))?;
    let app: Application = from_dynamic(&app)
        .ok_or_else(|| anyhow::anyhow!("Application {ns}/{name} cannot be read"))?;
    let all: Api<DynamicObject> = Api::all_with(client.clone(), es_ar);
    let list = all
        .list(&Default::default())
        .await
        .context_msg("cannot list ExternalSecrets")?;
    Ok(list
        .items
        .iter()
        .filter_map(from_dynamic::<ExternalSecret>)
        .filter(|es| crate::domain::join::belongs_to(&app, "ExternalSecret", &es.metadata))
        .map(|es| {
            (
                es.metadata.namespace().to_string(),
                es.metadata.name().to_string(),
            )
        })
        .collect())
}

trait ContextMsg<T> {
    fn context_msg(self, what: &str) -> anyhow::Result<T>;
}

impl<T> ContextMsg<T> for Result<T, kube::Error> {
    fn context_msg(self, what: &str) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::anyhow!("{what}: {e}"))
    }
}
