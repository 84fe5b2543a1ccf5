//! The one log subscriber of this test binary: installed once, at debug
//! level (every command is logged), writing to a file in a temporary
//! directory kept for the run. Tests that prove a value never reaches a
//! log read this file after their operation.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Install the subscriber (first call) and return the log file.
pub fn file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("log dir").keep();
        let filter = secretdeck::logging::filter_from(Some("debug")).expect("filter");
        secretdeck::logging::init_in(&dir, filter).expect("log subscriber")
    })
}

/// The log's text so far.
pub fn text() -> String {
    std::fs::read_to_string(file()).unwrap_or_default()
}
