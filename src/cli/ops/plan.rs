//! What a refresh/restart command will do (described before asking), and
//! doing it through `ops::*`.

use super::args::RefreshWhat;
use crate::backend::convert::from_dynamic;
use crate::domain::{Application, ExternalSecret};
use crate::ops::outcome::OpResult;
use crate::ops::{argo, refresh, restart};
use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject};
use std::time::Duration;

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

pub(super) struct Plan {
    client: Client,
    steps: Vec<Step>,
    /// One line per change, named exactly.
    pub describe: Vec<String>,
    /// What the user should know before saying yes.
    pub notes: Vec<String>,
}

fn ns_name(spec: &str) -> anyhow::Result<(String, String)> {
    match spec.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
            Ok((ns.to_string(), name.to_string()))
        }
        _ => anyhow::bail!("expected NAMESPACE/NAME, got {spec:?}"),
    }
}

pub(super) async fn refresh(client: Client, what: RefreshWhat) -> anyhow::Result<Plan> {
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
                    argo::ANNOTATION
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

impl Plan {
    fn force_sync(&mut self, ar: ApiResource, ns: String, name: String) {
        self.describe.push(format!(
            "{}: set annotation {}=<unix seconds now>",
            refresh::target(&ns, &name),
            refresh::ANNOTATION
        ));
        self.steps.push(Step::ForceSync { ar, ns, name });
    }

    /// Run every step in order; one result per step.
    pub async fn execute(self, timeout: Option<u64>) -> Vec<OpResult> {
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

pub(super) async fn restart(client: Client, target: String) -> anyhow::Result<Plan> {
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
            restart::ANNOTATION
        )],
        notes: Vec::new(),
        steps: vec![Step::Restart { kind, ns, name }],
    })
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

fn whoami_user() -> String {
    crate::ops::outcome::os_user()
}
