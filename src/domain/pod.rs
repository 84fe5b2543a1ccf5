//! `Pod` (core/v1): owner, labels, phase, start time, readiness, restarts
//! and why a container waits.

use super::Text;
use super::common::{Condition, HasMeta, Meta};
use super::lenient;
use super::time::opt_time;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Pod {
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    #[serde(deserialize_with = "lenient::opt")]
    pub status: Option<PodStatus>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodStatus {
    #[serde(deserialize_with = "lenient::text")]
    pub phase: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub start_time: Option<Text>,
    /// Only the Ready condition: the one the console reads (20,000 pods
    /// carry four each).
    #[serde(deserialize_with = "ready_only")]
    pub conditions: Vec<Condition>,
    #[serde(deserialize_with = "lenient::vec")]
    pub container_statuses: Vec<ContainerStatus>,
    #[serde(deserialize_with = "lenient::vec")]
    pub init_container_statuses: Vec<ContainerStatus>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStatus {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub ready: Option<bool>,
    #[serde(deserialize_with = "lenient::opt")]
    pub restart_count: Option<i32>,
    #[serde(deserialize_with = "lenient::opt")]
    pub state: Option<ContainerState>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ContainerState {
    #[serde(deserialize_with = "lenient::opt")]
    pub waiting: Option<Waiting>,
    #[serde(deserialize_with = "lenient::opt")]
    pub running: Option<Running>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Running {
    #[serde(deserialize_with = "lenient::text")]
    pub started_at: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Waiting {
    #[serde(deserialize_with = "lenient::text")]
    pub reason: Option<Text>,
}

fn ready_only<'de, D>(d: D) -> Result<Vec<Condition>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let mut ready: Vec<Condition> = lenient::vec(d)?;
    ready.retain(|c| c.is("Ready"));
    // Held for every pod: room for the one kept, not the four read.
    ready.shrink_to_fit();
    Ok(ready)
}

impl HasMeta for Pod {
    const KIND: &'static str = "Pod";
    fn meta(&self) -> &Meta {
        &self.metadata
    }
}

impl Pod {
    pub fn phase(&self) -> &str {
        self.status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("Unknown")
    }

    /// When its containers read their environment and mounts: the
    /// earliest `running.startedAt` of its containers (a restarted
    /// container counts from its restart), else `status.startTime`, else
    /// the pod's creation.
    pub fn started(&self) -> Option<DateTime<Utc>> {
        let status = self.status.as_ref();
        let running = status.and_then(|s| {
            s.container_statuses
                .iter()
                .filter_map(|c| {
                    let r = c.state.as_ref()?.running.as_ref()?;
                    opt_time(r.started_at.as_deref())
                })
                .min()
        });
        let start = status.and_then(|s| s.start_time.as_deref());
        running
            .or_else(|| opt_time(start))
            .or_else(|| self.metadata.created())
    }

    /// The Ready condition is True.
    pub fn is_ready(&self) -> bool {
        self.status.as_ref().is_some_and(|s| {
            s.conditions
                .iter()
                .find(|c| c.is("Ready"))
                .is_some_and(Condition::is_true)
        })
    }

    pub fn restarts(&self) -> i32 {
        self.status.as_ref().map_or(0, |s| {
            s.container_statuses
                .iter()
                .filter_map(|c| c.restart_count)
                .sum()
        })
    }

    /// The first waiting reason (init containers first), e.g. `ImagePullBackOff`.
    pub fn waiting_reason(&self) -> Option<&str> {
        let s = self.status.as_ref()?;
        s.init_container_statuses
            .iter()
            .chain(&s.container_statuses)
            .find_map(|c| c.state.as_ref()?.waiting.as_ref()?.reason.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::from_value;

    #[test]
    fn keeps_only_the_ready_condition_and_still_reads_readiness() {
        let cond = |t: &str, s: &str| serde_json::json!({"type": t, "status": s});
        let pod = |ready: &str| {
            serde_json::json!({
                "metadata": {"name": "p", "namespace": "n"},
                "status": {"conditions": [
                    cond("PodScheduled", "True"), cond("Initialized", "True"),
                    cond("ContainersReady", ready), cond("Ready", ready)]}
            })
        };
        let up: Pod = from_value(pod("True")).expect("parses");
        let conditions = &up.status.as_ref().expect("status").conditions;
        assert_eq!(conditions.len(), 1);
        assert_eq!(conditions.capacity(), 1, "no room kept for the others");
        assert!(conditions[0].is("Ready"));
        assert!(up.is_ready());
        let down: Pod = from_value(pod("False")).expect("parses");
        assert!(!down.is_ready());
    }
}
