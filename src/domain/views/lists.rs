//! The global lists: stores, ConfigMaps, Secrets (metadata) and events.

use super::{ConfigMapView, EventView, SecretMetaView, StoreView};
use crate::domain::OwnedText;
use crate::domain::join::{app_of, consumers_of};
use crate::domain::{ConfigMapObj, EventObj, Inventory, SecretStore};

pub fn store_views(inv: &Inventory) -> Vec<StoreView> {
    inv.cluster_secret_stores
        .values()
        .chain(inv.secret_stores.values())
        .map(store_view_of)
        .collect()
}

pub(super) fn store_view_of(s: &SecretStore) -> StoreView {
    let ready = s.ready_condition();
    let aws = s.aws();
    let kind = if s.is_cluster_store() || s.metadata.namespace().is_empty() {
        "ClusterSecretStore"
    } else {
        "SecretStore"
    };
    let auth = match aws.and_then(|a| a.auth.as_ref()) {
        Some(a) if a.jwt.is_some() => "jwt (IRSA)",
        Some(a) if a.secret_ref.is_some() => "secretRef",
        _ => "default",
    };
    let provider = match aws {
        Some(a) => format!("aws {}", a.service.as_deref().unwrap_or("SecretsManager")),
        None => "unknown provider".to_string(),
    };
    StoreView {
        kind: kind.to_string(),
        namespace: s.metadata.namespace().to_string(),
        name: s.metadata.name().to_string(),
        exists: true,
        ready: ready.map(|c| c.is_true()),
        reason: ready.and_then(|c| c.reason.owned()),
        message: ready.and_then(|c| c.message.owned()),
        provider,
        region: s.region().map(str::to_string),
        auth: auth.to_string(),
    }
}

pub(super) fn config_map_view(inv: &Inventory, cm: &ConfigMapObj) -> ConfigMapView {
    let m = &cm.metadata;
    let mut data: Vec<(String, String)> = cm
        .data
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    data.extend(
        cm.binary_data
            .iter()
            .map(|k| (k.clone(), "(binary)".to_string())),
    );
    ConfigMapView {
        key: m.key(),
        name: m.name().to_string(),
        namespace: m.namespace().to_string(),
        app: app_of(inv, "ConfigMap", m),
        data,
        consumers: consumers_of(inv, "ConfigMap", m.namespace(), m.name()),
        data_changed: m.data_changed(),
    }
}

pub fn config_map_views(inv: &Inventory) -> Vec<ConfigMapView> {
    inv.config_maps
        .values()
        .map(|cm| config_map_view(inv, cm))
        .collect()
}

pub fn secret_views(inv: &Inventory) -> Vec<SecretMetaView> {
    inv.secrets
        .values()
        .map(|s| {
            let m = &s.metadata;
            SecretMetaView {
                key: m.key(),
                name: m.name().to_string(),
                namespace: m.namespace().to_string(),
                secret_type: s.type_.owned(),
                managed_by: s.managed_by(),
                data_changed: m.data_changed(),
                created: m.created(),
                consumers: consumers_of(inv, "Secret", m.namespace(), m.name()),
            }
        })
        .collect()
}

pub(super) fn event_view(e: &EventObj) -> EventView {
    let o = &e.involved_object;
    EventView {
        namespace: e.metadata.namespace().to_string(),
        object: format!(
            "{}/{}",
            o.kind.as_deref().unwrap_or("?"),
            o.name.as_deref().unwrap_or("?")
        ),
        type_: e.type_.owned().unwrap_or_default(),
        reason: e.reason.owned().unwrap_or_default(),
        message: e.message.owned().unwrap_or_default(),
        count: e.count.unwrap_or(1),
        last_seen: e.last_seen(),
    }
}

/// Every event, newest first.
pub fn event_views(inv: &Inventory) -> Vec<EventView> {
    let mut v: Vec<EventView> = inv.events.values().map(event_view).collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
    v
}
