//! Operations that change the cluster or AWS (refresh, rotate, roll back,
//! edit config, restart), shared by the console and the non-interactive
//! commands: one code path, one journal, one audit log.

pub mod guard;
// REFRESH part: force-sync, Argo CD refresh/sync, restarts.
pub mod argo;
pub mod follow;
pub mod outcome;
pub mod refresh;
pub mod restart;

// CONFIG part: ConfigMap edits and Argo CD auto-sync pause/resume.
pub mod config_edit;
// ROTATION part: the guided rotation flow, rollback, resume.
pub mod rotation;
