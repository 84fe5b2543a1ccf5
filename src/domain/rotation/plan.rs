//! What a rotation of one AWS secret touches: the ExternalSecrets that read
//! it (and their apps and target Secrets), and the workloads that read a
//! target Secret through a channel that never updates in a running
//! container (env, envFrom, subPath) and so need a restart.

use crate::domain::join::app_of;
use crate::domain::views::store_of;
use crate::domain::{Inventory, ObjKey};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reader {
    pub namespace: String,
    pub name: String,
    pub app: Option<String>,
    /// The Secret it writes.
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadRef {
    /// Deployment, StatefulSet or DaemonSet.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// e.g. `subPath mount`, `env var`.
    pub why: String,
}

impl WorkloadRef {
    pub fn label(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub aws_secret: String,
    /// From the readers' store (`spec.provider.aws.region`), when set.
    pub region: Option<String>,
    pub readers: Vec<Reader>,
    pub restarts: Vec<WorkloadRef>,
}

/// The AWS secrets an ExternalSecret reads, in spec order, deduplicated.
pub fn aws_secrets_of(inv: &Inventory, es: &ObjKey) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(es) = inv.external_secrets.get(es) {
        for k in es.remote_keys() {
            if !k.is_empty() && !out.iter().any(|o| o == k) {
                out.push(k.to_string());
            }
        }
    }
    out
}

/// Every ExternalSecret reading `aws_secret`, and the workloads to restart.
pub fn plan(inv: &Inventory, aws_secret: &str) -> Plan {
    let mut readers = Vec::new();
    let mut region = None;
    for es in inv.external_secrets.values() {
        if !es.remote_keys().contains(&aws_secret) {
            continue;
        }
        if region.is_none() {
            region = store_of(inv, es).region;
        }
        readers.push(Reader {
            namespace: es.metadata.namespace().to_string(),
            name: es.metadata.name().to_string(),
            app: app_of(inv, "ExternalSecret", &es.metadata),
            target: es.target_name().to_string(),
        });
    }
    let mut restarts: Vec<WorkloadRef> = Vec::new();
    for w in inv.workloads.values() {
        let why: Vec<&str> = w
            .consumptions()
            .into_iter()
            .filter(|c| {
                c.target.kind == "Secret"
                    && !c.channel.updates_in_place()
                    && readers
                        .iter()
                        .any(|r| r.namespace == c.target.namespace && r.target == c.target.name)
            })
            .map(|c| c.channel.label())
            .collect();
        if let Some(first) = why.first() {
            restarts.push(WorkloadRef {
                kind: w.kind().to_string(),
                namespace: w.metadata.namespace().to_string(),
                name: w.metadata.name().to_string(),
                why: first.to_string(),
            });
        }
    }
    Plan {
        aws_secret: aws_secret.to_string(),
        region,
        readers,
        restarts,
    }
}
