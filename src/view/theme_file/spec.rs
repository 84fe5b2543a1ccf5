//! The theme file schema: parsing one file into a `ThemeSpec` (names not
//! yet resolved), laying specs on top of each other, and resolving the
//! result into a `Theme`.

use super::{SHIPPED, ThemeError, shipped_label};
use crate::view::theme::{HealthStyles, Palette, SyncStyles, Theme};
use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Every style key a theme file may set, by section.
pub const STYLE_KEYS: &[(&str, &[&str])] = &[
    (
        "general",
        &[
            "text",
            "muted",
            "title",
            "key_hint",
            "readonly",
            "status_bar",
        ],
    ),
    ("table", &["header", "selected", "alt_row"]),
    ("dialog", &["text", "border"]),
    ("status", &["ok", "warn", "error"]),
    (
        "health",
        &[
            "healthy",
            "progressing",
            "degraded",
            "suspended",
            "missing",
            "unknown",
        ],
    ),
    ("sync", &["synced", "out_of_sync", "unknown"]),
    ("filter", &["highlight"]),
    ("breadcrumb", &["text"]),
    ("secret", &["masked"]),
];

/// Palette names every theme has (a file may add its own names).
pub const PALETTE_KEYS: &[&str] = &[
    "fg",
    "muted",
    "accent",
    "ok",
    "warn",
    "error",
    "selection_bg",
    "bar_bg",
];

const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
];

/// A value together with the file that set it (for error messages).
#[derive(Debug, Clone)]
struct Sourced<T> {
    value: T,
    file: String,
}

#[derive(Debug, Clone, Default)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    modifiers: Modifier,
}

/// A parsed, not yet resolved theme file (or a stack of them).
#[derive(Debug, Clone, Default)]
pub struct ThemeSpec {
    palette: BTreeMap<String, Sourced<Color>>,
    styles: BTreeMap<String, Sourced<StyleSpec>>,
}

impl ThemeSpec {
    /// Parse one theme file; `file` names it in errors.
    pub fn parse(source: &str, file: &str) -> Result<Self, ThemeError> {
        let table: toml::Table = toml::from_str(source).map_err(|e| ThemeError::Syntax {
            file: file.to_string(),
            message: e.message().to_string(),
        })?;
        let err = |key: String, message: String| ThemeError::Key {
            file: file.to_string(),
            key,
            message,
        };
        let mut spec = ThemeSpec::default();
        for (section, value) in &table {
            let Some(entries) = value.as_table() else {
                return Err(err(section.clone(), "expected a [section]".into()));
            };
            if section == "palette" {
                for (name, v) in entries {
                    let key = format!("palette.{name}");
                    let Some(s) = v.as_str() else {
                        return Err(err(key, "expected a colour string".into()));
                    };
                    let color = parse_colour(s).ok_or_else(|| err(key, unknown_colour(s)))?;
                    let file = file.to_string();
                    spec.palette
                        .insert(name.clone(), Sourced { value: color, file });
                }
                continue;
            }
            let Some((_, keys)) = STYLE_KEYS.iter().find(|(s, _)| s == section) else {
                return Err(err(section.clone(), unknown_key(section, section_names())));
            };
            for (name, v) in entries {
                let key = format!("{section}.{name}");
                if !keys.contains(&name.as_str()) {
                    return Err(err(key, unknown_key(name, keys.to_vec())));
                }
                let style = parse_style(v, &key).map_err(|(k, m)| err(k, m))?;
                let file = file.to_string();
                spec.styles.insert(key, Sourced { value: style, file });
            }
        }
        Ok(spec)
    }

    /// Lay `other` on top: every key it sets replaces ours.
    pub fn merge(&mut self, other: ThemeSpec) {
        self.palette.extend(other.palette);
        self.styles.extend(other.styles);
    }

