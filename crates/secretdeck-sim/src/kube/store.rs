//! The object store behind the simulated API server: objects as JSON with
//! real metadata (uid, monotonic resourceVersion, generation, managedFields,
//! creationTimestamp), optimistic concurrency, owner garbage collection, and
//! a bounded event history for watches (older versions answer 410 Gone).

use super::ApiError;
use super::managed_fields;
use super::patch::{self, PatchKind};
use super::resources::{Registry, ResourceType};
use super::selectors::Selectors;
use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change, as a watch reports it.
#[derive(Debug, Clone)]
pub struct WatchEvent {
    pub rv: u64,
    pub kind: EventType,
    pub group: &'static str,
    pub plural: &'static str,
    pub namespace: String,
    pub name: String,
    pub object: Arc<Value>,
}

impl WatchEvent {
    pub fn is_for(&self, rt: &ResourceType) -> bool {
        self.group == rt.group && self.plural == rt.plural
    }
}

/// A write's origin, recorded in managedFields.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub manager: &'a str,
    /// `Update`, or `Apply` for server-side apply.
    pub operation: &'a str,
}

impl<'a> Writer<'a> {
    pub fn update(manager: &'a str) -> Self {
        Writer {
            manager,
            operation: "Update",
        }
    }
}

/// `(group, plural, namespace, name)`; namespace empty for cluster kinds.
type Key = (&'static str, &'static str, String, String);

/// One page of a list (see `Store::list_page`).
#[derive(Debug)]
pub struct Page {
    pub items: Vec<Value>,
    pub rv: u64,
    /// The last object's (namespace, name) when more follow.
    pub last: Option<(String, String)>,
    /// How many objects follow.
    pub remaining: usize,
}

struct Inner {
    rv: u64,
    objects: BTreeMap<Key, Arc<Value>>,
    history: VecDeque<WatchEvent>,
    /// Events at or below this version are no longer in `history`.
    compacted_rv: u64,
}

impl Inner {
    /// The object stored under `key` (shared), or a NotFound error naming it.
    fn stored(&self, rt: &ResourceType, key: &Key) -> Result<Arc<Value>, ApiError> {
        self.objects
            .get(key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(rt.group, rt.plural, &key.3))
    }
}

/// `current` with `status` as its status (none when `status` is null), as
/// the status subresource writes it.
fn with_status(current: &Value, status: Value) -> Value {
    let mut next = current.clone();
    match next.as_object_mut() {
        Some(m) if status.is_null() => {
            m.remove("status");
        }
        Some(m) => {
            m.insert("status".into(), status);
        }
        None => {}
    }
    next
}

/// The state of the simulated cluster.
pub struct Store {
    registry: Registry,
    inner: Mutex<Inner>,
    tx: broadcast::Sender<WatchEvent>,
    history_cap: usize,
}

/// The result of starting a watch: what happened since the asked version,
/// then the live feed. Both are taken under one lock, so nothing is missed.
pub struct WatchStart {
    pub backlog: Vec<WatchEvent>,
    pub live: broadcast::Receiver<WatchEvent>,
}

pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn meta_str<'v>(obj: &'v Value, field: &str) -> Option<&'v str> {
    obj.get("metadata")?.get(field)?.as_str()
}

impl Store {
    pub fn new(registry: Registry) -> Arc<Self> {
        Self::with_history(registry, 20_000)
    }

