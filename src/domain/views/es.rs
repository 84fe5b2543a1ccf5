//! ExternalSecrets: store, readiness, remote refs, target Secret and its
//! consumers, the provider's last error.

use super::lists::{event_view, store_view_of};
use super::{EsView, RemoteRefView, StoreView};
use crate::domain::OwnedText;
use crate::domain::join::{app_of, consumers_of};
use crate::domain::membership::in_namespace;
use crate::domain::time::opt_time;
use crate::domain::{EventObj, ExternalSecret, Inventory, ObjKey};
use chrono::{DateTime, Utc};

pub fn es_views(inv: &Inventory, now: DateTime<Utc>) -> Vec<EsView> {
    inv.external_secrets
        .values()
        .map(|es| es_view_of(inv, es, now))
        .collect()
}

pub fn es_view(inv: &Inventory, key: &ObjKey, now: DateTime<Utc>) -> Option<EsView> {
    inv.external_secrets
        .get(key)
        .map(|es| es_view_of(inv, es, now))
}

/// The store an ExternalSecret names, found or not.
pub fn store_of(inv: &Inventory, es: &ExternalSecret) -> StoreView {
    let r = es.spec.secret_store_ref.clone().unwrap_or_default();
    let name = r.name.owned().unwrap_or_default();
    let cluster = r.kind() == "ClusterSecretStore";
    let found = if cluster {
        inv.cluster_secret_stores
            .get(&ObjKey::new("", name.clone()))
    } else {
        inv.secret_stores
            .get(&ObjKey::new(es.metadata.namespace(), name.clone()))
    };
    match found {
        Some(s) => store_view_of(s),
        None => StoreView {
            kind: r.kind().to_string(),
            namespace: if cluster {
                String::new()
            } else {
                es.metadata.namespace().to_string()
            },
            name,
            exists: false,
            ready: None,
            reason: None,
            message: None,
            provider: String::new(),
            region: None,
            auth: String::new(),
        },
    }
}

fn remote_refs(es: &ExternalSecret) -> Vec<RemoteRefView> {
    let data = es.spec.data.iter().enumerate().filter_map(|(i, d)| {
        let r = d.remote_ref.as_ref()?;
        Some(RemoteRefView {
            secret_key: d.secret_key.owned(),
            key: r.key.owned().unwrap_or_default(),
            property: r.property.owned(),
            version: r.version.owned(),
            from: format!("data[{i}]"),
        })
    });
    let from = es.spec.data_from.iter().enumerate().filter_map(|(i, d)| {
        let r = d.extract.as_ref()?;
        Some(RemoteRefView {
            secret_key: None,
            key: r.key.owned().unwrap_or_default(),
            property: r.property.owned(),
            version: r.version.owned(),
            from: format!("dataFrom[{i}].extract"),
        })
    });
    data.chain(from).collect()
}

/// Go duration text meaning zero (`0`, `0s`, `0h0m0s`, ...).
fn is_zero_duration(d: &str) -> bool {
    !d.is_empty() && d.chars().all(|c| matches!(c, '0' | 'h' | 'm' | 's' | '.'))
}

/// Why ESO would ignore a force-sync annotation on `es`, if it would.
pub fn force_sync_ignored(es: &ExternalSecret) -> Option<String> {
    if es.spec.refresh_policy.as_deref() == Some("CreatedOnce") {
        return Some("refreshPolicy is CreatedOnce: ESO syncs it only once".to_string());
    }
    let synced = es.status.as_ref().is_some_and(|s| s.refresh_time.is_some());
    let zero = es
        .spec
        .refresh_interval
        .as_deref()
        .is_some_and(is_zero_duration);
    (zero && synced).then(|| {
        "refreshInterval is 0 and it already synced: ESO will not sync it again".to_string()
    })
}

