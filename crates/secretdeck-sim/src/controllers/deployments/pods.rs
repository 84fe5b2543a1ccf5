//! Pods of a Deployment: how they are built from the pod template, and what
//! a kubelet on the single simulated node reports for them.

use crate::kube::store::random_suffix;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

pub const NODE_NAME: &str = "sim-node-1";
const HOST_IP: &str = "192.168.49.2";
const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// JSON with object keys sorted, so equal templates hash equally whatever
/// order their keys were written in.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                canonical(&m[*k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A stable 10-character hash of a pod template, in the alphabet
/// Kubernetes uses for `pod-template-hash`.
pub fn template_hash(template: &Value) -> String {
    let mut s = String::new();
    canonical(template, &mut s);
    let digest = Sha256::digest(s.as_bytes());
    digest[..10]
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// A new pod for `deploy` from its template (which has hash `hash`).
pub fn new_pod(deploy: &Value, template: &Value, hash: &str) -> Value {
    let name = deploy["metadata"]["name"].as_str().unwrap_or_default();
    let mut labels = template
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    labels.insert("pod-template-hash".into(), json!(hash));
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    if !spec.is_object() {
        spec = json!({});
    }
    spec["nodeName"] = json!(NODE_NAME);
    let mut meta = json!({
        "name": format!("{name}-{hash}-{}", random_suffix(5)),
        "labels": labels,
        "ownerReferences": [{
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": name,
            "uid": deploy["metadata"]["uid"],
            "controller": true,
            "blockOwnerDeletion": true,
        }],
    });
    if let Some(a) = template
        .pointer("/metadata/annotations")
        .filter(|a| a.is_object())
    {
        meta["annotations"] = a.clone();
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec})
}

/// The kind of object a pod refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Secret,
    ConfigMap,
}

impl RefKind {
    fn lower(self) -> &'static str {
        match self {
            RefKind::Secret => "secret",
            RefKind::ConfigMap => "configmap",
        }
    }
    fn kind(self) -> &'static str {
        match self {
            RefKind::Secret => "Secret",
            RefKind::ConfigMap => "ConfigMap",
        }
    }
}

/// Looks up a Secret or ConfigMap in the pod's namespace.
pub type Lookup<'a> = dyn Fn(RefKind, &str) -> Option<std::sync::Arc<Value>> + 'a;

fn optional(v: &Value) -> bool {
    v.get("optional").and_then(Value::as_bool) == Some(true)
}

fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn items(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array).into_iter().flatten()
}

/// The first volume whose Secret/ConfigMap is missing (and not optional).
pub fn missing_volume(spec: &Value, lookup: &Lookup) -> Option<(RefKind, String)> {
    let mut refs: Vec<(RefKind, &Value, &str)> = Vec::new();
    for vol in items(spec.get("volumes")) {
        if let Some(s) = vol.get("secret") {
            refs.push((RefKind::Secret, s, str_of(s, "secretName")));
        }
        if let Some(c) = vol.get("configMap") {
            refs.push((RefKind::ConfigMap, c, str_of(c, "name")));
        }
        for src in items(vol.pointer("/projected/sources")) {
            if let Some(s) = src.get("secret") {
                refs.push((RefKind::Secret, s, str_of(s, "name")));
            }
            if let Some(c) = src.get("configMap") {
                refs.push((RefKind::ConfigMap, c, str_of(c, "name")));
            }
        }
    }
    refs.into_iter()
        .find(|(k, r, name)| !optional(r) && lookup(*k, name).is_none())
        .map(|(k, _, name)| (k, name.to_string()))
}

/// Why a container's environment cannot be built, as the kubelet says it.
pub fn env_error(container: &Value, ns: &str, lookup: &Lookup) -> Option<String> {
    for env in items(container.get("env")) {
        let refs = [
            (RefKind::Secret, env.pointer("/valueFrom/secretKeyRef")),
            (
                RefKind::ConfigMap,
                env.pointer("/valueFrom/configMapKeyRef"),
            ),
        ];
        for (kind, r) in refs {
            let Some(r) = r else { continue };
            if optional(r) {
                continue;
            }
            let name = str_of(r, "name");
            let key = str_of(r, "key");
            match lookup(kind, name) {
                None => return Some(format!("{} \"{name}\" not found", kind.lower())),
                Some(obj) if !has_key(&obj, key) => {
                    return Some(format!(
                        "couldn't find key {key} in {} {ns}/{name}",
                        kind.kind()
                    ));
                }
                Some(_) => {}
            }
        }
    }
    for from in items(container.get("envFrom")) {
        for (kind, r) in [
            (RefKind::Secret, from.get("secretRef")),
            (RefKind::ConfigMap, from.get("configMapRef")),
        ] {
            let Some(r) = r else { continue };
            let name = str_of(r, "name");
            if !optional(r) && lookup(kind, name).is_none() {
                return Some(format!("{} \"{name}\" not found", kind.lower()));
            }
        }
    }
    None
}