    /// A store that keeps the last `history_cap` events for watches.
    pub fn with_history(registry: Registry, history_cap: usize) -> Arc<Self> {
        // Every version sent stays in the buffer until each subscriber has
        // read it: large enough for bursts, small enough to bound that.
        let (tx, _) = broadcast::channel(1 << 16);
        Arc::new(Store {
            registry,
            inner: Mutex::new(Inner {
                rv: 1,
                objects: BTreeMap::new(),
                history: VecDeque::new(),
                compacted_rv: 1,
            }),
            tx,
            history_cap,
        })
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The resource type for `group`/`plural`, or a NotFound error.
    pub fn resource(&self, group: &str, plural: &str) -> Result<&ResourceType, ApiError> {
        self.registry
            .by_plural(group, plural)
            .ok_or_else(ApiError::path_not_found)
    }

    pub fn current_rv(&self) -> u64 {
        self.lock().rv
    }

    fn key(rt: &ResourceType, ns: &str, name: &str) -> Key {
        let ns = if rt.namespaced { ns } else { "" };
        (rt.group, rt.plural, ns.to_string(), name.to_string())
    }

    pub fn get(&self, rt: &ResourceType, ns: &str, name: &str) -> Result<Value, ApiError> {
        self.get_shared(rt, ns, name).map(|o| (*o).clone())
    }

    /// The object as stored, shared (no copy): for reading only.
    pub fn get_shared(
        &self,
        rt: &ResourceType,
        ns: &str,
        name: &str,
    ) -> Result<Arc<Value>, ApiError> {
        self.lock().stored(rt, &Self::key(rt, ns, name))
    }

    /// Objects of `rt` in `ns` (all namespaces when `None`) that match, and
    /// the list's resourceVersion.
    pub fn list(&self, rt: &ResourceType, ns: Option<&str>, sel: &Selectors) -> (Vec<Value>, u64) {
        let page = self.list_page(rt, ns, sel, usize::MAX, None);
        (page.items, page.rv)
    }

    /// One page of `list`: at most `limit` objects after `after`
    /// (namespace, name), the list's resourceVersion, and, when more
    /// follow, the last object's (namespace, name) and how many follow.
    pub fn list_page(
        &self,
        rt: &ResourceType,
        ns: Option<&str>,
        sel: &Selectors,
        limit: usize,
        after: Option<(&str, &str)>,
    ) -> Page {
        let inner = self.lock();
        let ns = ns.filter(|_| rt.namespaced);
        let first: Key = (
            rt.group,
            rt.plural,
            ns.unwrap_or("").to_string(),
            String::new(),
        );
        let from = match after {
            Some((ans, aname)) => Bound::Excluded(Self::key(rt, ans, aname)),
            None => Bound::Included(first),
        };
        let mut matching = inner
            .objects
            .range((from, Bound::Unbounded))
            .take_while(|((g, p, ons, _), _)| {
                *g == rt.group && *p == rt.plural && ns.is_none_or(|n| n == ons)
            })
            .filter(|(_, o)| sel.matches(o));
        let items: Vec<(&Key, &Arc<Value>)> = matching.by_ref().take(limit.max(1)).collect();
        let remaining = matching.count();
        let last = items
            .last()
            .filter(|_| remaining > 0)
            .map(|((_, _, ns, name), _)| (ns.clone(), name.clone()));
        Page {
            items: items.into_iter().map(|(_, o)| (**o).clone()).collect(),
            rv: inner.rv,
            last,
            remaining,
        }
    }

    /// Every object of `rt` with its key, in place (nothing cloned).
    fn each<'i>(
        inner: &'i Inner,
        rt: &ResourceType,
    ) -> impl Iterator<Item = (&'i Key, &'i Arc<Value>)> {
        let (group, plural) = (rt.group, rt.plural);
        let start: Key = (group, plural, String::new(), String::new());
        inner
            .objects
            .range(start..)
            .take_while(move |((g, p, _, _), _)| *g == group && *p == plural)
    }

    /// How many objects of `rt` there are, and how many of them satisfy
    /// `pred`, read in place (nothing cloned).
    pub fn count(&self, rt: &ResourceType, pred: impl Fn(&Value) -> bool) -> (usize, usize) {
        Self::each(&self.lock(), rt).fold((0, 0), |(yes, all), (_, o)| {
            (yes + usize::from(pred(o)), all + 1)
        })
    }

    /// `(namespace, name)` of every object of `rt` (no object copied).
    pub fn names(&self, rt: &ResourceType) -> Vec<(String, String)> {
        Self::each(&self.lock(), rt)
            .map(|((_, _, ns, name), _)| (ns.clone(), name.clone()))
            .collect()
    }

