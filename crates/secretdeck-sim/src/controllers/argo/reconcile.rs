//! One look at one Application: compare, decide whether to sync, sync, and
//! report in its status.

use super::compare::{self, Comparison, Extra};
use super::controller::{AppKey, Controller};
use super::desired::{self, AppSpec, REFRESH_ANNOTATION, parse_app};
use super::status::{self, OpState};
use super::sync::{self, MANAGER};
use crate::kube::patch::PatchKind;
use crate::kube::store::{Writer, now_rfc3339};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::time::Instant;

/// How often every app is compared anyway (simulated).
const PERIODIC: Duration = Duration::from_secs(180);
/// How long live drift stays before selfHeal reverts it (simulated).
const SELF_HEAL_DELAY: Duration = Duration::from_secs(120);
const SELF_HEAL_FLOOR: Duration = Duration::from_millis(500);
/// At most this many periodic looks per real second: a fast sim clock
/// must not turn Argo CD's 3-minute comparison of 2,000 apps into hundreds
/// of looks a second (the real controller spreads them the same way with
/// its reconciliation jitter and a bounded worker pool).
const PERIODIC_LOOKS_PER_SEC: u32 = 40;

/// What the controller remembers about an app between looks.
#[derive(Debug, Default)]
pub struct AppState {
    pub fingerprint: Option<Value>,
    pub dest: String,
    pub source: Option<(String, String)>,
    /// The last revision synced successfully.
    synced_revision: Option<String>,
    /// The last sync attempt: revision and when.
    last_attempt: Option<(String, Instant)>,
    /// Since when live has differed from Git at the synced revision.
    drift_since: Option<Instant>,
}

impl AppState {
    pub fn from_status(app: &Value) -> Self {
        let op = app.pointer("/status/operationState");
        let synced_revision = op
            .filter(|o| o["phase"] == "Succeeded")
            .and_then(|o| o.pointer("/syncResult/revision"))
            .and_then(Value::as_str)
            .map(str::to_string);
        AppState {
            synced_revision,
            ..AppState::default()
        }
    }
}

/// A sync to run now.
struct SyncRequest {
    operation: Value,
    manual: bool,
    prune: bool,
}

impl Controller {
    /// The real time until the next periodic look at `key`: the simulated
    /// period, stretched so all apps together stay within
    /// [`PERIODIC_LOOKS_PER_SEC`], plus up to a tenth of it of jitter
    /// (stable per app) so looks do not all fall due together.
    fn periodic(&self, key: &AppKey) -> Duration {
        let apps = u32::try_from(self.apps.len().max(1)).unwrap_or(u32::MAX);
        let bounded = Duration::from_secs(1) * apps / PERIODIC_LOOKS_PER_SEC;
        let period = self.clock.real(PERIODIC).max(bounded);
        let spread = key_hash(key) % 1000;
        period + period / 10 * u32::try_from(spread).unwrap_or(0) / 1000
    }

    fn heal_delay(&self) -> Duration {
        self.clock.real(SELF_HEAL_DELAY).max(SELF_HEAL_FLOOR)
    }

    /// Returns when to look at the app again.
    pub(super) fn reconcile(&mut self, key: &AppKey) -> Option<Instant> {
        let (ns, name) = key;
        let Ok(app) = self.store.get_shared(&self.app_rt, ns, name) else {
            self.forget(key);
            return None;
        };
        self.index(key, &app);
        let now = Instant::now();
        let mut next = now + self.periodic(key);
        let started = now_rfc3339();
        let w = Writer::update(MANAGER);
        if app
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(REFRESH_ANNOTATION))
            .is_some()
        {
            let body = json!({"metadata": {"annotations": {REFRESH_ANNOTATION: null}}});
            if let Err(e) =
                self.store
                    .patch(&self.app_rt, ns, name, PatchKind::Merge, &body, w, false)
            {
                tracing::warn!(app = %name, error = %e, "could not clear the refresh annotation");
            }
        }
        let operation = app.get("operation").filter(|o| o.is_object()).cloned();
        let prev = app.get("status").cloned().unwrap_or_else(|| json!({}));

