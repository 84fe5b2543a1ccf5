//! The controller loop: which apps to look at when, and the indexes that
//! keep per-event work per app (by destination namespace, by tracking id, by
//! Git source) rather than a rescan of everything.

use super::compare::Extra;
use super::desired::{TRACKING_ANNOTATION, parse_app, tracked_app};
use super::git::{Git, normalize_path, normalize_repo};
use super::reconcile::AppState;
use crate::clock::SimClock;
use crate::kube::selectors::Selectors;
use crate::kube::store::EventType;
use crate::kube::{ResourceType, Store, WatchEvent};
use serde_json::{Value, json};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::time::Instant;

pub type AppKey = (String, String);
type ObjKey = (&'static str, &'static str, String, String);

/// Events closer together than this are handled as one.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Looks prompted by live objects' changes, at most this many per real
/// second over all apps (Argo CD's refresh queue is rate limited the same
/// way): with many apps each one's changes are gathered over a longer
/// window instead of each costing a look.
const EVENT_LOOKS_PER_SEC: u32 = 250;

pub struct Controller {
    pub(super) store: Arc<Store>,
    pub(super) git: Arc<Git>,
    pub(super) clock: SimClock,
    pub(super) app_rt: ResourceType,
    pub(super) apps: HashMap<AppKey, AppState>,
    by_dest: HashMap<String, HashSet<AppKey>>,
    by_name: HashMap<String, HashSet<AppKey>>,
    by_source: HashMap<(String, String), HashSet<AppKey>>,
    /// Live objects by the app named in their tracking id.
    tracked: HashMap<String, HashSet<ObjKey>>,
    due: HashMap<AppKey, Instant>,
    timers: BinaryHeap<Reverse<(Instant, AppKey)>>,
}

/// What, when it changes on an Application, calls for a new look.
fn fingerprint(app: &Value) -> Value {
    json!([
        app.get("spec"),
        app.pointer("/metadata/annotations"),
        app.get("operation")
    ])
}

fn tracking_app(obj: &Value) -> Option<&str> {
    obj.pointer("/metadata/annotations")?
        .get(TRACKING_ANNOTATION)?
        .as_str()
        .and_then(tracked_app)
}

impl Controller {
    pub fn new(store: Arc<Store>, git: Arc<Git>, clock: SimClock) -> Option<Self> {
        let app_rt = store
            .registry()
            .by_kind("argoproj.io", "Application")?
            .clone();
        Some(Controller {
            store,
            git,
            clock,
            app_rt,
            apps: HashMap::new(),
            by_dest: HashMap::new(),
            by_name: HashMap::new(),
            by_source: HashMap::new(),
            tracked: HashMap::new(),
            due: HashMap::new(),
            timers: BinaryHeap::new(),
        })
    }

