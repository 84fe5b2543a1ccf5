//! An operation's result in the audit log. The result itself (`OpResult`,
//! `Outcome`) is plain data in `domain::ops::outcome`.

use crate::audit::AuditRecord;
use crate::domain::ops::outcome::{OpResult, Outcome};

/// The audit record of an operation's result.
pub trait OpAudit {
    /// The audit record of this result (outcome `ok`, `error` or `ignored`).
    fn audit_record(&self, kube_context: &str) -> AuditRecord;
}

impl OpAudit for OpResult {
    fn audit_record(&self, kube_context: &str) -> AuditRecord {
        let mut r = AuditRecord::now(&self.action, &self.target, kube_context);
        match self.outcome {
            Outcome::Ok => {}
            Outcome::Failed => {
                r.outcome = "error".into();
                r.error = Some(self.message.clone());
            }
            Outcome::Ignored => {
                r.outcome = "ignored".into();
                r.error = Some(self.message.clone());
            }
        }
        r
    }
}

/// The OS account running secretdeck (as the audit log names it).
pub fn os_user() -> String {
    AuditRecord::now("", "", "").os_user
}
