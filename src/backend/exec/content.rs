//! The content log in the state dir: loaded once at start, before any
//! data (which is laid on top of it), and saved on `Cmd::SaveContent`,
//! one save at a time.

use crate::backend::content_store;
use crate::domain::content::ContentLog;
use crate::state::Msg;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Load the log -> `Msg::ContentLoaded` (or `Msg::CmdFailed`). `Err`: the
/// UI is gone.
pub(super) async fn load(path: PathBuf, tx: &mpsc::Sender<Msg>) -> Result<(), ()> {
    let loaded = tokio::task::spawn_blocking(move || content_store::load(&path))
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
    let msg = match loaded {
        Ok(log) => Msg::ContentLoaded(Box::new(log)),
        Err(e) => Msg::CmdFailed(e),
    };
    tx.send(msg).await.map_err(|_| ())
}

/// Save the log off the UI path; a failure is shown.
pub(super) fn save(
    path: PathBuf,
    lock: Arc<Mutex<()>>,
    log: Box<ContentLog>,
    tx: mpsc::Sender<Msg>,
) {
    tokio::task::spawn_blocking(move || {
        let _one_at_a_time = lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = content_store::save(&path, *log) {
            let _ = tx.blocking_send(Msg::CmdFailed(e));
        }
    });
}
