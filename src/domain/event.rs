//! Kubernetes `Event` (core/v1): what happened to which object.

use super::Text;
use super::common::{HasMeta, Meta};
use super::lenient;
use super::time::opt_time;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EventObj {
    #[serde(deserialize_with = "lenient::or_default")]
    pub metadata: Meta,
    #[serde(deserialize_with = "lenient::or_default")]
    pub involved_object: InvolvedObject,
    #[serde(deserialize_with = "lenient::text")]
    pub reason: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub message: Option<Text>,
    /// `Normal` or `Warning`.
    #[serde(rename = "type", deserialize_with = "lenient::text")]
    pub type_: Option<Text>,
    #[serde(deserialize_with = "lenient::opt")]
    pub count: Option<i32>,
    #[serde(deserialize_with = "lenient::text")]
    pub first_timestamp: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub last_timestamp: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub event_time: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct InvolvedObject {
    #[serde(deserialize_with = "lenient::text")]
    pub kind: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub namespace: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub name: Option<Text>,
    #[serde(deserialize_with = "lenient::text")]
    pub uid: Option<Text>,
}

impl HasMeta for EventObj {
    const KIND: &'static str = "Event";
    fn meta(&self) -> &Meta {
        &self.metadata
    }
}

impl EventObj {
    pub fn is_warning(&self) -> bool {
        self.type_.as_deref() == Some("Warning")
    }

    /// When it last happened: `lastTimestamp`, else `eventTime`, else
    /// `firstTimestamp`, else the object's creation.
    pub fn last_seen(&self) -> Option<DateTime<Utc>> {
        opt_time(self.last_timestamp.as_deref())
            .or_else(|| opt_time(self.event_time.as_deref()))
            .or_else(|| opt_time(self.first_timestamp.as_deref()))
            .or_else(|| self.metadata.created())
    }

    /// Whether it is about `kind` `namespace/name`.
    pub fn is_about(&self, kind: &str, namespace: &str, name: &str) -> bool {
        let o = &self.involved_object;
        o.kind.as_deref() == Some(kind)
            && o.name.as_deref() == Some(name)
            && o.namespace.as_deref().unwrap_or(self.metadata.namespace()) == namespace
    }
}
