//! The Git-side edit of a ConfigMap: in a local clone of the app's repo,
//! find the manifest that declares the ConfigMap under the app's source
//! path, change only that value's text, commit it on a new branch with the
//! `git` CLI and print the push command. Nothing is ever pushed.

pub mod git;
pub mod repos;
pub mod yaml_text;

use crate::domain::config_edit::{ConfigEdit, diff_text};
use std::path::{Path, PathBuf};

/// A Git-side edit, committed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GitEdit {
    pub repo: PathBuf,
    /// The file, relative to the repo.
    pub file: PathBuf,
    pub branch: String,
    pub commit: String,
    pub diff: String,
    /// What to run to publish it (never run by secretdeck).
    pub push_command: String,
}

/// The manifest under `repo/source_path` declaring ConfigMap `name`.
pub fn find_manifest(repo: &Path, source_path: &str, name: &str) -> Result<PathBuf, String> {
    let root = repo.join(source_path.trim_start_matches('/'));
    let mut stack = vec![root.clone()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && std::fs::read_to_string(&path).is_ok_and(|t| yaml_text::file_declares(&t, name))
            {
                found.push(path);
            }
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!(
            "no YAML file under {} declares ConfigMap {name}",
            root.display()
        )),
        _ => Err(format!(
            "several files under {} declare ConfigMap {name}: {}",
            root.display(),
            found
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The branch name for an edit: `secretdeck/<cm>-<key>-<timestamp>`.
pub fn branch_name(cm: &str, key: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let safe = |s: &str| {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect::<String>()
    };
    format!(
        "secretdeck/{}-{}-{}",
        safe(cm),
        safe(key),
        now.format("%Y%m%d%H%M%S")
    )
}

/// Preview: the manifest and its new text, and the diff (nothing written).
pub fn preview(
    repo: &Path,
    source_path: &str,
    cm: &str,
    edit: &ConfigEdit,
) -> Result<(PathBuf, String, String), String> {
    let file = find_manifest(repo, source_path, cm)?;
    let old = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let new = yaml_text::edit_configmap(&old, cm, edit)?;
    let rel = file.strip_prefix(repo).unwrap_or(&file).to_path_buf();
    let diff = diff_text(
        &old,
        &new,
        &format!("a/{}", rel.display()),
        &format!("b/{}", rel.display()),
    );
    Ok((file, new, diff))
}

/// Edit the manifest, commit on a new branch; on any failure the file and
/// the branch are put back as they were.
pub fn edit_and_commit(
    repo: &Path,
    source_path: &str,
    namespace: &str,
    cm: &str,
    edit: &ConfigEdit,
) -> Result<GitEdit, String> {
    let repo = git::toplevel(repo)?;
    let (file, new, diff) = preview(&repo, source_path, cm, edit)?;
    let rel = file.strip_prefix(&repo).unwrap_or(&file).to_path_buf();
    git::require_clean(&repo, &rel)?;
    let branch = branch_name(cm, &edit.key, chrono::Utc::now());
    let message = format!(
        "{} {} in ConfigMap {namespace}/{cm}\n\nMade with secretdeck: the value of one key, nothing else.",
        match edit.value() {
            Some(_) => "Set",
            None => "Remove",
        },
        edit.key
    );
    let commit = git::commit_on_new_branch(&repo, &rel, &new, &branch, &message)?;
    let remote = git::remote(&repo).unwrap_or_else(|| "origin".into());
    Ok(GitEdit {
        push_command: format!("git -C {} push -u {remote} {branch}", repo.display()),
        repo,
        file: rel,
        branch,
        commit,
        diff,
    })
}
