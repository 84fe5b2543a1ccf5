//! The user's settings file, `config.toml`, in `$SECRETDECK_CONFIG_DIR` or
//! the XDG config dir (`~/.config/secretdeck/config.toml`):
//!
//! ```toml
//! # kube contexts (glob patterns) where every command is read-only
//! readonly_contexts = ["*prod*"]
//!
//! [gitops.repos]
//! "https://github.com/example/app-repo.git" = "/home/me/src/app-repo"
//! ```
//!
//! A missing file is an empty config; an invalid one is an error naming
//! the file and the key. An unknown key is an error too (a typo such as
//! `readonly_context` must not silently leave production writable), with
//! the closest valid key suggested. Every command loads it through
//! `load_in`; the Git-side edit reads `[gitops.repos]` through `parse`.

use super::dirs::Paths;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "config.toml";

/// The keys `config.toml` knows, by table (`""` is the top level).
const KEYS: &[(&str, &[&str])] = &[
    ("", &["readonly_contexts", "gitops"]),
    ("gitops", &["repos"]),
];
/// Tables whose keys are free-form (repo URL → local clone).
const FREE_FORM: &[&str] = &["gitops.repos"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Glob patterns (`*`, `?`, `[...]`) of kube contexts that are read-only.
    #[serde(default)]
    pub readonly_contexts: Vec<String>,
    /// `[gitops.repos]`: local clones of GitOps repos (used by `gitops::repos`).
    #[serde(default)]
    pub gitops: GitopsConfig,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitopsConfig {
    #[serde(default)]
    pub repos: BTreeMap<String, PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("invalid {path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("{0}")]
    UnknownKey(String),
}

/// The user's config from `paths`' config dir (empty when there is none,
/// or no file).
pub fn load_in(paths: &Paths) -> Result<UserConfig, ConfigError> {
    match &paths.config_dir {
        Some(dir) => load_from(dir),
        None => Ok(UserConfig::default()),
    }
}

/// Where `config.toml` is (or would be).
pub fn file_in(paths: &Paths) -> Option<PathBuf> {
    paths.config_dir.as_ref().map(|d| d.join(FILE_NAME))
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
    match parse_checked(&text) {
        Ok(c) => Ok(c),
        Err(ParseError::Unknown(u)) => Err(ConfigError::UnknownKey(u.message(&path))),
        Err(ParseError::Invalid(reason)) => Err(ConfigError::Invalid { path, reason }),
    }
}

/// Parse the text of a config file: known keys only, every pattern a valid glob.
pub fn parse(text: &str) -> Result<UserConfig, String> {
    parse_checked(text).map_err(|e| match e {
        ParseError::Unknown(u) => u.message(Path::new(FILE_NAME)),
        ParseError::Invalid(reason) => reason,
    })
}

enum ParseError {
    Unknown(UnknownKey),
    Invalid(String),
}

fn parse_checked(text: &str) -> Result<UserConfig, ParseError> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e: toml::de::Error| ParseError::Invalid(e.to_string()))?;
    check_keys(&table, "").map_err(ParseError::Unknown)?;
    let config: UserConfig =
        toml::from_str(text).map_err(|e: toml::de::Error| ParseError::Invalid(e.to_string()))?;
    for p in &config.readonly_contexts {
        glob::Pattern::new(p).map_err(|e| {
            ParseError::Invalid(format!("readonly_contexts: bad pattern {p:?}: {e}"))
        })?;
    }
    Ok(config)
}

/// Every key of `table` (at dotted `prefix`) is one `KEYS` lists.
fn check_keys(table: &toml::Table, prefix: &str) -> Result<(), UnknownKey> {
    if FREE_FORM.contains(&prefix) {
        return Ok(());
    }
    let known = KEYS
        .iter()
        .find(|(t, _)| *t == prefix)
        .map(|(_, k)| *k)
        .unwrap_or(&[]);
    for (key, value) in table {
        let dotted = |k: &str| {
            if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            }
        };
        if !known.contains(&key.as_str()) {
            return Err(UnknownKey {
                key: dotted(key),
                closest: closest(key, known).map(dotted),
            });
        }
        if let Some(sub) = value.as_table() {
            check_keys(sub, &dotted(key))?;
        }
    }
    Ok(())
}

/// A key no settings file knows, and the closest one it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    pub key: String,
    pub closest: Option<String>,
}

impl UnknownKey {
    /// "unknown key `readonly_context` in …/config.toml; did you mean `readonly_contexts`?"
    pub fn message(&self, file: &Path) -> String {
        let mut s = format!("unknown key `{}` in {}", self.key, file.display());
        if let Some(c) = &self.closest {
            s += &format!("; did you mean `{c}`?");
        }
        s
    }
}

/// The valid key closest to `key` (Jaro-Winkler), when one is close enough
/// to be what was meant.
pub fn closest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

impl UserConfig {
    /// The context matches a `readonly_contexts` pattern.
    pub fn readonly_for(&self, context: &str) -> bool {
        readonly_for(&self.readonly_contexts, context)
    }
}

pub use crate::domain::ops::guard::{matching_pattern, readonly_for};

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

    #[test]
    fn an_unknown_key_is_an_error_naming_it_the_file_and_the_closest() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        std::fs::write(&file, "readonly_context = [\"*prod*\"]\n").unwrap();
        let e = load_from(dir.path()).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "unknown key `readonly_context` in {}; did you mean `readonly_contexts`?",
                file.display()
            )
        );
        let e = parse("[gitops.repo]\n\"https://x\" = \"/src/x\"\n").unwrap_err();
        assert!(
            e.contains("unknown key `gitops.repo`") && e.contains("did you mean `gitops.repos`?"),
            "{e}"
        );
        let e = parse("[gitop]\n").unwrap_err();
        assert!(e.contains("did you mean `gitops`?"), "{e}");
        let e = parse("colour = \"red\"\n").unwrap_err();
        assert!(
            e.contains("unknown key `colour`") && !e.contains("did you mean"),
            "{e}"
        );
    }

    #[test]
    fn repo_urls_are_free_form_keys() {
        let c = parse(
            "readonly_contexts = []\n[gitops.repos]\n\"https://git.example/a.git\" = \"/src/a\"\n",
        )
        .unwrap();
        assert_eq!(
            c.gitops.repos.get("https://git.example/a.git"),
            Some(&PathBuf::from("/src/a"))
        );
    }
}
