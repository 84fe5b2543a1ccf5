//! The rotation journal's record: the ClientRequestToken (so a retry or a
//! resumed run never creates a second version), the version ids, the plan
//! and the step reached, never a value. Where it is kept (a file in the
//! state dir) is `ops::rotation::journal`'s business.

use super::Plan;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reached {
    /// Journal written; PutSecretValue may or may not have happened.
    Prepared,
    /// The new version is AWSCURRENT.
    Written,
    /// Every reader synced the new value.
    Synced,
    /// Finished (restarts done or not asked for).
    Done,
    /// AWSCURRENT moved back to the old version.
    RolledBack,
    /// The write never happened: nothing changed.
    Abandoned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// The ClientRequestToken (uuid v4) = the new version id.
    pub token: String,
    pub kube_context: String,
    pub started: String,
    /// What was edited (`key spring.datasource.password`), not its value.
    pub edit: String,
    /// AWSCURRENT before the write.
    pub old_version: Option<String>,
    pub plan: Plan,
    /// Each reader's target data-hash before the write (`ns/name`).
    #[serde(default)]
    pub hashes_before: std::collections::BTreeMap<String, Option<String>>,
    /// Workloads to restart after the sync.
    pub restart: bool,
    pub reached: Reached,
}

impl Journal {
    pub fn new(
        plan: Plan,
        kube_context: &str,
        edit: &str,
        old_version: Option<String>,
        restart: bool,
    ) -> Self {
        Journal {
            token: uuid::Uuid::new_v4().to_string(),
            kube_context: kube_context.to_string(),
            started: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            edit: edit.to_string(),
            old_version,
            plan,
            hashes_before: Default::default(),
            restart,
            reached: Reached::Prepared,
        }
    }

    pub fn unfinished(&self) -> bool {
        !matches!(
            self.reached,
            Reached::Done | Reached::RolledBack | Reached::Abandoned
        )
    }
}
