//! Force-sync of ExternalSecrets: set `force-sync=<unix seconds>` (merge
//! patch), then follow until ESO has acted — `status.refreshTime`,
//! `status.syncedResourceVersion` or the Ready condition (status, message,
//! lastTransitionTime) moves, or an `UpdateFailed` event appears or is
//! bumped (failed, with its message). Event recorders merge a repeat into
//! the existing Event (`count`, `series.count`, `lastTimestamp`), so a
//! bump counts as much as a new Event. An ExternalSecret ESO would
//! ignore (refreshPolicy CreatedOnce, refreshInterval 0 after the first
//! sync) is not patched: the result says why, instead of pretending.

use super::follow::{self, FollowError, text_at};
use crate::backend::convert::from_dynamic;
use crate::backend::discover::discover;
use crate::backend::kube_words::kube_words;
use crate::domain::ExternalSecret;
use crate::domain::ops::annotations::FORCE_SYNC;
use crate::domain::ops::outcome::OpResult;
use crate::domain::views::force_sync_ignored;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, ApiResource, DynamicObject, ListParams, Patch, PatchParams};
use kube::{Client, ResourceExt};
use std::collections::BTreeMap;
use std::time::Duration;

pub const ACTION: &str = "force-sync";
/// How long to wait for ESO to act, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The ExternalSecret resource at the version the server serves.
pub async fn es_resource(client: &Client) -> Result<ApiResource, String> {
    discover(client.clone())
        .await
        .map_err(|e| format!("cannot discover the API groups: {}", kube_words(&e)))?
        .external_secrets
        .ok_or_else(|| "External Secrets Operator is not installed (no ExternalSecret API)".into())
}

pub fn target(ns: &str, name: &str) -> String {
    format!("ExternalSecret {ns}/{name}")
}

/// Why ESO would ignore a force-sync of this object, if it would.
pub fn ignored_reason(obj: &DynamicObject) -> Option<String> {
    from_dynamic::<ExternalSecret>(obj).and_then(|es| force_sync_ignored(&es))
}

/// Force-sync one ExternalSecret and follow it to the outcome.
pub async fn force_sync(
    client: &Client,
    ar: &ApiResource,
    ns: &str,
    name: &str,
    now: DateTime<Utc>,
    timeout: Duration,
) -> OpResult {
    let target = target(ns, name);
    let fail = |m: String| OpResult::failed(ACTION, &target, m);
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, ar);
    let before = match api.get(name).await {
        Ok(o) => o,
        Err(e) => return fail(format!("cannot read {target}: {}", kube_words(&e))),
    };
    if let Some(why) = ignored_reason(&before) {
        return OpResult::ignored(
            ACTION,
            &target,
            format!("not sent: ESO will ignore a force-sync because {why}"),
        );
    }
    let failures_before = match failure_events(client, ns, name).await {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let moved = status_mark(&before);
    let patch = serde_json::json!({
        "metadata": {"annotations": {FORCE_SYNC: now.timestamp().to_string()}}
    });
    if let Err(e) = api
        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
    {
        return fail(format!("cannot annotate {target}: {}", kube_words(&e)));
    }
    follow_sync(client, &api, ns, name, moved, failures_before, timeout).await
}

/// What moves when ESO has acted: `refreshTime`, `syncedResourceVersion`
/// (a sync) and the Ready condition (a sync or a failure).
type StatusMark = (Option<String>, Option<String>, Option<serde_json::Value>);

fn status_mark(obj: &DynamicObject) -> StatusMark {
    let ready = obj
        .data
        .pointer("/status/conditions")
        .and_then(|c| c.as_array())
        .and_then(|c| c.iter().find(|c| c["type"] == "Ready"))
        .map(|c| {
            serde_json::json!([
                c["status"],
                c["reason"],
                c["message"],
                c["lastTransitionTime"]
            ])
        });
    (
        text_at(obj, "/status/refreshTime"),
        text_at(obj, "/status/syncedResourceVersion"),
        ready,
    )
}

/// How far an Event has been counted: `(count, series.count,
/// lastTimestamp or series.lastObservedTime)`.
pub type EventMark = (i32, i32, Option<k8s_openapi::jiff::Timestamp>);

pub fn event_mark(e: &Event) -> EventMark {
    let series = e.series.as_ref();
    let last = [
        e.last_timestamp.as_ref().map(|t| t.0),
        series
            .and_then(|s| s.last_observed_time.as_ref())
            .map(|t| t.0),
        e.event_time.as_ref().map(|t| t.0),
    ]
    .into_iter()
    .flatten()
    .max();
    (
        e.count.unwrap_or(1),
        series.and_then(|s| s.count).unwrap_or(0),
        last,
    )
}

