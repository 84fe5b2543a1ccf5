//! `--churn N`: N object updates per second on top of the controllers'
//! own, so event storms are reproducible whatever the clock factor. They
//! go round-robin over the cluster as a busy one makes them: an
//! ExternalSecret's status refreshed (`refreshTime`, as ESO writes it on
//! each refresh), a pod's container restarted (`restartCount`, as the
//! kubelet reports it), and an Event about a pod repeated (`count` and
//! `lastTimestamp` bumped, as the event recorder does).

use super::eso::stores::MANAGER;
use super::events;
use crate::kube::patch::PatchKind;
use crate::kube::resources::{ESO, ResourceType};
use crate::kube::store::{Store, Writer, now_rfc3339};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

const TICK: Duration = Duration::from_millis(50);
/// How often the lists of objects to churn are read again.
const RELIST: Duration = Duration::from_secs(10);

/// Make `rate` updates a second until aborted; the rate may be changed
/// while it runs (`POST /_sim/churn {"rate": N}`), 0 pauses.
pub fn spawn(store: Arc<Store>, rate: Arc<AtomicU32>) -> JoinHandle<()> {
    tokio::spawn(run(store, rate))
}

/// The objects churned: `(namespace, name)` of each kind.
#[derive(Default)]
struct Targets {
    external_secrets: Vec<(String, String)>,
    pods: Vec<(String, String)>,
}

impl Targets {
    fn read(store: &Store) -> Targets {
        let keys = |rt: Option<&ResourceType>| rt.map(|rt| store.names(rt)).unwrap_or_default();
        Targets {
            external_secrets: keys(store.resource(ESO, "externalsecrets").ok()),
            pods: keys(store.registry().by_plural("", "pods")),
        }
    }
}

async fn run(store: Arc<Store>, rate: Arc<AtomicU32>) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut start = Instant::now();
    let mut targets = Targets::default();
    let mut listed: Option<Instant> = None;
    let (mut done, mut cursor, mut per_second) = (0u64, 0usize, 0u32);
    loop {
        tick.tick().await;
        let now_rate = rate.load(Ordering::Relaxed);
        if now_rate != per_second {
            // A new rate counts from now.
            (per_second, start, done) = (now_rate, Instant::now(), 0);
        }
        if per_second == 0 {
            continue;
        }
        if listed.is_none_or(|t| t.elapsed() >= RELIST) {
            targets = Targets::read(&store);
            listed = Some(Instant::now());
        }
        // As many as are due by now: the rate holds even when a tick is late.
        let due = (start.elapsed().as_secs_f64() * f64::from(per_second)) as u64;
        while done < due {
            churn_one(&store, &targets, cursor);
            cursor = cursor.wrapping_add(1);
            done += 1;
        }
    }
}

/// One update; the kind by `i % 3`, the object round-robin within it.
fn churn_one(store: &Store, t: &Targets, i: usize) {
    let pick = |list: &[(String, String)]| list.get((i / 3) % list.len().max(1)).cloned();
    match i % 3 {
        0 => {
            if let (Some((ns, name)), Ok(rt)) = (
                pick(&t.external_secrets),
                store.resource(ESO, "externalsecrets"),
            ) {
                let patch = json!({"status": {"refreshTime": now_rfc3339()}});
                let w = Writer::update(MANAGER);
                let _ = store.patch(rt, &ns, &name, PatchKind::Merge, &patch, w, true);
            }
        }
        1 => {
            if let Some((ns, name)) = pick(&t.pods) {
                restart_container(store, &ns, &name);
            }
        }
        _ => {
            if let Some((ns, name)) = pick(&t.pods)
                && let Some(rt) = store.registry().by_plural("", "pods")
                && let Ok(pod) = store.get(rt, &ns, &name)
            {
                let image = pod
                    .pointer("/spec/containers/0/image")
                    .and_then(Value::as_str)
                    .unwrap_or("the image")
                    .to_string();
                let message = format!("Container image \"{image}\" already present on machine");
                events::record(store, "kubelet", &pod, "Normal", "Pulled", &message);
            }
        }
    }
}

/// The pod's first container restarted: `restartCount` + 1, running again
/// since now.
fn restart_container(store: &Store, ns: &str, name: &str) {
    let Some(rt) = store.registry().by_plural("", "pods") else {
        return;
    };
    let Ok(pod) = store.get(rt, ns, name) else {
        return;
    };
    let Some(mut statuses) = pod
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .cloned()
    else {
        return;
    };
    let Some(first) = statuses.first_mut() else {
        return;
    };
    let count = first["restartCount"].as_i64().unwrap_or(0) + 1;
    first["restartCount"] = json!(count);
    first["state"] = json!({"running": {"startedAt": now_rfc3339()}});
    let patch = json!({"status": {"containerStatuses": statuses}});
    let _ = store.patch(
        rt,
        ns,
        name,
        PatchKind::Merge,
        &patch,
        Writer::update("kubelet"),
        true,
    );
}
