//! Which local clone holds an app's repo: `--gitops-repo PATH`, else the
//! mapping in `config.toml` (in the config dir, parsed by
//! `settings::config`):
//!
//! ```toml
//! [gitops.repos]
//! "https://github.com/example/app-repo.git" = "/home/me/src/app-repo"
//! ```

use std::path::{Path, PathBuf};

fn normalise(url: &str) -> String {
    url.trim()
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .to_ascii_lowercase()
}

/// The clone for `repo_url` from a `config.toml` text.
pub fn from_config_text(text: &str, repo_url: &str) -> Result<Option<PathBuf>, String> {
    // The one config struct, with the same checks as every command
    // (unknown keys are errors).
    let cfg = crate::settings::config::parse(text)?;
    let want = normalise(repo_url);
    Ok(cfg
        .gitops
        .repos
        .into_iter()
        .find(|(url, _)| normalise(url) == want)
        .map(|(_, p)| p))
}

/// The local clone: the explicit path, else the mapping for `repo_url` in
/// `config_file` (the user's `config.toml`; none or missing = no mapping).
pub fn clone_for(
    explicit: Option<&Path>,
    repo_url: Option<&str>,
    config_file: Option<&Path>,
) -> Result<PathBuf, String> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let url = repo_url.ok_or("the app has no source repoURL; pass --gitops-repo PATH")?;
    let text = match config_file {
        Some(f) if f.exists() => {
            std::fs::read_to_string(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?
        }
        _ => String::new(),
    };
    from_config_text(&text, url)
        .map_err(|e| format!("invalid config.toml: {e}"))?
        .ok_or_else(|| {
            format!("no local clone known for {url}: pass --gitops-repo PATH or map it under [gitops.repos] in config.toml")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_a_repo_url_to_a_clone() {
        let text = "[gitops.repos]\n\"https://git.example/app.git\" = \"/src/app\"\n";
        assert_eq!(
            from_config_text(text, "https://git.example/app/").unwrap(),
            Some(PathBuf::from("/src/app"))
        );
        assert_eq!(from_config_text(text, "https://other").unwrap(), None);
        assert_eq!(from_config_text("", "x").unwrap(), None);
    }
}
