//! The rotation journal: one JSON file in the state dir
//! (`$SECRETDECK_STATE_DIR/rotation-journal.json`, else the XDG state dir),
//! written before PutSecretValue and after every step. It holds the
//! ClientRequestToken (so a retry or a resumed run never creates a second
//! version), the version ids, the plan and the step reached, never a value.
//! The record itself is `domain::rotation::Journal`; this is where it is
//! kept.

use crate::domain::rotation::Journal;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "rotation-journal.json";

/// Where the journal lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalStore {
    pub path: PathBuf,
}

impl JournalStore {
    pub fn at(dir: &Path) -> Self {
        JournalStore {
            path: dir.join(FILE_NAME),
        }
    }

    /// In the state dir of `paths` (next to the audit log), else the
    /// error in words.
    pub fn required(paths: &crate::settings::Paths) -> Result<Self, String> {
        paths
            .state_dir
            .as_deref()
            .map(JournalStore::at)
            .ok_or_else(|| "no state directory for the rotation journal".to_string())
    }

    pub fn load(&self) -> Result<Option<Journal>, String> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
                format!(
                    "cannot read the rotation journal {}: {e}",
                    self.path.display()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!(
                "cannot read the rotation journal {}: {e}",
                self.path.display()
            )),
        }
    }

    /// The unfinished rotation, if any.
    pub fn unfinished(&self) -> Result<Option<Journal>, String> {
        Ok(self.load()?.filter(Journal::unfinished))
    }

    /// Write atomically (temp file + rename), mode 0600.
    pub fn save(&self, j: &Journal) -> Result<(), String> {
        let fail = |e: std::io::Error| {
            format!(
                "cannot write the rotation journal {}: {e}",
                self.path.display()
            )
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(fail)?;
        let text = serde_json::to_string_pretty(j).map_err(|e| e.to_string())?;
        let tmp = self.path.with_extension("json.tmp");
        {
            use std::io::Write;
            let mut opts = std::fs::OpenOptions::new();
            opts.create(true).write(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp).map_err(fail)?;
            f.write_all(text.as_bytes()).map_err(fail)?;
            f.sync_all().map_err(fail)?;
        }
        std::fs::rename(&tmp, &self.path).map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rotation::{Plan, Reached};

    #[test]
    fn saves_and_finds_the_unfinished_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let store = JournalStore::at(dir.path());
        assert_eq!(store.unfinished().unwrap(), None);
        let plan = Plan {
            aws_secret: "a/b".into(),
            region: None,
            readers: vec![],
            restarts: vec![],
        };
        let mut j = Journal::new(plan, "ctx", "key k", Some("v1".into()), true);
        assert!((32..=64).contains(&j.token.len()));
        store.save(&j).unwrap();
        assert_eq!(store.unfinished().unwrap(), Some(j.clone()));
        j.reached = Reached::Done;
        store.save(&j).unwrap();
        assert_eq!(store.unfinished().unwrap(), None);
    }
}
