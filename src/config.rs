//! The user's settings file, `config.toml`, in `$SECRETDECK_CONFIG_DIR` or
//! the XDG config dir (`~/.config/secretdeck/config.toml`). Today:
//!
//! ```toml
//! # kube contexts (glob patterns) where the console starts read-only
//! readonly_contexts = ["*prod*"]
//! ```
//!
//! A missing file is an empty config; an invalid one is an error naming
//! the file and the key.

use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "config.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct UserConfig {
    /// Glob patterns (`*`, `?`, `[...]`) of kube contexts that are read-only.
    #[serde(default)]
    pub readonly_contexts: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("invalid {path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// The directory of `config.toml`: `SECRETDECK_CONFIG_DIR`, else the XDG one.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SECRETDECK_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "secretdeck").map(|d| d.config_dir().to_path_buf())
}

/// The user's config (empty when there is no file).
pub fn load() -> Result<UserConfig, ConfigError> {
    match config_dir() {
        Some(dir) => load_from(&dir),
        None => Ok(UserConfig::default()),
    }
}

pub fn load_from(dir: &Path) -> Result<UserConfig, ConfigError> {
    let path = dir.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UserConfig::default()),
        Err(e) => {
            return Err(ConfigError::Read {
                path,
                reason: e.to_string(),
            });
        }
    };
    parse(&text).map_err(|reason| ConfigError::Invalid { path, reason })
}

/// Parse the text of a config file; every pattern must be a valid glob.
pub fn parse(text: &str) -> Result<UserConfig, String> {
    let config: UserConfig = toml::from_str(text).map_err(|e| e.to_string())?;
    for p in &config.readonly_contexts {
        glob::Pattern::new(p).map_err(|e| format!("readonly_contexts: bad pattern {p:?}: {e}"))?;
    }
    Ok(config)
}

impl UserConfig {
    /// The context matches a `readonly_contexts` pattern.
    pub fn readonly_for(&self, context: &str) -> bool {
        readonly_for(&self.readonly_contexts, context)
    }
}

/// `context` matches one of the glob `patterns` (invalid patterns never match).
pub fn readonly_for(patterns: &[String], context: &str) -> bool {
    patterns
        .iter()
        .filter_map(|p| glob::Pattern::new(p).ok())
        .any(|p| p.matches(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_contexts() {
        let c = parse(r#"readonly_contexts = ["*prod*", "eks-?-live"]"#).unwrap();
        assert!(c.readonly_for("arn:aws:eks:eu-west-1:1:cluster/prod-eu"));
        assert!(c.readonly_for("eks-1-live"));
        assert!(!c.readonly_for("staging"));
        assert!(!UserConfig::default().readonly_for("prod"));
    }

    #[test]
    fn errors_name_the_key() {
        let e = parse(r#"readonly_contexts = "prod""#).unwrap_err();
        assert!(e.contains("readonly_contexts"), "{e}");
        let e = parse(r#"readonly_contexts = ["[prod"]"#).unwrap_err();
        assert!(
            e.contains("readonly_contexts") && e.contains("[prod"),
            "{e}"
        );
    }

    #[test]
    fn a_missing_file_is_an_empty_config_and_a_bad_one_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_from(dir.path()).unwrap(), UserConfig::default());
        std::fs::write(dir.path().join(FILE_NAME), "readonly_contexts = [1]").unwrap();
        let e = load_from(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("config.toml") && e.contains("readonly_contexts"),
            "{e}"
        );
    }
}