/// An Event is news when it is new, or its count, series count or last
/// time moved on since `before` (the recorder merged a repeat into it).
pub fn event_is_news(before: Option<&EventMark>, now: &EventMark) -> bool {
    match before {
        None => true,
        Some(b) => now.0 > b.0 || now.1 > b.1 || now.2 > b.2,
    }
}

/// The UpdateFailed events of an ExternalSecret as they stand.
pub type Failures = BTreeMap<String, (EventMark, String)>;

/// The message of an UpdateFailed event of ExternalSecret `ns/name` that is
/// new since `before` (or a repeat merged into an old one), if any.
pub async fn new_failure(
    client: &Client,
    ns: &str,
    name: &str,
    before: &Failures,
) -> Result<Option<String>, String> {
    let now = failure_events(client, ns, name).await?;
    Ok(now.into_iter().find_map(|(event, (mark, message))| {
        event_is_news(before.get(&event).map(|(m, _)| m), &mark).then_some(message)
    }))
}

/// UpdateFailed events of the object: name -> (mark, message).
pub async fn failure_events(client: &Client, ns: &str, name: &str) -> Result<Failures, String> {
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let lp = ListParams::default().fields(&format!(
        "involvedObject.kind=ExternalSecret,involvedObject.name={name},reason=UpdateFailed"
    ));
    let list = events.list(&lp).await.map_err(|e| {
        format!(
            "cannot read the events of ExternalSecret {ns}/{name}: {}",
            kube_words(&e)
        )
    })?;
    Ok(list
        .items
        .into_iter()
        .map(|e| {
            let mark = event_mark(&e);
            (e.name_any(), (mark, e.message.unwrap_or_default()))
        })
        .collect())
}

/// Wait for the status to move (synced) or a new failure event (failed).
async fn follow_sync(
    client: &Client,
    api: &Api<DynamicObject>,
    ns: &str,
    name: &str,
    mark: StatusMark,
    failures_before: BTreeMap<String, (EventMark, String)>,
    timeout: Duration,
) -> OpResult {
    let target = target(ns, name);
    let synced = {
        let mark = mark.clone();
        follow::until(api, name, timeout, move |o| status_mark(o) != mark)
    };
    let failed = async {
        // A failure leaves the status as it was: watch the Events instead.
        let events: Api<Event> = Api::namespaced(client.clone(), ns);
        let cfg = kube::runtime::watcher::Config::default().fields(&format!(
            "involvedObject.kind=ExternalSecret,involvedObject.name={name},reason=UpdateFailed"
        ));
        let mut stream = std::pin::pin!(kube::runtime::watcher(events, cfg));
        while let Some(ev) = stream.next().await {
            let objs = match ev {
                Ok(kube::runtime::watcher::Event::Apply(e))
                | Ok(kube::runtime::watcher::Event::InitApply(e)) => vec![e],
                _ => continue,
            };
            for e in objs {
                let old = failures_before.get(&e.name_any()).map(|(m, _)| m);
                if event_is_news(old, &event_mark(&e)) {
                    return e.message.unwrap_or_default();
                }
            }
        }
        std::future::pending().await
    };
    tokio::select! {
        r = synced => match r {
            Ok(obj) => outcome_of(&target, &obj),
            Err(FollowError::TimedOut(d)) => OpResult::failed(
                ACTION,
                &target,
                format!("ESO did not act within {}s (is the controller running?)", d.as_secs()),
            ),
            Err(e) => OpResult::failed(ACTION, &target, e.to_string()),
        },
        message = failed => OpResult::failed(ACTION, &target, format!("SecretSyncedError: {message}")),
    }
}

/// The Ready condition after the status moved.
fn outcome_of(target: &str, obj: &DynamicObject) -> OpResult {
    let ready = obj
        .data
        .pointer("/status/conditions")
        .and_then(|c| c.as_array())
        .and_then(|c| c.iter().find(|c| c["type"] == "Ready"));
    let reason = ready
        .and_then(|c| c["reason"].as_str())
        .unwrap_or("unknown");
    let message = ready.and_then(|c| c["message"].as_str()).unwrap_or("");
    if ready.is_some_and(|c| c["status"] == "True") {
        OpResult::ok(ACTION, target, reason.to_string())
    } else {
        OpResult::failed(ACTION, target, format!("{reason}: {message}"))
    }
}