    /// Start watching from `since` (exclusive). `None` or 0 first replays the
    /// current objects as ADDED; a version older than the kept history is 410.
    pub fn watch(&self, since: Option<u64>) -> Result<WatchStart, ApiError> {
        let inner = self.lock();
        let live = self.tx.subscribe();
        let backlog = match since {
            None | Some(0) => inner
                .objects
                .iter()
                .map(|((g, p, ns, name), o)| WatchEvent {
                    rv: meta_str(o, "resourceVersion")
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(0),
                    kind: EventType::Added,
                    group: g,
                    plural: p,
                    namespace: ns.clone(),
                    name: name.clone(),
                    object: o.clone(),
                })
                .collect(),
            Some(v) if v < inner.compacted_rv => {
                return Err(ApiError::gone(format!(
                    "too old resource version: {v} ({})",
                    inner.compacted_rv
                )));
            }
            Some(v) => inner.history.iter().filter(|e| e.rv > v).cloned().collect(),
        };
        Ok(WatchStart { backlog, live })
    }

    /// Forget every object and the watch history, and start versions again
    /// lower than any handed out (a server restored from an older etcd
    /// snapshot, here an empty one). A watch from a version it handed out
    /// before now waits for a version that does not exist yet.
    pub fn restart_empty(&self) {
        let mut inner = self.lock();
        inner.objects.clear();
        inner.history.clear();
        inner.rv = 1;
        inner.compacted_rv = 1;
    }

    /// Subscribe to changes from now on (for in-process controllers).
    pub fn subscribe(&self) -> broadcast::Receiver<WatchEvent> {
        self.tx.subscribe()
    }

    fn commit(
        &self,
        inner: &mut Inner,
        rt: &ResourceType,
        kind: EventType,
        key: Key,
        obj: Arc<Value>,
    ) {
        let ev = WatchEvent {
            rv: inner.rv,
            kind,
            group: rt.group,
            plural: rt.plural,
            namespace: key.2.clone(),
            name: key.3.clone(),
            object: obj.clone(),
        };
        match kind {
            EventType::Deleted => {
                inner.objects.remove(&key);
            }
            _ => {
                inner.objects.insert(key, obj);
            }
        }
        inner.history.push_back(ev.clone());
        while inner.history.len() > self.history_cap {
            if let Some(old) = inner.history.pop_front() {
                inner.compacted_rv = old.rv;
            }
        }
        let _ = self.tx.send(ev);
    }

    /// Create an object (POST). `ns` is the request's namespace.
    pub fn create(
        &self,
        rt: &ResourceType,
        ns: &str,
        mut obj: Value,
        w: Writer,
    ) -> Result<Value, ApiError> {
        check_kind(rt, &obj)?;
        let name = match meta_str(&obj, "name") {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => match meta_str(&obj, "generateName") {
                Some(prefix) => format!("{prefix}{}", random_suffix(5)),
                None => {
                    return Err(ApiError::invalid(format!(
                        "{} \"\" is invalid: metadata.name: Required value: name or generateName is required",
                        rt.kind
                    )));
                }
            },
        };
        validate_name(rt, &name)?;
        let ns = self.check_namespace(rt, ns, &obj)?;
        let mut inner = self.lock();
        let key = Self::key(rt, &ns, &name);
        if inner.objects.contains_key(&key) {
            return Err(ApiError::already_exists(rt.group, rt.plural, &name));
        }
        if rt.namespaced
            && !inner
                .objects
                .contains_key(&("", "namespaces", String::new(), ns.clone()))
        {
            return Err(ApiError::not_found("", "namespaces", &ns));
        }
        normalize(rt, &mut obj)?;
        if rt.has_status
            && rt.kind != "Namespace"
            && let Some(m) = obj.as_object_mut()
        {
            m.remove("status");
        }
        inner.rv += 1;
        let now = now_rfc3339();
        let meta = obj["metadata"]
            .as_object_mut()
            .expect("normalized metadata");
        meta.insert("name".into(), json!(name));
        if rt.namespaced {
            meta.insert("namespace".into(), json!(ns));
        } else {
            meta.remove("namespace");
        }
        meta.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
        meta.insert("resourceVersion".into(), json!(inner.rv.to_string()));
        meta.insert("creationTimestamp".into(), json!(now));
        if obj.get("spec").is_some() {
            obj["metadata"]["generation"] = json!(1);
        }
        if rt.kind == "Namespace" {
            obj["status"] = json!({"phase": "Active"});
        }
        obj["metadata"]["managedFields"] =
            managed_fields::record(None, &obj, w.manager, w.operation, None, &now);
        let obj = Arc::new(obj);
        self.commit(&mut inner, rt, EventType::Added, key, obj.clone());
        Ok((*obj).clone())
    }

