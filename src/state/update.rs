//! `update`: apply one message to the model and return the effects.

use super::cluster::WatchState;
use super::model::Model;
use super::msg::{Change, Cmd, Msg};
use super::navigate;
use crate::domain::{ObjKey, common::HasMeta};
use std::collections::BTreeMap;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => navigate::on_key(model, key),
        Msg::Resize { width, height } => {
            model.size = (width, height);
            let page = model.page_rows();
            model.apps.table.scroll_into_view(page);
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
            model.data_changed = true;
            Vec::new()
        }
        Msg::Apps(change) => changed(model, |inv| apply(&mut inv.apps, change)),
        Msg::ExternalSecrets(change) => {
            changed(model, |inv| apply(&mut inv.external_secrets, change))
        }
        Msg::Shutdown => navigate::quit(model),
        // screens side
        Msg::Now(now) => {
            model.now = Some(now);
            if let Some(screen) = &mut model.es_detail {
                screen.tick(now);
            }
            Vec::new()
        }
        Msg::Contexts { current, all } => {
            model.contexts = Some((current, all));
            model.refresh_list(super::nav::ListKind::Contexts);
            Vec::new()
        }
        Msg::AwsIdentity(result) => {
            model.aws_identity = Some(result);
            Vec::new()
        }
        Msg::AwsDescribed { name, result } => {
            if let Some(screen) = &mut model.es_detail
                && let Some(slot) = screen.aws.get_mut(&name)
            {
                *slot = loaded(result);
            }
            Vec::new()
        }
        Msg::AwsValue { name, result } => {
            // Kept only while the ExternalSecret screen that asked is open.
            if let Some(screen) = &mut model.es_detail
                && let Some(slot) = screen.values.get_mut(&name)
            {
                *slot = loaded(result);
            }
            Vec::new()
        }
        // data side
        Msg::SecretStores(change) => changed(model, |inv| inv.apply_stores(change)),
        Msg::ConfigMaps(change) => changed(model, |inv| apply(&mut inv.config_maps, change)),
        Msg::Secrets(change) => changed(model, |inv| apply(&mut inv.secrets, change)),
        Msg::Workloads(change) => changed(model, |inv| apply(&mut inv.workloads, change)),
        Msg::Pods(change) => changed(model, |inv| apply(&mut inv.pods, change)),
        Msg::Events(change) => changed(model, |inv| apply(&mut inv.events, change)),
    }
}

fn loaded<T>(result: Result<T, String>) -> super::es_detail::Loading<T> {
    match result {
        Ok(v) => super::es_detail::Loading::Done(v),
        Err(e) => super::es_detail::Loading::Failed(e),
    }
}

fn changed(model: &mut Model, f: impl FnOnce(&mut crate::domain::Inventory)) -> Vec<Cmd> {
    f(&mut model.data.inventory);
    model.data_changed = true;
    Vec::new()
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

pub(crate) fn apply<T: HasMeta>(map: &mut BTreeMap<ObjKey, T>, change: Change<T>) {
    match change {
        Change::Reset(items) => {
            *map = items.into_iter().map(|o| (o.meta().key(), o)).collect();
        }
        Change::Upsert(obj) => {
            map.insert(obj.meta().key(), obj);
        }
        Change::Remove(key) => {
            map.remove(&key);
        }
    }
}
