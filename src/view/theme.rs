//! A palette defined once, then styles named for what they mean. Passed to
//! every view function (no global), so tests can use their own. Themes are
//! defined in TOML (`theme_file`, read from disk by `settings::theme`);
//! `from_palette` is the code fallback.

use crate::domain::views::Severity;
use crate::domain::{HealthStatus, SyncStatus};
use crate::state::WatchState;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub fg: Color,
    pub muted: Color,
    pub accent: Color,
    pub ok: Color,
    pub warn: Color,
    pub error: Color,
    pub selection_bg: Color,
    pub bar_bg: Color,
}

/// One style per Argo CD health status (`[health]` in a theme file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthStyles {
    pub healthy: Style,
    pub progressing: Style,
    pub degraded: Style,
    pub suspended: Style,
    pub missing: Style,
    pub unknown: Style,
}

/// One style per Argo CD sync status (`[sync]` in a theme file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncStyles {
    pub synced: Style,
    pub out_of_sync: Style,
    pub unknown: Style,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub palette: Palette,
    pub text: Style,
    pub muted: Style,
    pub title: Style,
    pub header: Style,
    pub selected: Style,
    pub status_bar: Style,
    pub key_hint: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub readonly: Style,
    /// Text inside dialogs and overlays.
    pub dialog: Style,
    pub dialog_border: Style,
    /// The characters a `/` filter matched.
    pub highlight: Style,
    pub breadcrumb: Style,
    /// A masked secret value (`••••••`).
    pub masked: Style,
    /// Every other table row (zebra stripes); may be empty.
    pub table_alt_row: Style,
    pub health_styles: HealthStyles,
    pub sync_styles: SyncStyles,
}

impl Theme {
    /// The default dark theme (`themes/dark.toml`).
    pub fn dark() -> Self {
        super::theme_file::shipped("dark")
            .unwrap_or_else(|| Theme::from_palette(Theme::dark_palette()))
    }

    /// A theme shipped with the binary by name (`dark`, `light`,
    /// `high-contrast`, `colorblind`).
    pub fn shipped(name: &str) -> Option<Self> {
        super::theme_file::shipped(name)
    }

    fn dark_palette() -> Palette {
        Palette {
            fg: Color::Gray,
            muted: Color::DarkGray,
            accent: Color::Cyan,
            ok: Color::Green,
            warn: Color::Yellow,
            error: Color::Red,
            selection_bg: Color::Blue,
            bar_bg: Color::Black,
        }
    }

    /// Meaning-based styles derived from a palette.
    pub fn from_palette(p: Palette) -> Self {
        let ok = Style::new().fg(p.ok);
        let warn = Style::new().fg(p.warn);
        let error = Style::new().fg(p.error);
        let muted = Style::new().fg(p.muted);
        Theme {
            palette: p,
            text: Style::new().fg(p.fg),
            muted,
            title: Style::new().fg(p.accent).add_modifier(Modifier::BOLD),
            header: Style::new().fg(p.accent).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(p.selection_bg).add_modifier(Modifier::BOLD),
            status_bar: Style::new().fg(p.fg).bg(p.bar_bg),
            key_hint: Style::new().fg(p.accent),
            ok,
            warn,
            error,
            readonly: Style::new().fg(p.warn).add_modifier(Modifier::BOLD),
            dialog: Style::new().fg(p.fg).bg(p.bar_bg),
            dialog_border: Style::new().fg(p.accent).bg(p.bar_bg),
            highlight: Style::new()
                .fg(p.warn)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            breadcrumb: Style::new().fg(p.accent),
            masked: muted,
            table_alt_row: Style::new(),
            health_styles: HealthStyles {
                healthy: ok,
                progressing: warn,
                degraded: error,
                suspended: warn,
                missing: error,
                unknown: muted,
            },
            sync_styles: SyncStyles {
                synced: ok,
                out_of_sync: warn,
                unknown: muted,
            },
        }
    }

    pub fn sync(&self, s: SyncStatus) -> Style {
        let st = &self.sync_styles;
        match s {
            SyncStatus::Synced => st.synced,
            SyncStatus::OutOfSync => st.out_of_sync,
            SyncStatus::Unknown => st.unknown,
        }
    }

    pub fn health(&self, h: HealthStatus) -> Style {
        let st = &self.health_styles;
        match h {
            HealthStatus::Healthy => st.healthy,
            HealthStatus::Progressing => st.progressing,
            HealthStatus::Suspended => st.suspended,
            HealthStatus::Degraded => st.degraded,
            HealthStatus::Missing => st.missing,
            HealthStatus::Unknown => st.unknown,
        }
    }

    /// The `[status]` style for a roll-up severity.
    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Ok => self.ok,
            Severity::Warn => self.warn,
            Severity::Error => self.error,
        }
    }

    pub fn watch(&self, w: &WatchState) -> Style {
        match w {
            WatchState::Live => self.ok,
            WatchState::Connecting | WatchState::NotInstalled => self.muted,
            WatchState::Reconnecting(_) => self.warn,
            WatchState::Forbidden => self.error,
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::dark()
    }
}
