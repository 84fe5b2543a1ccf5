//! Controller sims. Each acts only through the API state (the object
//! store), like the real controllers act through the API server.

pub mod argo;
pub mod deployments;
pub mod duration;
pub mod eso;
pub mod events;
