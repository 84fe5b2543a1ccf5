//! The few `git` commands the Git-side edit runs (never `push`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(repo: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(format!(
            "git {} failed: {}",
            args.first().unwrap_or(&""),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The top directory of the clone containing `path`.
pub fn toplevel(path: &Path) -> Result<PathBuf, String> {
    git(path, &["rev-parse", "--show-toplevel"])
        .map(PathBuf::from)
        .map_err(|e| format!("{} is not a Git clone: {e}", path.display()))
}

/// Refuse when `file` has uncommitted changes (they would be mixed in).
pub fn require_clean(repo: &Path, file: &Path) -> Result<(), String> {
    let file = file.to_string_lossy();
    let status = git(repo, &["status", "--porcelain", "--", &file])?;
    if status.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{file} has uncommitted changes in {}; commit or stash them first",
            repo.display()
        ))
    }
}

/// The first remote's name, if any.
pub fn remote(repo: &Path) -> Option<String> {
    git(repo, &["remote"])
        .ok()?
        .lines()
        .next()
        .map(str::to_string)
}

/// Create `branch` here, write `text` to `file`, commit only that file.
/// On failure the file, the branch and the checkout are restored. Returns
/// the commit id.
pub fn commit_on_new_branch(
    repo: &Path,
    file: &Path,
    text: &str,
    branch: &str,
    message: &str,
) -> Result<String, String> {
    let path = repo.join(file);
    let old = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let previous = git(repo, &["rev-parse", "--abbrev-ref", "HEAD"])?;
    git(repo, &["checkout", "-q", "-b", branch])?;
    let file_s = file.to_string_lossy().to_string();
    let result = std::fs::write(&path, text)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
        .and_then(|()| git(repo, &["add", "--", &file_s]))
        .and_then(|_| git(repo, &["commit", "-q", "-m", message, "--", &file_s]))
        .and_then(|_| git(repo, &["rev-parse", "HEAD"]));
    if result.is_err() {
        let _ = std::fs::write(&path, &old);
        let _ = git(repo, &["reset", "-q", "--", &file_s]);
        let _ = git(repo, &["checkout", "-q", &previous]);
        let _ = git(repo, &["branch", "-q", "-D", branch]);
    }
    result
}
