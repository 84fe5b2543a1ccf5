//! The External Secrets Operator sim: reconciles ExternalSecrets on
//! create/change (a new `force-sync` annotation included), when their
//! Secret is edited or removed, and every `refreshInterval` (on the sim
//! clock); validates SecretStores and ClusterSecretStores.

mod provider;
pub mod reconcile;
pub mod render;
pub mod stores;

use crate::clock::SimClock;
use crate::kube::resources::ESO;
use crate::kube::selectors::Selectors;
use crate::kube::store::{EventType, Store, WatchEvent};
use futures::StreamExt as _;
use provider::Provider;
use reconcile::{Trigger, wanted_version};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

/// How many ExternalSecrets are reconciled at once.
const WORKERS: usize = 16;
/// How many are reconciled between two reads of the store's feed.
const BATCH: usize = WORKERS * 8;

pub struct Ctx {
    pub store: Arc<Store>,
    pub provider: Provider,
    pub clock: SimClock,
}

type Key = (String, String);

struct Entry {
    due: Option<(Instant, Trigger)>,
    seen_version: String,
}

/// Run the ESO sim against `store`, reading Secrets Manager at `aws_endpoint`.
pub fn spawn(
    store: Arc<Store>,
    aws_endpoint: String,
    clock: SimClock,
) -> tokio::task::JoinHandle<()> {
    let ctx = Ctx {
        store,
        provider: Provider::new(aws_endpoint),
        clock,
    };
    tokio::spawn(run(ctx))
}

async fn run(ctx: Ctx) {
    let mut events = ctx.store.subscribe();
    let mut entries: HashMap<Key, Entry> = HashMap::new();
    resync(&ctx, &mut entries);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        // What arrived meanwhile first (it only schedules), then at most
        // one batch of due reconciles: a long backlog never keeps the
        // feed unread.
        let open = crate::controllers::drain(&mut events, |ev| match ev {
            Some(ev) => on_event(&ctx, &mut entries, ev),
            None => resync(&ctx, &mut entries),
        });
        if !open {
            return;
        }
        if run_due(&ctx, &mut entries).await {
            continue;
        }
        tokio::select! {
            ev = events.recv() => match ev {
                Ok(ev) => on_event(&ctx, &mut entries, &ev),
                Err(RecvError::Lagged(_)) => resync(&ctx, &mut entries),
                Err(RecvError::Closed) => return,
            },
            _ = tick.tick() => {}
        }
    }
}

fn es_type(ctx: &Ctx) -> Option<crate::kube::ResourceType> {
    ctx.store.resource(ESO, "externalsecrets").ok().cloned()
}

fn resync(ctx: &Ctx, entries: &mut HashMap<Key, Entry>) {
    for plural in ["secretstores", "clustersecretstores"] {
        if let Ok(rt) = ctx.store.resource(ESO, plural) {
            for s in ctx.store.list(rt, None, &Selectors::default()).0 {
                let _ = stores::validate(&ctx.store, &s);
            }
        }
    }
    let Some(rt) = es_type(ctx) else { return };
    let now = Instant::now();
    for es in ctx.store.list(&rt, None, &Selectors::default()).0 {
        let key = key_of(&es);
        let e = entries.entry(key).or_insert(Entry {
            due: None,
            seen_version: String::new(),
        });
        e.seen_version = wanted_version(&es);
        e.due = Some((now, Trigger::Change));
    }
}

fn key_of(obj: &Value) -> Key {
    let m = &obj["metadata"];
    (
        m["namespace"].as_str().unwrap_or_default().to_string(),
        m["name"].as_str().unwrap_or_default().to_string(),
    )
}

fn on_event(ctx: &Ctx, entries: &mut HashMap<Key, Entry>, ev: &WatchEvent) {
    let now = Instant::now();
    match (ev.group, ev.plural) {
        (ESO, "externalsecrets") => {
            let key = (ev.namespace.clone(), ev.name.clone());
            if ev.kind == EventType::Deleted {
                entries.remove(&key);
                return;
            }
            let version = wanted_version(&ev.object);
            let e = entries.entry(key).or_insert(Entry {
                due: None,
                seen_version: String::new(),
            });
            // Status writes do not change the version: no reconcile for them.
            if e.seen_version != version {
                e.seen_version = version;
                e.due = Some((now, Trigger::Change));
            }
        }
        (ESO, "secretstores" | "clustersecretstores") if ev.kind != EventType::Deleted => {
            let _ = stores::validate(&ctx.store, &ev.object);
        }
        ("", "secrets") => {
            let owner = ev
                .object
                .pointer("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .and_then(|r| r.iter().find(|o| o["kind"] == "ExternalSecret"))
                .and_then(|o| o["name"].as_str());
            let managed = ev
                .object
                .pointer("/metadata/labels")
                .and_then(|l| l.get(reconcile::MANAGED_LABEL))
                .is_some();
            if let Some(owner) = owner {
                if let Some(e) = entries.get_mut(&(ev.namespace.clone(), owner.to_string()))
                    && e.due.is_none_or(|(t, _)| t > now)
                {
                    e.due = Some((now, Trigger::Change));
                }
            } else if !managed {
                // Maybe a store's credentials appeared, changed or went away.
                for plural in ["secretstores", "clustersecretstores"] {
                    if let Ok(rt) = ctx.store.resource(ESO, plural) {
                        for s in ctx.store.list(rt, None, &Selectors::default()).0 {
                            if s.pointer("/spec/provider/aws/auth/secretRef").is_some() {
                                let _ = stores::validate(&ctx.store, &s);
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// Reconcile at most `BATCH` of the due ExternalSecrets; true when more
/// were due than that.
async fn run_due(ctx: &Ctx, entries: &mut HashMap<Key, Entry>) -> bool {
    let Some(rt) = es_type(ctx) else { return false };
    let now = Instant::now();
    let mut due: Vec<(Key, Trigger)> = entries
        .iter()
        .filter_map(|(k, e)| {
            e.due
                .filter(|(t, _)| *t <= now)
                .map(|(_, tr)| (k.clone(), tr))
        })
        .collect();
    let more = due.len() > BATCH;
    due.truncate(BATCH);
    // Reconciles of different ExternalSecrets run side by side, like ESO's workers.
    let results: Vec<(Key, Option<Option<Duration>>)> = futures::stream::iter(due)
        .map(|(key, trigger)| {
            let rt = &rt;
            async move {
                let next = match ctx.store.get(rt, &key.0, &key.1) {
                    Ok(es) => Some(reconcile::reconcile(ctx, &es, trigger).await),
                    Err(_) => None,
                };
                (key, next)
            }
        })
        .buffer_unordered(WORKERS)
        .collect()
        .await;
    for (key, next) in results {
        let Some(next) = next else {
            entries.remove(&key);
            continue;
        };
        if let Some(e) = entries.get_mut(&key) {
            e.due = next.map(|d| {
                let real = ctx.clock.real(d).max(Duration::from_millis(200));
                (Instant::now() + real, Trigger::Timer)
            });
        }
    }
    more
}
