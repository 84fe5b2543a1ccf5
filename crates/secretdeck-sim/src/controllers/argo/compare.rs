//! Comparing an app's desired objects with the live ones: per-resource sync
//! and health, and the app's roll-up.

use super::desired::{AppSpec, Desired, TRACKING_ANNOTATION, declared_equal, tracked_app};
use super::health::{self, Assessed};
use crate::kube::{ResourceType, Store};
use serde_json::{Value, json};

/// A live object that carries the app's tracking id but is not in Git.
#[derive(Debug, Clone)]
pub struct Extra {
    pub rt: ResourceType,
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct ResourceState {
    pub rt: ResourceType,
    pub namespace: String,
    pub name: String,
    pub synced: bool,
    pub live: bool,
    pub requires_pruning: bool,
    pub health: Assessed,
}

impl ResourceState {
    pub fn to_json(&self) -> Value {
        let mut r = json!({
            "group": self.rt.group,
            "version": self.rt.version,
            "kind": self.rt.kind,
            "name": self.name,
            "status": if self.synced { "Synced" } else { "OutOfSync" },
        });
        if !self.namespace.is_empty() {
            r["namespace"] = json!(self.namespace);
        }
        if self.requires_pruning {
            r["requiresPruning"] = json!(true);
        }
        // Namespaces, ConfigMaps and Secrets have no health check in Argo CD.
        if !matches!(self.rt.kind, "Namespace" | "ConfigMap" | "Secret") || !self.live {
            let mut h = json!({"status": self.health.status.as_str()});
            if !self.health.message.is_empty() {
                h["message"] = json!(self.health.message);
            }
            r["health"] = h;
        }
        r
    }
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub resources: Vec<ResourceState>,
    pub health: Assessed,
    pub images: Vec<String>,
}

impl Comparison {
    pub fn synced(&self) -> bool {
        self.resources.iter().all(|r| r.synced)
    }
    pub fn any_missing(&self) -> bool {
        self.resources
            .iter()
            .any(|r| !r.live && !r.requires_pruning)
    }
    /// Out of sync only because of objects Git no longer declares.
    pub fn only_pruning(&self) -> bool {
        self.resources
            .iter()
            .all(|r| r.synced || r.requires_pruning)
    }
}

fn tracked_by(obj: &Value, app: &str) -> bool {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(TRACKING_ANNOTATION))
        .and_then(Value::as_str)
        .and_then(tracked_app)
        == Some(app)
}

pub fn compare(store: &Store, app: &AppSpec, desired: &[Desired], extras: &[Extra]) -> Comparison {
    let mut resources = Vec::new();
    let mut images = Vec::new();
    for d in desired {
        let live = store.get_shared(&d.rt, &d.namespace, &d.name).ok();
        if let Some(l) = &live {
            collect_images(l, &mut images);
        }
        resources.push(ResourceState {
            rt: d.rt.clone(),
            namespace: d.namespace.clone(),
            name: d.name.clone(),
            synced: live.as_ref().is_some_and(|l| declared_equal(&d.object, l)),
            live: live.is_some(),
            requires_pruning: false,
            health: health::assess(d.rt.kind, live.as_deref()),
        });
    }
    for e in extras {
        if desired
            .iter()
            .any(|d| d.rt == e.rt && d.namespace == e.namespace && d.name == e.name)
        {
            continue;
        }
        let Ok(live) = store.get_shared(&e.rt, &e.namespace, &e.name) else {
            continue;
        };
        if !tracked_by(&live, &app.name) {
            continue;
        }
        resources.push(ResourceState {
            rt: e.rt.clone(),
            namespace: e.namespace.clone(),
            name: e.name.clone(),
            synced: false,
            live: true,
            requires_pruning: true,
            health: health::assess(e.rt.kind, Some(&live)),
        });
    }
    resources.sort_by(|a, b| {
        (a.rt.group, a.rt.kind, &a.namespace, &a.name).cmp(&(
            b.rt.group,
            b.rt.kind,
            &b.namespace,
            &b.name,
        ))
    });
    images.sort();
    images.dedup();
    let health = health::roll_up(
        resources
            .iter()
            .filter(|r| !r.requires_pruning)
            .map(|r| &r.health),
    );
    Comparison {
        resources,
        health,
        images,
    }
}

fn collect_images(obj: &Value, out: &mut Vec<String>) {
    for ptr in ["/spec/template/spec/containers", "/spec/containers"] {
        for c in obj
            .pointer(ptr)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(i) = c.get("image").and_then(Value::as_str) {
                out.push(i.to_string());
            }
        }
    }
}