    /// Replace an object (PUT). A `metadata.resourceVersion` that is not the
    /// current one is a 409 Conflict. `status_only` is the `/status`
    /// subresource: only status changes; otherwise status is kept as is.
    pub fn update(
        &self,
        rt: &ResourceType,
        ns: &str,
        name: &str,
        obj: Value,
        w: Writer,
        status_only: bool,
    ) -> Result<Value, ApiError> {
        check_kind(rt, &obj)?;
        if let Some(n) = meta_str(&obj, "name")
            && n != name
        {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({n}) does not match the name on the URL ({name})"
            )));
        }
        let ns = self.check_namespace(rt, ns, &obj)?;
        let mut inner = self.lock();
        let key = Self::key(rt, &ns, name);
        let current = inner.stored(rt, &key)?;
        if let Some(rv) = meta_str(&obj, "resourceVersion")
            && !rv.is_empty()
            && Some(rv) != meta_str(&current, "resourceVersion")
        {
            return Err(ApiError::conflict(rt.group, rt.plural, name));
        }
        self.write_over(&mut inner, rt, key, &current, obj, w, status_only)
    }

    /// Patch an object. With `create_missing` (server-side apply), a missing
    /// object is created from the patch.
    #[allow(clippy::too_many_arguments)]
    pub fn patch(
        &self,
        rt: &ResourceType,
        ns: &str,
        name: &str,
        kind: PatchKind,
        body: &Value,
        w: Writer,
        status_only: bool,
    ) -> Result<Value, ApiError> {
        let key = Self::key(rt, ns, name);
        let current = self.lock().objects.get(&key).cloned();
        let Some(current) = current else {
            if kind == PatchKind::Apply && !status_only {
                let mut obj = body.clone();
                if obj.get("metadata").is_none() {
                    obj["metadata"] = json!({});
                }
                obj["metadata"]["name"] = json!(name);
                return self.create(rt, ns, obj, w);
            }
            return Err(ApiError::not_found(rt.group, rt.plural, name));
        };
        let patched = patch::apply(kind, &current, body)?;
        if let Some(rv) = meta_str(body, "resourceVersion")
            && Some(rv) != meta_str(&current, "resourceVersion")
        {
            return Err(ApiError::conflict(rt.group, rt.plural, name));
        }
        let mut inner = self.lock();
        // Re-check under the lock: a concurrent write in between is a conflict
        // only if the caller pinned a version; otherwise patch the latest.
        let latest = inner.stored(rt, &key)?;
        let patched = if Arc::ptr_eq(&latest, &current) {
            patched
        } else {
            patch::apply(kind, &latest, body)?
        };
        self.write_over(&mut inner, rt, key, &latest, patched, w, status_only)
    }

    #[allow(clippy::too_many_arguments)]
    fn write_over(
        &self,
        inner: &mut Inner,
        rt: &ResourceType,
        key: Key,
        current: &Arc<Value>,
        mut obj: Value,
        w: Writer,
        status_only: bool,
    ) -> Result<Value, ApiError> {
        check_kind(rt, &obj)?;
        normalize(rt, &mut obj)?;
        if status_only {
            let status = obj.get_mut("status").map_or(Value::Null, Value::take);
            obj = with_status(current, status);
        } else if rt.has_status {
            match current.get("status") {
                Some(s) => obj["status"] = s.clone(),
                None => {
                    obj.as_object_mut().map(|m| m.remove("status"));
                }
            }
        }
        // Immutable metadata comes from the stored object.
        for f in [
            "uid",
            "creationTimestamp",
            "name",
            "namespace",
            "generation",
        ] {
            match current["metadata"].get(f) {
                Some(v) => obj["metadata"][f] = v.clone(),
                None => {
                    obj["metadata"].as_object_mut().map(|m| m.remove(f));
                }
            }
        }
        obj["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"].clone();
        obj["metadata"]["managedFields"] = current["metadata"]["managedFields"].clone();
        if obj == **current {
            return Ok(obj); // no-op writes do not bump the version
        }
        let sub = status_only.then_some("status");
        Ok((*self.commit_over(inner, rt, key, current, obj, w, sub)).clone())
    }

    /// Store `obj`, which differs from `current`: a new generation when the
    /// spec changed, managedFields recorded, a new resourceVersion.
    #[allow(clippy::too_many_arguments)]
    fn commit_over(
        &self,
        inner: &mut Inner,
        rt: &ResourceType,
        key: Key,
        current: &Arc<Value>,
        mut obj: Value,
        w: Writer,
        subresource: Option<&str>,
    ) -> Arc<Value> {
        if obj.get("spec") != current.get("spec") && obj.get("spec").is_some() {
            let g = current["metadata"]["generation"].as_i64().unwrap_or(0);
            obj["metadata"]["generation"] = json!(g + 1);
        }
        let now = now_rfc3339();
        obj["metadata"]["managedFields"] = managed_fields::record(
            Some(current),
            &obj,
            w.manager,
            w.operation,
            subresource,
            &now,
        );
        inner.rv += 1;
        obj["metadata"]["resourceVersion"] = json!(inner.rv.to_string());
        let obj = Arc::new(obj);
        self.commit(inner, rt, EventType::Modified, key, obj.clone());
        obj
    }

    /// Write an object's status through the status subresource (PUT
    /// without a resourceVersion: over the latest), for in-process
    /// controllers: only the status is given, the object is copied once,
    /// and the answer is the stored object, shared. An equal status is not
    /// a write.
    pub fn update_status(
        &self,
        rt: &ResourceType,
        ns: &str,
        name: &str,
        status: Value,
        w: Writer,
    ) -> Result<Arc<Value>, ApiError> {
        let mut inner = self.lock();
        let key = Self::key(rt, ns, name);
        let current = inner.stored(rt, &key)?;
        // Equal, or null where there is none: no write.
        if current.get("status").unwrap_or(&Value::Null) == &status {
            return Ok(current);
        }
        let obj = with_status(&current, status);
        Ok(self.commit_over(&mut inner, rt, key, &current, obj, w, Some("status")))
    }

    /// Delete an object; objects it owns (ownerReferences), and for a
    /// Namespace everything in it, go too (background propagation).
    pub fn delete(&self, rt: &ResourceType, ns: &str, name: &str) -> Result<Value, ApiError> {
        let mut inner = self.lock();
        let key = Self::key(rt, ns, name);
        let obj = inner.stored(rt, &key)?;
        let mut doomed = vec![(rt.clone(), key)];
        let mut i = 0;
        while i < doomed.len() {
            let (drt, dkey) = doomed[i].clone();
            if let Some(o) = inner.objects.get(&dkey).cloned() {
                let uid = meta_str(&o, "uid").unwrap_or_default().to_string();
                for (k, child) in inner.objects.iter() {
                    let owned = child
                        .pointer("/metadata/ownerReferences")
                        .and_then(Value::as_array)
                        .is_some_and(|refs| refs.iter().any(|r| r["uid"] == uid.as_str()));
                    let in_ns = drt.kind == "Namespace" && !k.2.is_empty() && k.2 == dkey.3;
                    if (owned || in_ns)
                        && !doomed.iter().any(|(_, d)| d == k)
                        && let Some(crt) = self.registry.by_plural(k.0, k.1)
                    {
                        doomed.push((crt.clone(), k.clone()));
                    }
                }
            }
            i += 1;
        }
        for (drt, dkey) in doomed {
            if let Some(o) = inner.objects.get(&dkey).cloned() {
                inner.rv += 1;
                let mut gone = (*o).clone();
                gone["metadata"]["resourceVersion"] = json!(inner.rv.to_string());
                self.commit(&mut inner, &drt, EventType::Deleted, dkey, Arc::new(gone));
            }
        }
        let mut out = (*obj).clone();
        out["metadata"]["resourceVersion"] = json!(inner.rv.to_string());
        Ok(out)
    }

    fn check_namespace(
        &self,
        rt: &ResourceType,
        url_ns: &str,
        obj: &Value,
    ) -> Result<String, ApiError> {
        if !rt.namespaced {
            return Ok(String::new());
        }
        match meta_str(obj, "namespace") {
            Some(n) if !n.is_empty() && !url_ns.is_empty() && n != url_ns => {
                Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ))
            }
            Some(n) if !n.is_empty() && url_ns.is_empty() => Ok(n.to_string()),
            _ if url_ns.is_empty() => Err(ApiError::bad_request("namespace is required")),
            _ => Ok(url_ns.to_string()),
        }
    }
}

