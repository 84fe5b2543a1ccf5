//! `update`: apply one message to the model and return the effects. Keys
//! go to `navigate` (overlays first, then the key table's actions).

use super::cluster::WatchState;
use super::config_edit_msgs;
use super::es_detail::Loading;
use super::model::Model;
use super::msg::{Cmd, Msg};
use super::nav::{ListKind, Route};
use super::navigate;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => navigate::on_key(model, key),
        Msg::Config(msg) => config_edit_msgs::on_msg(model, msg),
        // A paste is text for the focused input: it never confirms anything.
        Msg::Paste(text) => {
            super::paste::on_paste(model, &text);
            Vec::new()
        }
        Msg::Resize { width, height } => {
            model.size = (width, height);
            let page = model.page_rows();
            model.apps.table.scroll_into_view(page);
            Vec::new()
        }
        Msg::Tick => Vec::new(),
        // ROTATION part
        Msg::Rotation(m) => {
            let wrote = super::es_detail::after_aws_write(&m);
            let mut cmds = super::rotation::on_msg(model, *m);
            if wrote && let Some(screen) = &mut model.es_detail {
                cmds.extend(screen.reread());
            }
            cmds
        }
        Msg::Cluster(info) => {
            // Contents are kept per cluster: the context and its server.
            model.data.inventory.content.scope =
                crate::domain::content::ContentLog::scope_of(&info.context, &info.server);
            // Read-only by configuration follows the context.
            model.access.on_context(&info.context);
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
            // Missing CRDs / 403 change what the screens show.
            model.recompute_all();
            Vec::new()
        }
        Msg::Shutdown => navigate::quit(model),
        // screens side: AWS answers go to the ExternalSecret screen that
        // asked; a value is never kept anywhere else.
        Msg::AwsDescribed { name, result } => {
            if let Some(screen) = &mut model.es_detail
                && let Some(slot) = screen.aws.get_mut(&name)
            {
                *slot = loaded(result);
            }
            Vec::new()
        }
        Msg::AwsValue { name, result } => {
            if let Some(screen) = &mut model.es_detail
                && let Some(slot) = screen.values.get_mut(&name)
            {
                *slot = loaded(result);
            }
            Vec::new()
        }
        Msg::Now(now) => {
            if let Some(screen) = &mut model.es_detail {
                screen.tick(now);
            }
            model.data.apply_msg(Msg::Now(now));
            // A row that changes by itself (a warning leaving the window).
            model.data_changed |= model.app_rows.expired(now);
            // The content log is saved at most once per tick.
            let content = &mut model.data.inventory.content;
            if std::mem::take(&mut content.dirty) {
                return vec![Cmd::SaveContent(Box::new(content.to_save()))];
            }
            Vec::new()
        }
        Msg::Contexts { current, all } => {
            model.data.apply_msg(Msg::Contexts { current, all });
            if model.route() == &Route::List(ListKind::Contexts) {
                model.refresh_list(ListKind::Contexts);
            }
            Vec::new()
        }
        // REFRESH part
        Msg::OpItem { id, index, state } => {
            model.operations.apply(id, index, state);
            Vec::new()
        }
        Msg::AuditLoaded(result) => {
            if let Some(screen) = model.overlay_mut::<super::audit_screen::AuditScreen>() {
                screen.loaded(result);
            }
            Vec::new()
        }
        // data side
        data => {
            let config_maps = matches!(data, Msg::ConfigMaps(_));
            model.data_changed |= model.data.apply_msg(data);
            if config_maps {
                super::self_heal::note_reverts(model);
            }
            Vec::new()
        }
    }
}

fn loaded<T>(result: Result<T, String>) -> Loading<T> {
    match result {
        Ok(v) => Loading::Done(v),
        Err(e) => Loading::Failed(e),
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
