//! Where secretdeck keeps its files, decided in one place:
//!
//! | dir    | environment override    | default (XDG on Linux)                      |
//! |--------|-------------------------|---------------------------------------------|
//! | config | `SECRETDECK_CONFIG_DIR` | `~/.config/secretdeck`                      |
//! | state  | `SECRETDECK_STATE_DIR`  | `~/.local/state/secretdeck` (else data dir) |
//! | log    | `SECRETDECK_LOG_DIR`    | the default state dir (not the override)    |
//!
//! An empty variable counts as unset. The environment is read once, by
//! `main.rs` (`Paths::from_env`); every command, the console's backend and
//! `Session` are handed the `Paths` (tests give theirs, `Paths::under`).
//! Imports only std and `directories`.

use std::path::{Path, PathBuf};

/// Moves the config dir (`config.toml`, `theme.toml`).
pub const CONFIG_DIR_ENV: &str = "SECRETDECK_CONFIG_DIR";
/// Moves the state dir (audit log, rotation journal, content log).
pub const STATE_DIR_ENV: &str = "SECRETDECK_STATE_DIR";
/// Moves the log dir.
pub const LOG_DIR_ENV: &str = "SECRETDECK_LOG_DIR";

/// The three directories, resolved once. `None` when neither the
/// variable nor a home directory gives one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: Option<PathBuf>,
    pub state_dir: Option<PathBuf>,
    pub log_dir: Option<PathBuf>,
}

impl Paths {
    /// All three under `root`: `root/config`, `root/state`, `root/logs`
    /// (a sandbox, e.g. a test's temporary directory).
    pub fn under(root: &Path) -> Self {
        Paths {
            config_dir: Some(root.join("config")),
            state_dir: Some(root.join("state")),
            log_dir: Some(root.join("logs")),
        }
    }

    /// From the environment variables, else the platform's directories.
    pub fn from_env() -> Self {
        Paths {
            config_dir: config_dir(),
            state_dir: state_dir(),
            log_dir: log_dir(),
        }
    }
}

/// The config dir: `$SECRETDECK_CONFIG_DIR`, else the XDG config dir.
fn config_dir() -> Option<PathBuf> {
    env_dir(CONFIG_DIR_ENV).or_else(|| project().map(|d| d.config_dir().to_path_buf()))
}

/// The state dir: `$SECRETDECK_STATE_DIR`, else the XDG state dir
/// (falling back to the local data dir).
fn state_dir() -> Option<PathBuf> {
    env_dir(STATE_DIR_ENV).or_else(default_state_dir)
}

/// The log dir: `$SECRETDECK_LOG_DIR`, else the XDG state dir (falling
/// back to the local data dir).
fn log_dir() -> Option<PathBuf> {
    env_dir(LOG_DIR_ENV).or_else(default_state_dir)
}

fn env_dir(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

fn default_state_dir() -> Option<PathBuf> {
    let dirs = project()?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "secretdeck")
}
