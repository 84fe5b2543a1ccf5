//! `as=Table` responses: the columns `kubectl get` prints for each kind
//! (as the real server and the CRDs' printer columns define them).

use serde_json::{Value, json};

/// Whether the client asked for a Table (`kubectl get` without `-o`).
pub fn wanted(accept: &str) -> bool {
    accept.contains("as=Table")
}

type Cell = fn(&Value) -> Value;

fn s(v: &Value, ptr: &str) -> String {
    match v.pointer(ptr) {
        Some(Value::String(x)) => x.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn int(v: &Value, ptr: &str) -> i64 {
    v.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

/// "5s", "3m", "2h", "4d" since an RFC 3339 time, as kubectl shows ages.
pub fn age(ts: &str) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(ts) else {
        return "<unknown>".into();
    };
    let secs = (chrono::Utc::now() - t.with_timezone(&chrono::Utc))
        .num_seconds()
        .max(0);
    match secs {
        0..120 => format!("{secs}s"),
        120..7200 => format!("{}m", secs / 60),
        7200..172_800 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86_400),
    }
}

fn name(v: &Value) -> Value {
    json!(s(v, "/metadata/name"))
}

fn created(v: &Value) -> Value {
    json!(age(&s(v, "/metadata/creationTimestamp")))
}

fn ready_condition(v: &Value) -> Value {
    let conds = v.pointer("/status/conditions").and_then(Value::as_array);
    let ready = conds.and_then(|c| c.iter().find(|c| c["type"] == "Ready"));
    json!(ready.map(|c| s(c, "/status")).unwrap_or_default())
}

fn ready_reason(v: &Value) -> Value {
    let conds = v.pointer("/status/conditions").and_then(Value::as_array);
    let ready = conds.and_then(|c| c.iter().find(|c| c["type"] == "Ready"));
    json!(ready.map(|c| s(c, "/reason")).unwrap_or_default())
}

fn pod_ready(v: &Value) -> Value {
    let cs = v
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array);
    let total = v
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let ready = cs.map_or(0, |c| c.iter().filter(|c| c["ready"] == true).count());
    json!(format!("{ready}/{total}"))
}

fn pod_status(v: &Value) -> Value {
    let cs = v
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array);
    let waiting = cs.and_then(|c| {
        c.iter()
            .find_map(|c| c.pointer("/state/waiting/reason").and_then(Value::as_str))
    });
    let phase = s(v, "/status/phase");
    let phase = if phase.is_empty() {
        "Pending".to_string()
    } else {
        phase
    };
    json!(waiting.map(str::to_string).unwrap_or(phase))
}

fn restarts(v: &Value) -> Value {
    let cs = v
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array);
    json!(cs.map_or(0, |c| {
        c.iter()
            .map(|c| c["restartCount"].as_i64().unwrap_or(0))
            .sum::<i64>()
    }))
}

fn deploy_ready(v: &Value) -> Value {
    json!(format!(
        "{}/{}",
        int(v, "/status/readyReplicas"),
        int(v, "/spec/replicas")
    ))
}

fn data_count(v: &Value) -> Value {
    json!(
        v.get("data")
            .and_then(Value::as_object)
            .map_or(0, |m| m.len())
    )
}

fn ports(v: &Value) -> Value {
    let ps = v.pointer("/spec/ports").and_then(Value::as_array);
    let list: Vec<String> = ps
        .into_iter()
        .flatten()
        .map(|p| {
            format!(
                "{}/{}",
                s(p, "/port"),
                p["protocol"].as_str().unwrap_or("TCP")
            )
        })
        .collect();
    json!(list.join(","))
}

fn event_object(v: &Value) -> Value {
    json!(format!(
        "{}/{}",
        s(v, "/involvedObject/kind").to_lowercase(),
        s(v, "/involvedObject/name")
    ))
}

