//! The audit log: one JSON object per line, appended, for every sensitive
//! action (a reveal today; rotations and refreshes later). It records who,
//! where, what and the outcome, never a secret value.
//!
//! Location: `$SECRETDECK_STATE_DIR/audit.jsonl`, else the XDG state dir
//! (`~/.local/state/secretdeck/audit.jsonl`).

use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "audit.jsonl";

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    /// RFC 3339, UTC.
    pub time: String,
    pub os_user: String,
    pub kube_context: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kube_user: Option<String>,
    /// The AWS caller ARN, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_identity: Option<String>,
    /// `reveal`, ...
    pub action: String,
    /// e.g. `ExternalSecret ns/name`.
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_ids: Option<Vec<String>>,
    /// `ok` or `error`.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl AuditRecord {
    /// A record stamped now, by the current OS user, with outcome `ok`.
    pub fn now(action: &str, target: &str, kube_context: &str) -> Self {
        AuditRecord {
            time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            os_user: os_user(),
            kube_context: kube_context.to_string(),
            kube_user: None,
            aws_identity: None,
            action: action.to_string(),
            target: target.to_string(),
            aws_secret: None,
            version_ids: None,
            outcome: "ok".to_string(),
            error: None,
        }
    }
}

/// The OS account running the console: `USER`/`LOGNAME` when set, else
/// the account of the process's user id (services and `sudo -E` may not
/// set the variables).
fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The append-only log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    pub path: PathBuf,
}

impl AuditLog {
    pub fn at(dir: &Path) -> Self {
        AuditLog {
            path: dir.join(FILE_NAME),
        }
    }

    /// In the state dir of `paths`, else the error in words.
    pub fn required(paths: &crate::settings::Paths) -> Result<Self, String> {
        paths
            .state_dir
            .as_deref()
            .map(AuditLog::at)
            .ok_or_else(|| "no state directory for the audit log".to_string())
    }

    /// Append one record (creating the directory and file, mode 0600).
    pub fn append(&self, record: &AuditRecord) -> Result<(), String> {
        let fail = |what: &str, e: std::io::Error| {
            format!(
                "cannot write the audit log {}: {what}: {e}",
                self.path.display()
            )
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail("create directory", e))?;
        }
        let mut line = serde_json::to_string(record).map_err(|e| e.to_string())?;
        line.push('\n');
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(&self.path).map_err(|e| fail("open", e))?;
        file.write_all(line.as_bytes())
            .map_err(|e| fail("append", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_one_json_line_per_record() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(&dir.path().join("nested"));
        let mut r = AuditRecord::now("reveal", "ExternalSecret ns/es", "ctx");
        r.aws_secret = Some("app/secret".into());
        log.append(&r).unwrap();
        r.outcome = "error".into();
        r.error = Some("AccessDeniedException".into());
        log.append(&r).unwrap();
        let text = std::fs::read_to_string(&log.path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["action"], "reveal");
        assert_eq!(lines[0]["aws_secret"], "app/secret");
        assert!(lines[0].get("error").is_none());
        assert_eq!(lines[1]["outcome"], "error");
        assert!(chrono::DateTime::parse_from_rfc3339(lines[0]["time"].as_str().unwrap()).is_ok());
    }
}
