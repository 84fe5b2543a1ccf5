//! The apps table: rows, the selection (kept on the same app while rows
//! change) and the scroll offset.

use crate::domain::{AppRow, ObjKey};

#[derive(Debug, Clone, Default)]
pub struct AppsScreen {
    pub rows: Vec<AppRow>,
    /// Index into `rows` (0 when empty).
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    /// The selected app, to keep it selected when rows are inserted or removed.
    selected_key: Option<ObjKey>,
}

impl AppsScreen {
    pub fn selected_row(&self) -> Option<&AppRow> {
        self.rows.get(self.selected)
    }

    pub(crate) fn set_rows(&mut self, rows: Vec<AppRow>, page: usize) {
        self.rows = rows;
        let found = self.selected_key.as_ref().and_then(|key| {
            self.rows
                .iter()
                .position(|r| r.app_namespace == key.namespace && r.name == key.name)
        });
        let index = found.unwrap_or(self.selected);
        self.select(index, page);
    }

    /// Move the selection by `delta` rows (clamped).
    pub(crate) fn move_by(&mut self, delta: isize, page: usize) {
        let target = self.selected.saturating_add_signed(delta);
        self.select(target, page);
    }

    pub(crate) fn select(&mut self, index: usize, page: usize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = index.min(last);
        self.selected_key = self
            .rows
            .get(self.selected)
            .map(|r| ObjKey::new(r.app_namespace.clone(), r.name.clone()));
        self.scroll_into_view(page);
    }

    pub(crate) fn scroll_into_view(&mut self, page: usize) {
        let page = page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        let max_offset = self.rows.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }
}
