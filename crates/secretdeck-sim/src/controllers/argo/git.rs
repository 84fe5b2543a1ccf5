//! The scenario's Git repositories, in memory: each `(repo URL, path)` holds
//! a list of manifests at a revision.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// A changed `(repo URL, path)`, both normalized.
pub type GitChange = (String, String);

pub struct Git {
    inner: Mutex<Inner>,
    tx: broadcast::Sender<GitChange>,
}

#[derive(Default)]
struct Inner {
    commits: u64,
    paths: HashMap<GitChange, (String, Vec<Value>)>,
}

/// `https://host/org/repo.git/` and `https://host/org/repo` are one repository.
pub fn normalize_repo(url: &str) -> String {
    let u = url.trim().trim_end_matches('/');
    u.strip_suffix(".git").unwrap_or(u).to_ascii_lowercase()
}

/// `./a/b/` and `a/b` are one path.
pub fn normalize_path(path: &str) -> String {
    let p = path.trim().trim_start_matches("./").trim_matches('/');
    if p.is_empty() {
        ".".to_string()
    } else {
        p.to_string()
    }
}

impl Git {
    pub fn new() -> Arc<Git> {
        let (tx, _) = broadcast::channel(1024);
        Arc::new(Git {
            inner: Mutex::new(Inner::default()),
            tx,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Commit `manifests` at `path` of `repo_url`: a new revision each call.
    pub fn set_path(&self, repo_url: &str, path: &str, manifests: Vec<Value>) {
        let key = (normalize_repo(repo_url), normalize_path(path));
        {
            let mut inner = self.lock();
            inner.commits += 1;
            let mut h = Sha256::new();
            h.update(inner.commits.to_be_bytes());
            h.update(key.0.as_bytes());
            h.update([0]);
            h.update(key.1.as_bytes());
            h.update([0]);
            h.update(Value::Array(manifests.clone()).to_string().as_bytes());
            let revision = hex::encode(h.finalize())[..40].to_string();
            inner.paths.insert(key.clone(), (revision, manifests));
        }
        let _ = self.tx.send(key);
    }

    /// The revision and manifests at `path` of `repo_url`, if it exists.
    pub fn get(&self, repo_url: &str, path: &str) -> Option<(String, Vec<Value>)> {
        let key = (normalize_repo(repo_url), normalize_path(path));
        self.lock().paths.get(&key).cloned()
    }

    /// Changes from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<GitChange> {
        self.tx.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_commit_is_a_new_revision() {
        let g = Git::new();
        assert!(g.get("https://x/r.git", "p").is_none());
        g.set_path("https://x/r.git", "p", vec![json!({"kind": "ConfigMap"})]);
        let (r1, m) = g.get("https://x/r", "./p/").unwrap();
        assert_eq!(r1.len(), 40);
        assert!(r1.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(m.len(), 1);
        g.set_path("https://x/r.git", "p", vec![json!({"kind": "ConfigMap"})]);
        assert_ne!(g.get("https://x/r.git", "p").unwrap().0, r1);
    }
}
