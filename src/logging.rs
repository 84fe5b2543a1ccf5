//! Logs go to a file, never to the terminal: `$SECRETDECK_LOG_DIR`, else
//! the XDG state dir (falling back to the local data dir), as
//! `settings::dirs` decides. Level and filters from `$SECRETDECK_LOG`
//! (`EnvFilter` syntax, default `info`). `main` installs it once, before
//! the runtime starts (`init_with`). May import `settings` and tracing
//! only.

use crate::settings::Paths;
use anyhow::Context;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use tracing_subscriber::EnvFilter;

pub use crate::settings::dirs::LOG_DIR_ENV;
pub const LOG_LEVEL_ENV: &str = "SECRETDECK_LOG";
pub const LOG_FILE: &str = "secretdeck.log";

/// Where logs go.
pub fn log_dir() -> anyhow::Result<PathBuf> {
    log_dir_in(&Paths::from_env())
}

/// `paths`' log dir, or an error saying how to give one.
pub fn log_dir_in(paths: &Paths) -> anyhow::Result<PathBuf> {
    paths
        .log_dir
        .clone()
        .context("cannot find a home directory for the log file; set SECRETDECK_LOG_DIR")
}

/// The filter from `$SECRETDECK_LOG`, or `info`; an invalid value is an error
/// that names it.
pub fn filter_from_env() -> anyhow::Result<EnvFilter> {
    match std::env::var(LOG_LEVEL_ENV) {
        Ok(v) if !v.trim().is_empty() => {
            EnvFilter::try_new(&v).with_context(|| format!("invalid {LOG_LEVEL_ENV}={v:?}"))
        }
        _ => Ok(EnvFilter::new("info")),
    }
}

/// Install the global subscriber writing to `<log_dir>/secretdeck.log`.
/// Returns the file's path. A second call in the same process keeps the
/// first subscriber.
pub fn init() -> anyhow::Result<PathBuf> {
    init_with(&Paths::from_env())
}

/// `init` in `paths`' log dir.
pub fn init_with(paths: &Paths) -> anyhow::Result<PathBuf> {
    let dir = log_dir_in(paths)?;
    init_in(&dir, filter_from_env()?)
}

pub fn init_in(dir: &Path, filter: EnvFilter) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the log directory {}", dir.display()))?;
    let path = dir.join(LOG_FILE);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_target(true)
        .try_init();
    if installed.is_err() {
        tracing::debug!("a log subscriber was already installed");
    }
    Ok(path)
}
