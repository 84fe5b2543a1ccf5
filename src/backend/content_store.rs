//! The content log on disk: `content-seen.json` in the state dir (next to
//! the audit log and the rotation journal), so "first seen" times survive
//! restarts. Only identities (hashes) and times are kept, never a value.

use crate::domain::content::ContentLog;
use crate::settings::Paths;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "content-seen.json";

/// Where the log lives in the state dir of `paths`; `None` when there is
/// no state dir.
pub fn path_in(paths: &Paths) -> Option<PathBuf> {
    paths.state_dir.as_ref().map(|dir| dir.join(FILE_NAME))
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

/// Write this console's cluster (`log.scope`) into the file, keeping the
/// other clusters' parts as the file has them now: another console on
/// another cluster may have saved since this one loaded. Written to a
/// temporary file of its own, then renamed over the old one.
pub fn save(path: &Path, mut log: ContentLog) -> Result<(), String> {
    let fail =
        |what: &str, e: std::io::Error| format!("cannot save {}: {what}: {e}", path.display());
    let Some(mine) = log.scopes.remove(&log.scope) else {
        return Ok(());
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail("create directory", e))?;
    // An unreadable file was reported when loaded; it is replaced.
    let mut on_disk = load(path).unwrap_or_default();
    on_disk.scopes.insert(log.scope, mine);
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail("create", e))?;
    // Written as it is serialized, not built as one string first.
    let mut out = std::io::BufWriter::new(tmp);
    serde_json::to_writer(&mut out, &on_disk).map_err(|e| e.to_string())?;
    let tmp = out
        .into_inner()
        .map_err(|e| fail("write", e.into_error()))?;
    tmp.persist(path).map_err(|e| fail("rename", e.error))?;
    Ok(())
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
        save(&path, log.to_save()).unwrap();
        let back = load(&path).unwrap();
        assert_eq!(back.scopes, log.scopes);
        std::fs::write(&path, "{not json").unwrap();
        assert!(load(&path).unwrap_err().contains("cannot parse"));
    }

    #[test]
    fn two_consoles_on_two_clusters_keep_each_others_part() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let key = ObjKey::new("ns", "cfg");
        let log_of = |scope: &str, id: &str| {
            let mut log = ContentLog {
                scope: scope.into(),
                ..ContentLog::default()
            };
            log.observe("ConfigMap", &key, id, (None, None), None);
            log
        };
        let (a, b) = (log_of("a https://a", "1"), log_of("b https://b", "2"));
        // Both loaded an empty file; each saves after the other.
        save(&path, a.to_save()).unwrap();
        save(&path, b.to_save()).unwrap();
        // What a console saves is its own cluster's part, even when it
        // loaded the others' too.
        let mut a_loaded_b = a.clone();
        a_loaded_b.scopes.extend(b.scopes.clone());
        let sent = a_loaded_b.to_save();
        assert_eq!(sent.scopes.keys().collect::<Vec<_>>(), ["a https://a"]);
        save(&path, sent).unwrap();
        let back = load(&path).unwrap();
        assert_eq!(back.scopes.len(), 2, "{back:?}");
        assert_eq!(back.scopes["a https://a"], a.scopes["a https://a"]);
        assert_eq!(back.scopes["b https://b"], b.scopes["b https://b"]);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }
}
