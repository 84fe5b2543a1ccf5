//! Several watches feeding one message kind (Deployments, StatefulSets and
//! DaemonSets -> `Msg::Workloads`; SecretStores and ClusterSecretStores ->
//! `Msg::SecretStores`): a relist of one kind must not wipe the others, so
//! a Reset is sent with every kind's objects.

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
}

impl<T: HasMeta + Clone + Send + 'static> Merge<T> {
    pub fn new(wrap: fn(Change<T>) -> Msg) -> Self {
        Merge {
            known: Arc::default(),
            wrap,
        }
    }

    /// The wrapper for the watch of `source` (e.g. `Deployment`).
    pub fn wrap_for(&self, source: &'static str) -> Wrap<T> {
        let known = self.known.clone();
        let wrap = self.wrap;
        Box::new(move |change| {
            let mut known = known.lock().unwrap_or_else(|p| p.into_inner());
            match change {
                Change::Reset(items) => {
                    known.retain(|(s, _), _| *s != source);
                    for t in items {
                        known.insert((source, t.meta().key()), t);
                    }
                    wrap(Change::Reset(known.values().cloned().collect()))
                }
                Change::More(items) => {
                    for t in &items {
                        known.insert((source, t.meta().key()), t.clone());
                    }
                    wrap(Change::More(items))
                }
                Change::Upsert(t) => {
                    known.insert((source, t.meta().key()), t.clone());
                    wrap(Change::Upsert(t))
                }
                Change::Remove(key) => {
                    known.remove(&(source, key.clone()));
                    // Another kind with the same name takes its place.
                    match known.iter().find(|((_, k), _)| *k == key) {
                        Some((_, other)) => wrap(Change::Upsert(other.clone())),
                        None => wrap(Change::Remove(key)),
                    }
                }
            }
        })
    }
}
