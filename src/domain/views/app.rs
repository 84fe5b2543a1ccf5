//! Per-app views: the apps table rows with their roll-up, and the app
//! detail (ExternalSecrets, ConfigMaps, workloads, warnings, Argo CD).

use super::es::{EsBrief, es_brief, es_view_of};
use super::lists::{config_map_view, event_view};
use super::workloads::{stale_split, workload_view};
use super::{AppDetail, AppView, ArgoView, EsView, EventView, WorkloadView};
use crate::domain::OwnedText;
use crate::domain::join::belongs_to;
use crate::domain::membership::{AppObjects, Membership, in_namespace};
use crate::domain::rollup::{RollupInput, roll_up};
use crate::domain::time::opt_time;
use crate::domain::{Application, EventObj, ExternalSecret, Inventory, ObjKey};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeSet, HashSet};

/// Warning events older than this do not count in the roll-up.
pub const RECENT_WARNINGS: Duration = Duration::hours(1);

pub fn app_views(inv: &Inventory, now: DateTime<Utc>) -> Vec<AppView> {
    app_views_in(inv, &Membership::build(inv), now)
}

/// `app_views` with the membership already found.
pub fn app_views_in(inv: &Inventory, members: &Membership, now: DateTime<Utc>) -> Vec<AppView> {
    inv.apps
        .values()
        .map(|app| app_view(inv, members, app, now).0)
        .collect()
}

/// One app's row, and when it changes by itself (a warning leaving the
/// recent window), if it can.
pub fn app_view(
    inv: &Inventory,
    members: &Membership,
    app: &Application,
    now: DateTime<Utc>,
) -> (AppView, Option<DateTime<Utc>>) {
    let workloads = app_workloads(inv, members, app);
    app_view_with(inv, members, app, now, &workloads)
}

/// The app's workloads with their pods and which run an old value: the
/// costly part of a row (every pod against the content log), and one that
/// depends only on workloads, pods, Secrets and ConfigMaps (not the time),
/// so it can be kept while only the app or its ExternalSecrets change.
pub fn app_workloads(
    inv: &Inventory,
    members: &Membership,
    app: &Application,
) -> Vec<WorkloadView> {
    members
        .of(app.metadata.name())
        .workloads
        .iter()
        .filter_map(|k| inv.workloads.get(k))
        .map(|w| workload_view(inv, w))
        .collect()
}

/// `app_view` with the app's workloads already computed (`app_workloads`).
pub fn app_view_with(
    inv: &Inventory,
    members: &Membership,
    app: &Application,
    now: DateTime<Utc>,
    workloads: &[WorkloadView],
) -> (AppView, Option<DateTime<Utc>>) {
    let ess: Vec<EsBrief> = external_secrets(inv, members, app)
        .map(|es| es_brief(inv, es))
        .collect();
    let (view, warnings) = parts(inv, members, app, now, workloads, &ess);
    let expires = warnings
        .iter()
        .filter_map(|w| w.last_seen)
        .min()
        .map(|t| t + RECENT_WARNINGS + Duration::seconds(1));
    (view, expires)
}

pub fn app_detail(inv: &Inventory, key: &ObjKey, now: DateTime<Utc>) -> Option<AppDetail> {
    app_detail_in(inv, &Membership::build(inv), key, now)
}

/// `app_detail` with the membership already found.
pub fn app_detail_in(
    inv: &Inventory,
    members: &Membership,
    key: &ObjKey,
    now: DateTime<Utc>,
) -> Option<AppDetail> {
    let app = inv.apps.get(key)?;
    let workloads = app_workloads(inv, members, app);
    let external_secrets: Vec<EsView> = external_secrets(inv, members, app)
        .map(|es| es_view_of(inv, es, now))
        .collect();
    let briefs: Vec<EsBrief> = external_secrets.iter().map(EsBrief::from).collect();
    let (view, warning_events) = parts(inv, members, app, now, &workloads, &briefs);
    let config_maps = members
        .of(app.metadata.name())
        .config_maps
        .iter()
        .filter_map(|k| inv.config_maps.get(k))
        .map(|cm| config_map_view(inv, cm))
        .collect();
    Some(AppDetail {
        app: view,
        argo: argo_view(app),
        external_secrets,
        config_maps,
        workloads,
        warning_events,
    })
}

