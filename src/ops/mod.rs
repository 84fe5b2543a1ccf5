//! Operations that change the cluster or AWS (refresh, rotate, roll back,
//! edit config, restart), shared by the console and the non-interactive
//! commands: one code path, one journal, one audit log.

pub mod guard;
// ROTATION part: the guided rotation flow, rollback, resume.
pub mod rotation;
