//! One table's state, the same on every screen: rows (already sorted), the
//! rows the filter lets through with their matched characters, the
//! selection (kept on the same row while rows change) and the scroll offset;
//! the move actions, and the keys typed into its filter.

use super::filter::{Filter, Matcher};
use super::keymap::Action;
use std::collections::HashMap;

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
    /// Matched character positions of the filter text, for the shown rows
    /// on and around the visible page (by index into `rows`): computed
    /// for what is drawn, not for every match.
    hits: HashMap<usize, Vec<usize>>,
    /// Bumped whenever `rows` change.
    generation: u64,
    /// The pattern and rows `shown` was matched with: a pattern that grows
    /// from it only narrows it (a fuzzy match of the longer pattern is one
    /// of the shorter), so only the shown rows are matched again.
    matched_with: Option<(String, u64)>,
    /// Index into the shown rows (0 when empty).
    pub selected: usize,
    /// First visible shown row.
    pub offset: usize,
    pub filter: Filter,
    selected_id: Option<String>,
    /// The user has moved the selection: from then on it follows its row.
    moved: bool,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: Vec::new(),
            shown: Vec::new(),
            hits: HashMap::new(),
            generation: 0,
            matched_with: None,
            selected: 0,
            offset: 0,
            filter: Filter::default(),
            selected_id: None,
            moved: false,
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
        let at = *self.shown.get(i)?;
        let row = self.rows.get(at)?;
        Some((row, self.hits.get(&at).map(Vec::as_slice).unwrap_or(&[])))
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
        self.generation += 1;
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
        self.generation += 1;
        self.refilter(page);
    }

    /// Apply the filter text again (after it or the rows changed).
    pub fn refilter(&mut self, page: usize) {
        let matcher = Matcher::default();
        let pattern = self.filter.text.clone();
        let same_rows = self
            .matched_with
            .as_ref()
            .is_some_and(|(_, g)| *g == self.generation);
        let narrows = same_rows
            && self
                .matched_with
                .as_ref()
                .is_some_and(|(p, _)| pattern.starts_with(p.as_str()));
        // With the same rows the selected row keeps its index in `rows`.
        let selected_at = same_rows
            .then(|| self.shown.get(self.selected).copied())
            .flatten();
        let candidates: Vec<usize> = if narrows {
            std::mem::take(&mut self.shown)
        } else {
            (0..self.rows.len()).collect()
        };
        self.shown = candidates
            .into_iter()
            .filter(|&i| matcher.is_match(self.rows[i].filter_text(), &pattern))
            .collect();
        self.hits.clear();
        self.matched_with = Some((pattern, self.generation));
        let found = match selected_at {
            // `shown` is in `rows` order.
            Some(at) => self.shown.binary_search(&at).ok(),
            // Until the user moves it, the selection stays on the first row
            // (the worst, as rows arrive and sort) rather than following
            // whichever row happened to be first when the table filled.
            None if !self.moved => Some(0),
            None => self.selected_id.as_ref().and_then(|id| {
                self.shown
                    .iter()
                    .position(|&i| self.rows.get(i).is_some_and(|r| &r.id() == id))
            }),
        };
        let index = found.unwrap_or(self.selected);
        self.select(index, page);
    }

    /// Move the selection by `delta` rows (clamped).
    pub fn move_by(&mut self, delta: isize, page: usize) {
        let target = self.selected.saturating_add_signed(delta);
        self.select(target, page);
    }

    /// Select the row at `index` for the user: it follows its row from now.
    pub fn choose(&mut self, index: usize, page: usize) {
        self.moved = true;
        self.select(index, page);
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
        self.match_page(page);
    }

    /// The matched characters of the shown rows from a page above the
    /// visible one to a page below it.
    fn match_page(&mut self, page: usize) {
        let pattern = &self.filter.text;
        if pattern.is_empty() {
            return;
        }
        let matcher = Matcher::default();
        let start = self.offset.saturating_sub(page);
        let end = self.offset.saturating_add(2 * page).min(self.shown.len());
        for &at in &self.shown[start.min(end)..end] {
            if !self.hits.contains_key(&at)
                && let Some((_, idx)) = matcher.matches(self.rows[at].filter_text(), pattern)
            {
                self.hits.insert(at, idx);
            }
        }
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
        self.moved = true;
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

#[cfg(test)]
mod narrowing_tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Name(String);

    impl Row for Name {
        fn filter_text(&self) -> &str {
            &self.0
        }
        fn id(&self) -> String {
            self.0.clone()
        }
    }

    fn shown_names(t: &Table<Name>) -> Vec<String> {
        (0..t.len())
            .filter_map(|i| t.shown(i))
            .map(|(r, _)| r.0.clone())
            .collect()
    }

    /// What a filter over all rows shows, for comparison.
    fn brute(rows: &[Name], pattern: &str) -> Vec<String> {
        let m = Matcher::default();
        rows.iter()
            .filter(|r| m.is_match(&r.0, pattern))
            .map(|r| r.0.clone())
            .collect()
    }

    #[test]
    fn a_growing_or_shrinking_query_shows_what_a_full_match_shows() {
        let rows: Vec<Name> = (0..300)
            .map(|i| Name(format!("svc-{i:03}-{}", ["api", "Worker", "db"][i % 3])))
            .collect();
        let mut t = Table::default();
        t.set_rows(rows.clone(), 10);
        t.start_filter();
        let key = |c| super::super::keys::Key::char(c);
        let mut typed = String::new();
        for c in "svc-1W".chars() {
            t.on_filter_key(key(c), 10);
            typed.push(c);
            assert_eq!(shown_names(&t), brute(&rows, &typed), "after {typed:?}");
        }
        t.on_filter_key(
            super::super::keys::Key::new(super::super::keys::KeyCode::Backspace),
            10,
        );
        typed.pop();
        assert_eq!(shown_names(&t), brute(&rows, &typed));
        // Highlights are there for the visible rows.
        let (_, hits) = t.shown(0).expect("a row");
        assert!(!hits.is_empty());
        // New rows are matched in full, not narrowed from the old ones.
        let more: Vec<Name> = (0..50).map(|i| Name(format!("svc-1{i:02}-new"))).collect();
        let mut all = rows.clone();
        all.extend(more);
        t.set_rows(all.clone(), 10);
        assert_eq!(shown_names(&t), brute(&all, &typed));
    }

    #[test]
    fn the_selection_stays_on_its_row_while_the_query_narrows() {
        let rows: Vec<Name> = ["alpha", "beta-a", "gamma-a", "delta"]
            .iter()
            .map(|s| Name((*s).into()))
            .collect();
        let mut t = Table::default();
        t.set_rows(rows, 10);
        t.select(2, 10); // gamma-a
        t.start_filter();
        t.on_filter_key(super::super::keys::Key::char('a'), 10);
        t.on_filter_key(super::super::keys::Key::char('-'), 10);
        assert_eq!(t.selected_row().map(|r| r.0.as_str()), Some("gamma-a"));
    }

    fn names(v: &[&str]) -> Vec<Name> {
        v.iter().map(|s| Name((*s).into())).collect()
    }

    #[test]
    fn the_selection_stays_on_the_first_row_until_the_user_moves_it() {
        let mut t = Table::default();
        // The table fills: the first rows to arrive, then all of them in
        // another order (worst first).
        t.set_rows(names(&["catalog", "orders"]), 10);
        assert_eq!(t.selected_row().map(|r| r.0.as_str()), Some("catalog"));
        t.set_rows(names(&["payments", "orders", "catalog"]), 10);
        assert_eq!(t.selected_row().map(|r| r.0.as_str()), Some("payments"));
        // Moved, it follows its row when the rows sort again.
        t.on_move(Action::Down, 10);
        assert_eq!(t.selected_row().map(|r| r.0.as_str()), Some("orders"));
        t.set_rows(names(&["orders", "catalog", "payments"]), 10);
        assert_eq!(t.selected_row().map(|r| r.0.as_str()), Some("orders"));
        t.set_rows(names(&["catalog", "payments", "orders"]), 10);
        assert_eq!(t.selected_row().map(|r| r.0.as_str()), Some("orders"));
    }

    #[test]
    fn an_action_that_is_not_a_move_does_not_pin_the_selection() {
        let mut t = Table::default();
        t.set_rows(names(&["a", "b"]), 10);
        assert!(!t.on_move(Action::Help, 10));
        t.set_rows(names(&["b", "a"]), 10);
        assert_eq!(t.selected_row().map(|r| r.0.as_str()), Some("b"));
    }
}
