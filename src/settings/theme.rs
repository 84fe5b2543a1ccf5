//! Which theme the console draws with: `--theme NAME|PATH` (a shipped
//! theme or a file), with the user's partial override `theme.toml` from
//! the config dir laid on top. This module reads the files; the format
//! (parsing, layering, resolving, the shipped themes) is
//! `view::theme_file`'s. Errors name the file and the key.

use super::dirs::Paths;
use crate::view::Theme;
use crate::view::theme_file::{ThemeError, ThemeSpec, base_spec, shipped_names, shipped_spec};
use std::path::Path;

/// The user's override file name, inside the config dir.
pub const OVERRIDE_FILE: &str = "theme.toml";

/// The theme for `--theme` (`None`: dark; a shipped name; or a path to a
/// file), with `<config_dir>/theme.toml` laid on top when it exists.
pub fn load(choice: Option<&str>, config_dir: Option<&Path>) -> Result<Theme, ThemeError> {
    let mut spec = base_spec()?;
    match choice {
        None => {}
        Some(name) => {
            if let Some(shipped) = shipped_spec(name) {
                spec.merge(shipped?);
            } else if looks_like_path(name) {
                spec.merge(read_spec(Path::new(name))?);
            } else {
                return Err(ThemeError::UnknownTheme {
                    name: name.to_string(),
                    available: shipped_names(),
                });
            }
        }
    }
    if let Some(dir) = config_dir {
        let path = dir.join(OVERRIDE_FILE);
        if path.is_file() {
            spec.merge(read_spec(&path)?);
        }
    }
    spec.resolve()
}

/// `load` with the override from `paths`' config dir.
pub fn load_in(choice: Option<&str>, paths: &Paths) -> Result<Theme, ThemeError> {
    load(choice, paths.config_dir.as_deref())
}

fn read_spec(path: &Path) -> Result<ThemeSpec, ThemeError> {
    let file = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| ThemeError::Read {
        file: file.clone(),
        message: e.to_string(),
    })?;
    ThemeSpec::parse(&source, &file)
}

fn looks_like_path(s: &str) -> bool {
    s.contains('/') || s.contains('\\') || s.ends_with(".toml") || Path::new(s).exists()
}
