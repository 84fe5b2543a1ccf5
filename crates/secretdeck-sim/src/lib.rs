//! secretdeck-sim: the simulated environment behind `secretdeck demo` and
//! `secretdeck sim`, and the end-to-end tests.
//!
//! What lives here: a Kubernetes API subset over HTTP with watch (`kube`),
//! a Secrets Manager JSON endpoint (`sm`), small controller sims for
//! External Secrets Operator, Argo CD and Deployments (`controllers`), the
//! scenarios they start from (`scenario`), and `SimEnv`, which starts them
//! all on loopback and writes a kubeconfig and an env file for clients.
//!
//! This crate knows nothing of the console and does not depend on it. The
//! console's `demo` starts it in-process, then talks to it only over HTTP,
//! exactly as it talks to EKS and AWS.

pub mod cli;
pub mod clock;
pub mod controllers;
pub mod convergence;
pub mod env;
pub mod files;
pub mod kube;
pub mod requests;
pub mod sm;
pub use convergence::Convergence;
pub use env::{SimEnv, SimOptions};
pub use scenario::{Scale, Shape};
pub mod follow_ups;
pub mod scenario;
