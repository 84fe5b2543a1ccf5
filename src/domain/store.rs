//! `SecretStore` and `ClusterSecretStore` (one type: same spec and status).

use super::Text;
use super::common::{Condition, HasMeta, Meta, ready_condition};
use super::lenient;
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SecretStore {
    /// `SecretStore` or `ClusterSecretStore`.
    #[serde(deserialize_with = "lenient::text")]
    pub kind: Option<Text>,
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    #[serde(deserialize_with = "lenient::or_default")]
    pub spec: StoreSpec,
    #[serde(deserialize_with = "lenient::opt")]
    pub status: Option<StoreStatus>,
}

impl HasMeta for SecretStore {
    const KIND: &'static str = "SecretStore";
    fn meta(&self) -> &Meta {
        &self.metadata
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StoreSpec {
    #[serde(deserialize_with = "lenient::opt")]
    pub provider: Option<Provider>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Provider {
    #[serde(deserialize_with = "lenient::opt")]
    pub aws: Option<AwsProvider>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AwsProvider {
    /// `SecretsManager` or `ParameterStore`.
    #[serde(deserialize_with = "lenient::text")]
    pub service: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub region: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub role: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub auth: Option<AwsAuth>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AwsAuth {
    #[serde(deserialize_with = "lenient::opt")]
    pub jwt: Option<JwtAuth>,
    /// Static credentials from a Secret: only its presence is reported.
    pub secret_ref: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct JwtAuth {
    #[serde(deserialize_with = "lenient::opt")]
    pub service_account_ref: Option<ServiceAccountRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ServiceAccountRef {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub namespace: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StoreStatus {
    #[serde(deserialize_with = "lenient::vec")]
    pub conditions: Vec<Condition>,
}

impl SecretStore {
    pub fn is_cluster_store(&self) -> bool {
        self.kind.as_deref() == Some("ClusterSecretStore")
    }

    pub fn aws(&self) -> Option<&AwsProvider> {
        self.spec.provider.as_ref()?.aws.as_ref()
    }

    /// The AWS region the store reads from, when it names one.
    pub fn region(&self) -> Option<&str> {
        self.aws()?.region.as_deref()
    }

    pub fn ready_condition(&self) -> Option<&Condition> {
        self.status
            .as_ref()
            .and_then(|s| ready_condition(&s.conditions))
    }

    pub fn is_ready(&self) -> bool {
        self.ready_condition().is_some_and(Condition::is_true)
    }
}
