//! The whole state of the console, split by screen, with the overlay stack
//! over the screens and the read-only mode; accessors for each overlay.
//! Derived views are computed in `settle` (once per batch of messages),
//! never while drawing.

use super::access::ReadOnly;
use super::app_detail::AppDetailScreen;
use super::apps_screen::AppsScreen;
use super::audit_screen::AuditScreen;
use super::cluster::{ClusterData, ClusterStatus, WatchKind, WatchState};
use super::config_edit::ConfigEditor;
use super::confirm::Confirm;
use super::es_detail::EsDetailScreen;
use super::lists::{Lists, NameRow, sort_rows};
use super::nav::{ListKind, Nav, Route};
use super::overlay::{Help, Layer, OperationsPanel, Overlays};
use super::palette::Palette;
use super::rotation::RotationScreen;
use crate::domain::Inventory;
use crate::domain::views::{self, AppView};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// What a screen's or an overlay's key handler may read besides its own
/// state.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub inventory: &'a Inventory,
    /// The time, from the last `Msg::Now`.
    pub now: Option<DateTime<Utc>>,
    pub readonly: bool,
    /// Table rows that fit on screen.
    pub page: usize,
    /// Argo CD is not served: the apps screen lists ExternalSecrets.
    pub without_argo: bool,
}

/// What an ExternalSecret's row is joined from.
const ES_VIEW_KINDS: &[WatchKind] = &[
    WatchKind::ExternalSecrets,
    WatchKind::Secrets,
    WatchKind::SecretStores,
    WatchKind::ClusterSecretStores,
    WatchKind::Events,
];

/// What each global list's rows are joined from.
fn list_kinds(kind: ListKind) -> &'static [WatchKind] {
    match kind {
        ListKind::ExternalSecrets => ES_VIEW_KINDS,
        ListKind::Stores => &[
            WatchKind::SecretStores,
            WatchKind::ClusterSecretStores,
            WatchKind::ExternalSecrets,
        ],
        ListKind::ConfigMaps => &[
            WatchKind::ConfigMaps,
            WatchKind::Deployments,
            WatchKind::Pods,
        ],
        ListKind::Secrets => &[
            WatchKind::Secrets,
            WatchKind::ExternalSecrets,
            WatchKind::Deployments,
            WatchKind::Pods,
        ],
        ListKind::Events => &[WatchKind::Events],
        // Namespaces are seen in every kind; contexts come with any change.
        ListKind::Contexts | ListKind::Namespaces => &WatchKind::ALL,
    }
}

/// Lines every screen uses besides its table rows: breadcrumbs, table
/// header and the two status bar lines. The view lays out the same.
pub const CHROME_ROWS: u16 = 4;

#[derive(Debug, Clone, Default)]
pub struct Model {
    pub nav: Nav,
    pub cluster: ClusterStatus,
    pub data: ClusterData,
    pub apps: AppsScreen,
    pub app_detail: Option<AppDetailScreen>,
    pub es_detail: Option<EsDetailScreen>,
    pub lists: Lists,
    /// What is drawn over the screen (help, palette, confirmation, rotation,
    /// ConfigMap editor, `:audit`, operations panel), bottom first.
    pub overlays: Overlays,
    /// A message for the status line (e.g. an unknown command).
    pub message: Option<String>,
    /// Read-only mode: `--readonly`, or the context matches `readonly_contexts`.
    pub access: ReadOnly,
    /// Show only objects in (apps deploying into) this namespace.
    pub namespace: Option<String>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Set once the user or a signal asked to quit.
    pub quitting: bool,
    // CONFIG part: paused auto-syncs (the editor itself is an overlay).
    pub config: super::config_edit::ConfigState,
    /// Objects changed since the derived views were last computed.
    pub(crate) data_changed: bool,
    /// The apps table's rows, kept up to date per app.
    pub(crate) app_rows: super::app_rows::AppRows,
    /// The namespace scope the apps table was last filled for (`None`:
    /// never filled).
    apps_scope: Option<Option<String>>,
    /// Operations started from the console and their progress.
    pub operations: super::operations::Operations,
}

impl Model {
    pub fn new(readonly: bool, namespace: Option<String>) -> Self {
        Model {
            access: ReadOnly::new(readonly),
            namespace,
            ..Default::default()
        }
    }