    pub async fn run(&mut self) {
        let mut rx = self.store.subscribe();
        let mut git_rx = self.git.subscribe();
        self.resync();
        loop {
            let now = Instant::now();
            let mut handled = 0usize;
            while let Some(Reverse((t, key))) = self.timers.peek().cloned() {
                if t > now {
                    break;
                }
                self.timers.pop();
                if self.due.get(&key) != Some(&t) {
                    continue; // superseded
                }
                self.due.remove(&key);
                if let Some(next) = self.reconcile(&key) {
                    self.schedule(key, next);
                }
                handled += 1;
                if handled.is_multiple_of(32) {
                    if !crate::controllers::drain(&mut rx, |ev| match ev {
                        Some(ev) => self.on_event(ev),
                        None => self.resync(),
                    }) {
                        return;
                    }
                    tokio::task::yield_now().await;
                }
            }
            let next = self.timers.peek().map(|Reverse((t, _))| *t);
            let sleep =
                tokio::time::sleep_until(next.unwrap_or_else(|| now + Duration::from_secs(3600)));
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
                            Err(TryRecvError::Lagged(_)) => self.resync(),
                            Err(_) => break,
                        }
                    }
                }
                change = git_rx.recv() => match change {
                    Ok(key) => {
                        let soon = Instant::now() + DEBOUNCE;
                        for app in self.by_source.get(&key).cloned().into_iter().flatten() {
                            self.schedule(app, soon);
                        }
                    }
                    Err(RecvError::Lagged(_)) => self.resync(),
                    Err(RecvError::Closed) => return,
                },
                _ = sleep => {}
            }
        }
    }

    /// Look at `key` no later than `at`.
    pub(super) fn schedule(&mut self, key: AppKey, at: Instant) {
        if self.due.get(&key).is_some_and(|t| *t <= at) {
            return;
        }
        self.due.insert(key.clone(), at);
        self.timers.push(Reverse((at, key)));
    }

    /// Re-read everything: every app, and every tracked live object.
    fn resync(&mut self) {
        self.tracked.clear();
        let types: Vec<ResourceType> = self.store.registry().types.clone();
        for rt in types.iter().filter(|t| t.plural != "events") {
            for obj in self.store.list(rt, None, &Selectors::default()).0 {
                if let Some(app) = tracking_app(&obj) {
                    let ns = obj
                        .pointer("/metadata/namespace")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let name = obj
                        .pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let key = (rt.group, rt.plural, ns.to_string(), name.to_string());
                    self.tracked.entry(app.to_string()).or_default().insert(key);
                }
            }
        }
        let now = Instant::now();
        for app in self.store.list(&self.app_rt, None, &Selectors::default()).0 {
            let ns = app
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = app
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let key = (ns.to_string(), name.to_string());
            self.index(&key, &app);
            self.schedule(key, now);
        }
    }

    /// Record an app in the indexes (and its fingerprint); true when the
    /// fingerprint changed.
    pub(super) fn index(&mut self, key: &AppKey, app: &Value) -> bool {
        let fp = fingerprint(app);
        let spec = parse_app(app).ok();
        let st = self
            .apps
            .entry(key.clone())
            .or_insert_with(|| AppState::from_status(app));
        if st.fingerprint.as_ref() == Some(&fp) {
            return false;
        }
        st.fingerprint = Some(fp);
        let dest = spec.as_ref().map(|s| s.dest_ns.clone()).unwrap_or_default();
        let source = spec
            .as_ref()
            .map(|s| (normalize_repo(&s.repo), normalize_path(&s.path)));
        let old = (st.dest.clone(), st.source.clone());
        st.dest = dest.clone();
        st.source = source.clone();
        if let Some(set) = self.by_dest.get_mut(&old.0) {
            set.remove(key);
        }
        self.by_dest.entry(dest).or_default().insert(key.clone());
        if let Some(set) = old.1.and_then(|s| self.by_source.get_mut(&s)) {
            set.remove(key);
        }
        if let Some(s) = source {
            self.by_source.entry(s).or_default().insert(key.clone());
        }
        self.by_name
            .entry(key.1.clone())
            .or_default()
            .insert(key.clone());
        true
    }

    pub(super) fn forget(&mut self, key: &AppKey) {
        if let Some(st) = self.apps.remove(key) {
            if let Some(set) = self.by_dest.get_mut(&st.dest) {
                set.remove(key);
            }
            if let Some(set) = st.source.and_then(|s| self.by_source.get_mut(&s)) {
                set.remove(key);
            }
        }
        if let Some(set) = self.by_name.get_mut(&key.1) {
            set.remove(key);
        }
        self.due.remove(key);
    }

    /// How long after a live object's change its app is looked at.
    fn debounce(&self) -> Duration {
        let apps = u32::try_from(self.apps.len()).unwrap_or(u32::MAX);
        DEBOUNCE.max(Duration::from_secs(1) * apps / EVENT_LOOKS_PER_SEC)
    }

    fn on_event(&mut self, ev: &WatchEvent) {
        let soon = Instant::now() + DEBOUNCE;
        if ev.is_for(&self.app_rt) {
            let key = (ev.namespace.clone(), ev.name.clone());
            if ev.kind == EventType::Deleted {
                self.forget(&key);
            } else if self.index(&key, &ev.object) {
                self.schedule(key, soon);
            }
            return;
        }
        // Events, pods and ReplicaSets are never in Git and their changes
        // reach an app's health through their owner's status (a
        // Deployment's availableReplicas): no look at the app for them.
        if matches!(ev.plural, "events" | "pods" | "replicasets") {
            return;
        }
        let okey = (ev.group, ev.plural, ev.namespace.clone(), ev.name.clone());
        let mut wake: Vec<AppKey> = Vec::new();
        if let Some(app) = tracking_app(&ev.object) {
            let set = self.tracked.entry(app.to_string()).or_default();
            if ev.kind == EventType::Deleted {
                set.remove(&okey);
            } else {
                set.insert(okey);
            }
            wake.extend(self.by_name.get(app).into_iter().flatten().cloned());
        }
        let dest = if ev.namespace.is_empty() && ev.plural == "namespaces" {
            &ev.name
        } else {
            &ev.namespace
        };
        wake.extend(self.by_dest.get(dest).into_iter().flatten().cloned());
        let soon = Instant::now() + self.debounce();
        for key in wake {
            self.schedule(key, soon);
        }
    }

    /// Live objects tracked by `app` (to compare against Git's list).
    pub(super) fn tracked_objects(&self, app: &str) -> Vec<Extra> {
        let reg = self.store.registry();
        self.tracked
            .get(app)
            .into_iter()
            .flatten()
            .filter_map(|(g, p, ns, name)| {
                Some(Extra {
                    rt: reg.by_plural(g, p)?.clone(),
                    namespace: ns.clone(),
                    name: name.clone(),
                })
            })
            .collect()
    }
}
