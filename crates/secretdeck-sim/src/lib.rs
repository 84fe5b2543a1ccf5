//! The simulated environment: a Kubernetes API subset, a Secrets Manager
//! endpoint and small controller sims, all reached over HTTP on loopback.

pub mod cli;
pub mod clock;
pub mod controllers;
pub mod env;
pub mod files;
pub mod kube;
pub mod sm;
pub use env::{SimEnv, SimOptions};
pub mod follow_ups;
pub mod scenario;
