//! `PartialObjectMetadata` views: objects reduced to their metadata, so a
//! client can follow Secrets without reading their values.

use serde_json::{Value, json};

pub const API_VERSION: &str = "meta.k8s.io/v1";
pub const KIND: &str = "PartialObjectMetadata";
pub const LIST_KIND: &str = "PartialObjectMetadataList";

pub fn object(obj: &Value) -> Value {
    json!({
        "kind": KIND,
        "apiVersion": API_VERSION,
        "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({})),
    })
}
