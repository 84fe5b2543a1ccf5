//! Logs go to a file, never to the terminal: `$SECRETDECK_LOG_DIR`, else
//! the XDG state dir (falling back to the local data dir). Level and
//! filters from `$SECRETDECK_LOG` (`EnvFilter` syntax, default `info`).

use anyhow::Context;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use tracing_subscriber::EnvFilter;

pub const LOG_DIR_ENV: &str = "SECRETDECK_LOG_DIR";
pub const LOG_LEVEL_ENV: &str = "SECRETDECK_LOG";
pub const LOG_FILE: &str = "secretdeck.log";

/// Where logs go.
pub fn log_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os(LOG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("", "", "secretdeck")
        .context("cannot find a home directory for the log file; set SECRETDECK_LOG_DIR")?;
    Ok(dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .to_path_buf())
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
    let dir = log_dir()?;
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
