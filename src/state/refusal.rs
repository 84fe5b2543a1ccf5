//! Read-only refusals from console keys: the message on screen and a
//! refusal record for the audit log, as the CLI writes for its commands.

use super::model::Model;
use super::msg::Cmd;
use crate::domain::ops::guard::refuse_if_readonly;

/// When read-only: show the refusal of `action` and return the command that
/// audits it. `None`: writable, go on.
pub(crate) fn refuse_readonly(model: &mut Model, action: &str) -> Option<Vec<Cmd>> {
    let message = refuse_if_readonly(model.is_readonly(), action)
        .err()?
        .to_string();
    model.message = Some(message.clone());
    Some(vec![Cmd::AuditRefusal {
        action: action.to_string(),
        message,
    }])
}
