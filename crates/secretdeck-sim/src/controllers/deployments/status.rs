//! A Deployment's status as the deployment controller reports it.

use serde_json::{Value, json};

/// Pod counts of one Deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// `spec.replicas`.
    pub desired: i64,
    /// All its pods.
    pub total: i64,
    /// Pods of the current template.
    pub updated: i64,
    pub ready: i64,
}

impl Counts {
    /// Rolled out: every pod is of the current template and ready.
    pub fn complete(&self) -> bool {
        self.updated == self.desired && self.total == self.desired && self.ready >= self.desired
    }
}

/// Where the rollout stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Paused,
    Complete,
    Rolling,
    DeadlineExceeded,
}

fn condition(
    prev: &Value,
    kind: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: &str,
) -> Value {
    let old = prev
        .get("conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| c["type"] == kind));
    let same_status = old.is_some_and(|c| c["status"] == status);
    let same_all =
        same_status && old.is_some_and(|c| c["reason"] == reason && c["message"] == message);
    let transition = match old {
        Some(c) if same_status => c["lastTransitionTime"].clone(),
        _ => json!(now),
    };
    let update = match old {
        Some(c) if same_all => c["lastUpdateTime"].clone(),
        _ => json!(now),
    };
    json!({
        "type": kind,
        "status": status,
        "reason": reason,
        "message": message,
        "lastUpdateTime": update,
        "lastTransitionTime": transition,
    })
}

/// The status for `deploy` with pods counted in `c`; `rs` names the current
/// template's pod group (what a ReplicaSet name would be).
pub fn deployment_status(
    deploy: &Value,
    c: Counts,
    progress: Progress,
    rs: &str,
    now: &str,
) -> Value {
    let prev = deploy.get("status").cloned().unwrap_or_else(|| json!({}));
    let available = c.ready;
    let (a_status, a_reason, a_msg) = if available >= c.desired {
        (
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
        )
    } else {
        (
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
        )
    };
    let (p_status, p_reason, p_msg) = match progress {
        Progress::Paused => (
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused".to_string(),
        ),
        Progress::Complete => (
            "True",
            "NewReplicaSetAvailable",
            format!("ReplicaSet \"{rs}\" has successfully progressed."),
        ),
        Progress::Rolling => (
            "True",
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{rs}\" is progressing."),
        ),
        Progress::DeadlineExceeded => (
            "False",
            "ProgressDeadlineExceeded",
            format!("ReplicaSet \"{rs}\" has timed out progressing."),
        ),
    };
    let mut status = json!({
        "observedGeneration": deploy["metadata"]["generation"].as_i64().unwrap_or(1),
        "replicas": c.total,
        "updatedReplicas": c.updated,
        "readyReplicas": c.ready,
        "availableReplicas": available,
        "conditions": [
            condition(&prev, "Available", a_status, a_reason, a_msg, now),
            condition(&prev, "Progressing", p_status, p_reason, &p_msg, now),
        ],
    });
    let unavailable = (c.desired - available).max(0);
    if unavailable > 0 {
        status["unavailableReplicas"] = json!(unavailable);
    }
    status
}
