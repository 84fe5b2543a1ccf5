//! The Deployment controller sim (`kube-controller-manager`): keeps
//! `spec.replicas` Pods per `apps/v1` Deployment, rolls them on a template
//! change (one new pod at a time, an old one removed when a new one is
//! ready: maxSurge 1, maxUnavailable 0), plays the kubelet for their status,
//! and reports the Deployment's status.
//!
//! Simplifications: pods are owned by the Deployment directly (a real
//! cluster has a ReplicaSet in between; the pod names and the
//! `pod-template-hash` label look the same); a paused Deployment's pods are
//! left as they are (no rollout, no scaling); StatefulSets and DaemonSets get
//! no pods.

mod kubelet;
mod pods;
mod rollout;
mod status;

pub use pods::{NODE_NAME, template_hash};

use crate::clock::SimClock;
use crate::kube::selectors::Selectors;
use crate::kube::store::{EventType, Writer, now_rfc3339};
use crate::kube::{ResourceType, Store, WatchEvent};
use serde_json::Value;
use status::{Counts, Progress};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

pub const MANAGER: &str = "kube-controller-manager";
/// Simulated time from a pod's creation (or from when what it needs
/// appears) to Running and Ready.
pub const POD_START: Duration = Duration::from_secs(30);
const DEFAULT_DEADLINE_SECS: u64 = 600;

type Key = (String, String);

/// Start the controller; it runs until the task is aborted.
pub fn spawn(store: Arc<Store>, clock: SimClock) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match Controller::new(store, clock) {
            Some(mut c) => c.run().await,
            None => tracing::warn!(
                "deployment controller: the server does not serve deployments and pods"
            ),
        }
    })
}

struct Types {
    deploy: ResourceType,
    pod: ResourceType,
    secret: ResourceType,
    configmap: ResourceType,
}

struct Controller {
    store: Arc<Store>,
    clock: SimClock,
    t: Types,
    /// Deployment names by namespace.
    by_ns: HashMap<String, HashSet<String>>,
    /// Pod names by owning Deployment uid (so a look at one Deployment
    /// reads its pods, not every pod).
    pods_by_owner: HashMap<String, BTreeSet<String>>,
    /// Pod uid -> when nothing but time blocked it any more.
    startable: HashMap<String, Instant>,
    /// Pod uid -> what its Deployment's counts read of it (phase, Ready):
    /// a pod event that changes neither (a restart, a message) does not
    /// call for a new look at the Deployment.
    counted: HashMap<String, (String, bool)>,
    /// Deployment -> (what progress looked like, when it last moved).
    progress: HashMap<Key, (Counts, String, Instant)>,
    dirty: BTreeSet<Key>,
    timers: BinaryHeap<Reverse<(Instant, Key)>>,
}

fn meta<'v>(o: &'v Value, f: &str) -> Option<&'v str> {
    o.get("metadata")?.get(f)?.as_str()
}

fn owner_uid(pod: &Value) -> Option<&str> {
    pod.pointer("/metadata/ownerReferences")?
        .as_array()?
        .iter()
        .find(|r| r["kind"] == "Deployment" && r["controller"] == true)?
        .get("uid")?
        .as_str()
}

/// What a Deployment's counts read of a pod: its phase and Ready.
fn counted_state(pod: &Value) -> (String, bool) {
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let ready = pod
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|c| {
            c.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        });
    (phase, ready)
}

fn owner_name(pod: &Value) -> Option<&str> {
    pod.pointer("/metadata/ownerReferences")?
        .as_array()?
        .iter()
        .find(|r| r["kind"] == "Deployment" && r["controller"] == true)?
        .get("name")?
        .as_str()
}

impl Controller {
    fn new(store: Arc<Store>, clock: SimClock) -> Option<Self> {
        let r = store.registry();
        let t = Types {
            deploy: r.by_kind("apps", "Deployment")?.clone(),
            pod: r.by_kind("", "Pod")?.clone(),
            secret: r.by_kind("", "Secret")?.clone(),
            configmap: r.by_kind("", "ConfigMap")?.clone(),
        };
        Some(Controller {
            store,
            clock,
            t,
            by_ns: HashMap::new(),
            pods_by_owner: HashMap::new(),
            startable: HashMap::new(),
            counted: HashMap::new(),
            progress: HashMap::new(),
            dirty: BTreeSet::new(),
            timers: BinaryHeap::new(),
        })
    }

