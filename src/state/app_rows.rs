//! The apps table's rows kept between batches: each app's row is
//! recomputed only when something it is joined from changed (its
//! Application, an object in one of its namespaces or naming it) or when
//! it changes by itself (a warning leaving the recent window). Which
//! object belongs to which app is re-found only when that can have
//! changed.

use super::touched::Touched;
use crate::domain::membership::Membership;
use crate::domain::views::{self, AppView, WorkloadView};
use crate::domain::{Application, Inventory, ObjKey};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Default)]
pub struct AppRows {
    members: Membership,
    /// Which apps each namespace and each app name can involve (rebuilt
    /// with the membership), so a change finds its apps without looking
    /// at every app.
    by_namespace: HashMap<String, Vec<ObjKey>>,
    by_name: HashMap<String, Vec<ObjKey>>,
    /// Row, per Application.
    rows: BTreeMap<ObjKey, Row>,
    /// The earliest of those times.
    next_expiry: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
struct Row {
    view: AppView,
    /// When the row changes by itself.
    expires: Option<DateTime<Utc>>,
    /// Its workloads and pods, kept while nothing they read changes.
    workloads: Vec<WorkloadView>,
}

/// What an update changed.
#[derive(Debug, Default)]
pub struct RowChanges {
    pub upserted: Vec<AppView>,
    pub removed: Vec<ObjKey>,
}

impl RowChanges {
    pub fn is_empty(&self) -> bool {
        self.upserted.is_empty() && self.removed.is_empty()
    }
}

impl AppRows {
    pub fn members(&self) -> &Membership {
        &self.members
    }

    /// Some row changes by itself at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.next_expiry.is_some_and(|t| t <= now)
    }

    /// Every row, in no order.
    pub fn all(&self) -> impl Iterator<Item = &AppView> {
        self.rows.values().map(|r| &r.view)
    }

    /// Bring the rows up to date with `inv` after `touched`, at `now`.
    pub fn update(&mut self, inv: &Inventory, touched: &Touched, now: DateTime<Utc>) -> RowChanges {
        if touched.membership || touched.all {
            self.members = Membership::build(inv);
            self.index(inv);
        }
        let expired = self.expired(now);
        if touched.is_empty() && !expired {
            return RowChanges::default();
        }
        let mut out = RowChanges::default();
        if touched.all
            || touched
                .kinds
                .contains(&super::cluster::WatchKind::Applications)
        {
            self.rows.retain(|k, _| {
                let keep = inv.apps.contains_key(k);
                if !keep {
                    out.removed.push(k.clone());
                }
                keep
            });
        }
        for key in self.candidates(inv, touched, now) {
            let Some(app) = inv.apps.get(&key) else {
                continue;
            };
            // A candidate is involved by construction; its workloads only
            // when something they read changed.
            let old = self.rows.remove(&key);
            let workloads_due = touched.all
                || old
                    .as_ref()
                    .is_none_or(|row| self.workloads_involved(app, row, touched));
            let (old_view, workloads) = match old {
                Some(row) if !workloads_due => (Some(row.view), row.workloads),
                old => (
                    old.map(|row| row.view),
                    views::app_workloads(inv, &self.members, app),
                ),
            };
            let (view, expires) = views::app_view_with(inv, &self.members, app, now, &workloads);
            if old_view.is_none_or(|old| old != view) {
                out.upserted.push(view.clone());
            }
            self.rows.insert(
                key,
                Row {
                    view,
                    expires,
                    workloads,
                },
            );
        }
        self.next_expiry = self.rows.values().filter_map(|r| r.expires).min();
        out
    }

    /// Index every app by the namespaces its objects can be in and by
    /// its name.
    fn index(&mut self, inv: &Inventory) {
        self.by_namespace.clear();
        self.by_name.clear();
        for (key, app) in &inv.apps {
            let name = app.metadata.name();
            let mine = self.members.of(name);
            let namespaces: BTreeSet<&str> = views::app_namespaces(app, mine).collect();
            for ns in namespaces {
                self.by_namespace
                    .entry(ns.to_string())
                    .or_default()
                    .push(key.clone());
            }
            self.by_name
                .entry(name.to_string())
                .or_default()
                .push(key.clone());
        }
    }

    /// The apps a change can involve: every app after a relist (or while
    /// some has no row yet), else those the change names, those with an
    /// object in a namespace it touched, and rows that expire by `now`.
    fn candidates(
        &self,
        inv: &Inventory,
        touched: &Touched,
        now: DateTime<Utc>,
    ) -> BTreeSet<ObjKey> {
        if touched.all || self.rows.len() < inv.apps.len() {
            return inv.apps.keys().cloned().collect();
        }
        let named = touched.apps.iter().filter_map(|n| self.by_name.get(n));
        let in_ns = touched
            .namespaces
            .iter()
            .filter_map(|ns| self.by_namespace.get(ns));
        let mut out: BTreeSet<ObjKey> = named.chain(in_ns).flatten().cloned().collect();
        out.extend(
            self.rows
                .iter()
                .filter(|(_, r)| r.expires.is_some_and(|t| t <= now))
                .map(|(k, _)| k.clone()),
        );
        out
    }

    /// The app's workloads may have changed: something they read changed in
    /// one of its namespaces, or other workloads belong to it now.
    fn workloads_involved(&self, app: &Application, row: &Row, touched: &Touched) -> bool {
        let mine = self.members.of(app.metadata.name());
        let in_namespaces = !touched.workload_namespaces.is_empty()
            && views::app_namespaces(app, mine).any(|ns| touched.workload_namespaces.contains(ns));
        let others = || {
            mine.workloads.len() != row.workloads.len()
                || mine
                    .workloads
                    .iter()
                    .zip(&row.workloads)
                    .any(|(k, w)| *k != w.obj.key())
        };
        in_namespaces || (touched.membership && others())
    }
}
