//! A palette defined once, then styles named for what they mean. Passed to
//! every view function (no global), so tests can use their own.

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
}

impl Theme {
    /// The default dark theme.
    pub fn dark() -> Self {
        Theme::from_palette(Palette {
            fg: Color::Gray,
            muted: Color::DarkGray,
            accent: Color::Cyan,
            ok: Color::Green,
            warn: Color::Yellow,
            error: Color::Red,
            selection_bg: Color::Blue,
            bar_bg: Color::Black,
        })
    }

    /// Meaning-based styles derived from a palette.
    pub fn from_palette(p: Palette) -> Self {
        Theme {
            palette: p,
            text: Style::new().fg(p.fg),
            muted: Style::new().fg(p.muted),
            title: Style::new().fg(p.accent).add_modifier(Modifier::BOLD),
            header: Style::new().fg(p.accent).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(p.selection_bg).add_modifier(Modifier::BOLD),
            status_bar: Style::new().fg(p.fg).bg(p.bar_bg),
            key_hint: Style::new().fg(p.accent),
            ok: Style::new().fg(p.ok),
            warn: Style::new().fg(p.warn),
            error: Style::new().fg(p.error),
            readonly: Style::new().fg(p.warn).add_modifier(Modifier::BOLD),
        }
    }

    pub fn sync(&self, s: SyncStatus) -> Style {
        match s {
            SyncStatus::Synced => self.ok,
            SyncStatus::OutOfSync => self.warn,
            SyncStatus::Unknown => self.muted,
        }
    }

    pub fn health(&self, h: HealthStatus) -> Style {
        match h {
            HealthStatus::Healthy => self.ok,
            HealthStatus::Progressing | HealthStatus::Suspended => self.warn,
            HealthStatus::Degraded | HealthStatus::Missing => self.error,
            HealthStatus::Unknown => self.muted,
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
