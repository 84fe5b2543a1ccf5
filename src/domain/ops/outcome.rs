//! What one operation on one object came to: the line a progress panel,
//! the CLI's output and the audit log all show.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Done and confirmed (synced, refreshed, rolled out).
    Ok,
    /// Refused or failed, with the reason in `message`.
    Failed,
    /// Not sent: the controller would ignore it (the reason in `message`).
    Ignored,
}

/// One operation on one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpResult {
    /// `force-sync`, `argo-refresh`, `argo-sync`, `restart`.
    pub action: String,
    /// e.g. `ExternalSecret ns/name`.
    pub target: String,
    pub outcome: Outcome,
    /// What happened, in words (never a value).
    pub message: String,
}

impl OpResult {
    pub fn ok(action: &str, target: &str, message: impl Into<String>) -> Self {
        Self::new(action, target, Outcome::Ok, message)
    }

    pub fn failed(action: &str, target: &str, message: impl Into<String>) -> Self {
        Self::new(action, target, Outcome::Failed, message)
    }

    pub fn ignored(action: &str, target: &str, message: impl Into<String>) -> Self {
        Self::new(action, target, Outcome::Ignored, message)
    }

    fn new(action: &str, target: &str, outcome: Outcome, message: impl Into<String>) -> Self {
        OpResult {
            action: action.to_string(),
            target: target.to_string(),
            outcome,
            message: message.into(),
        }
    }

    pub fn is_ok(&self) -> bool {
        self.outcome == Outcome::Ok
    }
}
