//! The content log on disk: `content-seen.json` in the state dir (next to
//! the audit log and the rotation journal), so "first seen" times survive
//! restarts. Only identities (hashes) and times are kept, never a value.

use crate::audit::AuditLog;
use crate::domain::content::ContentLog;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "content-seen.json";

/// Where the log lives; `None` when no state dir can be determined.
pub fn default_path() -> Option<PathBuf> {
    let audit = AuditLog::default_location()?;
    Some(audit.path.parent()?.join(FILE_NAME))
}

/// The saved log; an empty one when there is none yet. A file that cannot
/// be read or parsed is an error in words (the console goes on without).
pub fn load(path: &Path) -> Result<ContentLog, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            serde_json::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ContentLog::default()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Write the log (to a temporary file, then renamed over the old one).
pub fn save(path: &Path, log: &ContentLog) -> Result<(), String> {
    let fail =
        |what: &str, e: std::io::Error| format!("cannot save {}: {what}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| fail("create directory", e))?;
    }
    let text = serde_json::to_string(log).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).map_err(|e| fail("write", e))?;
    std::fs::rename(&tmp, path).map_err(|e| fail("rename", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ObjKey;

    #[test]
    fn saved_and_loaded_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(FILE_NAME);
        assert_eq!(load(&path).unwrap(), ContentLog::default());
        let mut log = ContentLog::default();
        log.observe(
            "ConfigMap",
            &ObjKey::new("ns", "cfg"),
            "abc",
            (Some("2026-11-30T12:00:00.250Z".parse().unwrap()), None),
            None,
        );
        save(&path, &log).unwrap();
        let back = load(&path).unwrap();
        assert_eq!(back.scopes, log.scopes);
        std::fs::write(&path, "{not json").unwrap();
        assert!(load(&path).unwrap_err().contains("cannot parse"));
    }
}
