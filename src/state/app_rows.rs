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
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct AppRows {
    members: Membership,
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
        for (key, app) in &inv.apps {
            let (due, workloads_due) = match self.rows.get(key) {
                None => (true, true),
                Some(row) => {
                    let workloads = touched.all || self.workloads_involved(app, row, touched);
                    let due = workloads
                        || row.expires.is_some_and(|t| t <= now)
                        || self.involves(app, touched);
                    (due, workloads)
                }
            };
            if !due {
                continue;
            }
            let old = self.rows.remove(key);
            let workloads = match old.as_ref() {
                Some(row) if !workloads_due => row.workloads.clone(),
                _ => views::app_workloads(inv, &self.members, app),
            };
            let (view, expires) = views::app_view_with(inv, &self.members, app, now, &workloads);
            if old.is_none_or(|row| row.view != view) {
                out.upserted.push(view.clone());
            }
            self.rows.insert(
                key.clone(),
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

    /// The app's row may have changed: a change named it, or was in one of
    /// its namespaces.
    fn involves(&self, app: &Application, touched: &Touched) -> bool {
        let name = app.metadata.name();
        touched.apps.contains(name)
            || (!touched.namespaces.is_empty()
                && views::app_namespaces(app, self.members.of(name))
                    .any(|ns| touched.namespaces.contains(ns)))
    }
}