        let spec = match parse_app(&app) {
            Ok(s) => s,
            Err(msg) => {
                let fake = AppSpec {
                    name: name.clone(),
                    repo: String::new(),
                    path: String::new(),
                    dest_ns: String::new(),
                    source: app.pointer("/spec/source").cloned().unwrap_or(Value::Null),
                    destination: app
                        .pointer("/spec/destination")
                        .cloned()
                        .unwrap_or(Value::Null),
                    automated: false,
                    prune: false,
                    self_heal: false,
                    create_namespace: false,
                };
                let mut st = status::compared(
                    &prev,
                    &fake,
                    None,
                    Err(("InvalidSpecError", &msg)),
                    &started,
                );
                if let Some(op) = operation {
                    self.fail_operation(&mut st, &op, &msg, &started, "", &fake.source, key);
                }
                self.write_status(key, &prev, st);
                return Some(next);
            }
        };
        let target = self.git.get(&spec.repo, &spec.path);
        let revision = target.as_ref().map(|(r, _)| r.clone());
        let desired = match &target {
            None => Err(format!(
                "Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = {}: app path does not exist",
                spec.path
            )),
            Some((_, ms)) => desired::desired(self.store.registry(), &spec, ms),
        };
        let desired = match desired {
            Ok(d) => d,
            Err(msg) => {
                let mut st = status::compared(
                    &prev,
                    &spec,
                    revision.as_deref(),
                    Err(("ComparisonError", &msg)),
                    &started,
                );
                if let Some(op) = operation {
                    let rev = revision.clone().unwrap_or_default();
                    self.fail_operation(&mut st, &op, &msg, &started, &rev, &spec.source, key);
                }
                self.write_status(key, &prev, st);
                return Some(next);
            }
        };
        let revision = revision.unwrap_or_default();
        let extras = self.tracked_objects(&spec.name);
        let cmp = compare::compare(&self.store, &spec, &desired, &extras);

        let request = match operation {
            Some(op) => {
                let prune = op.pointer("/sync/prune").and_then(Value::as_bool) == Some(true);
                Some(SyncRequest {
                    operation: op,
                    manual: true,
                    prune,
                })
            }
            None => self.auto_sync(key, &spec, &cmp, &revision, now, &mut next),
        };
        let Some(req) = request else {
            let st = status::compared(&prev, &spec, Some(&revision), Ok(&cmp), &started);
            self.write_status(key, &prev, st);
            return Some(next);
        };

