//! The Argo CD application controller sim (`argocd-application-controller`).
//!
//! For each `argoproj.io/v1alpha1` Application it compares the manifests its
//! Git path holds (see [`Git`]) with the live objects, reports sync status,
//! per-resource and rolled-up health, and syncs: automatically on a new
//! revision or missing objects, after a short delay on drift with selfHeal,
//! and on request through the top-level `operation` field. The refresh
//! annotation re-compares now and is then removed. Applied objects carry
//! the `argocd.argoproj.io/tracking-id` annotation, which is also how pruning
//! finds what Git no longer declares.

mod compare;
mod controller;
mod desired;
mod git;
mod health;
mod reconcile;
mod status;
mod sync;

pub use desired::{REFRESH_ANNOTATION, TRACKING_ANNOTATION, tracking_id};
pub use git::Git;
pub use sync::MANAGER;

use crate::clock::SimClock;
use crate::kube::Store;
use std::sync::Arc;

/// Start the controller; it runs until the task is aborted.
pub fn spawn(store: Arc<Store>, git: Arc<Git>, clock: SimClock) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match controller::Controller::new(store, git, clock) {
            Some(mut c) => c.run().await,
            None => tracing::warn!("argo cd controller: the server does not serve applications"),
        }
    })
}
