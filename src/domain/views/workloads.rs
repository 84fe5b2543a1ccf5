//! Workloads with their pods and which of them run an old value.

use super::{Channel, ObjRef, PodView, WorkloadView};
use crate::domain::join::pods_of;
use crate::domain::staleness::pod_staleness;
use crate::domain::{Inventory, Pod, Workload};

pub(super) fn pod_view(inv: &Inventory, w: &Workload, p: &Pod) -> PodView {
    PodView {
        name: p.metadata.name().to_string(),
        namespace: p.metadata.namespace().to_string(),
        phase: p.phase().to_string(),
        ready: p.is_ready(),
        started: p.started(),
        restarts: p.restarts(),
        waiting_reason: p.waiting_reason().map(str::to_string),
        stale: pod_staleness(inv, w, p),
    }
}

pub(super) fn workload_view(inv: &Inventory, w: &Workload) -> WorkloadView {
    let (replicas, ready, updated, available) = w.counts();
    let mut consumes: Vec<(ObjRef, Channel)> = Vec::new();
    for c in w.consumptions() {
        let entry = (c.target, c.channel);
        if !consumes.contains(&entry) {
            consumes.push(entry);
        }
    }
    let pods: Vec<PodView> = pods_of(inv, w)
        .into_iter()
        .map(|p| pod_view(inv, w, p))
        .collect();
    let stale_pods = pods.iter().filter(|p| p.stale.is_some()).count();
    WorkloadView {
        obj: w.obj_ref(),
        replicas,
        ready,
        updated,
        available,
        paused: w.spec.paused.unwrap_or(false),
        conditions: w.status.conditions.clone(),
        consumes,
        pods,
        stale_pods,
    }
}

/// Stale pods of `w`, split by what changed: (secret, config map).
pub(super) fn stale_split(view: &WorkloadView) -> (usize, usize) {
    view.pods
        .iter()
        .filter_map(|p| p.stale.as_deref())
        .fold((0, 0), |(s, c), why| {
            if why.contains(" secret ") {
                (s + 1, c)
            } else {
                (s, c + 1)
            }
        })
}
