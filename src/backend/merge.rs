//! Several watches feeding one message kind (Deployments, StatefulSets and
//! DaemonSets -> `Msg::Workloads`; SecretStores and ClusterSecretStores ->
//! `Msg::SecretStores`).
//!
//! Each watch's messages touch only its own objects, so the order in which
//! the watches' messages reach the UI does not matter: a list from one
//! watch becomes `Change::Replace` (its objects, and the keys it no longer
//! holds), never a `Reset` of the whole kind — a Reset built from what
//! every watch had sent so far could reach the UI after a newer message of
//! another watch and wipe it.
//!
//! Every object is stamped with the kind its watch serves: an API server's
//! list of a built-in kind does not repeat `kind` in its items.

use super::watch::Wrap;
use crate::domain::{HasMeta, ObjKey};
use crate::state::{Change, Msg};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

type Shared<T> = Arc<Mutex<BTreeMap<(&'static str, ObjKey), T>>>;

/// The merged state of one message kind.
pub struct Merge<T> {
    known: Shared<T>,
    wrap: fn(Change<T>) -> Msg,
    stamp: fn(&mut T, &'static str),
}

impl<T: HasMeta + Clone + Send + 'static> Merge<T> {
    /// `stamp` records on an object the kind its watch serves.
    pub fn new(wrap: fn(Change<T>) -> Msg, stamp: fn(&mut T, &'static str)) -> Self {
        Merge {
            known: Arc::default(),
            wrap,
            stamp,
        }
    }

    /// The wrap of the watch of `source` (a kind, e.g. `StatefulSet`).
    pub fn wrap_for(&self, source: &'static str) -> Wrap<T> {
        let known = self.known.clone();
        let (wrap, stamp) = (self.wrap, self.stamp);
        let stamped = move |mut items: Vec<T>| {
            for t in &mut items {
                stamp(t, source);
            }
            items
        };
        Box::new(move |change| {
            let mut known = known.lock().unwrap_or_else(|p| p.into_inner());
            let held_elsewhere = |known: &BTreeMap<(&str, ObjKey), T>, key: &ObjKey| {
                known
                    .iter()
                    .find(|((s, k), _)| *s != source && k == key)
                    .map(|(_, t)| t.clone())
            };
            match change {
                Change::Reset(items) | Change::Replace { items, .. } => {
                    let mut items = stamped(items);
                    let before: Vec<ObjKey> = known
                        .keys()
                        .filter(|(s, _)| *s == source)
                        .map(|(_, k)| k.clone())
                        .collect();
                    known.retain(|(s, _), _| *s != source);
                    for t in &items {
                        known.insert((source, t.meta().key()), t.clone());
                    }
                    let mut gone = Vec::new();
                    for key in before {
                        if known.contains_key(&(source, key.clone())) {
                            continue;
                        }
                        match held_elsewhere(&known, &key) {
                            Some(other) => items.push(other),
                            None => gone.push(key),
                        }
                    }
                    wrap(Change::Replace { items, gone })
                }
                Change::More(items) => {
                    let items = stamped(items);
                    for t in &items {
                        known.insert((source, t.meta().key()), t.clone());
                    }
                    wrap(Change::More(items))
                }
                Change::Upsert(mut t) => {
                    stamp(&mut t, source);
                    known.insert((source, t.meta().key()), t.clone());
                    wrap(Change::Upsert(t))
                }
                Change::Remove(key) => {
                    known.remove(&(source, key.clone()));
                    match held_elsewhere(&known, &key) {
                        Some(other) => wrap(Change::Upsert(other)),
                        None => wrap(Change::Remove(key)),
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Meta, Workload};
    use crate::state::cluster::apply;

    fn w(ns: &str, name: &str) -> Workload {
        Workload {
            metadata: Meta {
                name: Some(name.into()),
                namespace: Some(ns.into()),
                ..Meta::default()
            },
            ..Workload::default()
        }
    }

    fn merge() -> Merge<Workload> {
        Merge::new(Msg::Workloads, |w, kind| w.kind = Some(kind.into()))
    }

    fn change(msg: Msg) -> Change<Workload> {
        match msg {
            Msg::Workloads(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lists_of_two_watches_applied_in_either_order_keep_both() {
        let m = merge();
        let (mut deploy, mut sts) = (m.wrap_for("Deployment"), m.wrap_for("StatefulSet"));
        // Built in one order, delivered in the other.
        let first = change(deploy(Change::Reset(vec![w("a", "web")])));
        let second = change(sts(Change::Reset(vec![w("a", "db")])));
        let mut map = BTreeMap::new();
        apply(&mut map, second);
        apply(&mut map, first);
        let kinds: Vec<(&str, &str)> = map
            .values()
            .map(|w| (w.metadata.name(), w.kind()))
            .collect();
        assert_eq!(kinds, [("db", "StatefulSet"), ("web", "Deployment")]);
    }

    #[test]
    fn a_relist_removes_only_what_its_watch_no_longer_has() {
        let m = merge();
        let (mut deploy, mut sts) = (m.wrap_for("Deployment"), m.wrap_for("StatefulSet"));
        let mut map = BTreeMap::new();
        apply(
            &mut map,
            change(deploy(Change::Reset(vec![w("a", "web"), w("a", "old")]))),
        );
        apply(&mut map, change(sts(Change::Reset(vec![w("a", "db")]))));
        let relist = change(deploy(Change::Reset(vec![w("a", "web")])));
        assert!(
            matches!(&relist, Change::Replace { gone, .. } if gone == &[ObjKey::new("a", "old")])
        );
        apply(&mut map, relist);
        let names: Vec<&str> = map.values().map(|w| w.metadata.name()).collect();
        assert_eq!(names, ["db", "web"]);
    }

    #[test]
    fn a_name_held_by_two_kinds_survives_the_removal_of_one() {
        let m = merge();
        let (mut deploy, mut sts) = (m.wrap_for("Deployment"), m.wrap_for("StatefulSet"));
        let mut map = BTreeMap::new();
        apply(&mut map, change(deploy(Change::Upsert(w("a", "x")))));
        apply(&mut map, change(sts(Change::Upsert(w("a", "x")))));
        apply(&mut map, change(sts(Change::Remove(ObjKey::new("a", "x")))));
        assert_eq!(map[&ObjKey::new("a", "x")].kind(), "Deployment");
        let relist = change(deploy(Change::Reset(Vec::new())));
        apply(&mut map, relist);
        assert!(map.is_empty());
    }
}
