//! An object of any kind read straight into the domain's tolerant type as
//! the client decodes the server's bytes: no `DynamicObject` (a JSON tree of
//! the whole object, pod specs included) and no second tree to convert
//! from. Fields the console does not read are skipped while decoding.

use crate::domain::HasMeta;
use crate::domain::OwnedText;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Resource;
use kube::core::DynamicResourceScope;
use kube::discovery::ApiResource;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// `T` as kube's client lists and watches it (`Api<Typed<T>>`, with the
/// kind's `ApiResource` as for `DynamicObject`). `metadata` holds only
/// what the watch loop reads: name, namespace and resourceVersion.
#[derive(Debug, Clone)]
pub struct Typed<T> {
    metadata: ObjectMeta,
    pub obj: T,
}

impl<T: HasMeta> Typed<T> {
    /// The object, unless it has no name (as `domain::from_value` rules).
    pub fn into_named(self) -> Option<T> {
        if self.obj.meta().name().is_empty() {
            tracing::warn!(kind = T::KIND, "skipping an object without a name");
            return None;
        }
        Some(self.obj)
    }
}

impl<'de, T: DeserializeOwned + HasMeta> Deserialize<'de> for Typed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Every field of the domain types is tolerant (a malformed field
        // becomes empty), so only a non-object fails, as it would anyway.
        let obj = T::deserialize(d)?;
        let m = obj.meta();
        let metadata = ObjectMeta {
            name: m.name.owned(),
            namespace: m.namespace.owned(),
            resource_version: m.resource_version.owned(),
            ..ObjectMeta::default()
        };
        Ok(Typed { metadata, obj })
    }
}

impl<T> Resource for Typed<T> {
    type DynamicType = ApiResource;
    type Scope = DynamicResourceScope;

    fn group(dt: &ApiResource) -> Cow<'_, str> {
        dt.group.as_str().into()
    }

    fn version(dt: &ApiResource) -> Cow<'_, str> {
        dt.version.as_str().into()
    }

    fn kind(dt: &ApiResource) -> Cow<'_, str> {
        dt.kind.as_str().into()
    }

    fn api_version(dt: &ApiResource) -> Cow<'_, str> {
        dt.api_version.as_str().into()
    }

    fn plural(dt: &ApiResource) -> Cow<'_, str> {
        dt.plural.as_str().into()
    }

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Pod, from_value};
    use kube::ResourceExt;

    #[test]
    fn reads_the_same_object_as_the_json_tree_does() {
        let json = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "n", "resourceVersion": "7",
                         "labels": {"app": "a", "odd": 3}},
            "spec": {"containers": [{"name": "c", "image": "i"}]},
            "status": {"phase": "Running", "conditions": "not a list"}
        });
        let typed: Typed<Pod> =
            serde_json::from_slice(&serde_json::to_vec(&json).unwrap()).expect("decodes");
        assert_eq!(typed.resource_version().as_deref(), Some("7"));
        assert_eq!(typed.namespace().as_deref(), Some("n"));
        let via_tree: Pod = from_value(json).expect("converts");
        assert_eq!(typed.obj, via_tree);
        assert_eq!(typed.obj.phase(), "Running");
        assert_eq!(typed.obj.metadata.labels.len(), 1);
    }

    #[test]
    fn an_object_without_a_name_is_skipped() {
        let typed: Typed<Pod> =
            serde_json::from_str(r#"{"metadata": {"namespace": "n"}}"#).expect("decodes");
        assert!(typed.into_named().is_none());
        let odd: Result<Typed<Pod>, _> = serde_json::from_str("[1]");
        assert!(odd.map_or(true, |t| t.into_named().is_none()));
    }
}
