//! Logs go to a file, never to the terminal: the log dir of `Paths`
//! (`$SECRETDECK_LOG_DIR`, else the XDG state dir, as `settings::dirs`
//! decides). Level and filters from `$SECRETDECK_LOG` (`EnvFilter` syntax,
//! default `info`). `main` installs it once, before the runtime starts
//! (`init_with`); `file_subscriber` builds the same subscriber without
//! installing it. May import `settings` and tracing only.

use crate::settings::Paths;
use anyhow::Context;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::util::SubscriberInitExt;

pub use crate::settings::dirs::LOG_DIR_ENV;
pub const LOG_LEVEL_ENV: &str = "SECRETDECK_LOG";
pub const LOG_FILE: &str = "secretdeck.log";

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
    filter_from(std::env::var(LOG_LEVEL_ENV).ok().as_deref())
}

/// The filter for a `$SECRETDECK_LOG` value (`None` or blank = `info`).
pub fn filter_from(value: Option<&str>) -> anyhow::Result<EnvFilter> {
    match value {
        Some(v) if !v.trim().is_empty() => {
            EnvFilter::try_new(v).with_context(|| format!("invalid {LOG_LEVEL_ENV}={v:?}"))
        }
        _ => Ok(EnvFilter::new("info")),
    }
}

/// Install the global subscriber writing to `secretdeck.log` in `paths`'
/// log dir, at the level of `$SECRETDECK_LOG`. Returns the file's path. A
/// second call in the same process keeps the first subscriber.
pub fn init_with(paths: &Paths) -> anyhow::Result<PathBuf> {
    let dir = log_dir_in(paths)?;
    init_in(&dir, filter_from_env()?)
}

/// `init_with` for an explicit directory and filter.
pub fn init_in(dir: &Path, filter: EnvFilter) -> anyhow::Result<PathBuf> {
    let (path, subscriber) = file_subscriber(dir, filter)?;
    if subscriber.try_init().is_err() {
        tracing::debug!("a log subscriber was already installed");
    }
    Ok(path)
}

/// The subscriber `init_in` installs, not installed: it writes to
/// `<dir>/secretdeck.log` (the directory created, the file appended to),
/// without terminal colour codes. Returns the file's path with it.
pub fn file_subscriber(
    dir: &Path,
    filter: EnvFilter,
) -> anyhow::Result<(PathBuf, impl tracing::Subscriber + Send + Sync + 'static)> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the log directory {}", dir.display()))?;
    let path = dir.join(LOG_FILE);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_target(true)
        .finish();
    Ok((path, subscriber))
}
