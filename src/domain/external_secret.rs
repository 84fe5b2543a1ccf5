//! External Secrets Operator `ExternalSecret` (served as `v1` or `v1beta1`:
//! the fields read here are the same in both).

use super::Text;
use super::common::{Condition, HasMeta, Meta, ready_condition};
use super::lenient;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ExternalSecret {
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    #[serde(deserialize_with = "lenient::or_default")]
    pub spec: EsSpec,
    #[serde(deserialize_with = "lenient::opt")]
    pub status: Option<EsStatus>,
}

impl HasMeta for ExternalSecret {
    const KIND: &'static str = "ExternalSecret";
    fn meta(&self) -> &Meta {
        &self.metadata
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EsSpec {
    #[serde(deserialize_with = "lenient::opt")]
    pub secret_store_ref: Option<StoreRef>,
    /// Go duration text, e.g. `1h`, `1h0m0s`, `0s` (sync once).
    #[serde(deserialize_with = "lenient::text")]
    pub refresh_interval: Option<Text>,
    /// `CreatedOnce`, `Periodic` or `OnChange`.
    #[serde(deserialize_with = "lenient::text")]
    pub refresh_policy: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub target: Option<Target>,
    #[serde(deserialize_with = "lenient::vec")]
    pub data: Vec<EsData>,
    #[serde(deserialize_with = "lenient::vec")]
    pub data_from: Vec<DataFrom>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StoreRef {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    /// `SecretStore` (the default) or `ClusterSecretStore`.
    #[serde(deserialize_with = "lenient::text")]
    pub kind: Option<Text>,
}

impl StoreRef {
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("SecretStore")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Target {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub creation_policy: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub deletion_policy: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub template: Option<Template>,
    #[serde(deserialize_with = "lenient::opt")]
    pub immutable: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Template {
    #[serde(rename = "type", deserialize_with = "lenient::text")]
    pub type_: Option<Text>,
    /// Target key -> template text (e.g. `{{ .key }}`).
    #[serde(deserialize_with = "lenient::string_map")]
    pub data: BTreeMap<String, String>,
    #[serde(deserialize_with = "lenient::text")]
    pub merge_policy: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EsData {
    #[serde(deserialize_with = "lenient::text")]
    pub secret_key: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub remote_ref: Option<RemoteRef>,
}

/// Where a value comes from in the provider (for AWS: the secret name,
/// one JSON property, a version stage or `uuid/<version id>`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RemoteRef {
    #[serde(deserialize_with = "lenient::text")]
    pub key: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub property: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub version: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DataFrom {
    #[serde(deserialize_with = "lenient::opt")]
    pub extract: Option<RemoteRef>,
    /// `find` and `sourceRef` are kept raw: the console only reports them.
    pub find: Option<serde_json::Value>,
    pub source_ref: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EsStatus {
    #[serde(deserialize_with = "lenient::text")]
    pub refresh_time: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub synced_resource_version: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub binding: Option<Binding>,
    #[serde(deserialize_with = "lenient::vec")]
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Binding {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
}

impl ExternalSecret {
    /// The `Ready` condition, when the controller has written one.
    pub fn ready_condition(&self) -> Option<&Condition> {
        self.status
            .as_ref()
            .and_then(|s| ready_condition(&s.conditions))
    }

    /// Ready=True. No status or no condition yet counts as not ready.
    pub fn is_ready(&self) -> bool {
        self.ready_condition().is_some_and(Condition::is_true)
    }

    /// The Secret it writes (`spec.target.name`, defaulting to its own name).
    pub fn target_name(&self) -> &str {
        self.spec
            .target
            .as_ref()
            .and_then(|t| t.name.as_deref())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| self.metadata.name())
    }

    /// Every remote key it reads (`data[].remoteRef.key`, `dataFrom[].extract.key`).
    pub fn remote_keys(&self) -> Vec<&str> {
        let data = self
            .spec
            .data
            .iter()
            .filter_map(|d| d.remote_ref.as_ref()?.key.as_deref());
        let from = self
            .spec
            .data_from
            .iter()
            .filter_map(|d| d.extract.as_ref()?.key.as_deref());
        data.chain(from).collect()
    }
}
