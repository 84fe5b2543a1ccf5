//! `:audit`: the audit log, newest first, read by the backend on open; its
//! scroll keys.

use super::keys::{Key, KeyCode};
use serde::Deserialize;

/// One audit record as read back (every field optional: old lines stay readable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AuditRow {
    pub time: String,
    pub os_user: String,
    pub kube_context: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub error: Option<String>,
    pub version_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AuditState {
    #[default]
    Loading,
    Loaded(Vec<AuditRow>),
    Failed(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditScreen {
    pub state: AuditState,
    /// First row shown.
    pub scroll: usize,
}

impl AuditScreen {
    /// The rows read (in file order), shown newest first.
    pub fn loaded(&mut self, result: Result<Vec<AuditRow>, String>) {
        self.state = match result {
            Ok(mut rows) => {
                rows.reverse();
                AuditState::Loaded(rows)
            }
            Err(e) => AuditState::Failed(e),
        };
        self.scroll = 0;
    }

    pub fn rows(&self) -> &[AuditRow] {
        match &self.state {
            AuditState::Loaded(rows) => rows,
            _ => &[],
        }
    }

    pub fn scroll_by(&mut self, delta: isize) {
        let last = self.rows().len().saturating_sub(1);
        self.scroll = self.scroll.saturating_add_signed(delta).min(last);
    }

    /// A key while the screen is shown (it takes every key); `true`: close.
    pub fn on_key(&mut self, key: Key) -> bool {
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return true,
            KeyCode::Char('j') | KeyCode::Down => self.scroll_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.scroll_by(-1),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => self.scroll_by(isize::MAX),
            _ => {}
        }
        false
    }
}

/// Parse the audit log's text (JSON Lines); unreadable lines are skipped.
pub fn parse(text: &str) -> Vec<AuditRow> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_and_bad_lines_skipped() {
        let rows = parse(
            "{\"time\":\"1\",\"action\":\"reveal\"}\nnot json\n{\"time\":\"2\",\"action\":\"restart\",\"outcome\":\"ok\"}\n",
        );
        let mut s = AuditScreen::default();
        s.loaded(Ok(rows));
        assert_eq!(s.rows().len(), 2);
        assert_eq!(s.rows()[0].action, "restart");
        s.scroll_by(5);
        assert_eq!(s.scroll, 1);
    }
}