/// What an app's row reads of one of its ExternalSecrets: the cheap part
/// of its view (no consumers, app join or remote refs), built for each row
/// an ExternalSecret's refresh touches.
#[derive(Debug, Clone)]
pub(super) struct EsBrief {
    pub name: String,
    pub ready: Option<bool>,
    pub reason: Option<String>,
    pub message: Option<String>,
    /// The message of its last UpdateFailed warning.
    pub last_error: Option<String>,
    pub target_secret: String,
    pub target_exists: bool,
    pub store: StoreView,
    pub last_refresh: Option<DateTime<Utc>>,
}

pub(super) fn es_brief(inv: &Inventory, es: &ExternalSecret) -> EsBrief {
    brief_with(inv, es, last_error_event(inv, es))
}

/// `es_brief` with its last UpdateFailed warning already found.
fn brief_with(inv: &Inventory, es: &ExternalSecret, last_error: Option<&EventObj>) -> EsBrief {
    let ns = es.metadata.namespace();
    let ready = es.ready_condition();
    let target = es.target_name().to_string();
    EsBrief {
        name: es.metadata.name().to_string(),
        ready: ready.map(|c| c.is_true()),
        reason: ready.and_then(|c| c.reason.owned()),
        message: ready.and_then(|c| c.message.owned()),
        last_error: last_error.and_then(|e| e.message.owned()),
        target_exists: inv.secrets.contains_key(&ObjKey::new(ns, target.clone())),
        target_secret: target,
        store: store_of(inv, es),
        last_refresh: opt_time(es.status.as_ref().and_then(|s| s.refresh_time.as_deref())),
    }
}

impl From<&EsView> for EsBrief {
    fn from(v: &EsView) -> Self {
        EsBrief {
            name: v.name.clone(),
            ready: v.ready,
            reason: v.reason.clone(),
            message: v.message.clone(),
            last_error: v.last_error_event.as_ref().map(|e| e.message.clone()),
            target_secret: v.target_secret.clone(),
            target_exists: v.target_exists,
            store: v.store.clone(),
            last_refresh: v.last_refresh,
        }
    }
}

/// Its last UpdateFailed warning (events are in their object's namespace:
/// that one only is read).
fn last_error_event<'a>(inv: &'a Inventory, es: &ExternalSecret) -> Option<&'a EventObj> {
    let m = &es.metadata;
    let ns = m.namespace();
    in_namespace(&inv.events, ns)
        .filter(|e| {
            e.is_warning()
                && e.reason.as_deref() == Some("UpdateFailed")
                && e.is_about("ExternalSecret", ns, m.name())
        })
        .max_by_key(|e| e.last_seen())
}

pub(super) fn es_view_of(inv: &Inventory, es: &ExternalSecret, _now: DateTime<Utc>) -> EsView {
    let m = &es.metadata;
    let ns = m.namespace();
    let last_error = last_error_event(inv, es);
    // What the row reads, then what only the detail shows.
    let EsBrief {
        name,
        ready,
        reason,
        message,
        last_error: _,
        target_secret,
        target_exists,
        store,
        last_refresh,
    } = brief_with(inv, es, last_error);
    let secret = inv.secrets.get(&ObjKey::new(ns, target_secret.clone()));
    let status = es.status.as_ref();
    EsView {
        key: m.key(),
        name,
        namespace: ns.to_string(),
        app: app_of(inv, "ExternalSecret", m),
        store,
        ready,
        reason,
        message,
        conditions: status.map(|s| s.conditions.clone()).unwrap_or_default(),
        refresh_interval: es
            .spec
            .refresh_interval
            .owned()
            .unwrap_or_else(|| "1h0m0s".to_string()),
        refresh_policy: es
            .spec
            .refresh_policy
            .owned()
            .unwrap_or_else(|| "Periodic".to_string()),
        last_refresh,
        target_exists,
        data_hash: secret.and_then(|s| s.data_hash().map(str::to_string)),
        secret_data_changed: secret.and_then(|s| s.metadata.data_changed()),
        remote_refs: remote_refs(es),
        consumers: consumers_of(inv, "Secret", ns, &target_secret),
        target_secret,
        last_error_event: last_error.map(event_view),
        force_sync_ignored: force_sync_ignored(es),
    }
}
