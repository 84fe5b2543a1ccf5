//! The health roll-up of one app: the worst of Argo CD health and sync,
//! ExternalSecret and store readiness, stale pods and recent warning
//! events, each problem in words — in the order of the chain AWS → store
//! → ExternalSecret → Secret → pods → Argo CD, so the first problem is the
//! earliest cause, not the symptom Argo CD reports last.

use super::views::Severity;
use super::{HealthStatus, SyncStatus};

/// What the roll-up looks at, gathered by the join.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RollupInput {
    pub health: Option<HealthStatus>,
    pub health_message: Option<String>,
    pub sync: Option<SyncStatus>,
    /// A failed Argo CD operation: its message.
    pub operation_failed: Option<String>,
    /// (name, ready, why) per ExternalSecret; `why` is the provider's
    /// error when known, else the condition's reason.
    pub external_secrets: Vec<(String, bool, Option<String>)>,
    /// (kind, name, exists, ready, why) per store used.
    pub stores: Vec<(String, String, bool, bool, Option<String>)>,
    /// Target Secrets of ready-or-not ExternalSecrets that do not exist.
    pub missing_secrets: Vec<String>,
    pub stale_pods_secret: usize,
    pub stale_pods_config: usize,
    /// (reason, message) of recent warning events, newest first.
    pub warnings: Vec<(String, String)>,
    /// `Kind name` of each resource Argo CD reports OutOfSync.
    pub out_of_sync: Vec<String>,
}

pub fn roll_up(input: &RollupInput) -> (Severity, Vec<String>) {
    let mut problems: Vec<(Severity, String)> = Vec::new();
    // AWS and the store.
    for (kind, name, exists, ready, reason) in &input.stores {
        if !exists {
            problems.push((Severity::Error, format!("{kind} {name} not found")));
        } else if !ready {
            let why = reason.as_deref().unwrap_or("not ready");
            problems.push((Severity::Error, format!("{kind} {name}: {why}")));
        }
    }
    // The ExternalSecrets, then the Secrets they write.
    for (name, ready, reason) in &input.external_secrets {
        if !ready {
            let why = reason.as_deref().unwrap_or("not ready");
            problems.push((Severity::Error, format!("ExternalSecret {name}: {why}")));
        }
    }
    for name in &input.missing_secrets {
        problems.push((Severity::Error, format!("Secret {name} does not exist")));
    }
    // The pods.
    if input.stale_pods_secret > 0 {
        problems.push((
            Severity::Warn,
            format!(
                "{} run an old secret (restart needed)",
                pods(input.stale_pods_secret)
            ),
        ));
    }
    if input.stale_pods_config > 0 {
        problems.push((
            Severity::Warn,
            format!(
                "{} run an old config map (restart needed)",
                pods(input.stale_pods_config)
            ),
        ));
    }
    if let Some((reason, message)) = input.warnings.first() {
        let n = input.warnings.len();
        let what = if n == 1 {
            "1 warning event".to_string()
        } else {
            format!("{n} warning events")
        };
        problems.push((Severity::Warn, format!("{what}: {reason}: {message}")));
    }
    // Argo CD last: its health and sync are the symptoms of the above.
    if let Some(m) = &input.operation_failed {
        problems.push((Severity::Error, format!("Argo CD sync failed: {m}")));
    }
    if let Some(health) = input.health {
        let sev = match health {
            HealthStatus::Healthy => Severity::Ok,
            HealthStatus::Degraded | HealthStatus::Missing => Severity::Error,
            _ => Severity::Warn,
        };
        if sev != Severity::Ok {
            let msg = match input.health_message.as_deref().filter(|m| !m.is_empty()) {
                Some(m) => format!("Argo CD: {} ({m})", health.as_str()),
                None => format!("Argo CD: {}", health.as_str()),
            };
            problems.push((sev, msg));
        }
    }
    match input.sync {
        Some(SyncStatus::OutOfSync) if input.out_of_sync.is_empty() => {
            problems.push((Severity::Warn, "Argo CD: OutOfSync".to_string()));
        }
        Some(SyncStatus::OutOfSync) => {
            let n = input.out_of_sync.len();
            let mut which = input.out_of_sync[..n.min(3)].join(", ");
            if n > 3 {
                which.push_str(&format!(" and {} more", n - 3));
            }
            problems.push((Severity::Warn, format!("OutOfSync: {which}")));
        }
        Some(SyncStatus::Unknown) => {
            problems.push((Severity::Warn, "Argo CD: sync Unknown".to_string()));
        }
        _ => {}
    }
    let severity = problems.iter().map(|p| p.0).max().unwrap_or(Severity::Ok);
    (severity, problems.into_iter().map(|p| p.1).collect())
}

fn pods(n: usize) -> String {
    if n == 1 {
        "1 pod".to_string()
    } else {
        format!("{n} pods")
    }
}
