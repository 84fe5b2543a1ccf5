//! The theme file format, without reading any file: the shipped themes
//! (embedded in the binary), parsing a theme's TOML text into a
//! `ThemeSpec`, laying specs on top of each other (each overriding only
//! the keys it sets) and resolving them into a `Theme`. Errors name the
//! file and the key. Reading `--theme PATH` and the user's `theme.toml`
//! is `settings::theme`'s. May import `view::theme` and
//! `settings::config::closest` (a pure helper); no I/O.

mod spec;

pub use spec::{PALETTE_KEYS, STYLE_KEYS, ThemeSpec};

use super::theme::Theme;

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
    let theme = shipped_spec(name)?.ok()?;
    let mut spec = base_spec().ok()?;
    spec.merge(theme);
    spec.resolve().ok()
}

/// The base every theme is laid on: the dark theme's spec.
pub fn base_spec() -> Result<ThemeSpec, ThemeError> {
    ThemeSpec::parse(SHIPPED[0].1, &shipped_label(SHIPPED[0].0))
}

/// A shipped theme's spec by name (`None` for an unknown name).
pub fn shipped_spec(name: &str) -> Option<Result<ThemeSpec, ThemeError>> {
    let (n, source) = SHIPPED.iter().find(|(n, _)| *n == name)?;
    Some(ThemeSpec::parse(source, &shipped_label(n)))
}

/// The names of the shipped themes, for messages.
pub fn shipped_names() -> String {
    SHIPPED
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn shipped_label(name: &str) -> String {
    format!("themes/{name}.toml")
}
