//! A Kubernetes API subset: an object store with real metadata semantics
//! (resourceVersion, generation, managedFields, watch history) and the HTTP
//! layer that serves it to kube-rs and kubectl.

pub mod errors;
pub mod faults;
pub mod http;
pub mod managed_fields;
pub mod patch;
pub mod resources;
pub mod selectors;
pub mod store;

pub use errors::ApiError;
pub use faults::KubeFaults;
pub use resources::{Registry, ResourceType};
pub use store::{EventType, Store, WatchEvent};