fn check_kind(rt: &ResourceType, obj: &Value) -> Result<(), ApiError> {
    if !obj.is_object() {
        return Err(ApiError::bad_request(
            "the body of the request was not a JSON object",
        ));
    }
    if let Some(k) = obj.get("kind").and_then(Value::as_str)
        && k != rt.kind
    {
        return Err(ApiError::bad_request(format!(
            "the kind of the object ({k}) does not match the resource ({})",
            rt.kind
        )));
    }
    if let Some(av) = obj.get("apiVersion").and_then(Value::as_str)
        && av != rt.api_version()
    {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({av}) does not match the expected API version ({})",
            rt.api_version()
        )));
    }
    Ok(())
}

fn validate_name(rt: &ResourceType, name: &str) -> Result<(), ApiError> {
    let ok = name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "{} \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            rt.kind
        )))
    }
}

/// Fill `kind`/`apiVersion` and `metadata`; fold a Secret's `stringData`
/// into base64 `data` as a real server does.
fn normalize(rt: &ResourceType, obj: &mut Value) -> Result<(), ApiError> {
    obj["kind"] = json!(rt.kind);
    obj["apiVersion"] = json!(rt.api_version());
    if !obj.get("metadata").is_some_and(Value::is_object) {
        obj["metadata"] = json!({});
    }
    if rt.kind == "Secret" {
        if let Some(Value::Object(sd)) = obj.as_object_mut().and_then(|m| m.remove("stringData")) {
            for (k, v) in sd {
                let s = v.as_str().unwrap_or_default();
                obj["data"][k] = json!(base64::engine::general_purpose::STANDARD.encode(s));
            }
        }
        if let Some(Value::Object(data)) = obj.get("data") {
            for (k, v) in data {
                let valid = v
                    .as_str()
                    .is_some_and(|s| base64::engine::general_purpose::STANDARD.decode(s).is_ok());
                if !valid {
                    return Err(ApiError::invalid(format!(
                        "Secret data[{k}] is not valid base64"
                    )));
                }
            }
        }
        if obj.get("type").is_none() {
            obj["type"] = json!("Opaque");
        }
    }
    Ok(())
}

pub fn random_suffix(n: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut r = rand::rng();
    (0..n)
        .map(|_| CHARS[r.random_range(0..CHARS.len())] as char)
        .collect()
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
