//! Scaling and rolling a Deployment's pods: maxSurge 1, maxUnavailable 0.

use super::{Controller, MANAGER, meta, pod_hash, pods, uid_of};
use crate::kube::store::Writer;
use serde_json::Value;
use std::sync::Arc;
use tokio::time::Instant;

impl Controller {
    /// Scale and roll: create pods of the current template, remove old and
    /// surplus ones. `owned` is kept in step with what was written.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn roll(
        &mut self,
        deploy: &Value,
        template: &Value,
        hash: &str,
        desired: i64,
        owned: &mut Vec<Arc<Value>>,
        now: Instant,
        soonest: &mut impl FnMut(Instant),
    ) {
        let ns = meta(deploy, "namespace").unwrap_or_default().to_string();
        // Old pods that are not ready add nothing to availability: remove them.
        let doomed: Vec<String> = owned
            .iter()
            .filter(|p| pod_hash(p) != Some(hash) && !pods::is_ready(p))
            .filter_map(|p| meta(p, "name").map(str::to_string))
            .collect();
        for n in doomed {
            self.delete_pod(&ns, &n, owned);
        }
        // Surplus pods of the current template: not-ready ones first.
        let mut new: Vec<(bool, String)> = owned
            .iter()
            .filter(|p| pod_hash(p) == Some(hash))
            .filter_map(|p| meta(p, "name").map(|n| (pods::is_ready(p), n.to_string())))
            .collect();
        new.sort();
        let surplus = (new.len() as i64 - desired).max(0) as usize;
        for (_, n) in new.iter().take(surplus) {
            self.delete_pod(&ns, n, owned);
        }
        // New pods: up to `desired`, with at most one pod above it.
        loop {
            let updated = owned.iter().filter(|p| pod_hash(p) == Some(hash)).count() as i64;
            let total = owned.len() as i64;
            let has_old = total > updated;
            if updated >= desired || (has_old && total > desired) {
                break;
            }
            let pod = pods::new_pod(deploy, template, hash);
            match self
                .store
                .create(&self.t.pod, &ns, pod, Writer::update(MANAGER))
            {
                Ok(created) => {
                    let mut created = Arc::new(created);
                    if let Some(n) = meta(&created, "name") {
                        self.pods_by_owner
                            .entry(uid_of(deploy))
                            .or_default()
                            .insert(n.to_string());
                    }
                    if let Some(t) = self.kubelet(&mut created, now) {
                        soonest(t);
                    }
                    owned.push(created);
                }
                Err(e) => {
                    tracing::warn!(namespace = %ns, error = %e, "pod create failed");
                    break;
                }
            }
        }
        // Old ready pods go once enough pods are ready without them.
        let ready = owned.iter().filter(|p| pods::is_ready(p)).count() as i64;
        let old_ready: Vec<String> = owned
            .iter()
            .filter(|p| pod_hash(p) != Some(hash) && pods::is_ready(p))
            .filter_map(|p| meta(p, "name").map(str::to_string))
            .collect();
        let removable = (ready - desired).max(0) as usize;
        for n in old_ready.iter().take(removable) {
            self.delete_pod(&ns, n, owned);
        }
    }

    fn delete_pod(&mut self, ns: &str, name: &str, owned: &mut Vec<Arc<Value>>) {
        match self.store.delete(&self.t.pod, ns, name) {
            Ok(_) => {}
            Err(e) if e.code == 404 => {}
            Err(e) => {
                tracing::warn!(namespace = %ns, pod = %name, error = %e, "pod delete failed");
                return;
            }
        }
        owned.retain(|p| meta(p, "name") != Some(name));
    }
}