/// The app's ExternalSecrets.
fn external_secrets<'a>(
    inv: &'a Inventory,
    members: &'a Membership,
    app: &Application,
) -> impl Iterator<Item = &'a ExternalSecret> + 'a {
    members
        .of(app.metadata.name())
        .external_secrets
        .iter()
        .filter_map(|k| inv.external_secrets.get(k))
}

/// The app's row from its parts, and its recent warnings.
fn parts(
    inv: &Inventory,
    members: &Membership,
    app: &Application,
    now: DateTime<Utc>,
    workloads: &[WorkloadView],
    ess: &[EsBrief],
) -> (AppView, Vec<EventView>) {
    let mine = members.of(app.metadata.name());
    let warnings = app_warnings(inv, mine, workloads, app, now);
    let config_maps = mine.config_maps.len();

    let mut input = RollupInput {
        health: Some(app.health_status()),
        health_message: app
            .status
            .as_ref()
            .and_then(|s| s.health.as_ref()?.message.owned()),
        sync: Some(app.sync_status()),
        operation_failed: app.status.as_ref().and_then(|s| {
            let op = s.operation_state.as_ref()?;
            matches!(op.phase.as_deref(), Some("Failed" | "Error"))
                .then(|| op.message.owned().unwrap_or_default())
        }),
        ..Default::default()
    };
    for es in ess {
        input
            .external_secrets
            .push((es.name.clone(), es.ready == Some(true), es_cause(es)));
        if !es.target_exists && es.ready == Some(true) {
            input.missing_secrets.push(es.target_secret.clone());
        }
        let s = &es.store;
        let entry = (
            s.kind.clone(),
            s.name.clone(),
            s.exists,
            // No condition yet (not validated) is not reported as a problem.
            s.ready != Some(false),
            words(s.reason.as_deref(), s.message.as_deref()),
        );
        if !input.stores.contains(&entry) {
            input.stores.push(entry);
        }
    }
    for w in workloads {
        let (secret, config) = stale_split(w);
        input.stale_pods_secret += secret;
        input.stale_pods_config += config;
    }
    input.out_of_sync = app
        .status
        .iter()
        .flat_map(|s| &s.resources)
        .filter(|r| r.status.as_deref() == Some("OutOfSync"))
        .map(|r| {
            format!(
                "{} {}",
                r.kind.as_deref().unwrap_or("?"),
                r.name.as_deref().unwrap_or("?")
            )
        })
        .collect();
    input.warnings = warnings
        .iter()
        .map(|e| (e.reason.clone(), e.message.clone()))
        .collect();
    let (severity, problems) = roll_up(&input);

    let es_worst_reason = ess
        .iter()
        .filter(|e| e.ready != Some(true))
        .find_map(|e| e.reason.clone())
        .or_else(|| {
            ess.iter()
                .any(|e| e.ready != Some(true))
                .then(|| "NotReady".to_string())
        });
    let view = AppView {
        key: app.metadata.key(),
        name: app.metadata.name().to_string(),
        dest_namespace: app.destination_namespace().unwrap_or_default().to_string(),
        sync: app.sync_status(),
        health: app.health_status(),
        es_ready: ess.iter().filter(|e| e.ready == Some(true)).count(),
        es_total: ess.len(),
        es_worst_reason,
        config_maps,
        stale_pods: workloads.iter().map(|w| w.stale_pods).sum(),
        last_refresh: ess.iter().filter_map(|e| e.last_refresh).max(),
        severity,
        problems,
    };
    (view, warnings)
}

/// Why an ExternalSecret is not ready, in the provider's words when its
/// last UpdateFailed event (or the condition) says more than the reason.
fn es_cause(es: &EsBrief) -> Option<String> {
    let detail = es
        .last_error
        .as_deref()
        .filter(|m| !m.is_empty())
        .or(es.message.as_deref());
    words(es.reason.as_deref(), detail)
}

/// The message (the cause in words) first, then the reason:
/// `message (reason)`, or whichever of the two is known.
fn words(reason: Option<&str>, message: Option<&str>) -> Option<String> {
    let message = message.filter(|m| !m.trim().is_empty());
    match (message, reason.filter(|r| !r.is_empty())) {
        (Some(m), Some(r)) => Some(format!("{m} ({r})")),
        (Some(m), None) => Some(m.to_string()),
        (None, Some(r)) => Some(r.to_string()),
        (None, None) => None,
    }
}

