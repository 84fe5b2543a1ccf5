//! One table's state, the same on every screen: rows (already sorted), the
//! rows the filter lets through with their matched characters, the
//! selection (kept on the same row while rows change) and the scroll offset;
//! the move actions, and the keys typed into its filter.

use super::filter::{Filter, Matcher};
use super::keymap::Action;

/// What the filter matches on, and how a row is recognised across updates.
pub trait Row {
    /// The text the `/` filter matches (the NAME column).
    fn filter_text(&self) -> &str;
    /// A stable identity (e.g. `namespace/name`).
    fn id(&self) -> String;
}

#[derive(Debug, Clone)]
pub struct Table<T> {
    rows: Vec<T>,
    /// Indices into `rows` of the rows shown, in order.
    shown: Vec<usize>,
    /// Matched character positions of each shown row's filter text.
    hits: Vec<Vec<usize>>,
    /// Index into the shown rows (0 when empty).
    pub selected: usize,
    /// First visible shown row.
    pub offset: usize,
    pub filter: Filter,
    selected_id: Option<String>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: Vec::new(),
            shown: Vec::new(),
            hits: Vec::new(),
            selected: 0,
            offset: 0,
            filter: Filter::default(),
            selected_id: None,
        }
    }
}

impl<T: Row> Table<T> {
    /// All rows, unfiltered.
    pub fn all(&self) -> &[T] {
        &self.rows
    }

