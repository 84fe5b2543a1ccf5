//! Icons shown next to words, so colour never carries meaning alone.

use crate::domain::{HealthStatus, SyncStatus};
use crate::state::WatchState;

pub fn sync(s: SyncStatus) -> &'static str {
    match s {
        SyncStatus::Synced => "✔",
        SyncStatus::OutOfSync => "⚠",
        SyncStatus::Unknown => "?",
    }
}

pub fn health(h: HealthStatus) -> &'static str {
    match h {
        HealthStatus::Healthy => "♥",
        HealthStatus::Progressing => "◐",
        HealthStatus::Suspended => "‖",
        HealthStatus::Degraded => "✖",
        HealthStatus::Missing => "∅",
        HealthStatus::Unknown => "?",
    }
}

pub fn watch(w: &WatchState) -> &'static str {
    match w {
        WatchState::Live => "●",
        WatchState::Connecting => "…",
        WatchState::Reconnecting(_) => "↻",
        WatchState::NotInstalled => "∅",
        WatchState::Forbidden => "⊘",
    }
}

/// The selected row's marker.
pub const SELECTED: &str = "▶";
