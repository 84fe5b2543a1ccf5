//! The patch types a Kubernetes API server accepts.

use super::ApiError;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    /// `application/merge-patch+json` (RFC 7386).
    Merge,
    /// `application/strategic-merge-patch+json`.
    Strategic,
    /// `application/json-patch+json` (RFC 6902).
    Json,
    /// `application/apply-patch+yaml` (server-side apply; JSON body).
    Apply,
}

impl PatchKind {
    pub fn from_content_type(ct: &str) -> Option<Self> {
        let ct = ct.split(';').next().unwrap_or("").trim();
        match ct {
            "application/merge-patch+json" => Some(Self::Merge),
            "application/strategic-merge-patch+json" => Some(Self::Strategic),
            "application/json-patch+json" => Some(Self::Json),
            "application/apply-patch+yaml" | "application/apply-patch+json" => Some(Self::Apply),
            _ => None,
        }
    }
}

/// Apply `patch` of `kind` to `target`, returning the patched object.
pub fn apply(kind: PatchKind, target: &Value, patch: &Value) -> Result<Value, ApiError> {
    match kind {
        PatchKind::Merge => Ok(merge(target, patch)),
        PatchKind::Strategic => Ok(strategic(target, patch)),
        PatchKind::Apply => Ok(strategic(target, patch)),
        PatchKind::Json => {
            let ops: json_patch::Patch = serde_json::from_value(patch.clone())
                .map_err(|e| ApiError::bad_request(format!("invalid JSON patch: {e}")))?;
            let mut doc = target.clone();
            json_patch::patch(&mut doc, &ops)
                .map_err(|e| ApiError::invalid(format!("JSON patch failed: {e}")))?;
            Ok(doc)
        }
    }
}

/// RFC 7386 JSON merge patch.
pub fn merge(target: &Value, patch: &Value) -> Value {
    match patch {
        Value::Object(p) => {
            let mut out = match target {
                Value::Object(t) => t.clone(),
                _ => Map::new(),
            };
            for (k, v) in p {
                if v.is_null() {
                    out.remove(k);
                } else {
                    let merged = merge(out.get(k).unwrap_or(&Value::Null), v);
                    out.insert(k.clone(), merged);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Strategic merge patch, for the cases kubectl sends: maps merge like a
/// merge patch, directives (`$setElementOrder/…`, `$retainKeys`) are
/// dropped, `$patch: delete|replace` is honoured, and lists of objects that
/// carry a `name` (containers, env, volumes, ports…) merge by that name.
pub fn strategic(target: &Value, patch: &Value) -> Value {
    match patch {
        Value::Object(p) => {
            if p.get("$patch").and_then(Value::as_str) == Some("replace") {
                let mut p = p.clone();
                p.remove("$patch");
                return Value::Object(p);
            }
            let mut out = match target {
                Value::Object(t) => t.clone(),
                _ => Map::new(),
            };
            for (k, v) in p {
                if k.starts_with('$') {
                    continue;
                }
                if v.is_null() {
                    out.remove(k);
                    continue;
                }
                let merged = match (out.get(k), v) {
                    (Some(Value::Array(t)), Value::Array(pv)) => merge_lists(t, pv),
                    (cur, v) => strategic(cur.unwrap_or(&Value::Null), v),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn name_of(v: &Value) -> Option<&str> {
    v.get("name").and_then(Value::as_str)
}

fn merge_lists(target: &[Value], patch: &[Value]) -> Value {
    let keyed = !patch.is_empty() && patch.iter().all(|v| name_of(v).is_some());
    if !keyed || !target.iter().all(|v| name_of(v).is_some()) {
        return Value::Array(patch.to_vec());
    }
    let mut out: Vec<Value> = target.to_vec();
    for item in patch {
        let name = name_of(item).unwrap_or_default();
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        match out.iter().position(|t| name_of(t) == Some(name)) {
            Some(i) if delete => {
                out.remove(i);
            }
            Some(i) => out[i] = strategic(&out[i], item),
            None if delete => {}
            None => out.push(strategic(&Value::Null, item)),
        }
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_sets_and_removes() {
        let t = json!({"a": 1, "m": {"x": 1, "y": 2}});
        let p = json!({"a": null, "m": {"y": 3, "z": 4}});
        assert_eq!(merge(&t, &p), json!({"m": {"x": 1, "y": 3, "z": 4}}));
    }

    #[test]
    fn strategic_merges_containers_by_name_and_drops_directives() {
        let t = json!({"spec": {"containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]}});
        let p = json!({"spec": {"$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
                                  "containers": [{"name": "b", "image": "y:2"}]}});
        let out = strategic(&t, &p);
        assert_eq!(out["spec"]["containers"][0]["image"], "x:1");
        assert_eq!(out["spec"]["containers"][1]["image"], "y:2");
        assert!(out["spec"].get("$setElementOrder/containers").is_none());
    }

    #[test]
    fn json_patch_ops_and_errors() {
        let t = json!({"metadata": {"labels": {"a": "1"}}});
        let p = json!([{"op": "replace", "path": "/metadata/labels/a", "value": "2"}]);
        assert_eq!(
            apply(PatchKind::Json, &t, &p).unwrap()["metadata"]["labels"]["a"],
            "2"
        );
        let bad = json!([{"op": "remove", "path": "/nope"}]);
        assert_eq!(apply(PatchKind::Json, &t, &bad).unwrap_err().code, 422);
    }
}
