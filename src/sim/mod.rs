//! The simulated environment: a Kubernetes API subset, a Secrets Manager
//! endpoint and small controller sims, all reached over HTTP on loopback.

pub mod clock;
pub mod controllers;
pub mod env;
pub mod kube;
pub mod sm;
pub mod cli;
pub use env::{SimEnv, SimOptions};
pub mod scenario;
pub mod follow_ups;