    /// Refuse every mutation (`--readonly`, or a read-only context).
    pub fn is_readonly(&self) -> bool {
        self.access.is_readonly()
    }

    /// The overlay of this kind, if shown (`model.overlay::<Confirm>()`).
    pub fn overlay<T: Layer>(&self) -> Option<&T> {
        self.overlays.get()
    }

    pub fn overlay_mut<T: Layer>(&mut self) -> Option<&mut T> {
        self.overlays.get_mut()
    }

    /// Show an overlay on top of the others.
    pub fn open_overlay<T: Layer>(&mut self, layer: T) {
        self.overlays.open(layer);
    }

    /// Close the overlay of this kind; its state.
    pub fn close_overlay<T: Layer>(&mut self) -> Option<T> {
        self.overlays.close()
    }

    /// The confirmation dialog, while open.
    pub fn confirm(&self) -> Option<&Confirm> {
        self.overlay()
    }

    /// The rotation screen, while open.
    pub fn rotation(&self) -> Option<&RotationScreen> {
        self.overlay()
    }

    pub fn rotation_mut(&mut self) -> Option<&mut RotationScreen> {
        self.overlay_mut()
    }

    /// The `:` palette, while open.
    pub fn palette(&self) -> Option<&Palette> {
        self.overlay()
    }

    /// The `?` help is shown.
    pub fn help(&self) -> bool {
        self.overlay::<Help>().is_some()
    }

    /// The `:audit` screen, while open.
    pub fn audit(&self) -> Option<&AuditScreen> {
        self.overlay()
    }

    /// The ConfigMap editor, while open.
    pub fn config_editor(&self) -> Option<&ConfigEditor> {
        self.overlay()
    }

    pub fn config_editor_mut(&mut self) -> Option<&mut ConfigEditor> {
        self.overlay_mut()
    }

    /// The operations' progress panel is shown.
    pub fn operations_panel(&self) -> bool {
        self.overlay::<OperationsPanel>().is_some()
    }

    pub fn inventory(&self) -> &Inventory {
        &self.data.inventory
    }

    /// The time, from the last `Msg::Now`.
    pub fn now(&self) -> Option<DateTime<Utc>> {
        self.data.now
    }

    pub fn route(&self) -> &Route {
        self.nav.current()
    }

