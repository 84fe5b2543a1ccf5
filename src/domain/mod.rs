//! Plain types and pure logic: the custom resources the console reads
//! (tolerant of missing and malformed fields) and the joins between them.
//! No I/O here.

pub mod application;
pub mod apps;
pub mod common;
pub mod external_secret;
pub mod lenient;
pub mod store;

pub use application::{Application, HealthStatus, SyncStatus};
pub use apps::{AppRow, app_rows, owning_app};
pub use common::{Condition, HasMeta, Meta, ObjKey, ParseError, from_value};
pub use external_secret::ExternalSecret;
pub use store::SecretStore;