        // Running, then the sync itself, then the result.
        let mut st = status::compared(&prev, &spec, Some(&revision), Ok(&cmp), &started);
        st["operationState"] = running(&req.operation, &revision, &started, &spec.source);
        self.write_status(key, &prev, st.clone());
        let prunable: Vec<Extra> = cmp
            .resources
            .iter()
            .filter(|r| r.requires_pruning)
            .map(|r| Extra {
                rt: r.rt.clone(),
                namespace: r.namespace.clone(),
                name: r.name.clone(),
            })
            .collect();
        let out = sync::run(&self.store, &spec, &desired, &prunable, req.prune);
        if req.manual {
            let body = json!({"operation": null});
            if let Err(e) =
                self.store
                    .patch(&self.app_rt, ns, name, PatchKind::Merge, &body, w, false)
            {
                tracing::warn!(app = %name, error = %e, "could not clear the operation");
            }
        }
        let finished = now_rfc3339();
        if let Some(s) = self.apps.get_mut(key) {
            s.last_attempt = Some((revision.clone(), now));
            if out.ok {
                s.synced_revision = Some(revision.clone());
                s.drift_since = None;
            }
        }
        let cmp = compare::compare(
            &self.store,
            &spec,
            &desired,
            &self.tracked_objects(&spec.name),
        );
        let mut done = status::compared(&st, &spec, Some(&revision), Ok(&cmp), &finished);
        done["operationState"] = OpState {
            operation: &req.operation,
            phase: if out.ok { "Succeeded" } else { "Failed" },
            message: &out.message,
            started_at: &started,
            finished_at: Some(&finished),
            revision: &revision,
            resources: Some(&out.resources),
            source: &spec.source,
        }
        .to_json();
        if out.ok {
            let by = req
                .operation
                .get("initiatedBy")
                .cloned()
                .unwrap_or_else(|| json!({}));
            status::push_history(&mut done, &revision, &started, &finished, &by, &spec.source);
        }
        self.write_status(key, &st, done);
        Some(next.min(now + self.heal_delay()))
    }

    /// Whether automated sync wants a sync now; otherwise, when to look again.
    fn auto_sync(
        &mut self,
        key: &AppKey,
        spec: &AppSpec,
        cmp: &Comparison,
        revision: &str,
        now: Instant,
        next: &mut Instant,
    ) -> Option<SyncRequest> {
        let delay = self.heal_delay();
        let st = self.apps.get_mut(key)?;
        if !spec.automated || cmp.synced() {
            st.drift_since = None;
            return None;
        }
        if cmp.only_pruning() && !spec.prune {
            tracing::debug!(app = %spec.name, "skipping auto-sync: need to prune extra resources only but automated prune is disabled");
            return None;
        }
        let retry_at = st
            .last_attempt
            .as_ref()
            .filter(|(r, _)| r == revision)
            .map(|(_, t)| *t + delay);
        let may_try = retry_at.is_none_or(|t| now >= t);
        let new_revision = st.synced_revision.as_deref() != Some(revision);
        let want = if new_revision || cmp.any_missing() {
            true
        } else if spec.self_heal {
            let since = *st.drift_since.get_or_insert(now);
            if now < since + delay {
                *next = (*next).min(since + delay);
                false
            } else {
                true
            }
        } else {
            false
        };
        if want && !may_try {
            if let Some(t) = retry_at {
                *next = (*next).min(t);
            }
            return None;
        }
        want.then(|| SyncRequest {
            operation: json!({"initiatedBy": {"automated": true}, "sync": {"prune": spec.prune}, "retry": {}}),
            manual: false,
            prune: spec.prune,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn fail_operation(
        &self,
        st: &mut Value,
        op: &Value,
        msg: &str,
        started: &str,
        rev: &str,
        source: &Value,
        key: &AppKey,
    ) {
        let body = json!({"operation": null});
        let w = Writer::update(MANAGER);
        if let Err(e) = self.store.patch(
            &self.app_rt,
            &key.0,
            &key.1,
            PatchKind::Merge,
            &body,
            w,
            false,
        ) {
            tracing::warn!(app = %key.1, error = %e, "could not clear the operation");
        }
        st["operationState"] = OpState {
            operation: op,
            phase: "Failed",
            message: msg,
            started_at: started,
            finished_at: Some(&now_rfc3339()),
            revision: rev,
            resources: None,
            source,
        }
        .to_json();
    }

    /// Write `status` through the status subresource unless it is `prev`.
    fn write_status(&self, key: &AppKey, prev: &Value, status: Value) {
        if prev == &status {
            return;
        }
        if let Err(e) = self.store.update_status(
            &self.app_rt,
            &key.0,
            &key.1,
            status,
            Writer::update(MANAGER),
        ) {
            tracing::warn!(app = %key.1, error = %e, "application status write failed");
        }
    }
}

fn running(op: &Value, revision: &str, started: &str, source: &Value) -> Value {
    OpState {
        operation: op,
        phase: "Running",
        message: "one or more tasks are running",
        started_at: started,
        finished_at: None,
        revision,
        resources: None,
        source,
    }
    .to_json()
}

fn key_hash(key: &AppKey) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}
