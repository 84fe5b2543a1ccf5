//! Guided rotation of an AWS secret: Write (PutSecretValue with the
//! journal's ClientRequestToken, verified at AWSCURRENT), Sync (force-sync
//! every ExternalSecret reading it, wait for each target Secret's data-hash
//! to change and Ready), Restart (the workloads whose pods never see the
//! change), Done (summary in the audit log). Rollback moves AWSCURRENT
//! back to the previous version and syncs and restarts again; an unfinished
//! journal can be resumed or rolled back. The console and the CLI both run
//! these functions.

pub mod flow;
pub mod journal;
pub mod restart;
pub mod rollback;
pub mod setup;
pub mod steps;

pub use flow::{resume, rotate};
pub use journal::JournalStore;
pub use rollback::rollback;

use crate::backend::aws::Aws;
use crate::domain::rotation::{Progress, StepId, StepState};
use std::sync::Arc;
use std::time::Duration;

/// Everything an operation needs to reach the world.
#[derive(Clone)]
pub struct OpsEnv {
    pub kube: kube::Client,
    pub kube_context: String,
    pub aws: Arc<Aws>,
    /// The AWS caller ARN, for audit records.
    pub aws_identity: Option<String>,
    pub readonly: bool,
    pub journal: JournalStore,
    pub audit: crate::audit::AuditLog,
    /// How long Sync and Restart wait for each object.
    pub timeout: Duration,
}

/// Where progress goes (the console's message channel, the CLI's stderr).
pub type Report = Arc<dyn Fn(Progress) + Send + Sync>;

pub(crate) fn tell(report: &Report, step: StepId, state: StepState) {
    report(Progress { step, state });
}