    async fn run(&mut self) {
        let mut rx = self.store.subscribe();
        self.resync();
        loop {
            let due: Vec<Key> = self.dirty.iter().cloned().collect();
            self.dirty.clear();
            for (i, key) in due.into_iter().enumerate() {
                if let Some(at) = self.reconcile(&key) {
                    self.timers.push(Reverse((at, key)));
                }
                if i % 64 == 63 {
                    if !super::drain(&mut rx, |ev| match ev {
                        Some(ev) => self.on_event(ev),
                        None => self.resync(),
                    }) {
                        return;
                    }
                    tokio::task::yield_now().await;
                }
            }
            let next = self.timers.peek().map(|Reverse((t, _))| *t);
            let sleep = tokio::time::sleep_until(
                next.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600)),
            );
            tokio::select! {
                ev = rx.recv() => {
                    match ev {
                        Ok(ev) => self.on_event(&ev),
                        Err(RecvError::Lagged(_)) => self.resync(),
                        Err(RecvError::Closed) => return,
                    }
                    loop {
                        match rx.try_recv() {
                            Ok(ev) => self.on_event(&ev),
                            Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) => self.resync(),
                            Err(_) => break,
                        }
                    }
                }
                _ = sleep => {}
            }
            let now = Instant::now();
            while let Some(Reverse((t, _))) = self.timers.peek() {
                if *t > now {
                    break;
                }
                if let Some(Reverse((_, key))) = self.timers.pop() {
                    self.dirty.insert(key);
                }
            }
        }
    }

    /// Re-read every Deployment and reconcile them all.
    fn resync(&mut self) {
        let (all, _) = self.store.list(&self.t.deploy, None, &Selectors::default());
        self.by_ns.clear();
        self.pods_by_owner.clear();
        self.counted.clear();
        for p in self.store.list(&self.t.pod, None, &Selectors::default()).0 {
            if let (Some(uid), Some(name)) = (owner_uid(&p), meta(&p, "name")) {
                self.pods_by_owner
                    .entry(uid.to_string())
                    .or_default()
                    .insert(name.to_string());
            }
        }
        for d in all {
            if let (Some(ns), Some(name)) = (meta(&d, "namespace"), meta(&d, "name")) {
                self.by_ns
                    .entry(ns.to_string())
                    .or_default()
                    .insert(name.to_string());
                self.dirty.insert((ns.to_string(), name.to_string()));
            }
        }
    }

    fn on_event(&mut self, ev: &WatchEvent) {
        if ev.is_for(&self.t.deploy) {
            let key = (ev.namespace.clone(), ev.name.clone());
            if ev.kind == EventType::Deleted {
                if let Some(set) = self.by_ns.get_mut(&ev.namespace) {
                    set.remove(&ev.name);
                }
                self.progress.remove(&key);
            } else {
                self.by_ns
                    .entry(ev.namespace.clone())
                    .or_default()
                    .insert(ev.name.clone());
                self.dirty.insert(key);
            }
        } else if ev.is_for(&self.t.pod) {
            if let Some(uid) = owner_uid(&ev.object) {
                let set = self.pods_by_owner.entry(uid.to_string()).or_default();
                if ev.kind == EventType::Deleted {
                    set.remove(&ev.name);
                    if set.is_empty() {
                        self.pods_by_owner.remove(uid);
                    }
                } else {
                    set.insert(ev.name.clone());
                }
            }
            if ev.kind == EventType::Deleted
                && let Some(uid) = meta(&ev.object, "uid")
            {
                self.startable.remove(uid);
            }
            let uid = meta(&ev.object, "uid").unwrap_or_default().to_string();
            let mark = counted_state(&ev.object);
            let changed = if ev.kind == EventType::Deleted {
                self.counted.remove(&uid);
                true
            } else {
                self.counted.insert(uid, mark.clone()) != Some(mark)
            };
            if changed
                && let Some(owner) = owner_name(&ev.object)
                && self
                    .by_ns
                    .get(&ev.namespace)
                    .is_some_and(|s| s.contains(owner))
            {
                self.dirty.insert((ev.namespace.clone(), owner.to_string()));
            }
        } else if ev.is_for(&self.t.secret) || ev.is_for(&self.t.configmap) {
            for name in self.by_ns.get(&ev.namespace).into_iter().flatten() {
                self.dirty.insert((ev.namespace.clone(), name.clone()));
            }
        }
    }

    /// Bring one Deployment's pods and status up to date; the answer is when
    /// to look again (a pod due to start, a progress deadline).
    fn reconcile(&mut self, key: &Key) -> Option<Instant> {
        let (ns, name) = key;
        let Ok(deploy) = self.store.get_shared(&self.t.deploy, ns, name) else {
            self.progress.remove(key);
            return None;
        };
        let Some(uid) = meta(&deploy, "uid").map(str::to_string) else {
            tracing::warn!(namespace = %ns, deployment = %name, "deployment without a uid; skipped");
            return None;
        };
        let Some(template) = deploy.pointer("/spec/template").filter(|t| t.is_object()) else {
            tracing::warn!(namespace = %ns, deployment = %name, "deployment without spec.template; skipped");
            return None;
        };
        let desired = match deploy.pointer("/spec/replicas") {
            None | Some(Value::Null) => 1,
            Some(v) => match v.as_i64() {
                Some(n) if (0..=10_000).contains(&n) => n,
                _ => {
                    tracing::warn!(namespace = %ns, deployment = %name, "deployment with invalid spec.replicas; skipped");
                    return None;
                }
            },
        };
        let paused = deploy.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
        let hash = pods::template_hash(template);
        let now = Instant::now();
        let mut wake: Option<Instant> = None;
        let mut soonest = |t: Instant| wake = Some(wake.map_or(t, |w: Instant| w.min(t)));

        let names: Vec<String> = self
            .pods_by_owner
            .get(&uid)
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let mut owned: Vec<Arc<Value>> = names
            .iter()
            .filter_map(|n| self.store.get_shared(&self.t.pod, ns, n).ok())
            .filter(|p| owner_uid(p) == Some(uid.as_str()))
            .collect();
        for pod in owned.iter_mut() {
            if let Some(t) = self.kubelet(pod, now) {
                soonest(t);
            }
        }

        if !paused {
            self.roll(
                &deploy,
                template,
                &hash,
                desired,
                &mut owned,
                now,
                &mut soonest,
            );
        }

        let counts = Counts {
            desired,
            total: owned.len() as i64,
            updated: owned
                .iter()
                .filter(|p| pod_hash(p) == Some(hash.as_str()))
                .count() as i64,
            ready: owned.iter().filter(|p| pods::is_ready(p)).count() as i64,
        };
        let progress = if paused {
            Progress::Paused
        } else if counts.complete() {
            self.progress
                .insert(key.clone(), (counts, hash.clone(), now));
            Progress::Complete
        } else {
            let entry = self
                .progress
                .entry(key.clone())
                .or_insert((counts, hash.clone(), now));
            if entry.0 != counts || entry.1 != hash {
                *entry = (counts, hash.clone(), now);
            }
            let secs = deploy
                .pointer("/spec/progressDeadlineSeconds")
                .and_then(Value::as_u64)
                .unwrap_or(DEFAULT_DEADLINE_SECS);
            let deadline = entry.2 + self.clock.real(Duration::from_secs(secs));
            if now >= deadline {
                Progress::DeadlineExceeded
            } else {
                soonest(deadline);
                Progress::Rolling
            }
        };
        let rs = format!("{name}-{hash}");
        let st = status::deployment_status(&deploy, counts, progress, &rs, &now_rfc3339());
        // An equal status is no write (update_status compares).
        if let Err(e) =
            self.store
                .update_status(&self.t.deploy, ns, name, st, Writer::update(MANAGER))
        {
            tracing::warn!(namespace = %ns, deployment = %name, error = %e, "deployment status write failed");
        }
        wake
    }
}

fn uid_of(o: &Value) -> String {
    meta(o, "uid").unwrap_or_default().to_string()
}

fn pod_hash(pod: &Value) -> Option<&str> {
    pod.pointer("/metadata/labels/pod-template-hash")?.as_str()
}
