//! A Kubernetes Secret as the console knows it: metadata only (labels,
//! annotations, owners, when its data changed). Values are never read.

use super::Text;
use super::common::{HasMeta, Meta};
use super::lenient;
use crate::domain::OwnedText;
use serde::Deserialize;

pub const MANAGED_LABEL: &str = "reconcile.external-secrets.io/managed";
pub const DATA_HASH: &str = "reconcile.external-secrets.io/data-hash";

/// Built from a metadata-only object (`PartialObjectMetadata`) or from a
/// full Secret, whose `data` and `stringData` are ignored, never kept.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SecretMeta {
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    /// `type` (absent from metadata-only reads).
    #[serde(rename = "type", deserialize_with = "lenient::text")]
    pub type_: Option<Text>,
}

impl HasMeta for SecretMeta {
    const KIND: &'static str = "Secret";
    fn meta(&self) -> &Meta {
        &self.metadata
    }
}

impl SecretMeta {
    /// ESO's hash of the data (changes when the value changes).
    pub fn data_hash(&self) -> Option<&str> {
        self.metadata.annotations.get(DATA_HASH)
    }

    /// The ExternalSecret that writes it: its controller owner of kind
    /// ExternalSecret; `Some("")` when only ESO's managed label says so.
    pub fn managed_by(&self) -> Option<String> {
        let owner = self
            .metadata
            .owner_references
            .iter()
            .find(|o| o.kind.as_deref() == Some("ExternalSecret"))
            .and_then(|o| o.name.owned());
        owner
            .or_else(|| (self.metadata.labels.get(MANAGED_LABEL) == Some("true")).then(String::new))
    }
}
