//! The joins: which objects belong to an app, which workloads consume a
//! Secret or ConfigMap, and which pods belong to a workload.

use super::apps::owning_app;
use super::membership::in_namespace;
use super::views::{Consumer, ObjRef};
use super::{Application, Inventory, Meta, Pod, Workload};

/// `obj` (of `kind`, e.g. `ExternalSecret`) belongs to `app`: by its
/// tracking-id annotation or instance label, or listed in the app's
/// `status.resources`.
pub fn belongs_to(app: &Application, kind: &str, obj: &Meta) -> bool {
    if owning_app(obj) == Some(app.metadata.name()) {
        return true;
    }
    let Some(status) = &app.status else {
        return false;
    };
    status.resources.iter().any(|r| {
        r.kind.as_deref() == Some(kind)
            && r.name.as_deref() == Some(obj.name())
            && r.namespace.as_deref().unwrap_or("") == obj.namespace()
    })
}

/// The app an object belongs to, by annotation/label, else by any app's
/// `status.resources`.
pub fn app_of(inv: &Inventory, kind: &str, obj: &Meta) -> Option<String> {
    if let Some(app) = owning_app(obj) {
        return Some(app.to_string());
    }
    inv.apps
        .values()
        .find(|a| belongs_to(a, kind, obj))
        .map(|a| a.metadata.name().to_string())
}

/// Every workload container that reads `kind` (`Secret`/`ConfigMap`)
/// `namespace/name`, with the channel.
pub fn consumers_of(inv: &Inventory, kind: &str, namespace: &str, name: &str) -> Vec<Consumer> {
    in_namespace(&inv.workloads, namespace)
        .flat_map(|w| {
            w.consumptions()
                .into_iter()
                .filter(|c| c.target.kind == kind && c.target.name == name)
                .map(move |c| Consumer {
                    workload: w.obj_ref(),
                    channel: c.channel,
                    container: c.container,
                })
        })
        .collect()
}

/// The pods of a workload: owned by it (ownerReference uid), owned by one
/// of its ReplicaSets (`<deployment>-<hash>`), or matching its selector
/// while owned by no other known workload.
pub fn pods_of<'a>(inv: &'a Inventory, w: &Workload) -> Vec<&'a Pod> {
    in_namespace(&inv.pods, w.metadata.namespace())
        .filter(|p| pod_belongs(inv, w, p))
        .collect()
}

fn pod_belongs(inv: &Inventory, w: &Workload, pod: &Pod) -> bool {
    let uid = w.metadata.uid.as_deref().filter(|u| !u.is_empty());
    if let Some(owner) = pod.metadata.controller() {
        if uid.is_some() && owner.uid.as_deref() == uid {
            return true;
        }
        let owner_name = owner.name.as_deref().unwrap_or("");
        if owner.kind.as_deref() == Some("ReplicaSet") && w.kind() == "Deployment" {
            return is_replica_set_of(owner_name, w.metadata.name());
        }
        // Owned by another workload we know: not ours.
        let owned_elsewhere = in_namespace(&inv.workloads, w.metadata.namespace())
            .any(|o| o.metadata.uid.is_some() && o.metadata.uid == owner.uid);
        if owned_elsewhere {
            return false;
        }
    }
    w.spec
        .selector
        .as_ref()
        .is_some_and(|s| s.matches(&pod.metadata.labels))
}

/// `rs` is `<deployment>-<hash>` (the hash has no dash).
pub fn is_replica_set_of(rs: &str, deployment: &str) -> bool {
    rs.strip_prefix(deployment)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|hash| !hash.is_empty() && !hash.contains('-'))
}

/// Kind and name as events and views print them.
pub fn obj_ref_of(kind: &str, meta: &Meta) -> ObjRef {
    ObjRef::new(kind, meta.namespace(), meta.name())
}
