//! The global lists reached through the palette (`:es`, `:stores`, `:cm`,
//! `:secrets`, `:events`, `:ctx`, `:ns`): one table each, the same sort
//! cycle everywhere; their actions.

use super::keymap::Action;
use super::model::Ctx;
use super::nav::{Go, ListKind};
use super::table::{Row, Table, TableKeys};
use crate::domain::ObjKey;
use crate::domain::views::{ConfigMapView, EsView, EventView, SecretMetaView, StoreView};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// A list's order; `s` cycles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    /// Namespace, then name (events: newest first).
    #[default]
    Default,
    Name,
    /// Newest change first.
    Age,
}

impl ListSort {
    pub fn next(self) -> Self {
        match self {
            ListSort::Default => ListSort::Name,
            ListSort::Name => ListSort::Age,
            ListSort::Age => ListSort::Default,
        }
    }

    pub fn label(self, kind: ListKind) -> &'static str {
        match (self, kind) {
            (ListSort::Default, ListKind::Events) => "newest",
            (ListSort::Default, ListKind::ExternalSecrets | ListKind::Stores) => "worst",
            (ListSort::Default, _) => "namespace",
            (ListSort::Name, _) => "name",
            (ListSort::Age, _) => "age",
        }
    }
}

/// What sorting needs of a list row.
pub trait ListRow: Row {
    fn namespace(&self) -> &str;
    /// The time the Age sort uses.
    fn time(&self) -> Option<DateTime<Utc>> {
        None
    }
    /// How bad the row is (higher first in the default order, like the
    /// apps table): 0 fine, 1 not known yet, 2 failing.
    fn badness(&self) -> u8 {
        0
    }
}

fn compare<T: ListRow>(sort: ListSort, a: &T, b: &T) -> Ordering {
    let by_ns = a
        .namespace()
        .cmp(b.namespace())
        .then_with(|| a.filter_text().cmp(b.filter_text()));
    match sort {
        ListSort::Default => b.badness().cmp(&a.badness()).then(by_ns),
        ListSort::Name => a.filter_text().cmp(b.filter_text()).then(by_ns),
        ListSort::Age => b.time().cmp(&a.time()).then(by_ns),
    }
}

/// Sort rows for a list (events keep their newest-first order by default).
pub fn sort_rows<T: ListRow>(rows: &mut [T], sort: ListSort, keep_order: bool) {
    if sort == ListSort::Default && keep_order {
        return;
    }
    rows.sort_by(|a, b| compare(sort, a, b));
}

/// A context or namespace name; `current` is marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRow {
    pub name: String,
    pub current: bool,
}

impl Row for NameRow {
    fn filter_text(&self) -> &str {
        &self.name
    }
    fn id(&self) -> String {
        self.name.clone()
    }
}

impl ListRow for NameRow {
    fn namespace(&self) -> &str {
        ""
    }
}

impl ListRow for EsView {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn time(&self) -> Option<DateTime<Utc>> {
        self.last_refresh
    }
    fn badness(&self) -> u8 {
        match self.ready {
            Some(false) => 2,
            _ if !self.store.exists || self.store.ready == Some(false) => 2,
            None => 1,
            Some(true) => 0,
        }
    }
}

impl Row for StoreView {
    fn filter_text(&self) -> &str {
        &self.name
    }
    fn id(&self) -> String {
        format!("{}/{}/{}", self.kind, self.namespace, self.name)
    }
}

impl ListRow for StoreView {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn badness(&self) -> u8 {
        match (self.exists, self.ready) {
            (false, _) | (_, Some(false)) => 2,
            (_, None) => 1,
            _ => 0,
        }
    }
}

impl Row for ConfigMapView {
    fn filter_text(&self) -> &str {
        &self.name
    }
    fn id(&self) -> String {
        self.key.to_string()
    }
}

impl ListRow for ConfigMapView {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn time(&self) -> Option<DateTime<Utc>> {
        self.data_changed
    }
}

impl Row for SecretMetaView {
    fn filter_text(&self) -> &str {
        &self.name
    }
    fn id(&self) -> String {
        self.key.to_string()
    }
}

