//! The apps table's rows kept between batches: each app's row is
//! recomputed only when something it is joined from changed (its
//! Application, an object in one of its namespaces or naming it) or when
//! it changes by itself (a warning leaving the recent window). Which
//! object belongs to which app is re-found only when that can have
//! changed.

use super::touched::Touched;
use crate::domain::membership::Membership;
use crate::domain::views::{self, AppView};
use crate::domain::{Application, Inventory, ObjKey};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct AppRows {
    members: Membership,
    /// Row and when it changes by itself, per Application.
    rows: BTreeMap<ObjKey, (AppView, Option<DateTime<Utc>>)>,
    /// The earliest of those times.
    next_expiry: Option<DateTime<Utc>>,
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
        self.rows.values().map(|(v, _)| v)
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
            let due = match self.rows.get(key) {
                None => true,
                Some((_, expires)) => {
                    touched.all || expires.is_some_and(|t| t <= now) || self.involves(app, touched)
                }
            };
            if !due {
                continue;
            }
            let (view, expires) = views::app_view(inv, &self.members, app, now);
            let same = self.rows.get(key).is_some_and(|(old, _)| old == &view);
            self.rows.insert(key.clone(), (view.clone(), expires));
            if !same {
                out.upserted.push(view);
            }
        }
        self.next_expiry = self.rows.values().filter_map(|(_, t)| *t).min();
        out
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