/// Recent warning events about the app, its ExternalSecrets, workloads or
/// their pods; newest first. Events live in their object's namespace, so
/// only the namespaces of the app and its objects are read.
fn app_warnings(
    inv: &Inventory,
    mine: &AppObjects,
    workloads: &[WorkloadView],
    app: &Application,
    now: DateTime<Utc>,
) -> Vec<EventView> {
    let pods: HashSet<(&str, &str)> = workloads
        .iter()
        .flat_map(|w| &w.pods)
        .map(|p| (p.namespace.as_str(), p.name.as_str()))
        .collect();
    let about_app = |e: &EventObj| -> bool {
        let o = &e.involved_object;
        let kind = o.kind.as_deref().unwrap_or("");
        let name = o.name.as_deref().unwrap_or("");
        let ns = o.namespace.as_deref().unwrap_or(e.metadata.namespace());
        if kind == "Application" {
            return name == app.metadata.name();
        }
        if kind == "Pod" {
            return pods.contains(&(ns, name));
        }
        let meta = crate::domain::Meta {
            name: Some(name.into()),
            namespace: Some(ns.into()),
            ..Default::default()
        };
        let by_object = match kind {
            "ExternalSecret" => inv.external_secrets.get(&meta.key()).map(|o| &o.metadata),
            "ConfigMap" => inv.config_maps.get(&meta.key()).map(|o| &o.metadata),
            "Deployment" | "StatefulSet" | "DaemonSet" => {
                inv.workloads.get(&meta.key()).map(|o| &o.metadata)
            }
            _ => None,
        };
        belongs_to(app, kind, by_object.unwrap_or(&meta))
    };
    // Each namespace once.
    let namespaces: BTreeSet<&str> = app_namespaces(app, mine).collect();
    let mut v: Vec<EventView> = namespaces
        .into_iter()
        .flat_map(|ns| in_namespace(&inv.events, ns))
        .filter(|e| e.is_warning())
        .filter(|e| e.last_seen().is_none_or(|t| now - t <= RECENT_WARNINGS))
        .filter(|e| about_app(e))
        .map(event_view)
        .collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
    v
}

/// The namespaces an app's objects (and events about them) can be in: its
/// own, its destination, and those of its objects and `status.resources`.
pub fn app_namespaces<'a>(
    app: &'a Application,
    mine: &'a AppObjects,
) -> impl Iterator<Item = &'a str> + 'a {
    let objects = [&mine.external_secrets, &mine.config_maps, &mine.workloads];
    std::iter::once(app.metadata.namespace())
        .chain(app.destination_namespace())
        .chain(objects.into_iter().flatten().map(|k| k.namespace.as_str()))
        .chain(
            app.status
                .iter()
                .flat_map(|s| &s.resources)
                .map(|r| r.namespace.as_deref().unwrap_or("")),
        )
}

fn argo_view(app: &Application) -> ArgoView {
    let status = app.status.as_ref();
    let source = app
        .spec
        .source
        .as_ref()
        .or_else(|| app.spec.sources.first());
    let automated = app
        .spec
        .sync_policy
        .as_ref()
        .and_then(|p| p.automated.as_ref());
    let mut history: Vec<(i64, String, Option<DateTime<Utc>>)> = status
        .map(|s| {
            s.history
                .iter()
                .map(|h| {
                    (
                        h.id.unwrap_or(0),
                        h.revision.owned().unwrap_or_default(),
                        opt_time(h.deployed_at.as_deref()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    history.sort_by_key(|h| std::cmp::Reverse(h.0));
    ArgoView {
        sync: app.sync_status(),
        revision: status.and_then(|s| s.sync.as_ref()?.revision.owned()),
        health: app.health_status(),
        health_message: status.and_then(|s| s.health.as_ref()?.message.owned()),
        conditions: status
            .map(|s| {
                s.conditions
                    .iter()
                    .map(|c| {
                        (
                            c.type_.owned().unwrap_or_default(),
                            c.message.owned().unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        operation: status.and_then(|s| {
            let op = s.operation_state.as_ref()?;
            Some((
                op.phase.owned().unwrap_or_default(),
                op.message.owned().unwrap_or_default(),
                opt_time(op.finished_at.as_deref()),
            ))
        }),
        history,
        reconciled_at: opt_time(status.and_then(|s| s.reconciled_at.as_deref())),
        auto_sync: automated.is_some(),
        self_heal: app.self_heal(),
        repo: source.and_then(|s| s.repo_url.owned()).unwrap_or_default(),
        path: source
            .and_then(|s| s.path.owned().or_else(|| s.chart.owned()))
            .unwrap_or_default(),
    }
}
