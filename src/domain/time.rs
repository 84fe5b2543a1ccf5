//! Timestamps as the API writes them (RFC 3339), and `managedFields`:
//! when an object's data last changed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};

/// An RFC 3339 timestamp; anything else is `None`.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `parse_time` of an optional text field.
pub fn opt_time(s: Option<&str>) -> Option<DateTime<Utc>> {
    s.and_then(parse_time)
}

/// The top-level fields whose change is a change of the object's data.
const DATA_FIELDS: [&str; 3] = ["f:data", "f:stringData", "f:binaryData"];

/// `metadata.managedFields` -> the newest `time` among the entries that own
/// the object's data (`f:data`, `f:stringData` or `f:binaryData` in
/// `fieldsV1`). A malformed list or entry counts as absent.
pub fn data_write<'de, D>(d: D) -> Result<super::common::DataWrite, D::Error>
where
    D: Deserializer<'de>,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(newest_data_write(&v))
}

pub fn newest_data_change(managed_fields: &serde_json::Value) -> Option<DateTime<Utc>> {
    newest_data_write(managed_fields).at
}

/// The newest managedFields entry that owns `data`: its time and manager.
pub fn newest_data_write(managed_fields: &serde_json::Value) -> super::common::DataWrite {
    let newest = managed_fields
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| {
            entry
                .get("fieldsV1")
                .and_then(|f| f.as_object())
                .is_some_and(|f| DATA_FIELDS.iter().any(|k| f.contains_key(*k)))
        })
        .filter_map(|entry| {
            let at = entry.get("time")?.as_str().and_then(parse_time)?;
            Some((at, entry.get("manager").and_then(|m| m.as_str())))
        })
        .max_by_key(|(at, _)| *at);
    super::common::DataWrite {
        at: newest.map(|(at, _)| at),
        by: newest.and_then(|(_, by)| by.map(str::to_string)),
    }
}
