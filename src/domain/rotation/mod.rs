//! Pure pieces of a secret rotation: editing one key of a Java properties
//! file or a JSON object without touching anything else, validating the
//! result, and generating random values.

pub mod generate;
pub mod journal;
pub mod json;
pub mod properties;
pub mod validate;

pub use generate::{Charset, generate};
pub use validate::{Edit, EditError, MAX_SECRET_BYTES, apply_edit};
pub mod plan;
pub mod progress;
pub mod sensitive;

pub use journal::{Journal, Reached};
pub use plan::{Plan, Reader, WorkloadRef, aws_secrets_of, plan};
pub use progress::{Outcome, Progress, StepId, StepState};
pub use sensitive::Sensitive;
pub const WHOLE_LABEL: &str = "(the whole value)";
