//! Plain types and pure logic: the custom resources the console reads
//! (tolerant of missing and malformed fields) and the joins between them,
//! views, a ConfigMap edit and the GitOps decision about it (`config_edit`,
//! `gitops`), a rotation's edits, journal record and progress (`rotation`),
//! and the data of the operations: outcomes, the read-only decision and
//! refusals (`ops`).
//!
//! No I/O here. `domain` imports itself, the standard library, plain-data
//! crates (serde, chrono, ...) and `config`'s glob match for the read-only
//! decision: never `state`, `view`, `ops`, `backend`, kube, k8s-openapi,
//! AWS, tokio or ratatui (`tests/it/layers.rs`).

pub mod application;
pub mod apps;
pub mod aws;
pub mod common;
pub mod config_edit;
pub mod config_map;
pub mod content;
pub mod event;
pub mod external_secret;
pub mod gitops;
pub mod inventory;
pub mod join;
pub mod lenient;
pub mod membership;
pub mod ops;
pub mod pod;
pub mod rollup;
pub mod rotation;
pub mod secret_format;
pub mod secret_meta;
pub mod selector;
pub mod staleness;
pub mod store;
pub mod str_map;
pub mod time;
pub mod views;
pub mod workload;

pub use application::{Application, HealthStatus, SyncStatus};
pub use apps::{AppRow, app_rows, owning_app};
pub use aws::{AwsIdentity, AwsSecretMeta, SecretValue};
pub use common::{Condition, HasMeta, Meta, ObjKey, OwnerRef, ParseError, from_value};
pub use config_map::ConfigMapObj;
pub use event::EventObj;
pub use external_secret::ExternalSecret;
pub use inventory::Inventory;
pub use pod::Pod;
pub use secret_format::SecretFormat;
pub use secret_meta::SecretMeta;
pub use store::SecretStore;
pub use str_map::StrMap;

/// Text kept from watched objects (names, namespaces, kinds, times,
/// labels): up to 24 bytes is held inline, with no allocation of its own —
/// most Kubernetes names and values are that short, and the console keeps
/// about a million of them at 20,000 pods.
pub type Text = compact_str::CompactString;

/// A `String` copy of optional text, for views that own theirs.
pub trait OwnedText {
    fn owned(&self) -> Option<String>;
}

impl OwnedText for Option<Text> {
    fn owned(&self) -> Option<String> {
        self.as_deref().map(str::to_string)
    }
}
pub use workload::Workload;
