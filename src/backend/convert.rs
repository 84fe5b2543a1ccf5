//! From kube's dynamic objects to the domain's tolerant types.

use crate::domain::{HasMeta, from_value};
use kube::api::DynamicObject;
use serde::de::DeserializeOwned;

/// Convert one object; a malformed one is logged (by name, never content)
/// and skipped.
pub fn from_dynamic<T: DeserializeOwned + HasMeta>(obj: &DynamicObject) -> Option<T> {
    let value = match serde_json::to_value(obj) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(kind = T::KIND, name = ?obj.metadata.name, error = %e, "cannot serialize object");
            return None;
        }
    };
    match from_value::<T>(value) {
        Ok(t) => Some(t),
        Err(e) => {
            tracing::warn!(kind = T::KIND, name = ?obj.metadata.name, error = %e, "skipping malformed object");
            None
        }
    }
}
