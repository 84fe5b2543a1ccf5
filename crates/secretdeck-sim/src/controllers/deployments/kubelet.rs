//! The kubelet's part: a pod's status, written through the status
//! subresource as the node reports it.

use super::{Controller, POD_START, meta, pods};
use crate::kube::store::{Writer, now_rfc3339};
use pods::RefKind;
use serde_json::Value;
use std::sync::Arc;
use tokio::time::Instant;

impl Controller {
    fn lookup(&self, ns: &str, kind: RefKind, name: &str) -> Option<std::sync::Arc<Value>> {
        let rt = match kind {
            RefKind::Secret => &self.t.secret,
            RefKind::ConfigMap => &self.t.configmap,
        };
        self.store.get_shared(rt, ns, name).ok()
    }

    /// Play the kubelet for one pod: write its status if it changed. The
    /// answer is when it is due to start, if it is waiting for that.
    pub(super) fn kubelet(&mut self, pod: &mut Arc<Value>, now: Instant) -> Option<Instant> {
        let ns = meta(pod, "namespace").unwrap_or_default().to_string();
        let pname = meta(pod, "name").unwrap_or_default().to_string();
        let uid = meta(pod, "uid").unwrap_or_default().to_string();
        let lookup = |k: RefKind, n: &str| self.lookup(&ns, k, n);
        let mut wake = None;
        let may_start = if pods::can_start(pod, &lookup) {
            let since = *self.startable.entry(uid).or_insert(now);
            let at = since + self.clock.real(POD_START);
            if now < at {
                wake = Some(at);
            }
            now >= at
        } else {
            false
        };
        let lookup = |k: RefKind, n: &str| self.lookup(&ns, k, n);
        let st = pods::pod_status(pod, &lookup, may_start, &now_rfc3339());
        if pod.get("status") != Some(&st) {
            match self
                .store
                .update_status(&self.t.pod, &ns, &pname, st, Writer::update("kubelet"))
            {
                Ok(written) => *pod = written,
                Err(e) => {
                    tracing::warn!(namespace = %ns, pod = %pname, error = %e, "pod status write failed")
                }
            }
        }
        wake
    }
}
