//! Operations that change the cluster or AWS (refresh, rotate, roll back,
//! edit config, restart), shared by the console and the non-interactive
//! commands: one code path, one journal, one audit log. Each is a plain
//! async function that returns its result; the console's executors
//! (`backend::exec`) and the CLI commands call them.
//!
//! `ops` imports `domain` (the operations' data lives there: `domain::ops`,
//! `domain::rotation`, `domain::gitops`), `audit`, `gitops` and the
//! backend's clients (`backend::{aws, connect, discover, convert,
//! kube_words, snapshot}`); never `state` (no `Msg`, no `Cmd`), never
//! `backend::exec`, never a subcommand (`tests/it/layers.rs`).

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
