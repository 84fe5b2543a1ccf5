//! The simulated environment: a Kubernetes API subset, a Secrets Manager
//! endpoint and small controller sims, all reached over HTTP on loopback.

pub mod clock;
pub mod controllers;
pub mod kube;
pub mod cli;
