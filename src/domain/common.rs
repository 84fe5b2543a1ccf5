//! Metadata and conditions shared by every kind, and the JSON entry point.

use super::Text;
use super::lenient;
use super::str_map::StrMap;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The part of `metadata` the console reads.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Meta {
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub namespace: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub uid: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub resource_version: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub generation: Option<i64>,
    #[serde(deserialize_with = "lenient::text")]
    pub creation_timestamp: Option<Text>,
    #[serde(deserialize_with = "lenient::string_map")]
    pub labels: StrMap,
    #[serde(deserialize_with = "lenient::string_map")]
    pub annotations: StrMap,
    #[serde(deserialize_with = "lenient::vec")]
    pub owner_references: Vec<OwnerRef>,
    /// From `managedFields`: when a manager last wrote `data` (see
    /// `time::newest_data_change`); `None` when no entry owns the data.
    #[serde(rename = "managedFields", deserialize_with = "super::time::data_write")]
    pub data_write: DataWrite,
}

/// The newest write to an object's `data` by managedFields: when, and by
/// which manager (e.g. `argocd-controller`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataWrite {
    pub at: Option<DateTime<Utc>>,
    pub by: Option<String>,
}

/// One `metadata.ownerReferences` entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct OwnerRef {
    #[serde(deserialize_with = "lenient::text")]
    pub kind: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub uid: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub controller: Option<bool>,
}

impl Meta {
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }

    pub fn created(&self) -> Option<DateTime<Utc>> {
        super::time::opt_time(self.creation_timestamp.as_deref())
    }

    /// When the object's data last changed: the managedFields time of its
    /// data's manager, else its creation time.
    pub fn data_changed(&self) -> Option<DateTime<Utc>> {
        self.data_write.at.or_else(|| self.created())
    }

    /// The controlling owner (or the first owner when none is marked).
    pub fn controller(&self) -> Option<&OwnerRef> {
        self.owner_references
            .iter()
            .find(|o| o.controller == Some(true))
            .or_else(|| self.owner_references.first())
    }

    pub fn key(&self) -> ObjKey {
        ObjKey {
            namespace: self.namespace().to_string(),
            name: self.name().to_string(),
        }
    }
}

/// Identity of a namespaced (or cluster-scoped: empty namespace) object.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjKey {
    pub namespace: String,
    pub name: String,
}

impl ObjKey {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjKey {
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for ObjKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

/// A status condition (`Ready`, `Deleted`, Argo CD's `SyncError`, ...).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type", deserialize_with = "lenient::text")]
    pub type_: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub status: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub reason: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub message: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub last_transition_time: Option<Text>,
}

impl Condition {
    pub fn is(&self, type_: &str) -> bool {
        self.type_.as_deref() == Some(type_)
    }

    pub fn is_true(&self) -> bool {
        self.status.as_deref() == Some("True")
    }
}

/// The object could not be read at all (not a JSON object, or no name).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("{kind} is not an object")]
    NotAnObject { kind: &'static str },
    #[error("{kind} has no metadata.name")]
    NoName { kind: &'static str },
}

/// Anything with metadata.
pub trait HasMeta {
    const KIND: &'static str;
    fn meta(&self) -> &Meta;
}

/// Read one object from its JSON form (a `kubectl get -o json` item, or a
/// `DynamicObject` serialized). Unknown fields are ignored and malformed
/// ones become `None`; only a non-object or a missing name is an error.
pub fn from_value<T: DeserializeOwned + HasMeta>(
    value: serde_json::Value,
) -> Result<T, ParseError> {
    if !value.is_object() {
        return Err(ParseError::NotAnObject { kind: T::KIND });
    }
    let obj: T =
        serde_json::from_value(value).map_err(|_| ParseError::NotAnObject { kind: T::KIND })?;
    if obj.meta().name().is_empty() {
        return Err(ParseError::NoName { kind: T::KIND });
    }
    Ok(obj)
}

pub(crate) fn ready_condition(conditions: &[Condition]) -> Option<&Condition> {
    conditions.iter().find(|c| c.is("Ready"))
}
