//! Recording core/v1 Events about an object, as controllers do (repeats of
//! the same reason and message bump `count` and `lastTimestamp`).

use crate::kube::store::{Store, Writer, now_rfc3339};
use serde_json::{Value, json};

/// Record an event of `type_` ("Normal"/"Warning") about `obj`.
pub fn record(
    store: &Store,
    component: &str,
    obj: &Value,
    type_: &str,
    reason: &str,
    message: &str,
) {
    let Some(rt) = store.registry().by_plural("", "events").cloned() else {
        return;
    };
    let meta = &obj["metadata"];
    let ns = meta["namespace"].as_str().unwrap_or("default");
    let name = meta["name"].as_str().unwrap_or_default();
    let uid = meta["uid"].as_str().unwrap_or_default();
    let now = now_rfc3339();
    // The same event again: bump the last one instead of adding another.
    let sel = crate::kube::selectors::Selectors::parse(
        None,
        Some(&format!("involvedObject.uid={uid},reason={reason}")),
    )
    .unwrap_or_default();
    let (existing, _) = store.list(&rt, Some(ns), &sel);
    if let Some(last) = existing
        .iter()
        .filter(|e| e["message"] == message && e["type"] == type_)
        .max_by_key(|e| e["lastTimestamp"].as_str().unwrap_or("").to_string())
    {
        let count = last["count"].as_i64().unwrap_or(1) + 1;
        let patch = json!({"count": count, "lastTimestamp": now});
        let ev_name = last["metadata"]["name"].as_str().unwrap_or_default();
        let _ = store.patch(
            &rt,
            ns,
            ev_name,
            crate::kube::patch::PatchKind::Merge,
            &patch,
            Writer::update(component),
            false,
        );
        return;
    }
    let ev = json!({
        "metadata": {"name": format!("{name}.{}", crate::kube::store::random_suffix(10)), "namespace": ns},
        "involvedObject": {
            "apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": name,
            "namespace": ns, "uid": uid, "resourceVersion": meta["resourceVersion"],
        },
        "reason": reason,
        "message": message,
        "type": type_,
        "count": 1,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "source": {"component": component},
        "reportingComponent": component,
        "reportingInstance": "",
    });
    if let Err(e) = store.create(&rt, ns, ev, Writer::update(component)) {
        tracing::debug!(%e, "could not record event");
    }
}
