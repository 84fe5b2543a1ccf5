//! The console's state: `Model` (split by screen), the messages that change
//! it (`Msg`), the effects it asks for (`Cmd`) and `update`. Pure: no I/O and
//! no clock, so every flow is testable by feeding messages.

pub mod apps_screen;
pub mod cluster;
pub mod keys;
pub mod model;
pub mod msg;
pub mod update;

pub use apps_screen::AppsScreen;
pub use cluster::{ClusterData, ClusterInfo, ClusterStatus, WatchKind, WatchState};
pub use keys::{Key, KeyCode};
pub use model::{Model, Screen};
pub use msg::{Change, Cmd, Msg};
pub use update::{update, update_all};