    /// Table rows that fit on screen.
    pub fn page_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(CHROME_ROWS)).max(1)
    }

    /// Argo CD's Applications are not served (or not readable): the apps
    /// screen lists ExternalSecrets by namespace instead.
    pub fn without_argo(&self) -> bool {
        matches!(
            self.cluster.watch(WatchKind::Applications),
            WatchState::NotInstalled | WatchState::Forbidden
        )
    }

    fn in_scope(&self, namespace: &str) -> bool {
        match &self.namespace {
            Some(ns) => namespace.is_empty() || namespace == ns,
            None => true,
        }
    }

    /// Recompute derived views after a batch of messages. `update_all`
    /// calls it; the event loop calls it once before drawing.
    pub fn settle(&mut self) {
        if !self.data_changed {
            return;
        }
        self.data_changed = false;
        let touched = std::mem::take(&mut self.data.touched);
        let now = self.data.now_or_epoch();
        let page = self.page_rows();
        let changes = self.app_rows.update(&self.data.inventory, &touched, now);
        let in_scope =
            |a: &AppView, ns: &Option<String>| ns.as_ref().is_none_or(|ns| &a.dest_namespace == ns);
        let sort = self.apps.sort;
        if self.apps_scope.as_ref() != Some(&self.namespace) {
            let rows = self
                .app_rows
                .all()
                .filter(|a| in_scope(a, &self.namespace))
                .cloned()
                .collect();
            self.apps.set_rows(rows, page);
            self.apps_scope = Some(self.namespace.clone());
        } else if !changes.is_empty() {
            let mut removed: Vec<String> =
                changes.removed.iter().map(ToString::to_string).collect();
            let mut upserted = Vec::new();
            for a in changes.upserted {
                if in_scope(&a, &self.namespace) {
                    upserted.push(a);
                } else {
                    // Its destination moved out of the scope.
                    removed.push(a.key.to_string());
                }
            }
            self.apps
                .table
                .upsert(upserted, &removed, |a, b| sort.compare(a, b), page);
        }
        let any =
            |kinds: &[WatchKind]| touched.all || kinds.iter().any(|k| touched.kinds.contains(k));
        if self.without_argo() && any(ES_VIEW_KINDS) {
            let mut es = views::es_views(self.inventory(), now);
            es.retain(|e| self.in_scope(&e.namespace));
            self.apps.set_es_rows(es, page);
        }
        if let Some(screen) = &self.app_detail {
            let detail =
                views::app_detail_in(self.inventory(), self.app_rows.members(), &screen.key, now);
            if let Some(screen) = &mut self.app_detail {
                screen.set_detail(detail);
            }
        }
        if let Some(screen) = &self.es_detail {
            let view = views::es_view(self.inventory(), &screen.key, now);
            if let Some(screen) = &mut self.es_detail {
                screen.view = view;
            }
        }
        if let Route::List(kind) = self.route().clone()
            && any(list_kinds(kind))
        {
            self.refresh_list(kind);
        }
    }

    /// Everything may have changed (the scope, the watches' states): the
    /// next `settle` recomputes every view.
    pub(crate) fn recompute_all(&mut self) {
        self.data.touched.everything();
        self.apps_scope = None;
        self.data_changed = true;
    }

    /// Recompute one global list from the inventory.
    pub(crate) fn refresh_list(&mut self, kind: ListKind) {
        let now = self.data.now_or_epoch();
        let page = self.page_rows();
        let sort = self.lists.sorts.get(kind);
        let inv = &self.data.inventory;
        match kind {
            ListKind::ExternalSecrets => {
                let mut rows = views::es_views(inv, now);
                rows.retain(|r| self.in_scope(&r.namespace));
                sort_rows(&mut rows, sort, false);
                self.lists.es.set_rows(rows, page);
            }
            ListKind::Stores => {
                let mut rows = views::store_views(inv);
                rows.retain(|r| self.in_scope(&r.namespace));
                sort_rows(&mut rows, sort, false);
                self.lists.stores.set_rows(rows, page);
            }
            ListKind::ConfigMaps => {
                let mut rows = views::config_map_views(inv);
                rows.retain(|r| self.in_scope(&r.namespace));
                sort_rows(&mut rows, sort, false);
                self.lists.config_maps.set_rows(rows, page);
            }
            ListKind::Secrets => {
                let mut rows = views::secret_views(inv);
                rows.retain(|r| self.in_scope(&r.namespace));
                sort_rows(&mut rows, sort, false);
                self.lists.secrets.set_rows(rows, page);
            }
            ListKind::Events => {
                let mut rows = views::event_views(inv);
                rows.retain(|r| self.in_scope(&r.namespace));
                sort_rows(&mut rows, sort, true);
                self.lists.events.set_rows(rows, page);
            }
            ListKind::Contexts => {
                let rows = match &self.data.contexts {
                    Some((current, all)) => all
                        .iter()
                        .map(|name| NameRow {
                            name: name.clone(),
                            current: name == current,
                        })
                        .collect(),
                    None => Vec::new(),
                };
                self.lists.contexts.set_rows(rows, page);
            }
            ListKind::Namespaces => {
                let rows = self
                    .namespaces_seen()
                    .into_iter()
                    .map(|name| NameRow {
                        current: self.namespace.as_ref() == Some(&name),
                        name,
                    })
                    .collect();
                self.lists.namespaces.set_rows(rows, page);
            }
        }
    }

    /// Every namespace an object was seen in, sorted.
    pub fn namespaces_seen(&self) -> Vec<String> {
        let inv = &self.data.inventory;
        let mut seen = BTreeSet::new();
        let keys = inv
            .external_secrets
            .keys()
            .chain(inv.secret_stores.keys())
            .chain(inv.config_maps.keys())
            .chain(inv.secrets.keys())
            .chain(inv.workloads.keys())
            .chain(inv.pods.keys())
            .chain(inv.events.keys())
            .chain(inv.apps.keys());
        for key in keys {
            if !key.namespace.is_empty() {
                seen.insert(key.namespace.clone());
            }
        }
        for app in self.apps.table.all() {
            if !app.dest_namespace.is_empty() {
                seen.insert(app.dest_namespace.clone());
            }
        }
        seen.into_iter().collect()
    }
}
