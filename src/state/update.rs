//! `update`: apply one message to the model and return the effects.

use super::cluster::WatchState;
use super::keys::{Key, KeyCode};
use super::model::Model;
use super::msg::{Cmd, Msg};

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => on_key(model, key),
        Msg::Resize { width, height } => {
            model.size = (width, height);
            let page = model.apps_page_rows();
            model.apps.scroll_into_view(page);
            Vec::new()
        }
        Msg::Tick => Vec::new(),
        Msg::Cluster(info) => {
            model.cluster.info = Some(info);
            model.cluster.error = None;
            Vec::new()
        }
        Msg::ClusterError(message) => {
            model.cluster.error = Some(message);
            Vec::new()
        }
        Msg::Watch { kind, state } => {
            if state == WatchState::Live {
                model.cluster.error = None;
            }
            model.cluster.watches.insert(kind, state);
            Vec::new()
        }
        Msg::Shutdown => quit(model),
        // data side
        data => {
            model.data_changed |= model.data.apply_msg(data);
            Vec::new()
        }
    }
}

/// Apply a batch of messages, then settle derived data (what the event loop
/// does between two frames).
pub fn update_all(model: &mut Model, msgs: impl IntoIterator<Item = Msg>) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    for msg in msgs {
        cmds.extend(update(model, msg));
    }
    model.settle();
    cmds
}

fn quit(model: &mut Model) -> Vec<Cmd> {
    model.quitting = true;
    vec![Cmd::Quit]
}

fn on_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    if key.ctrl && key.code == KeyCode::Char('c') {
        return quit(model);
    }
    // Rows must be current before moving through them.
    model.settle();
    let page = model.apps_page_rows();
    let half = isize::try_from(page / 2).unwrap_or(isize::MAX).max(1);
    let full = isize::try_from(page).unwrap_or(isize::MAX);
    let apps = &mut model.apps;
    match (key.code, key.ctrl) {
        (KeyCode::Char('q'), false) => return quit(model),
        (KeyCode::Char('j') | KeyCode::Down, false) => apps.move_by(1, page),
        (KeyCode::Char('k') | KeyCode::Up, false) => apps.move_by(-1, page),
        (KeyCode::Char('g') | KeyCode::Home, false) => apps.select(0, page),
        (KeyCode::Char('G') | KeyCode::End, _) => apps.select(usize::MAX, page),
        (KeyCode::PageDown, _) => apps.move_by(full, page),
        (KeyCode::PageUp, _) => apps.move_by(-full, page),
        (KeyCode::Char('d'), true) => apps.move_by(half, page),
        (KeyCode::Char('u'), true) => apps.move_by(-half, page),
        _ => {}
    }
    Vec::new()
}