    /// Turn the names into colours and styles.
    pub fn resolve(&self) -> Result<Theme, ThemeError> {
        let pal = |name: &str| -> Result<Color, ThemeError> {
            self.palette
                .get(name)
                .map(|c| c.value)
                .ok_or_else(|| missing(format!("palette.{name}")))
        };
        let palette = Palette {
            fg: pal("fg")?,
            muted: pal("muted")?,
            accent: pal("accent")?,
            ok: pal("ok")?,
            warn: pal("warn")?,
            error: pal("error")?,
            selection_bg: pal("selection_bg")?,
            bar_bg: pal("bar_bg")?,
        };
        let s = |key: &str| self.style(key);
        Ok(Theme {
            palette,
            text: s("general.text")?,
            muted: s("general.muted")?,
            title: s("general.title")?,
            header: s("table.header")?,
            selected: s("table.selected")?,
            status_bar: s("general.status_bar")?,
            key_hint: s("general.key_hint")?,
            ok: s("status.ok")?,
            warn: s("status.warn")?,
            error: s("status.error")?,
            readonly: s("general.readonly")?,
            dialog: s("dialog.text")?,
            dialog_border: s("dialog.border")?,
            highlight: s("filter.highlight")?,
            breadcrumb: s("breadcrumb.text")?,
            masked: s("secret.masked")?,
            table_alt_row: s("table.alt_row")?,
            health_styles: HealthStyles {
                healthy: s("health.healthy")?,
                progressing: s("health.progressing")?,
                degraded: s("health.degraded")?,
                suspended: s("health.suspended")?,
                missing: s("health.missing")?,
                unknown: s("health.unknown")?,
            },
            sync_styles: SyncStyles {
                synced: s("sync.synced")?,
                out_of_sync: s("sync.out_of_sync")?,
                unknown: s("sync.unknown")?,
            },
        })
    }

    /// The keys (`palette.x`, `section.key`) this spec sets.
    pub fn keys(&self) -> Vec<String> {
        let palette = self.palette.keys().map(|k| format!("palette.{k}"));
        palette.chain(self.styles.keys().cloned()).collect()
    }

    fn style(&self, key: &str) -> Result<Style, ThemeError> {
        let Some(Sourced { value: spec, file }) = self.styles.get(key) else {
            return Err(missing(key.to_string()));
        };
        let colour = |field: &str, name: &str| -> Result<Color, ThemeError> {
            self.palette
                .get(name)
                .map(|c| c.value)
                .or_else(|| parse_colour(name))
                .ok_or_else(|| ThemeError::Key {
                    file: file.clone(),
                    key: format!("{key}.{field}"),
                    message: unknown_colour(name),
                })
        };
        let mut style = Style::new();
        if let Some(fg) = &spec.fg {
            style = style.fg(colour("fg", fg)?);
        }
        if let Some(bg) = &spec.bg {
            style = style.bg(colour("bg", bg)?);
        }
        Ok(style.add_modifier(spec.modifiers))
    }
}

fn parse_colour(s: &str) -> Option<Color> {
    Color::from_str(s).ok()
}

fn parse_style(v: &toml::Value, key: &str) -> Result<StyleSpec, (String, String)> {
    if let Some(colour) = v.as_str() {
        return Ok(StyleSpec {
            fg: Some(colour.to_string()),
            ..Default::default()
        });
    }
    let Some(fields) = v.as_table() else {
        let msg = "expected a style { fg = \"...\", bg = \"...\", bold = true } or a colour";
        return Err((key.to_string(), msg.into()));
    };
    let mut spec = StyleSpec::default();
    for (name, value) in fields {
        let field_key = format!("{key}.{name}");
        match name.as_str() {
            "fg" | "bg" => {
                let Some(s) = value.as_str() else {
                    return Err((field_key, "expected a colour string".into()));
                };
                let slot = if name == "fg" {
                    &mut spec.fg
                } else {
                    &mut spec.bg
                };
                *slot = Some(s.to_string());
            }
            _ => {
                let Some((_, modifier)) = MODIFIERS.iter().find(|(m, _)| m == name) else {
                    let mut known = vec!["fg", "bg"];
                    known.extend(MODIFIERS.iter().map(|(m, _)| *m));
                    return Err((field_key, unknown_key(name, known)));
                };
                let Some(on) = value.as_bool() else {
                    return Err((field_key, "expected true or false".into()));
                };
                if on {
                    spec.modifiers |= *modifier;
                }
            }
        }
    }
    Ok(spec)
}

fn section_names() -> Vec<&'static str> {
    let mut names = vec!["palette"];
    names.extend(STYLE_KEYS.iter().map(|(s, _)| *s));
    names
}

/// "unknown key (expected one of: ...); did you mean `x`?"
fn unknown_key(name: &str, expected: Vec<&str>) -> String {
    let mut s = format!("unknown key (expected one of: {})", expected.join(", "));
    if let Some(c) = crate::settings::config::closest(name, &expected) {
        s += &format!("; did you mean `{c}`?");
    }
    s
}

fn unknown_colour(s: &str) -> String {
    format!("unknown colour {s:?} (a palette name, a colour name, 0-255 or #rrggbb)")
}

fn missing(key: String) -> ThemeError {
    ThemeError::Key {
        file: shipped_label(SHIPPED[0].0),
        key,
        message: "missing".into(),
    }
}
