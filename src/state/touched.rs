//! What a batch of watch messages changed, so that `settle` recomputes
//! only the apps and lists it can affect instead of everything.

use super::cluster::WatchKind;
use super::msg::Change;
use crate::domain::OwnedText;
use crate::domain::apps::owning_app;
use crate::domain::{EventObj, HasMeta, ObjKey};
use std::collections::{BTreeMap, HashSet};

/// Changes since the derived views were last computed.
#[derive(Debug, Clone, Default)]
pub struct Touched {
    /// Everything may have changed (a relist, a reconnect, cluster-wide
    /// objects): recompute all.
    pub all: bool,
    /// Kinds with any change (for the open list screen).
    pub kinds: HashSet<WatchKind>,
    /// Namespaces where an object changed (an Application's own change
    /// is noted by its name instead: its namespace holds every app).
    pub namespaces: HashSet<String>,
    /// Namespaces where something a workload's view reads changed: a
    /// workload, a pod, a Secret or a ConfigMap.
    pub workload_namespaces: HashSet<String>,
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
            if kind == WatchKind::Applications {
                self.apps.insert(key.name.clone());
            } else {
                self.namespaces.insert(key.namespace.clone());
            }
            if matches!(
                kind,
                WatchKind::Deployments
                    | WatchKind::Pods
                    | WatchKind::Secrets
                    | WatchKind::ConfigMaps
            ) {
                self.workload_namespaces.insert(key.namespace.clone());
            }
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
            Change::Reset(_) | Change::More(_) | Change::Replace { .. } => self.everything(),
            Change::Upsert(obj) => {
                let key = obj.meta().key();
                one(&key, map.get(&key), Some(obj));
            }
            Change::Remove(key) => one(key, map.get(key), None),
        }
    }

    /// Note an Event's `change`: one about an Application involves that
    /// app alone (Argo CD records them in its own namespace, where every
    /// Application lives); any other, its namespace.
    pub fn note_event(&mut self, map: &BTreeMap<ObjKey, EventObj>, change: &Change<EventObj>) {
        let about_app = |e: &EventObj| {
            let o = &e.involved_object;
            (o.kind.as_deref() == Some("Application"))
                .then(|| o.name.owned())
                .flatten()
        };
        let app = match change {
            Change::Upsert(e) => about_app(e),
            Change::Remove(key) => map.get(key).and_then(about_app),
            Change::Reset(_) | Change::More(_) | Change::Replace { .. } => None,
        };
        match app {
            Some(app) => {
                self.kinds.insert(WatchKind::Events);
                self.apps.insert(app);
            }
            None => self.note(WatchKind::Events, map, change),
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
            meta.labels.insert("app.kubernetes.io/instance", app);
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

    #[test]
    fn an_application_or_an_event_about_one_names_that_app_not_argo_cds_namespace() {
        let app: crate::domain::Application = crate::domain::from_value(serde_json::json!({
            "metadata": {"name": "shop", "namespace": "argocd"}
        }))
        .unwrap();
        let mut t = Touched::default();
        t.note(
            WatchKind::Applications,
            &BTreeMap::new(),
            &Change::Upsert(app),
        );
        assert!(t.apps.contains("shop") && t.namespaces.is_empty());

        let event = |kind: &str| -> EventObj {
            crate::domain::from_value(serde_json::json!({
                "metadata": {"name": "e1", "namespace": "argocd"},
                "involvedObject": {"kind": kind, "name": "shop", "namespace": "argocd"}
            }))
            .unwrap()
        };
        let mut t = Touched::default();
        t.note_event(&BTreeMap::new(), &Change::Upsert(event("Application")));
        assert!(t.apps.contains("shop") && t.namespaces.is_empty());
        assert!(t.kinds.contains(&WatchKind::Events));
        let mut events = BTreeMap::new();
        events.insert(ObjKey::new("argocd", "e1"), event("Application"));
        let mut t = Touched::default();
        t.note_event(&events, &Change::Remove(ObjKey::new("argocd", "e1")));
        assert!(
            t.apps.contains("shop") && t.namespaces.is_empty(),
            "a removal"
        );
        let mut t = Touched::default();
        t.note_event(&BTreeMap::new(), &Change::Upsert(event("ConfigMap")));
        assert!(
            t.namespaces.contains("argocd"),
            "any other event: its namespace"
        );
        assert!(
            t.workload_namespaces.is_empty(),
            "events are not read by workloads"
        );
    }

    #[test]
    fn pods_secrets_config_maps_and_workloads_note_their_namespace_for_workloads() {
        let map = BTreeMap::new();
        for kind in [
            WatchKind::Pods,
            WatchKind::ConfigMaps,
            WatchKind::Secrets,
            WatchKind::Deployments,
        ] {
            let mut t = Touched::default();
            t.note(kind, &map, &Change::Upsert(cm("shop", "x", None)));
            assert!(t.workload_namespaces.contains("shop"), "{kind:?}");
        }
        let mut t = Touched::default();
        t.note(
            WatchKind::ExternalSecrets,
            &map,
            &Change::Upsert(cm("shop", "x", None)),
        );
        assert!(t.workload_namespaces.is_empty() && t.namespaces.contains("shop"));
    }
}
