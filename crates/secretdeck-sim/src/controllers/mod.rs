//! Controller sims. Each acts only through the API state (the object
//! store), like the real controllers act through the API server.

pub mod argo;
pub mod churn;
pub mod deployments;
pub mod duration;
pub mod eso;
pub mod events;

use crate::kube::store::WatchEvent;
use tokio::sync::broadcast::{Receiver, error::TryRecvError};

/// Handle every event already waiting on `rx`, without waiting: `on`
/// gets `Some(event)`, or `None` when events were missed (resync). A
/// controller calls it between reconciles of a long batch, so it never
/// falls behind the store's feed (whose buffer would otherwise keep every
/// version it has not read). False when the feed is closed.
pub fn drain(rx: &mut Receiver<WatchEvent>, mut on: impl FnMut(Option<&WatchEvent>)) -> bool {
    loop {
        match rx.try_recv() {
            Ok(ev) => on(Some(&ev)),
            Err(TryRecvError::Lagged(_)) => on(None),
            Err(TryRecvError::Empty) => return true,
            Err(TryRecvError::Closed) => return false,
        }
    }
}
