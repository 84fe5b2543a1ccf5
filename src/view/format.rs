//! Small text helpers shared by the screens: ages ("3m"), fuzzy-match
//! highlighting, and severity/ready words with their styles.

use super::theme::Theme;
use crate::domain::views::Severity;
use chrono::{DateTime, Utc};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// `now - t` as k9s shows ages: `42s`, `3m`, `5h`, `2d`; `–` when unknown.
pub fn age(now: Option<DateTime<Utc>>, t: Option<DateTime<Utc>>) -> String {
    let (Some(now), Some(t)) = (now, t) else {
        return "–".into();
    };
    let secs = (now - t).num_seconds().max(0);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

/// `3m ago`, or `–` when unknown.
pub fn ago(now: Option<DateTime<Utc>>, t: Option<DateTime<Utc>>) -> String {
    match (now, t) {
        (Some(_), Some(_)) => format!("{} ago", age(now, t)),
        _ => "–".into(),
    }
}

/// When an ExternalSecret last synced: `5m ago`, or `never` when ESO has
/// not synced it yet (no `status.refreshTime`).
pub fn last_sync(now: Option<DateTime<Utc>>, t: Option<DateTime<Utc>>) -> String {
    match (now, t) {
        (Some(_), None) => "never".into(),
        _ => ago(now, t),
    }
}

/// A time as `2026-11-28 16:12:47Z` (or `–`).
pub fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%SZ").to_string())
        .unwrap_or_else(|| "–".into())
}

/// `text` with the characters at `hits` (char positions) in `highlight`.
pub fn highlighted<'a>(text: &'a str, hits: &[usize], base: Style, highlight: Style) -> Line<'a> {
    if hits.is_empty() {
        return Line::from(Span::styled(text, base));
    }
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in text.chars().enumerate() {
        let hit = hits.contains(&i);
        if hit != run_hit && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hit { highlight } else { base },
            ));
        }
        run_hit = hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hit { highlight } else { base }));
    }
    Line::from(spans)
}

pub fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Ok => "✔",
        Severity::Warn => "⚠",
        Severity::Error => "✖",
    }
}

/// An ExternalSecret's / store's Ready condition in words with an icon.
pub fn ready(theme: &Theme, ready: Option<bool>, reason: Option<&str>) -> (String, Style) {
    match ready {
        Some(true) => (format!("✔ {}", reason.unwrap_or("Ready")), theme.ok),
        Some(false) => (format!("✖ {}", reason.unwrap_or("NotReady")), theme.error),
        None => (format!("? {}", reason.unwrap_or("no status")), theme.muted),
    }
}

/// Shorten to `max` characters with an ellipsis.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
