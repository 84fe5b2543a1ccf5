//! The External Secrets Operator sim: reconciles ExternalSecrets on
//! create/change (a new `force-sync` annotation included), when their
//! Secret is edited or removed, and every `refreshInterval` (on the sim
//! clock); validates SecretStores and ClusterSecretStores.

mod cred_index;
mod provider;
pub mod reconcile;
pub mod render;
mod schedule;
pub mod stores;

use crate::clock::SimClock;
use crate::kube::resources::ESO;
use crate::kube::selectors::Selectors;
use crate::kube::store::{EventType, Store, WatchEvent};
use cred_index::{CredIndex, credential_secrets};
use futures::StreamExt as _;
use provider::Provider;
use reconcile::{Trigger, wanted_version};
use schedule::{Key, Schedule};
use serde_json::Value;
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

/// What the sim remembers between events.
#[derive(Default)]
struct State {
    schedule: Schedule,
    creds: CredIndex,
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
    let mut st = State::default();
    resync(&ctx, &mut st);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        // What arrived meanwhile first (it only schedules), then at most
        // one batch of due reconciles: a long backlog never keeps the
        // feed unread.
        let open = crate::controllers::drain(&mut events, |ev| match ev {
            Some(ev) => on_event(&ctx, &mut st, ev),
            None => resync(&ctx, &mut st),
        });
        if !open {
            return;
        }
        if run_due(&ctx, &mut st.schedule).await {
            continue;
        }
        tokio::select! {
            ev = events.recv() => match ev {
                Ok(ev) => on_event(&ctx, &mut st, &ev),
                Err(RecvError::Lagged(_)) => resync(&ctx, &mut st),
                Err(RecvError::Closed) => return,
            },
            _ = tick.tick() => {}
        }
    }
}

fn es_type(ctx: &Ctx) -> Option<crate::kube::ResourceType> {
    ctx.store.resource(ESO, "externalsecrets").ok().cloned()
}

/// Validate a store and note which Secrets hold its credentials.
fn on_store(ctx: &Ctx, st: &mut State, plural: &'static str, obj: &Value) {
    let m = &obj["metadata"];
    let key = (
        plural,
        m["namespace"].as_str().unwrap_or_default().to_string(),
        m["name"].as_str().unwrap_or_default().to_string(),
    );
    st.creds.set(key, credential_secrets(obj));
    let _ = stores::validate(&ctx.store, obj);
}

fn resync(ctx: &Ctx, st: &mut State) {
    st.creds = CredIndex::default();
    for plural in ["secretstores", "clustersecretstores"] {
        if let Ok(rt) = ctx.store.resource(ESO, plural) {
            for s in ctx.store.list(rt, None, &Selectors::default()).0 {
                on_store(ctx, st, plural, &s);
            }
        }
    }
    let Some(rt) = es_type(ctx) else { return };
    let now = Instant::now();
    for es in ctx.store.list(&rt, None, &Selectors::default()).0 {
        let key = key_of(&es);
        st.schedule.see(&key, wanted_version(&es));
        st.schedule.set_due(&key, Some((now, Trigger::Change)));
    }
}

fn key_of(obj: &Value) -> Key {
    let m = &obj["metadata"];
    (
        m["namespace"].as_str().unwrap_or_default().to_string(),
        m["name"].as_str().unwrap_or_default().to_string(),
    )
}

fn on_event(ctx: &Ctx, st: &mut State, ev: &WatchEvent) {
    let now = Instant::now();
    match (ev.group, ev.plural) {
        (ESO, "externalsecrets") => {
            let key = (ev.namespace.clone(), ev.name.clone());
            if ev.kind == EventType::Deleted {
                st.schedule.remove(&key);
                return;
            }
            // Status writes do not change the version: no reconcile for them.
            if st.schedule.see(&key, wanted_version(&ev.object)) {
                st.schedule.set_due(&key, Some((now, Trigger::Change)));
            }
        }
        (ESO, plural @ ("secretstores" | "clustersecretstores")) => {
            if ev.kind == EventType::Deleted {
                st.creds
                    .set((plural, ev.namespace.clone(), ev.name.clone()), Vec::new());
            } else {
                on_store(ctx, st, plural, &ev.object);
            }
        }
        ("", "secrets") => {
            let owner = ev
                .object
                .pointer("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .and_then(|r| r.iter().find(|o| o["kind"] == "ExternalSecret"))
                .and_then(|o| o["name"].as_str());
            if let Some(owner) = owner {
                let key = (ev.namespace.clone(), owner.to_string());
                if st.schedule.knows(&key) {
                    st.schedule.due_by(&key, now, Trigger::Change);
                }
            }
            // Maybe a store's credentials appeared, changed or went away.
            let secret = (ev.namespace.clone(), ev.name.clone());
            for (plural, ns, name) in st.creds.stores_of(&secret) {
                if let Ok(rt) = ctx.store.resource(ESO, plural)
                    && let Ok(s) = ctx.store.get(rt, &ns, &name)
                {
                    let _ = stores::validate(&ctx.store, &s);
                }
            }
        }
        _ => {}
    }
}

/// Reconcile at most `BATCH` of the due ExternalSecrets; true when more
/// were due than that.
async fn run_due(ctx: &Ctx, schedule: &mut Schedule) -> bool {
    let Some(rt) = es_type(ctx) else { return false };
    let (due, more) = schedule.take_due(Instant::now(), BATCH);
    // Reconciles of different ExternalSecrets run side by side, like ESO's workers.
    let results: Vec<(Key, Option<Option<Duration>>)> = futures::stream::iter(due)
        .map(|(key, trigger)| {
            let rt = &rt;
            async move {
                let next = match ctx.store.get_shared(rt, &key.0, &key.1) {
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
            schedule.remove(&key);
            continue;
        };
        let due = next.map(|d| {
            let real = ctx.clock.real(d).max(Duration::from_millis(200));
            (Instant::now() + real, Trigger::Timer)
        });
        schedule.set_due(&key, due);
    }
    more
}
