//! `Pod` (core/v1): owner, labels, phase, start time, readiness, restarts
//! and why a container waits.

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
    pub phase: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub start_time: Option<String>,
    #[serde(deserialize_with = "lenient::vec")]
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
    pub name: Option<String>,
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
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Waiting {
    #[serde(deserialize_with = "lenient::text")]
    pub reason: Option<String>,
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

    /// `status.startTime`, else the pod's creation.
    pub fn started(&self) -> Option<DateTime<Utc>> {
        let start = self.status.as_ref().and_then(|s| s.start_time.as_deref());
        opt_time(start).or_else(|| self.metadata.created())
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
