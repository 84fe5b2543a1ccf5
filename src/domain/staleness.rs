//! Staleness: a pod that started before the last change of a Secret or
//! ConfigMap it reads through a channel that never updates in a running
//! container (env var, envFrom, subPath mount) still runs the old value.

use super::content::Change;
use super::views::ObjRef;
use super::{Inventory, Pod, Workload};
use chrono::{DateTime, Utc};

/// When the data of a Secret/ConfigMap last changed (managedFields time of
/// its data's manager, else its creation); `None` when unknown or absent.
pub fn data_changed(inv: &Inventory, target: &ObjRef) -> Option<DateTime<Utc>> {
    let key = target.key();
    match target.kind.as_str() {
        "Secret" => inv.secrets.get(&key)?.metadata.data_changed(),
        "ConfigMap" => inv.config_maps.get(&key)?.metadata.data_changed(),
        _ => None,
    }
}

/// When the content `pod` runs of `target` was replaced, if it was after
/// the pod started: by content identity when the console knows it (ESO's
/// data-hash, a ConfigMap's data), else by managedFields time (`inferred`).
pub fn missed_change(inv: &Inventory, target: &ObjRef, started: DateTime<Utc>) -> Option<Change> {
    if let Some(verdict) = inv.content.missed(&target.kind, &target.key(), started) {
        return verdict;
    }
    let changed = data_changed(inv, target)?;
    (changed > started).then_some(Change {
        at: changed,
        inferred: true,
    })
}

/// Why `pod` of workload `w` is stale, in words, or `None`. When several
/// sources changed after the pod started, the most recent change is named.
pub fn pod_staleness(inv: &Inventory, w: &Workload, pod: &Pod) -> Option<String> {
    let started = pod.started()?;
    let mut worst: Option<(DateTime<Utc>, String)> = None;
    for c in w.consumptions() {
        if c.channel.updates_in_place() {
            continue;
        }
        let Some(change) = missed_change(inv, &c.target, started) else {
            continue;
        };
        if worst.as_ref().is_none_or(|(t, _)| change.at > *t) {
            let what = if c.target.kind == "Secret" {
                "secret"
            } else {
                "config map"
            };
            let inferred = if change.inferred {
                " (inferred from managedFields)"
            } else {
                ""
            };
            let reason = format!(
                "started before {what} {} changed ({}): restart needed{inferred}",
                c.target.name,
                c.channel.label()
            );
            worst = Some((change.at, reason));
        }
    }
    worst.map(|(_, r)| r)
}
