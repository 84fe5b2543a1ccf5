//! Connect for a one-shot operation (the CLI, tests): a kube client, the
//! AWS configuration, and a snapshot of the cluster's objects through the
//! same watches the console uses; the audit log and rotation journal in
//! the state dir of the `Paths` given.

use super::{JournalStore, OpsEnv};
use crate::backend::aws::{Aws, AwsOptions};
use crate::backend::{ConnectOptions, KubeCluster, connect};
use crate::domain::Inventory;
use crate::settings::Paths;
use std::sync::Arc;
use std::time::Duration;

pub struct Prepared {
    pub env: OpsEnv,
    pub inventory: Inventory,
    /// The AWS account, when STS answered.
    pub aws_account: Option<String>,
}

pub async fn prepare(
    connect_opts: ConnectOptions,
    aws: AwsOptions,
    readonly: bool,
    timeout: Duration,
    paths: &Paths,
) -> Result<Prepared, String> {
    let conn = connect(&connect_opts).await.map_err(|e| e.to_string())?;
    let client = conn.client.clone();
    let context = conn.info.context.clone();
    let aws = Arc::new(Aws::new(aws));
    let cluster = KubeCluster::new(conn, None, paths.clone())
        .with_connect_options(connect_opts)
        .with_aws(AwsOptions::default());
    let collected = crate::backend::snapshot::collect(cluster, timeout).await;
    if collected.data.inventory.external_secrets.is_empty()
        && let Some(e) = &collected.status.error
    {
        return Err(format!("cannot read the cluster: {e}"));
    }
    let identity = tokio::time::timeout(Duration::from_secs(10), aws.identity())
        .await
        .ok()
        .and_then(Result::ok);
    let audit = crate::audit::AuditLog::required(paths)?;
    let journal = JournalStore::required(paths)?;
    Ok(Prepared {
        env: OpsEnv {
            kube: client,
            kube_context: context,
            aws,
            aws_identity: identity.as_ref().map(|i| i.arn.clone()),
            readonly,
            journal,
            audit,
            timeout,
        },
        inventory: collected.data.inventory,
        aws_account: identity.map(|i| i.account),
    })
}