fn has_key(obj: &Value, key: &str) -> bool {
    ["data", "binaryData"]
        .iter()
        .any(|f| obj.get(*f).and_then(|d| d.get(key)).is_some())
}

/// An image that can never be pulled in the simulation.
pub fn image_unpullable(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    let tag = last.split_once(':').map(|(_, t)| t);
    tag == Some("broken") || image.contains("does-not-exist")
}

fn containers(pod: &Value) -> impl Iterator<Item = &Value> {
    items(pod.pointer("/spec/containers"))
}

/// True when nothing but time stands between the pod and running.
pub fn can_start(pod: &Value, lookup: &Lookup) -> bool {
    let ns = pod["metadata"]["namespace"].as_str().unwrap_or_default();
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    missing_volume(spec, lookup).is_none()
        && containers(pod)
            .all(|c| !image_unpullable(str_of(c, "image")) && env_error(c, ns, lookup).is_none())
}

fn pod_ip(name: &str) -> String {
    let d = Sha256::digest(name.as_bytes());
    format!("10.244.{}.{}", d[0], 1 + d[1] % 254)
}

fn condition(prev: &Value, kind: &str, ok: bool, now: &str) -> Value {
    let status = if ok { "True" } else { "False" };
    let since = items(prev.get("conditions"))
        .find(|c| c["type"] == kind && c["status"] == status)
        .and_then(|c| c.get("lastTransitionTime").cloned())
        .unwrap_or_else(|| json!(now));
    json!({"type": kind, "status": status, "lastProbeTime": null, "lastTransitionTime": since})
}

/// The status a kubelet reports for `pod`. `may_start`: its start-up time
/// has passed and nothing blocks it. Running containers keep running.
pub fn pod_status(pod: &Value, lookup: &Lookup, may_start: bool, now: &str) -> Value {
    let empty = json!({});
    let prev = pod.get("status").unwrap_or(&empty);
    let ns = pod["metadata"]["namespace"].as_str().unwrap_or_default();
    let name = pod["metadata"]["name"].as_str().unwrap_or_default();
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    let volume_missing = missing_volume(spec, lookup).is_some();
    let mut statuses = Vec::new();
    for c in containers(pod) {
        let cname = str_of(c, "name");
        let image = str_of(c, "image");
        let prev_c = items(prev.get("containerStatuses"))
            .find(|s| s["name"] == cname && s["image"] == image);
        let prev_state = prev_c.and_then(|s| s.pointer("/state/running")).cloned();
        // Restarts the node reported stay counted.
        let restarts = prev_c.map_or(json!(0), |s| s["restartCount"].clone());
        let state = if image_unpullable(image) {
            json!({"waiting": {"reason": "ImagePullBackOff",
                               "message": format!("Back-off pulling image \"{image}\"")}})
        } else if let Some(running) = prev_state {
            json!({"running": running})
        } else if volume_missing {
            json!({"waiting": {"reason": "ContainerCreating"}})
        } else if let Some(msg) = env_error(c, ns, lookup) {
            json!({"waiting": {"reason": "CreateContainerConfigError", "message": msg}})
        } else if may_start {
            json!({"running": {"startedAt": now}})
        } else {
            json!({"waiting": {"reason": "ContainerCreating"}})
        };
        let running = state.get("running").is_some();
        statuses.push(json!({
            "name": cname,
            "image": image,
            "imageID": "",
            "ready": running,
            "started": running,
            "restartCount": if restarts.is_u64() { restarts } else { json!(0) },
            "state": state,
        }));
    }
    let any_running = statuses.iter().any(|s| s["started"] == true);
    let all_ready = !statuses.is_empty() && statuses.iter().all(|s| s["ready"] == true);
    let mut status = Map::new();
    status.insert(
        "phase".into(),
        json!(if any_running { "Running" } else { "Pending" }),
    );
    status.insert(
        "conditions".into(),
        json!([
            condition(prev, "PodScheduled", true, now),
            condition(prev, "Initialized", true, now),
            condition(prev, "ContainersReady", all_ready, now),
            condition(prev, "Ready", all_ready, now),
        ]),
    );
    status.insert("hostIP".into(), json!(HOST_IP));
    if !volume_missing || any_running {
        status.insert("podIP".into(), json!(pod_ip(name)));
        status.insert("podIPs".into(), json!([{"ip": pod_ip(name)}]));
    }
    status.insert(
        "startTime".into(),
        prev.get("startTime").cloned().unwrap_or_else(|| json!(now)),
    );
    status.insert("containerStatuses".into(), Value::Array(statuses));
    status.insert("qosClass".into(), json!("BestEffort"));
    Value::Object(status)
}

