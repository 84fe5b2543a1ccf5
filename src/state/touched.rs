//! What a batch of watch messages changed, so that `settle` recomputes
//! only the apps and lists it can affect instead of everything.

use super::cluster::WatchKind;
use super::msg::Change;
use crate::domain::apps::owning_app;
use crate::domain::{HasMeta, ObjKey};
use std::collections::{BTreeMap, HashSet};

/// Changes since the derived views were last computed.
#[derive(Debug, Clone, Default)]
pub struct Touched {
    /// Everything may have changed (a relist, a reconnect, cluster-wide
    /// objects): recompute all.
    pub all: bool,
    /// Kinds with any change (for the open list screen).
    pub kinds: HashSet<WatchKind>,
    /// Namespaces where an object changed.
    pub namespaces: HashSet<String>,
    /// Apps named by a changed object's tracking id / instance label, and
    /// Applications that changed themselves.
    pub apps: HashSet<String>,
    /// Which object belongs to which app may have changed (an object
    /// added, removed or relabelled; an app's `status.resources`).
    pub membership: bool,
}

impl Touched {
    pub fn is_empty(&self) -> bool {
        !self.all && self.kinds.is_empty()
    }

    pub fn everything(&mut self) {
        self.all = true;
        self.membership = true;
    }

    /// Note `change` to `map` of `kind`, before it is applied (the old
    /// object tells which app it belonged to).
    pub fn note<T: HasMeta>(
        &mut self,
        kind: WatchKind,
        map: &BTreeMap<ObjKey, T>,
        change: &Change<T>,
    ) {
        self.kinds.insert(kind);
        let mut one = |key: &ObjKey, old: Option<&T>, new: Option<&T>| {
            self.namespaces.insert(key.namespace.clone());
            let app_of = |o: Option<&T>| o.and_then(|o| owning_app(o.meta()).map(str::to_string));
            let (was, is) = (app_of(old), app_of(new));
            // Only ExternalSecrets, ConfigMaps and workloads are members.
            let member = matches!(
                kind,
                WatchKind::ExternalSecrets | WatchKind::ConfigMaps | WatchKind::Deployments
            );
            if member && (old.is_none() || new.is_none() || was != is) {
                self.membership = true;
            }
            self.apps.extend(was);
            self.apps.extend(is);
        };
        match change {
            Change::Reset(_) => self.everything(),
            Change::Upsert(obj) => {
                let key = obj.meta().key();
                one(&key, map.get(&key), Some(obj));
            }
            Change::Remove(key) => one(key, map.get(key), None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ConfigMapObj, Meta};

    fn cm(ns: &str, name: &str, app: Option<&str>) -> ConfigMapObj {
        let mut meta = Meta {
            name: Some(name.into()),
            namespace: Some(ns.into()),
            ..Default::default()
        };
        if let Some(app) = app {
            meta.labels
                .insert("app.kubernetes.io/instance".into(), app.into());
        }
        ConfigMapObj {
            metadata: meta,
            ..Default::default()
        }
    }

    #[test]
    fn an_update_in_place_names_its_namespace_and_app_but_not_membership() {
        let mut map = BTreeMap::new();
        let old = cm("shop", "settings", Some("shop"));
        map.insert(old.metadata.key(), old.clone());
        let mut t = Touched::default();
        t.note(WatchKind::ConfigMaps, &map, &Change::Upsert(old));
        assert!(!t.all && !t.membership);
        assert!(t.namespaces.contains("shop") && t.apps.contains("shop"));
        assert!(t.kinds.contains(&WatchKind::ConfigMaps));
    }

    #[test]
    fn relabelling_adding_or_removing_changes_membership_and_names_both_apps() {
        let mut map = BTreeMap::new();
        let old = cm("shop", "settings", Some("shop"));
        map.insert(old.metadata.key(), old);
        let mut t = Touched::default();
        t.note(
            WatchKind::ConfigMaps,
            &map,
            &Change::Upsert(cm("shop", "settings", Some("billing"))),
        );
        assert!(t.membership);
        assert!(t.apps.contains("shop") && t.apps.contains("billing"));

        let mut t = Touched::default();
        t.note(
            WatchKind::ConfigMaps,
            &map,
            &Change::Upsert(cm("shop", "new", None)),
        );
        assert!(t.membership, "a new object");
        let mut t = Touched::default();
        t.note(
            WatchKind::ConfigMaps,
            &map,
            &Change::Remove(ObjKey::new("shop", "settings")),
        );
        assert!(t.membership && t.apps.contains("shop"), "a removal");
        let mut t = Touched::default();
        let pods = BTreeMap::<ObjKey, ConfigMapObj>::new();
        t.note(
            WatchKind::Pods,
            &pods,
            &Change::Upsert(cm("shop", "new", None)),
        );
        assert!(!t.membership, "pods and events are never members");
        let mut t = Touched::default();
        t.note(WatchKind::ConfigMaps, &map, &Change::Reset(Vec::new()));
        assert!(t.all && t.membership, "a relist");
    }
}
