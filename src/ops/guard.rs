//! Refusals written to the audit log (who, when, what, why; never a value).
//! The decision and the refusal itself are data in `domain::ops::guard`;
//! these traits add the I/O: `access.check(..)` refuses *and* audits,
//! `refusal.audited(..)` audits a refusal made elsewhere.

use crate::audit::{AuditLog, AuditRecord};
use crate::domain::ops::guard::{Access, Refusal};
use crate::settings::Paths;

/// Refuse `action` when read-only, and write the refusal to the audit log.
/// The audit log is the one in the state dir of `paths`.
pub trait CheckAccess {
    fn check(&self, action: &str, context: &str, paths: &Paths) -> Result<(), Refusal>;
}

impl CheckAccess for Access {
    fn check(&self, action: &str, context: &str, paths: &Paths) -> Result<(), Refusal> {
        self.refusal(action, context)
            .map_err(|r| r.audited(context, paths))
    }
}

/// Write a refusal to the audit log.
pub trait AuditRefusal {
    /// Write the refusal to the audit log (a failure to write is said on
    /// stderr: the refusal stands either way).
    fn audited(self, context: &str, paths: &Paths) -> Self;
}

impl AuditRefusal for Refusal {
    fn audited(self, context: &str, paths: &Paths) -> Self {
        if let Err(e) = audit(&self, context, paths) {
            eprintln!("secretdeck: {e}");
        }
        self
    }
}

/// The audit record of a refusal: action `refused`, the action as target.
pub fn audit_record(refusal: &Refusal, context: &str) -> AuditRecord {
    let mut r = AuditRecord::now("refused", &refusal.action, context);
    r.outcome = refusal.kind.outcome().to_string();
    r.error = Some(refusal.message.clone());
    r
}

fn audit(refusal: &Refusal, context: &str, paths: &Paths) -> Result<(), String> {
    AuditLog::required(paths)?.append(&audit_record(refusal, context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_an_audit_record_without_values() {
        let r = Refusal::not_confirmed("config-edit ConfigMap a/b key k", "no terminal");
        let rec = audit_record(&r, "ctx");
        assert_eq!(rec.action, "refused");
        assert_eq!(rec.target, "config-edit ConfigMap a/b key k");
        assert_eq!(rec.outcome, "refused-not-confirmed");
    }
}
