//! The health roll-up of one app: the worst of Argo CD health and sync,
//! ExternalSecret and store readiness, stale pods and recent warning
//! events, each problem in words, worst first.

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
    /// (name, ready, reason, message) per ExternalSecret.
    pub external_secrets: Vec<(String, bool, Option<String>)>,
    /// (kind, name, exists, ready, reason) per store used.
    pub stores: Vec<(String, String, bool, bool, Option<String>)>,
    pub stale_pods_secret: usize,
    pub stale_pods_config: usize,
    /// (reason, message) of recent warning events, newest first.
    pub warnings: Vec<(String, String)>,
}

pub fn roll_up(input: &RollupInput) -> (Severity, Vec<String>) {
    let mut problems: Vec<(Severity, String)> = Vec::new();
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
    if let Some(m) = &input.operation_failed {
        problems.push((Severity::Error, format!("Argo CD sync failed: {m}")));
    }
    match input.sync {
        Some(SyncStatus::OutOfSync) => {
            problems.push((Severity::Warn, "Argo CD: OutOfSync".to_string()));
        }
        Some(SyncStatus::Unknown) => {
            problems.push((Severity::Warn, "Argo CD: sync Unknown".to_string()));
        }
        _ => {}
    }
    for (kind, name, exists, ready, reason) in &input.stores {
        if !exists {
            problems.push((Severity::Error, format!("{kind} {name} not found")));
        } else if !ready {
            let why = reason.as_deref().unwrap_or("not ready");
            problems.push((Severity::Error, format!("{kind} {name}: {why}")));
        }
    }
    for (name, ready, reason) in &input.external_secrets {
        if !ready {
            let why = reason.as_deref().unwrap_or("not ready");
            problems.push((Severity::Error, format!("ExternalSecret {name}: {why}")));
        }
    }
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
    // Stable: within a severity, the order above (Argo, stores, secrets, pods, events).
    problems.sort_by_key(|p| std::cmp::Reverse(p.0));
    let severity = problems.first().map_or(Severity::Ok, |p| p.0);
    (severity, problems.into_iter().map(|p| p.1).collect())
}

fn pods(n: usize) -> String {
    if n == 1 {
        "1 pod".to_string()
    } else {
        format!("{n} pods")
    }
}