    /// Number of rows shown (after the filter).
    pub fn len(&self) -> usize {
        self.shown.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The shown row at `i`, with its matched character positions.
    pub fn shown(&self, i: usize) -> Option<(&T, &[usize])> {
        let row = self.rows.get(*self.shown.get(i)?)?;
        Some((row, self.hits.get(i).map(Vec::as_slice).unwrap_or(&[])))
    }

    /// The shown rows in `start..start+count`.
    pub fn window(
        &self,
        start: usize,
        count: usize,
    ) -> impl Iterator<Item = (usize, &T, &[usize])> {
        let end = start.saturating_add(count).min(self.shown.len());
        (start.min(end)..end).filter_map(move |i| self.shown(i).map(|(r, h)| (i, r, h)))
    }

    pub fn selected_row(&self) -> Option<&T> {
        self.shown(self.selected).map(|(r, _)| r)
    }

    /// Replace the rows (sorted by the caller), keeping the selection on the
    /// same row when it is still there.
    pub fn set_rows(&mut self, rows: Vec<T>, page: usize) {
        self.rows = rows;
        self.refilter(page);
    }

    /// Replace the rows with these ids (adding new ones), drop `removed`,
    /// and restore the order: a few changed rows cost a pass over the
    /// table, not a rebuild (the sort is stable and the rest is in order).
    pub fn upsert(
        &mut self,
        changed: Vec<T>,
        removed: &[String],
        cmp: impl FnMut(&T, &T) -> std::cmp::Ordering,
        page: usize,
    ) {
        let mut at: std::collections::HashMap<String, usize> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id(), i))
            .collect();
        for row in changed {
            match at.get(&row.id()) {
                Some(&i) => self.rows[i] = row,
                None => {
                    at.insert(row.id(), self.rows.len());
                    self.rows.push(row);
                }
            }
        }
        if !removed.is_empty() {
            let gone: std::collections::HashSet<&String> = removed.iter().collect();
            self.rows.retain(|r| !gone.contains(&r.id()));
        }
        self.sort_by(cmp, page);
    }

    /// Re-sort the rows in place (selection follows its row).
    pub fn sort_by(&mut self, cmp: impl FnMut(&T, &T) -> std::cmp::Ordering, page: usize) {
        self.rows.sort_by(cmp);
        self.refilter(page);
    }

    /// Apply the filter text again (after it or the rows changed).
    pub fn refilter(&mut self, page: usize) {
        let matcher = Matcher::default();
        let pattern = self.filter.text.as_str();
        self.shown.clear();
        self.hits.clear();
        for (i, row) in self.rows.iter().enumerate() {
            if let Some((_, idx)) = matcher.matches(row.filter_text(), pattern) {
                self.shown.push(i);
                self.hits.push(idx);
            }
        }
        let found = self.selected_id.as_ref().and_then(|id| {
            self.shown
                .iter()
                .position(|&i| self.rows.get(i).is_some_and(|r| &r.id() == id))
        });
        let index = found.unwrap_or(self.selected);
        self.select(index, page);
    }

    /// Move the selection by `delta` rows (clamped).
    pub fn move_by(&mut self, delta: isize, page: usize) {
        let target = self.selected.saturating_add_signed(delta);
        self.select(target, page);
    }

    pub fn select(&mut self, index: usize, page: usize) {
        let last = self.shown.len().saturating_sub(1);
        self.selected = index.min(last);
        if let Some(row) = self.selected_row() {
            self.selected_id = Some(row.id());
        }
        self.scroll_into_view(page);
    }

    pub fn scroll_into_view(&mut self, page: usize) {
        let page = page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(self.shown.len().saturating_sub(page));
    }

    /// A table's actions: move, page, top/bottom. Returns whether it was one.
    pub fn on_move(&mut self, action: Action, page: usize) -> bool {
        let half = isize::try_from(page / 2).unwrap_or(isize::MAX).max(1);
        let full = isize::try_from(page).unwrap_or(isize::MAX).max(1);
        match action {
            Action::Down => self.move_by(1, page),
            Action::Up => self.move_by(-1, page),
            Action::Top => self.select(0, page),
            Action::Bottom => self.select(usize::MAX, page),
            Action::PageDown => self.move_by(full, page),
            Action::PageUp => self.move_by(-full, page),
            Action::HalfPageDown => self.move_by(half, page),
            Action::HalfPageUp => self.move_by(-half, page),
            _ => return false,
        }
        true
    }

    /// Keys while the filter is being typed. Returns whether it was used.
    pub fn on_filter_key(&mut self, key: super::keys::Key, page: usize) -> bool {
        use super::keys::KeyCode as K;
        if !self.filter.editing {
            return false;
        }
        match key.code {
            K::Esc => {
                self.filter = Filter::default();
            }
            K::Enter => self.filter.editing = false,
            K::Backspace => {
                self.filter.text.pop();
            }
            K::Char(c) if !key.ctrl && !key.alt => self.filter.text.push(c),
            K::Up | K::Down | K::PageUp | K::PageDown => {
                return super::keymap::move_action(key).is_some_and(|a| self.on_move(a, page));
            }
            _ => return true,
        }
        self.refilter(page);
        true
    }

    /// Start typing a filter (`/`).
    pub fn start_filter(&mut self) {
        self.filter.editing = true;
    }

    /// Drop the filter (`esc`). Returns whether there was one.
    pub fn clear_filter(&mut self, page: usize) -> bool {
        if self.filter == Filter::default() {
            return false;
        }
        self.filter = Filter::default();
        self.refilter(page);
        true
    }
}

/// The keys every table answers, whatever its rows.
pub trait TableKeys {
    fn on_move(&mut self, action: Action, page: usize) -> bool;
    fn on_filter_key(&mut self, key: super::keys::Key, page: usize) -> bool;
    fn start_filter(&mut self);
    fn clear_filter(&mut self, page: usize) -> bool;
    fn filter(&self) -> &Filter;
}

impl<T: Row> TableKeys for Table<T> {
    fn on_move(&mut self, action: Action, page: usize) -> bool {
        Table::on_move(self, action, page)
    }
    fn on_filter_key(&mut self, key: super::keys::Key, page: usize) -> bool {
        Table::on_filter_key(self, key, page)
    }
    fn start_filter(&mut self) {
        Table::start_filter(self)
    }
    fn clear_filter(&mut self, page: usize) -> bool {
        Table::clear_filter(self, page)
    }
    fn filter(&self) -> &Filter {
        &self.filter
    }
}
