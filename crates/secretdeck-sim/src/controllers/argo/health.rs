//! Resource health as Argo CD assesses it, and the roll-up to the app.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    Healthy,
    Suspended,
    Progressing,
    Missing,
    Degraded,
    Unknown,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Healthy => "Healthy",
            Health::Suspended => "Suspended",
            Health::Progressing => "Progressing",
            Health::Missing => "Missing",
            Health::Degraded => "Degraded",
            Health::Unknown => "Unknown",
        }
    }
}

/// A health with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessed {
    pub status: Health,
    pub message: String,
}

fn of(status: Health, message: impl Into<String>) -> Assessed {
    Assessed {
        status,
        message: message.into(),
    }
}

fn int(v: &Value, ptr: &str) -> Option<i64> {
    v.pointer(ptr).and_then(Value::as_i64)
}

fn conditions(v: &Value) -> impl Iterator<Item = &Value> {
    v.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The health of a live object (`None`: absent) of `kind`.
pub fn assess(kind: &str, live: Option<&Value>) -> Assessed {
    let Some(obj) = live else {
        return of(Health::Missing, "");
    };
    match kind {
        "Deployment" => deployment(obj),
        "ExternalSecret" => external_secret(obj),
        _ => of(Health::Healthy, ""),
    }
}

/// Argo CD's built-in Deployment check.
fn deployment(d: &Value) -> Assessed {
    let name = d
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
        return of(Health::Suspended, "Deployment is paused");
    }
    let generation = int(d, "/metadata/generation").unwrap_or(0);
    let observed = int(d, "/status/observedGeneration").unwrap_or(0);
    if observed < generation {
        return of(
            Health::Progressing,
            "Waiting for rollout to finish: observed deployment generation less than desired generation",
        );
    }
    if conditions(d)
        .any(|c| c["type"] == "Progressing" && c["reason"] == "ProgressDeadlineExceeded")
    {
        return of(
            Health::Degraded,
            format!("Deployment {name:?} exceeded its progress deadline"),
        );
    }
    let replicas = int(d, "/status/replicas").unwrap_or(0);
    let updated = int(d, "/status/updatedReplicas").unwrap_or(0);
    let available = int(d, "/status/availableReplicas").unwrap_or(0);
    if let Some(want) = int(d, "/spec/replicas").or(Some(1))
        && updated < want
    {
        return of(
            Health::Progressing,
            format!(
                "Waiting for rollout to finish: {updated} out of {want} new replicas have been updated..."
            ),
        );
    }
    if replicas > updated {
        return of(
            Health::Progressing,
            format!(
                "Waiting for rollout to finish: {} old replicas are pending termination...",
                replicas - updated
            ),
        );
    }
    if available < updated {
        return of(
            Health::Progressing,
            format!(
                "Waiting for rollout to finish: {available} of {updated} updated replicas are available..."
            ),
        );
    }
    of(Health::Healthy, "")
}

/// Argo CD's built-in (Lua) ExternalSecret check.
fn external_secret(es: &Value) -> Assessed {
    for c in conditions(es) {
        if c["type"] == "Ready" {
            let msg = c["message"].as_str().unwrap_or_default();
            if c["status"] == "False" {
                return of(Health::Degraded, msg);
            }
            if c["status"] == "True" {
                return of(Health::Healthy, msg);
            }
        }
    }
    of(Health::Progressing, "Waiting for ExternalSecret")
}

/// The worst of `items`, Healthy when there are none.
pub fn roll_up<'a>(items: impl IntoIterator<Item = &'a Assessed>) -> Assessed {
    items
        .into_iter()
        .fold(None::<&Assessed>, |worst, h| match worst {
            Some(w) if w.status >= h.status => Some(w),
            _ => Some(h),
        })
        .cloned()
        .unwrap_or_else(|| of(Health::Healthy, ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deployment_health_follows_argo() {
        let mut d = json!({"metadata": {"name": "d", "generation": 2}, "spec": {"replicas": 2},
                           "status": {"observedGeneration": 1}});
        assert_eq!(assess("Deployment", Some(&d)).status, Health::Progressing);
        d["status"] = json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 2, "availableReplicas": 1});
        let h = assess("Deployment", Some(&d));
        assert_eq!(
            h.message,
            "Waiting for rollout to finish: 1 old replicas are pending termination..."
        );
        d["status"]["replicas"] = json!(2);
        let h = assess("Deployment", Some(&d));
        assert_eq!(
            h.message,
            "Waiting for rollout to finish: 1 of 2 updated replicas are available..."
        );
        d["status"]["availableReplicas"] = json!(2);
        assert_eq!(assess("Deployment", Some(&d)).status, Health::Healthy);
        d["status"]["conditions"] = json!([{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]);
        let h = assess("Deployment", Some(&d));
        assert_eq!(
            (h.status, h.message.as_str()),
            (
                Health::Degraded,
                "Deployment \"d\" exceeded its progress deadline"
            )
        );
        assert_eq!(assess("Deployment", None).status, Health::Missing);
    }

    #[test]
    fn external_secret_health_and_roll_up() {
        let es = json!({"status": {"conditions": [{"type": "Ready", "status": "False", "message": "could not get secret"}]}});
        let bad = assess("ExternalSecret", Some(&es));
        assert_eq!(
            (bad.status, bad.message.as_str()),
            (Health::Degraded, "could not get secret")
        );
        let waiting = assess("ExternalSecret", Some(&json!({})));
        assert_eq!(waiting.status, Health::Progressing);
        let ok = assess("ConfigMap", Some(&json!({})));
        assert_eq!(roll_up([&ok, &waiting]).status, Health::Progressing);
        assert_eq!(roll_up([&ok, &bad, &waiting]).status, Health::Degraded);
        assert_eq!(roll_up([]).status, Health::Healthy);
    }
}
