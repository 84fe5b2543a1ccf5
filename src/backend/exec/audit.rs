//! Audit records the console asks for (a reveal, a console key's refusal),
//! and the audit log read for `:audit`. Written off the UI path; a failure
//! to write comes back as `Msg::CmdFailed`.

use crate::audit::{AuditLog, AuditRecord};
use crate::domain::ops::guard::{Refusal, RefusalKind};
use crate::ops::guard::audit_record;
use crate::settings::Paths;
use crate::state::Msg;
use crate::state::audit_screen::{AuditRow, parse};
use tokio::sync::mpsc;

/// `Cmd::AuditRefusal`: a console key refused read-only, audited as the
/// CLI audits its refusals.
pub(super) fn refusal(
    action: &str,
    message: &str,
    context: &str,
    kube_user: Option<String>,
    paths: &Paths,
    tx: mpsc::Sender<Msg>,
) {
    let refusal = Refusal::new(RefusalKind::ReadOnly, action, message);
    let mut record = audit_record(&refusal, context);
    record.kube_user = kube_user;
    spawn_write(record, paths, tx);
}

/// `Cmd::AuditReveal`: a value was revealed (never the value).
pub(super) fn reveal(
    target: &str,
    aws_secret: String,
    context: &str,
    kube_user: Option<String>,
    aws_identity: Option<String>,
    paths: &Paths,
    tx: mpsc::Sender<Msg>,
) {
    let mut record = AuditRecord::now("reveal", target, context);
    record.kube_user = kube_user;
    record.aws_identity = aws_identity;
    record.aws_secret = Some(aws_secret);
    spawn_write(record, paths, tx);
}

/// Append `record` to the audit log off the UI path; a failure is shown.
fn spawn_write(record: AuditRecord, paths: &Paths, tx: mpsc::Sender<Msg>) {
    let log = AuditLog::required(paths);
    tokio::spawn(async move {
        if let Err(e) = write(log, record).await {
            tracing::error!(error = %e, "audit record not written");
            let _ = tx.send(Msg::CmdFailed(e)).await;
        }
    });
}

/// Append `record` to the audit log (`log` as `AuditLog::required` gave it).
pub(super) async fn write(
    log: Result<AuditLog, String>,
    record: AuditRecord,
) -> Result<(), String> {
    let log = log?;
    tokio::task::spawn_blocking(move || log.append(&record))
        .await
        .map_err(|e| format!("audit log writer failed: {e}"))?
}

/// `Cmd::LoadAudit`: read the audit log for `:audit` (none yet = no rows).
pub(super) fn load(paths: &Paths, tx: mpsc::Sender<Msg>) {
    let log = AuditLog::required(paths);
    tokio::spawn(async move {
        let result = tokio::task::spawn_blocking(move || read(log?))
            .await
            .unwrap_or_else(|e| Err(format!("audit log reader failed: {e}")));
        let _ = tx.send(Msg::AuditLoaded(result)).await;
    });
}

fn read(log: AuditLog) -> Result<Vec<AuditRow>, String> {
    match std::fs::read_to_string(&log.path) {
        Ok(text) => Ok(parse(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("cannot read {}: {e}", log.path.display())),
    }
}
