//! A simulated AWS Secrets Manager, in memory, speaking the AWS JSON 1.1
//! protocol: `POST /` with `X-Amz-Target: secretsmanager.<Operation>` and
//! `Content-Type: application/x-amz-json-1.1`. SigV4 signatures are not
//! verified; the access key id of the `Authorization` header is read as the
//! caller's identity.
//!
//! Operations: CreateSecret, GetSecretValue, PutSecretValue,
//! UpdateSecretVersionStage, DescribeSecret, ListSecrets,
//! ListSecretVersionIds and DeleteSecret, with the service's staging-label
//! rules, ClientRequestToken idempotency, the 65,536-byte value limit and
//! AWS-shaped errors (`{"__type": code, "message": text}` plus the
//! `x-amzn-ErrorType` header). A form-encoded `Action=GetCallerIdentity`
//! (STS, query protocol) on the same path answers with the caller identity.
//!
//! # Fault injection
//! In process: [`SmState::inject_fault`] / [`SmState::clear_faults`]. Over
//! HTTP, on the same listener:
//! - `POST /_sim/faults` with `{"operation":"PutSecretValue","code":"AccessDeniedException","count":1}`
//!   makes the next `count` (default 1) calls of `operation` (`"*"` = any)
//!   fail with `code`, e.g. `AccessDeniedException`, `ThrottlingException`,
//!   `ExpiredTokenException`, `InternalServiceError` (HTTP 500), with the
//!   message the service gives. SDK clients retry throttling and 5xx errors,
//!   so one injected throttle is usually absorbed by a retry.
//! - `DELETE /_sim/faults` clears every pending fault.

mod errors;
mod http;
#[cfg(test)]
mod http_tests;
mod listing;
mod ops;
mod service;
pub mod state;
#[cfg(test)]
mod state_tests;
mod validate;

pub use errors::SmError;
pub use http::{router, serve};
pub use ops::OPERATIONS;
pub use service::SmState;
