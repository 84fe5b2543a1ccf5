//! The Application status the controller writes.

use super::compare::Comparison;
use super::desired::AppSpec;
use super::health::{Assessed, Health};
use serde_json::{Value, json};

const HISTORY_LIMIT: usize = 10;

fn health_json(h: &Assessed) -> Value {
    let mut v = json!({"status": h.status.as_str()});
    if !h.message.is_empty() {
        v["message"] = json!(h.message);
    }
    v
}

/// The status after a comparison: `Ok` with the result, or `Err` with a
/// condition (`type`, `message`). Operation state and history carry over.
pub fn compared(
    prev: &Value,
    app: &AppSpec,
    revision: Option<&str>,
    result: Result<&Comparison, (&str, &str)>,
    now: &str,
) -> Value {
    let mut st = if prev.is_object() {
        prev.clone()
    } else {
        json!({})
    };
    let compared_to = json!({"source": app.source, "destination": app.destination});
    let mut sync = json!({"status": "Unknown", "comparedTo": compared_to});
    if let Some(r) = revision {
        sync["revision"] = json!(r);
    }
    match result {
        Ok(c) => {
            sync["status"] = json!(if c.synced() { "Synced" } else { "OutOfSync" });
            st["resources"] = Value::Array(c.resources.iter().map(|r| r.to_json()).collect());
            st["health"] = health_json(&c.health);
            st["summary"] = if c.images.is_empty() {
                json!({})
            } else {
                json!({"images": c.images})
            };
            remove(&mut st, "conditions");
        }
        Err((kind, message)) => {
            st["health"] = json!({"status": Health::Unknown.as_str()});
            let since = prev
                .get("conditions")
                .and_then(Value::as_array)
                .and_then(|cs| {
                    cs.iter()
                        .find(|c| c["type"] == kind && c["message"] == message)
                })
                .and_then(|c| c.get("lastTransitionTime").cloned())
                .unwrap_or_else(|| json!(now));
            st["conditions"] =
                json!([{"type": kind, "message": message, "lastTransitionTime": since}]);
        }
    }
    st["sync"] = sync;
    st["sourceType"] = json!("Directory");
    st["reconciledAt"] = json!(now);
    st
}

fn remove(v: &mut Value, key: &str) {
    if let Some(m) = v.as_object_mut() {
        m.remove(key);
    }
}

/// `status.operationState` for a sync of `operation`.
pub struct OpState<'a> {
    pub operation: &'a Value,
    pub phase: &'a str,
    pub message: &'a str,
    pub started_at: &'a str,
    pub finished_at: Option<&'a str>,
    pub revision: &'a str,
    pub resources: Option<&'a [Value]>,
    pub source: &'a Value,
}

impl OpState<'_> {
    pub fn to_json(&self) -> Value {
        let mut op = self.operation.clone();
        if !op["sync"].is_object() {
            op["sync"] = json!({});
        }
        op["sync"]["revision"] = json!(self.revision);
        let mut s = json!({
            "operation": op,
            "phase": self.phase,
            "message": self.message,
            "startedAt": self.started_at,
        });
        if let Some(f) = self.finished_at {
            s["finishedAt"] = json!(f);
        }
        if let Some(r) = self.resources {
            s["syncResult"] =
                json!({"revision": self.revision, "source": self.source, "resources": r});
        }
        s
    }
}

/// Append a successful deployment to `status.history`, keeping the last ten.
pub fn push_history(
    st: &mut Value,
    revision: &str,
    started: &str,
    now: &str,
    initiated_by: &Value,
    source: &Value,
) {
    let mut history = st
        .get("history")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let id = history
        .iter()
        .filter_map(|h| h["id"].as_i64())
        .max()
        .map_or(0, |m| m + 1);
    history.push(json!({
        "id": id,
        "revision": revision,
        "deployStartedAt": started,
        "deployedAt": now,
        "initiatedBy": initiated_by,
        "source": source,
    }));
    let skip = history.len().saturating_sub(HISTORY_LIMIT);
    st["history"] = Value::Array(history.into_iter().skip(skip).collect());
}