impl ListRow for SecretMetaView {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn time(&self) -> Option<DateTime<Utc>> {
        self.data_changed.or(self.created)
    }
}

impl Row for EventView {
    /// Events are found by the object they are about.
    fn filter_text(&self) -> &str {
        &self.object
    }
    fn id(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.namespace, self.object, self.reason, self.message
        )
    }
}

impl ListRow for EventView {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn time(&self) -> Option<DateTime<Utc>> {
        self.last_seen
    }
}

/// Every global list with its order.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub es: Table<EsView>,
    pub stores: Table<StoreView>,
    pub config_maps: Table<ConfigMapView>,
    pub secrets: Table<SecretMetaView>,
    pub events: Table<EventView>,
    pub contexts: Table<NameRow>,
    pub namespaces: Table<NameRow>,
    pub sorts: Sorts,
}

impl Lists {
    /// The table of a list.
    pub(crate) fn table_mut(&mut self, kind: ListKind) -> &mut dyn TableKeys {
        match kind {
            ListKind::ExternalSecrets => &mut self.es,
            ListKind::Stores => &mut self.stores,
            ListKind::ConfigMaps => &mut self.config_maps,
            ListKind::Secrets => &mut self.secrets,
            ListKind::Events => &mut self.events,
            ListKind::Contexts => &mut self.contexts,
            ListKind::Namespaces => &mut self.namespaces,
        }
    }

    /// A list's actions: moves, `s` (the list is then recomputed), `enter`.
    pub(crate) fn on_action(&mut self, kind: ListKind, action: Action, ctx: &Ctx) -> Go {
        if self.table_mut(kind).on_move(action, ctx.page) {
            return Go::Stay;
        }
        match action {
            Action::CycleSort => {
                self.sorts.cycle(kind);
                Go::Resort(kind)
            }
            Action::Open => self.open(kind).unwrap_or(Go::Stay),
            _ => Go::Stay,
        }
    }

    /// `enter` on a row: an ExternalSecret (itself, the one managing a
    /// Secret, the one an event is about), a context, a namespace.
    fn open(&self, kind: ListKind) -> Option<Go> {
        Some(match kind {
            ListKind::ExternalSecrets => Go::Es(self.es.selected_row()?.key.clone()),
            ListKind::Secrets => {
                let s = self.secrets.selected_row()?;
                let es = s.managed_by.as_ref()?;
                Go::Es(ObjKey::new(s.namespace.clone(), es.clone()))
            }
            ListKind::Events => {
                let e = self.events.selected_row()?;
                let name = e.object.strip_prefix("ExternalSecret/")?;
                Go::Es(ObjKey::new(e.namespace.clone(), name))
            }
            ListKind::Contexts => Go::SwitchContext(self.contexts.selected_row()?.name.clone()),
            ListKind::Namespaces => Go::Namespace(self.namespaces.selected_row()?.name.clone()),
            ListKind::Stores | ListKind::ConfigMaps => return None,
        })
    }
}

/// The order chosen for each list.
#[derive(Debug, Clone, Default)]
pub struct Sorts {
    pub es: ListSort,
    pub stores: ListSort,
    pub config_maps: ListSort,
    pub secrets: ListSort,
    pub events: ListSort,
    pub contexts: ListSort,
    pub namespaces: ListSort,
}

impl Sorts {
    pub fn get(&self, kind: ListKind) -> ListSort {
        match kind {
            ListKind::ExternalSecrets => self.es,
            ListKind::Stores => self.stores,
            ListKind::ConfigMaps => self.config_maps,
            ListKind::Secrets => self.secrets,
            ListKind::Events => self.events,
            ListKind::Contexts => self.contexts,
            ListKind::Namespaces => self.namespaces,
        }
    }

    pub fn cycle(&mut self, kind: ListKind) {
        let s = match kind {
            ListKind::ExternalSecrets => &mut self.es,
            ListKind::Stores => &mut self.stores,
            ListKind::ConfigMaps => &mut self.config_maps,
            ListKind::Secrets => &mut self.secrets,
            ListKind::Events => &mut self.events,
            ListKind::Contexts => &mut self.contexts,
            ListKind::Namespaces => &mut self.namespaces,
        };
        *s = s.next();
    }
}
