//! `metadata.managedFields`: which manager last changed which fields, and
//! when, recorded as a real API server does (FieldsV1, one entry per manager,
//! operation and subresource; ownership moves to the manager that changes a
//! field). The console reads "when did this Secret's data last change" here.

use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

/// A field path, e.g. `["data", "secrets.properties"]`.
type Path = Vec<String>;

/// Leaf paths compared: metadata labels/annotations keys, and one level
/// under every other top-level field (spec.x, status.x, data.key, …);
/// borrowed from the object, keyed by path.
fn leaves(obj: &Value) -> HashMap<Vec<&str>, &Value> {
    let mut out = HashMap::new();
    let Some(map) = obj.as_object() else {
        return out;
    };
    for (top, v) in map {
        match top.as_str() {
            "apiVersion" | "kind" => {}
            "metadata" => {
                for sub in ["labels", "annotations", "ownerReferences", "finalizers"] {
                    match v.get(sub) {
                        Some(Value::Object(m)) => {
                            for (k, x) in m {
                                out.insert(vec!["metadata", sub, k.as_str()], x);
                            }
                        }
                        Some(x) if !x.is_null() => {
                            out.insert(vec!["metadata", sub], x);
                        }
                        _ => {}
                    }
                }
            }
            _ => match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        out.insert(vec![top.as_str(), k.as_str()], x);
                    }
                }
                other => {
                    out.insert(vec![top.as_str()], other);
                }
            },
        }
    }
    out
}

fn owned(path: &[&str]) -> Path {
    path.iter().map(|p| p.to_string()).collect()
}

/// The paths whose value differs between `old` and `new` (added, changed
/// or removed), each with whether it is still in `new`.
fn changes(old: Option<&Value>, new: &Value) -> BTreeMap<Path, bool> {
    let old_leaves = old.map(leaves).unwrap_or_default();
    let new_leaves = leaves(new);
    let mut changed = BTreeMap::new();
    for (p, v) in &new_leaves {
        if old_leaves.get(p) != Some(v) {
            changed.insert(owned(p), true);
        }
    }
    for p in old_leaves.keys() {
        if !new_leaves.contains_key(p) {
            changed.insert(owned(p), false);
        }
    }
    changed
}

fn insert_path(fields: &mut Map<String, Value>, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let entry = fields
        .entry(format!("f:{first}"))
        .or_insert_with(|| json!({}));
    if let Some(m) = entry.as_object_mut() {
        insert_path(m, rest);
    }
}

fn remove_path(fields: &mut Map<String, Value>, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let key = format!("f:{first}");
    if rest.is_empty() {
        fields.remove(&key);
        return;
    }
    if let Some(Value::Object(m)) = fields.get_mut(&key) {
        remove_path(m, rest);
        if m.is_empty() {
            fields.remove(&key);
        }
    }
}

/// Record that `manager` (with `operation` "Update" or "Apply", on
/// `subresource` or the main resource) wrote `new` over `old` at `time`.
/// Returns the new managedFields array.
pub fn record(
    old: Option<&Value>,
    new: &Value,
    manager: &str,
    operation: &str,
    subresource: Option<&str>,
    time: &str,
) -> Value {
    let mut entries: Vec<Value> = old
        .and_then(|o| o.pointer("/metadata/managedFields"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let changed = changes(old, new);
    if changed.is_empty() {
        return Value::Array(entries);
    }
    let same_entry = |e: &Value| {
        e.get("manager").and_then(Value::as_str) == Some(manager)
            && e.get("operation").and_then(Value::as_str) == Some(operation)
            && e.get("subresource").and_then(Value::as_str) == subresource
    };
    // Ownership of the changed fields moves to this manager.
    for e in entries.iter_mut().filter(|e| !same_entry(e)) {
        if let Some(Value::Object(f)) = e.get_mut("fieldsV1") {
            for p in changed.keys() {
                remove_path(f, p);
            }
        }
    }
    entries.retain(|e| {
        same_entry(e)
            || e.get("fieldsV1")
                .and_then(Value::as_object)
                .is_some_and(|f| !f.is_empty())
    });
    let api_version = new.get("apiVersion").cloned().unwrap_or(Value::Null);
    let idx = match entries.iter().position(same_entry) {
        Some(i) => i,
        None => {
            let mut e = json!({
                "manager": manager,
                "operation": operation,
                "apiVersion": api_version,
                "fieldsType": "FieldsV1",
                "fieldsV1": {},
            });
            if let Some(s) = subresource {
                e["subresource"] = json!(s);
            }
            entries.push(e);
            entries.len() - 1
        }
    };
    let e = &mut entries[idx];
    e["time"] = json!(time);
    e["apiVersion"] = api_version;
    if let Some(Value::Object(f)) = e.get_mut("fieldsV1") {
        for (p, still_there) in &changed {
            // A removed field is no longer owned by anybody.
            if *still_there {
                insert_path(f, p);
            } else {
                remove_path(f, p);
            }
        }
    }
    Value::Array(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_change_moves_ownership_and_time() {
        let v1 = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "YQ=="}});
        let mut created = v1.clone();
        created["metadata"]["managedFields"] =
            record(None, &v1, "kubectl", "Update", None, "2026-01-01T00:00:00Z");
        let mut v2 = created.clone();
        v2["data"]["k"] = json!("Yg==");
        let mf = record(
            Some(&created),
            &v2,
            "external-secrets",
            "Update",
            None,
            "2026-01-02T00:00:00Z",
        );
        let arr = mf.as_array().unwrap();
        let eso = arr
            .iter()
            .find(|e| e["manager"] == "external-secrets")
            .unwrap();
        assert_eq!(eso["time"], "2026-01-02T00:00:00Z");
        assert!(eso["fieldsV1"]["f:data"]["f:k"].is_object());
        // kubectl no longer owns data.k; its entry had nothing else and is dropped
        assert!(arr.iter().all(|e| e["manager"] != "kubectl"));
    }

    #[test]
    fn no_change_keeps_time() {
        let v1 = json!({"metadata": {"name": "s"}, "data": {"k": "YQ=="}});
        let mut created = v1.clone();
        created["metadata"]["managedFields"] = record(None, &v1, "m", "Update", None, "t1");
        let mf = record(Some(&created), &created.clone(), "m", "Update", None, "t2");
        assert_eq!(mf[0]["time"], "t1");
    }
}
