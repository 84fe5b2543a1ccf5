//! Deployment, StatefulSet and DaemonSet as one `Workload`: replicas and
//! status, the pod selector, and how its pod template consumes Secrets and
//! ConfigMaps.

use super::Text;
use super::common::{Condition, HasMeta, Meta};
use super::lenient;
use super::selector::LabelSelector;
use super::views::{Channel, ObjRef};
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Workload {
    /// `Deployment`, `StatefulSet` or `DaemonSet`.
    #[serde(deserialize_with = "lenient::text")]
    pub kind: Option<Text>,
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    #[serde(deserialize_with = "lenient::or_default")]
    pub spec: WorkloadSpec,
    #[serde(deserialize_with = "lenient::or_default")]
    pub status: WorkloadStatus,
}

impl HasMeta for Workload {
    const KIND: &'static str = "Workload";
    fn meta(&self) -> &Meta {
        &self.metadata
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct WorkloadSpec {
    #[serde(deserialize_with = "lenient::opt")]
    pub replicas: Option<i32>,
    #[serde(deserialize_with = "lenient::opt")]
    pub paused: Option<bool>,
    #[serde(deserialize_with = "lenient::opt")]
    pub selector: Option<LabelSelector>,
    #[serde(deserialize_with = "lenient::or_default")]
    pub template: PodTemplate,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PodTemplate {
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    #[serde(deserialize_with = "lenient::or_default")]
    pub spec: PodSpec,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSpec {
    #[serde(deserialize_with = "lenient::vec")]
    pub containers: Vec<Container>,
    #[serde(deserialize_with = "lenient::vec")]
    pub init_containers: Vec<Container>,
    #[serde(deserialize_with = "lenient::vec")]
    pub volumes: Vec<Volume>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Container {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::vec")]
    pub env: Vec<EnvVar>,
    #[serde(deserialize_with = "lenient::vec")]
    pub env_from: Vec<EnvFrom>,
    #[serde(deserialize_with = "lenient::vec")]
    pub volume_mounts: Vec<VolumeMount>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvVar {
    #[serde(deserialize_with = "lenient::opt")]
    pub value_from: Option<EnvSource>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvSource {
    #[serde(deserialize_with = "lenient::opt")]
    pub secret_key_ref: Option<NameRef>,
    #[serde(deserialize_with = "lenient::opt")]
    pub config_map_key_ref: Option<NameRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvFrom {
    #[serde(deserialize_with = "lenient::opt")]
    pub secret_ref: Option<NameRef>,
    #[serde(deserialize_with = "lenient::opt")]
    pub config_map_ref: Option<NameRef>,
}

/// `{name}` (ConfigMap references) or `{secretName}` (secret volumes).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NameRef {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub secret_name: Option<Text>,
}

impl NameRef {
    fn target(&self) -> Option<&str> {
        self.secret_name
            .as_deref()
            .or(self.name.as_deref())
            .filter(|n| !n.is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct VolumeMount {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub sub_path: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub sub_path_expr: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Volume {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub secret: Option<NameRef>,
    #[serde(deserialize_with = "lenient::opt")]
    pub config_map: Option<NameRef>,
    #[serde(deserialize_with = "lenient::opt")]
    pub projected: Option<Projected>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Projected {
    #[serde(deserialize_with = "lenient::vec")]
    pub sources: Vec<ProjectedSource>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ProjectedSource {
    #[serde(deserialize_with = "lenient::opt")]
    pub secret: Option<NameRef>,
    #[serde(deserialize_with = "lenient::opt")]
    pub config_map: Option<NameRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkloadStatus {
    #[serde(deserialize_with = "lenient::opt")]
    pub replicas: Option<i32>,
    #[serde(deserialize_with = "lenient::opt")]
    pub ready_replicas: Option<i32>,
    #[serde(deserialize_with = "lenient::opt")]
    pub updated_replicas: Option<i32>,
    #[serde(deserialize_with = "lenient::opt")]
    pub available_replicas: Option<i32>,
    // DaemonSet counts.
    #[serde(deserialize_with = "lenient::opt")]
    pub desired_number_scheduled: Option<i32>,
    #[serde(deserialize_with = "lenient::opt")]
    pub number_ready: Option<i32>,
    #[serde(deserialize_with = "lenient::opt")]
    pub updated_number_scheduled: Option<i32>,
    #[serde(deserialize_with = "lenient::opt")]
    pub number_available: Option<i32>,
    #[serde(deserialize_with = "lenient::vec")]
    pub conditions: Vec<Condition>,
}

/// One way a container of the pod template reads a Secret or ConfigMap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumption {
    /// Kind `Secret` or `ConfigMap`, in the workload's namespace.
    pub target: ObjRef,
    pub channel: Channel,
    pub container: String,
}

impl Workload {
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("Deployment")
    }

    pub fn obj_ref(&self) -> ObjRef {
        ObjRef::new(self.kind(), self.metadata.namespace(), self.metadata.name())
    }

    /// (desired, ready, updated, available) replicas.
    pub fn counts(&self) -> (i32, i32, i32, i32) {
        let s = &self.status;
        if self.kind() == "DaemonSet" {
            let d = s.desired_number_scheduled.unwrap_or(0);
            return (
                d,
                s.number_ready.unwrap_or(0),
                s.updated_number_scheduled.unwrap_or(0),
                s.number_available.unwrap_or(0),
            );
        }
        (
            self.spec.replicas.unwrap_or(1),
            s.ready_replicas.unwrap_or(0),
            s.updated_replicas.unwrap_or(0),
            s.available_replicas.unwrap_or(0),
        )
    }

    /// Every Secret/ConfigMap the pod template reads, per container (init
    /// containers included), by channel.
    pub fn consumptions(&self) -> Vec<Consumption> {
        let ns = self.metadata.namespace();
        let spec = &self.spec.template.spec;
        let mut out = Vec::new();
        let mut push = |kind: &str, name: &str, channel: Channel, container: &str| {
            let c = Consumption {
                target: ObjRef::new(kind, ns, name),
                channel,
                container: container.to_string(),
            };
            if !out.contains(&c) {
                out.push(c);
            }
        };
        for c in spec.init_containers.iter().chain(&spec.containers) {
            let cname = c.name.as_deref().unwrap_or("");
            for e in &c.env {
                let Some(src) = &e.value_from else { continue };
                if let Some(n) = src.secret_key_ref.as_ref().and_then(NameRef::target) {
                    push("Secret", n, Channel::Env, cname);
                }
                if let Some(n) = src.config_map_key_ref.as_ref().and_then(NameRef::target) {
                    push("ConfigMap", n, Channel::Env, cname);
                }
            }
            for e in &c.env_from {
                if let Some(n) = e.secret_ref.as_ref().and_then(NameRef::target) {
                    push("Secret", n, Channel::EnvFrom, cname);
                }
                if let Some(n) = e.config_map_ref.as_ref().and_then(NameRef::target) {
                    push("ConfigMap", n, Channel::EnvFrom, cname);
                }
            }
            for m in &c.volume_mounts {
                let Some(vol) = spec.volumes.iter().find(|v| v.name == m.name) else {
                    continue;
                };
                let sub_path = m.sub_path.as_deref().is_some_and(|s| !s.is_empty())
                    || m.sub_path_expr.as_deref().is_some_and(|s| !s.is_empty());
                let whole = if sub_path {
                    Channel::SubPathVolume
                } else {
                    Channel::Volume
                };
                if let Some(n) = vol.secret.as_ref().and_then(NameRef::target) {
                    push("Secret", n, whole.clone(), cname);
                }
                if let Some(n) = vol.config_map.as_ref().and_then(NameRef::target) {
                    push("ConfigMap", n, whole.clone(), cname);
                }
                let projected = if sub_path {
                    Channel::SubPathVolume
                } else {
                    Channel::Projected
                };
                for s in vol.projected.iter().flat_map(|p| &p.sources) {
                    if let Some(n) = s.secret.as_ref().and_then(NameRef::target) {
                        push("Secret", n, projected.clone(), cname);
                    }
                    if let Some(n) = s.config_map.as_ref().and_then(NameRef::target) {
                        push("ConfigMap", n, projected.clone(), cname);
                    }
                }
            }
        }
        out
    }
}
