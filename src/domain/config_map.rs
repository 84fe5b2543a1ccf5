//! `ConfigMap` (values are not secret: the console shows them).

use super::common::{HasMeta, Meta};
use super::lenient;
use super::str_map::StrMap;
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConfigMapObj {
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    #[serde(deserialize_with = "lenient::string_map")]
    pub data: StrMap,
    /// Only the keys of `binaryData` are kept.
    #[serde(deserialize_with = "keys_only")]
    pub binary_data: Vec<String>,
}

impl HasMeta for ConfigMapObj {
    const KIND: &'static str = "ConfigMap";
    fn meta(&self) -> &Meta {
        &self.metadata
    }
}

fn keys_only<'de, D>(d: D) -> Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Object(m) => m.into_iter().map(|(k, _)| k).collect(),
        _ => Vec::new(),
    })
}
