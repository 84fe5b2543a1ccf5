//! The console's state: `Model` (split by screen, with the overlay stack
//! over it), the messages that change it (`Msg`), the effects it asks for
//! (`Cmd`) and `update`. Keys resolve to `Action`s through the key table
//! (`keymap`); the top overlay gets a key first. Pure: no I/O and no clock,
//! so every flow is testable by feeding messages.
//!
//! `state` imports `domain` (the data `Msg` and `Cmd` carry included), plus
//! `config`'s read-only pattern match and the Git-side edit's result
//! (`gitops::GitEdit`); never `backend` or `ops` (they import it:
//! `backend::exec` carries out `Cmd`s and sends `Msg`s), nor kube,
//! k8s-openapi, AWS, tokio or ratatui (`tests/it/layers.rs`).

pub mod access;
pub mod app_detail;
pub mod app_rows;
pub mod apps_screen;
pub mod cluster;
pub mod es_detail;
pub mod filter;
pub mod keymap;
pub mod keys;
pub mod lists;
pub mod model;
pub mod msg;
pub mod nav;
mod navigate;
pub mod overlay;
pub mod palette;
pub mod paste;
pub mod rotation;
pub mod rotation_msg;
pub mod table;
pub mod touched;
pub mod update;
// REFRESH part: confirmation, operations, audit screen.
pub mod audit_screen;
pub mod confirm;
mod op_keys;
pub mod operations;
mod refusal;
mod self_heal;
// CONFIG part: the ConfigMap editor.
pub mod config_edit;
pub mod config_edit_msgs;

pub use access::ReadOnly;
pub use app_detail::{AppDetailScreen, Section};
pub use apps_screen::{AppSort, AppsScreen};
pub use cluster::{ClusterData, ClusterInfo, ClusterStatus, WatchKind, WatchState};
pub use es_detail::{EsDetailScreen, Loading, REVEAL_FOR};
pub use keymap::Action;
pub use keys::{Key, KeyCode};
pub use lists::{ListSort, Lists, NameRow};
pub use model::{Ctx, Model};
pub use msg::{Change, Cmd, Msg};
pub use nav::{ListKind, Nav, Route};
pub use navigate::{looks_like_production, on_action};
pub use overlay::{Layer, Overlay, Overlays};
pub use palette::Palette;
pub use table::Table;
pub use update::{update, update_all};