/// Ready as the Ready condition says.
pub fn is_ready(pod: &Value) -> bool {
    items(pod.pointer("/status/conditions")).any(|c| c["type"] == "Ready" && c["status"] == "True")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn template_hash_is_stable_and_sensitive() {
        let a = json!({"metadata": {"labels": {"app": "x", "b": "y"}}, "spec": {"containers": []}});
        let b = json!({"spec": {"containers": []}, "metadata": {"labels": {"b": "y", "app": "x"}}});
        assert_eq!(template_hash(&a), template_hash(&b));
        assert_eq!(template_hash(&a).len(), 10);
        let mut c = a.clone();
        c["metadata"]["annotations"] = json!({"kubectl.kubernetes.io/restartedAt": "now"});
        assert_ne!(template_hash(&a), template_hash(&c));
    }

    #[test]
    fn unpullable_images() {
        assert!(image_unpullable("repo/app:broken"));
        assert!(image_unpullable(
            "registry.example:5000/does-not-exist/app:v1"
        ));
        assert!(!image_unpullable("registry.example:5000/app:v1"));
        assert!(!image_unpullable("app"));
    }

    #[test]
    fn env_and_volume_refs_report_what_is_missing() {
        let none = |_: RefKind, _: &str| None;
        let c = json!({"name": "c", "image": "i", "env": [
            {"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]});
        assert_eq!(
            env_error(&c, "ns", &none).as_deref(),
            Some("secret \"s\" not found")
        );
        let opt = json!({"name": "c", "env": [
            {"name": "A", "valueFrom": {"configMapKeyRef": {"name": "m", "key": "k", "optional": true}}}]});
        assert_eq!(env_error(&opt, "ns", &none), None);
        let cm = |_: RefKind, _: &str| Some(std::sync::Arc::new(json!({"data": {"other": "1"}})));
        let c = json!({"env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "m", "key": "k"}}}]});
        assert_eq!(
            env_error(&c, "ns", &cm).as_deref(),
            Some("couldn't find key k in ConfigMap ns/m")
        );
        let spec = json!({"volumes": [{"name": "v", "projected": {"sources": [{"configMap": {"name": "p"}}]}}]});
        assert_eq!(
            missing_volume(&spec, &none),
            Some((RefKind::ConfigMap, "p".to_string()))
        );
    }

    #[test]
    fn a_running_pod_keeps_its_restarts_and_start() {
        let none = |_: RefKind, _: &str| None;
        let pod = json!({"metadata": {"namespace": "ns", "name": "p"},
            "spec": {"containers": [{"name": "c", "image": "app:v1"}]},
            "status": {"startTime": "t0", "containerStatuses": [{"name": "c", "image": "app:v1",
                "restartCount": 3, "state": {"running": {"startedAt": "t1"}}}]}});
        let st = pod_status(&pod, &none, true, "t2");
        let c = &st["containerStatuses"][0];
        assert_eq!(c["restartCount"], 3);
        assert_eq!(c["state"]["running"]["startedAt"], "t1");
        assert_eq!(st["startTime"], "t0");
        assert_eq!(st["phase"], "Running");
        // A new image is a new container: no restarts yet.
        let mut rolled = pod.clone();
        rolled["spec"]["containers"][0]["image"] = json!("app:v2");
        let st = pod_status(&rolled, &none, true, "t2");
        assert_eq!(st["containerStatuses"][0]["restartCount"], 0);
        assert_eq!(
            st["containerStatuses"][0]["state"]["running"]["startedAt"],
            "t2"
        );
    }
}
