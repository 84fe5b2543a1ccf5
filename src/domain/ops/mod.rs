//! Pure data of the operations that change the cluster or AWS (force-sync,
//! Argo CD refresh/sync, restarts): what one came to (`outcome`), the
//! read-only decision and refusals (`guard`), and the annotations they set.
//! Carrying them out and auditing them is `ops`' work; like all of
//! `domain`, nothing here imports `ops`, `backend`, kube, AWS, tokio or
//! ratatui.

pub mod annotations;
pub mod guard;
pub mod outcome;
