//! Theme files: the shipped themes (embedded in the binary), `--theme
//! NAME|PATH`, and the user's partial override `theme.toml` in the config
//! dir. Files are layered (dark defaults, then the chosen theme, then the
//! override), each overriding only the keys it sets, then resolved into a
//! `Theme`. Errors name the file and the key.

mod spec;

pub use spec::{PALETTE_KEYS, STYLE_KEYS, ThemeSpec};

use super::theme::Theme;
use std::path::{Path, PathBuf};

/// The themes shipped with the binary: (name, TOML source).
pub const SHIPPED: &[(&str, &str)] = &[
    ("dark", include_str!("../../../themes/dark.toml")),
    ("light", include_str!("../../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../../themes/high-contrast.toml"),
    ),
    (
        "colorblind",
        include_str!("../../../themes/colorblind.toml"),
    ),
];

/// The user's override file name, inside the config dir.
pub const OVERRIDE_FILE: &str = "theme.toml";
/// Environment variable that moves the config dir.
pub use crate::settings::dirs::CONFIG_DIR_ENV;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThemeError {
    #[error("{file}: cannot read: {message}")]
    Read { file: String, message: String },
    #[error("{file}: invalid TOML: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: {key}: {message}")]
    Key {
        file: String,
        key: String,
        message: String,
    },
    #[error("unknown theme {name:?} (shipped: {available}; or a path to a .toml file)")]
    UnknownTheme { name: String, available: String },
}

/// A shipped theme by name (`None` for an unknown name).
pub fn shipped(name: &str) -> Option<Theme> {
    let (_, source) = SHIPPED.iter().find(|(n, _)| *n == name)?;
    let mut spec = base_spec().ok()?;
    spec.merge(ThemeSpec::parse(source, &shipped_label(name)).ok()?);
    spec.resolve().ok()
}

/// The theme for `--theme` (`None`: dark; a shipped name; or a path to a
/// file), with `<config_dir>/theme.toml` laid on top when it exists.
pub fn load(choice: Option<&str>, config_dir: Option<&Path>) -> Result<Theme, ThemeError> {
    let mut spec = base_spec()?;
    match choice {
        None => {}
        Some(name) => {
            if let Some((n, source)) = SHIPPED.iter().find(|(n, _)| *n == name) {
                spec.merge(ThemeSpec::parse(source, &shipped_label(n))?);
            } else if looks_like_path(name) {
                spec.merge(read_spec(Path::new(name))?);
            } else {
                let available = SHIPPED.iter().map(|(n, _)| *n).collect::<Vec<_>>();
                return Err(ThemeError::UnknownTheme {
                    name: name.to_string(),
                    available: available.join(", "),
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

/// The config dir: `$SECRETDECK_CONFIG_DIR`, else the platform's
/// (`~/.config/secretdeck` on Linux).
pub fn user_config_dir() -> Option<PathBuf> {
    crate::settings::dirs::config_dir()
}

fn base_spec() -> Result<ThemeSpec, ThemeError> {
    ThemeSpec::parse(SHIPPED[0].1, &shipped_label(SHIPPED[0].0))
}

fn read_spec(path: &Path) -> Result<ThemeSpec, ThemeError> {
    let file = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| ThemeError::Read {
        file: file.clone(),
        message: e.to_string(),
    })?;
    ThemeSpec::parse(&source, &file)
}

pub(crate) fn shipped_label(name: &str) -> String {
    format!("themes/{name}.toml")
}

fn looks_like_path(s: &str) -> bool {
    s.contains('/') || s.contains('\\') || s.ends_with(".toml") || Path::new(s).exists()
}
