//! The Restart step: every chosen workload restarted (`ops::restart`, as
//! `kubectl rollout restart` does; a paused Deployment is refused) and
//! followed until it is Available again, within the flow's time budget.

use super::{OpsEnv, Report, tell};
use crate::domain::rotation::{StepId, StepState, WorkloadRef};
use crate::ops::restart::{follow, restart};

/// Restart each workload and follow it to Available.
pub async fn restart_all(
    env: &OpsEnv,
    workloads: &[WorkloadRef],
    report: &Report,
) -> Result<Vec<String>, String> {
    let now = chrono::Utc::now();
    let mut started = Vec::new();
    for w in workloads {
        let generation = restart(&env.kube, &w.kind, &w.namespace, &w.name, now).await?;
        started.push((w, generation));
    }
    let deadline = tokio::time::Instant::now() + env.timeout;
    let mut done = Vec::new();
    for (w, generation) in started {
        tell(
            report,
            StepId::Restart,
            StepState::Running(format!("{}: rolling out", w.label())),
        );
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let result = follow(&env.kube, &w.kind, &w.namespace, &w.name, generation, left).await;
        if !result.is_ok() {
            return Err(format!("{}: {}", w.label(), result.message));
        }
        done.push(w.label());
    }
    Ok(done)
}