fn columns(kind: &str) -> Vec<(&'static str, Cell)> {
    let mut cols: Vec<(&'static str, Cell)> = vec![("Name", name)];
    match kind {
        "Pod" => cols.extend([
            ("Ready", pod_ready as Cell),
            ("Status", pod_status),
            ("Restarts", restarts),
            ("Age", created),
        ]),
        "Deployment" => cols.extend([
            ("Ready", deploy_ready as Cell),
            ("Up-to-date", |v| json!(int(v, "/status/updatedReplicas"))),
            ("Available", |v| json!(int(v, "/status/availableReplicas"))),
            ("Age", created),
        ]),
        "ExternalSecret" => cols.extend([
            (
                "Store",
                (|v| json!(s(v, "/spec/secretStoreRef/name"))) as Cell,
            ),
            ("Refresh Interval", |v| json!(s(v, "/spec/refreshInterval"))),
            ("Status", ready_reason),
            ("Ready", ready_condition),
        ]),
        "SecretStore" | "ClusterSecretStore" => cols.extend([
            ("Age", created as Cell),
            ("Status", ready_reason),
            ("Capabilities", |v| json!(s(v, "/status/capabilities"))),
            ("Ready", ready_condition),
        ]),
        "Application" => cols.extend([
            (
                "Sync Status",
                (|v| json!(s(v, "/status/sync/status"))) as Cell,
            ),
            ("Health Status", |v| json!(s(v, "/status/health/status"))),
        ]),
        "ConfigMap" => cols.extend([("Data", data_count as Cell), ("Age", created)]),
        "Secret" => cols.extend([
            ("Type", (|v| json!(s(v, "/type"))) as Cell),
            ("Data", data_count),
            ("Age", created),
        ]),
        "Service" => cols.extend([
            (
                "Type",
                (|v| {
                    json!(
                        v.pointer("/spec/type")
                            .and_then(Value::as_str)
                            .unwrap_or("ClusterIP")
                    )
                }) as Cell,
            ),
            ("Ports", ports),
            ("Age", created),
        ]),
        "Namespace" => cols.extend([
            ("Status", (|v| json!(s(v, "/status/phase"))) as Cell),
            ("Age", created),
        ]),
        "Event" => {
            cols = vec![
                ("Last Seen", |v| json!(age(&s(v, "/lastTimestamp")))),
                ("Type", |v| json!(s(v, "/type"))),
                ("Reason", |v| json!(s(v, "/reason"))),
                ("Object", event_object),
                ("Message", |v| json!(s(v, "/message"))),
            ];
        }
        _ => cols.push(("Age", created)),
    }
    cols
}

/// A `meta.k8s.io/v1` Table of `items` of `kind`.
pub fn table(kind: &str, items: &[Value], rv: u64) -> Value {
    let cols = columns(kind);
    let defs: Vec<Value> = cols
        .iter()
        .map(|(n, _)| {
            let format = if *n == "Name" { "name" } else { "" };
            json!({"name": n, "type": "string", "format": format, "description": "", "priority": 0})
        })
        .collect();
    let rows: Vec<Value> = items
        .iter()
        .map(|o| {
            json!({
                "cells": cols.iter().map(|(_, f)| f(o)).collect::<Vec<_>>(),
                "object": super::metadata_only::object(o),
            })
        })
        .collect();
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": rv.to_string()},
        "columnDefinitions": defs,
        "rows": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_rows_show_readiness_and_waiting_reasons() {
        let pod = json!({"metadata": {"name": "p", "creationTimestamp": "2020-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "c"}]},
            "status": {"phase": "Pending", "containerStatuses": [{"ready": false, "restartCount": 2,
                "state": {"waiting": {"reason": "CreateContainerConfigError"}}}]}});
        let t = table("Pod", &[pod], 7);
        assert_eq!(t["metadata"]["resourceVersion"], "7");
        let cells = &t["rows"][0]["cells"];
        assert_eq!(cells[0], "p");
        assert_eq!(cells[1], "0/1");
        assert_eq!(cells[2], "CreateContainerConfigError");
        assert_eq!(cells[3], 2);
        assert!(cells[4].as_str().unwrap().ends_with('d'));
        assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    }

    #[test]
    fn external_secret_rows_follow_the_printer_columns() {
        let es = json!({"metadata": {"name": "e"}, "spec": {"secretStoreRef": {"name": "st"}, "refreshInterval": "1h"},
            "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "SecretSyncedError"}]}});
        let t = table("ExternalSecret", &[es], 1);
        let names: Vec<&str> = t["columnDefinitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["Name", "Store", "Refresh Interval", "Status", "Ready"]
        );
        assert_eq!(
            t["rows"][0]["cells"],
            json!(["e", "st", "1h", "SecretSyncedError", "False"])
        );
    }
}
