//! What the console knows about the cluster: where it is, how each watch is
//! doing, and the objects the watches delivered.

use super::msg::{Change, Msg};
use super::touched::Touched;
use crate::domain::{
    Application, AwsIdentity, AwsSecretMeta, ConfigMapObj, HasMeta, Inventory, ObjKey, SecretMeta,
    SecretStore,
};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

/// Where the console is connected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterInfo {
    /// Kube context name (empty when not from a kubeconfig, e.g. in-cluster).
    pub context: String,
    /// API server URL.
    pub server: String,
}

/// The kinds the console watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WatchKind {
    Applications,
    ExternalSecrets,
    SecretStores,
    ClusterSecretStores,
    ConfigMaps,
    Secrets,
    Deployments,
    StatefulSets,
    DaemonSets,
    Pods,
    Events,
}

impl WatchKind {
    pub const ALL: [WatchKind; 11] = [
        WatchKind::Applications,
        WatchKind::ExternalSecrets,
        WatchKind::SecretStores,
        WatchKind::ClusterSecretStores,
        WatchKind::ConfigMaps,
        WatchKind::Secrets,
        WatchKind::Deployments,
        WatchKind::StatefulSets,
        WatchKind::DaemonSets,
        WatchKind::Pods,
        WatchKind::Events,
    ];

    /// Short label for the status bar.
    pub fn label(self) -> &'static str {
        match self {
            WatchKind::Applications => "apps",
            WatchKind::ExternalSecrets => "es",
            WatchKind::SecretStores => "ss",
            WatchKind::ClusterSecretStores => "css",
            WatchKind::ConfigMaps => "cm",
            WatchKind::Secrets => "secrets",
            WatchKind::Deployments => "deploy",
            WatchKind::StatefulSets => "sts",
            WatchKind::DaemonSets => "ds",
            WatchKind::Pods => "pods",
            WatchKind::Events => "events",
        }
    }

    /// The resource's plural name, for messages ("no permission to list secrets").
    pub fn plural(self) -> &'static str {
        match self {
            WatchKind::Applications => "applications",
            WatchKind::ExternalSecrets => "externalsecrets",
            WatchKind::SecretStores => "secretstores",
            WatchKind::ClusterSecretStores => "clustersecretstores",
            WatchKind::ConfigMaps => "configmaps",
            WatchKind::Secrets => "secrets",
            WatchKind::Deployments => "deployments",
            WatchKind::StatefulSets => "statefulsets",
            WatchKind::DaemonSets => "daemonsets",
            WatchKind::Pods => "pods",
            WatchKind::Events => "events",
        }
    }
}

/// How one watch is doing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WatchState {
    /// Not started yet, or listing for the first time.
    #[default]
    Connecting,
    /// Listed and watching.
    Live,
    /// The watch failed and is being retried with backoff (reason in words).
    Reconnecting(String),
    /// The API group is not served (e.g. no Argo CD on this cluster).
    NotInstalled,
    /// 403: the user may not list/watch this kind.
    Forbidden,
}

impl WatchState {
    /// Words for the status bar (colour is added by the view).
    pub fn label(&self) -> &'static str {
        match self {
            WatchState::Connecting => "connecting",
            WatchState::Live => "live",
            WatchState::Reconnecting(_) => "reconnecting",
            WatchState::NotInstalled => "not installed",
            WatchState::Forbidden => "forbidden",
        }
    }
}

/// Connection and watch health.
#[derive(Debug, Clone, Default)]
pub struct ClusterStatus {
    pub info: Option<ClusterInfo>,
    /// The last connection problem (cleared when a watch goes live).
    pub error: Option<String>,
    pub watches: BTreeMap<WatchKind, WatchState>,
}

impl ClusterStatus {
    pub fn watch(&self, kind: WatchKind) -> WatchState {
        self.watches.get(&kind).cloned().unwrap_or_default()
    }
}

/// The objects delivered by the watches (the `Inventory`, also reachable
/// directly through `Deref`), plus what the backend learned besides: the
/// kube contexts, the time, and AWS answers.
#[derive(Debug, Clone, Default)]
pub struct ClusterData {
    pub inventory: Inventory,
    /// The wall clock as last sent by the backend (`Msg::Now`).
    pub now: Option<DateTime<Utc>>,
    /// The current kube context and all the kubeconfig's contexts.
    pub contexts: Option<(String, Vec<String>)>,
    pub aws_identity: Option<Result<AwsIdentity, String>>,
    /// DescribeSecret answers by AWS secret name.
    pub aws_meta: BTreeMap<String, Result<AwsSecretMeta, String>>,
    /// The last command that could not be carried out.
    pub cmd_error: Option<String>,
    /// When the server last confirmed each watch that stopped being live.
    pub confirmed: BTreeMap<WatchKind, DateTime<Utc>>,
    /// What changed since `settle` last took it.
    pub touched: Touched,
}

impl Deref for ClusterData {
    type Target = Inventory;
    fn deref(&self) -> &Inventory {
        &self.inventory
    }
}

impl DerefMut for ClusterData {
    fn deref_mut(&mut self) -> &mut Inventory {
        &mut self.inventory
    }
}

impl ClusterData {
    /// Apply one data message; returns false for messages that are not data.
    pub fn apply_msg(&mut self, msg: Msg) -> bool {
        let inv = &mut self.inventory;
        let t = &mut self.touched;
        match msg {
            Msg::Apps(c) => {
                t.note(WatchKind::Applications, &inv.apps, &c);
                if let Change::Upsert(app) = &c {
                    // Membership reads which objects `status.resources`
                    // names, not their sync or health.
                    let resources = |a: &Application| -> Option<Vec<_>> {
                        let s = a.status.as_ref()?;
                        Some(
                            s.resources
                                .iter()
                                .map(|r| {
                                    (
                                        r.group.clone(),
                                        r.kind.clone(),
                                        r.namespace.clone(),
                                        r.name.clone(),
                                    )
                                })
                                .collect(),
                        )
                    };
                    let old = inv.apps.get(&app.metadata.key());
                    if old.map(|o| (resources(o), o.destination_namespace()))
                        != Some((resources(app), app.destination_namespace()))
                    {
                        t.membership = true;
                        // Its old and new destinations' objects are involved.
                        t.all = true;
                    }
                }
                apply(&mut inv.apps, c)
            }
            Msg::ExternalSecrets(c) => {
                t.note(WatchKind::ExternalSecrets, &inv.external_secrets, &c);
                apply(&mut inv.external_secrets, c)
            }
            Msg::SecretStores(c) => {
                // Stores serve many apps (a ClusterSecretStore all of them).
                t.kinds.insert(WatchKind::SecretStores);
                t.kinds.insert(WatchKind::ClusterSecretStores);
                t.all = true;
                apply_stores(inv, c)
            }
            Msg::ConfigMaps(c) => {
                t.note(WatchKind::ConfigMaps, &inv.config_maps, &c);
                let keys = changed_keys(&c, |o: &ConfigMapObj| o.metadata.key());
                apply(&mut inv.config_maps, c);
                inv.observe_content("ConfigMap", &keys, self.now);
            }
            Msg::Secrets(c) => {
                t.note(WatchKind::Secrets, &inv.secrets, &c);
                let keys = changed_keys(&c, |o: &SecretMeta| o.metadata.key());
                apply(&mut inv.secrets, c);
                inv.observe_content("Secret", &keys, self.now);
            }
            Msg::ContentLoaded(log) => {
                t.everything();
                inv.content.merge_loaded(*log)
            }
            Msg::Workloads(c) => {
                t.note(WatchKind::Deployments, &inv.workloads, &c);
                apply(&mut inv.workloads, c)
            }
            Msg::Pods(c) => {
                t.note(WatchKind::Pods, &inv.pods, &c);
                apply(&mut inv.pods, c)
            }
            Msg::Events(c) => {
                t.note_event(&inv.events, &c);
                apply(&mut inv.events, c)
            }
            Msg::ClearData => {
                t.everything();
                // What was seen of contents outlives a reconnect.
                let content = std::mem::take(&mut inv.content);
                self.inventory = Inventory {
                    content,
                    ..Inventory::default()
                };
                self.aws_meta.clear();
                self.confirmed.clear();
            }
            Msg::Contexts { current, all } => {
                // The contexts list shows them; rare (start, switch).
                t.all = true;
                self.contexts = Some((current, all))
            }
            Msg::AwsIdentity(r) => self.aws_identity = Some(r),
            Msg::AwsDescribed { name, result } => {
                self.aws_meta.insert(name, result);
            }
            // Values are never kept here: the screen that asked holds them.
            Msg::AwsValue { .. } => return false,
            Msg::Now(t) => self.now = Some(t),
            Msg::CmdFailed(e) => self.cmd_error = Some(e),
            Msg::WatchConfirmed { kind, at } => {
                self.confirmed.insert(kind, at);
            }
            _ => return false,
        }
        true
    }

    /// The time views are computed at: the last `Msg::Now`, else the epoch.
    pub fn now_or_epoch(&self) -> DateTime<Utc> {
        self.now.unwrap_or_default()
    }
}

/// Apply a change to one kind's map.
pub fn apply<T: HasMeta>(map: &mut BTreeMap<ObjKey, T>, change: Change<T>) {
    match change {
        Change::Reset(items) => {
            *map = items.into_iter().map(|o| (o.meta().key(), o)).collect();
        }
        Change::More(items) => map.extend(items.into_iter().map(|o| (o.meta().key(), o))),
        Change::Replace { items, gone } => {
            for key in gone {
                map.remove(&key);
            }
            map.extend(items.into_iter().map(|o| (o.meta().key(), o)));
        }
        Change::Upsert(obj) => {
            map.insert(obj.meta().key(), obj);
        }
        Change::Remove(key) => {
            map.remove(&key);
        }
    }
}

/// Stores go to the namespaced or the cluster map by kind; a Reset holds
/// both kinds (the backend merges the two watches).
fn apply_stores(inv: &mut Inventory, change: Change<SecretStore>) {
    let is_cluster = |s: &SecretStore| s.is_cluster_store() || s.metadata.namespace().is_empty();
    match change {
        Change::Reset(items) => {
            let (cluster, ns): (Vec<_>, Vec<_>) = items.into_iter().partition(is_cluster);
            apply(&mut inv.cluster_secret_stores, Change::Reset(cluster));
            apply(&mut inv.secret_stores, Change::Reset(ns));
        }
        Change::More(items) => {
            let (cluster, ns): (Vec<_>, Vec<_>) = items.into_iter().partition(is_cluster);
            apply(&mut inv.cluster_secret_stores, Change::More(cluster));
            apply(&mut inv.secret_stores, Change::More(ns));
        }
        Change::Replace { items, gone } => {
            let (cluster, ns): (Vec<_>, Vec<_>) = items.into_iter().partition(is_cluster);
            let (gone_cluster, gone_ns) = gone.into_iter().partition(|k| k.namespace.is_empty());
            let cluster = Change::Replace {
                items: cluster,
                gone: gone_cluster,
            };
            apply(&mut inv.cluster_secret_stores, cluster);
            let ns = Change::Replace {
                items: ns,
                gone: gone_ns,
            };
            apply(&mut inv.secret_stores, ns);
        }
        Change::Upsert(s) if is_cluster(&s) => {
            apply(&mut inv.cluster_secret_stores, Change::Upsert(s))
        }
        Change::Upsert(s) => apply(&mut inv.secret_stores, Change::Upsert(s)),
        Change::Remove(key) if key.namespace.is_empty() => {
            inv.cluster_secret_stores.remove(&key);
        }
        Change::Remove(key) => {
            inv.secret_stores.remove(&key);
        }
    }
}

/// The keys a change touches (upserted or reset; removals need no note).
fn changed_keys<T>(c: &Change<T>, key: impl Fn(&T) -> ObjKey) -> Vec<ObjKey> {
    match c {
        Change::Reset(all) | Change::More(all) | Change::Replace { items: all, .. } => {
            all.iter().map(&key).collect()
        }
        Change::Upsert(o) => vec![key(o)],
        Change::Remove(_) => Vec::new(),
    }
}

/// The kinds an Argo CD Application's row is joined from.
pub const APP_KINDS: [WatchKind; 10] = [
    WatchKind::Applications,
    WatchKind::ExternalSecrets,
    WatchKind::SecretStores,
    WatchKind::ClusterSecretStores,
    WatchKind::ConfigMaps,
    WatchKind::Secrets,
    WatchKind::Deployments,
    WatchKind::StatefulSets,
    WatchKind::DaemonSets,
    WatchKind::Pods,
];

/// The data of a watch that is reconnecting (failed, or silent) is stale:
/// it was last confirmed by the server at `since`.
fn stale_kinds<'a>(
    status: &'a ClusterStatus,
    data: &'a ClusterData,
    kinds: &'a [WatchKind],
) -> impl Iterator<Item = (WatchKind, Option<DateTime<Utc>>)> + 'a {
    kinds.iter().filter_map(|&kind| match status.watch(kind) {
        WatchState::Reconnecting(_) => Some((kind, data.confirmed.get(&kind).copied())),
        _ => None,
    })
}

/// `⟳ stale 2m` for rows joined from `kinds` when any of their watches is
/// not live (age from the oldest last confirmation); `None` when all are.
pub fn stale_marker(
    status: &ClusterStatus,
    data: &ClusterData,
    kinds: &[WatchKind],
) -> Option<String> {
    let oldest = stale_kinds(status, data, kinds)
        .map(|(_, at)| at)
        .min_by_key(|at| at.map_or(i64::MIN, |t| t.timestamp_millis()))?;
    Some(match (oldest, data.now) {
        (Some(at), Some(now)) => format!("⟳ stale {}", age_words(now - at)),
        _ => "⟳ stale".to_string(),
    })
}

/// For the status bar: how long the data has not been confirmed, and why
/// (`data 2m old: watch of pods silent`); `None` when every watch is live.
pub fn data_age_text(status: &ClusterStatus, data: &ClusterData) -> Option<String> {
    let stale: Vec<_> = stale_kinds(status, data, &WatchKind::ALL).collect();
    let (_, oldest) = stale
        .iter()
        .min_by_key(|(_, at)| at.map_or(i64::MIN, |t| t.timestamp_millis()))?;
    let names: Vec<&str> = stale.iter().map(|(k, _)| k.label()).collect();
    let names = if names.len() > 3 {
        format!("{} watches", names.len())
    } else {
        format!("watch of {}", names.join(", "))
    };
    let silent = stale.iter().any(
        |(k, _)| matches!(status.watch(*k), WatchState::Reconnecting(r) if r.starts_with("silent")),
    );
    let why = if silent { "silent" } else { "failing" };
    let age = match (oldest, data.now) {
        (Some(at), Some(now)) => format!("data {} old", age_words(now - *at)),
        _ => "data not confirmed".to_string(),
    };
    Some(format!("{age}: {names} {why}"))
}

/// `45s`, `2m`, `3h`.
fn age_words(d: chrono::TimeDelta) -> String {
    let secs = d.num_seconds().max(0);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        _ => format!("{}h", secs / 3600),
    }
}

#[cfg(test)]
mod stale_tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn live_watches_mark_nothing() {
        let mut status = ClusterStatus::default();
        status.watches.insert(WatchKind::Pods, WatchState::Live);
        let data = ClusterData::default();
        assert_eq!(stale_marker(&status, &data, &APP_KINDS), None);
        assert_eq!(data_age_text(&status, &data), None);
    }

    #[test]
    fn a_silent_watch_marks_its_rows_with_the_age_of_the_data() {
        let mut status = ClusterStatus::default();
        status.watches.insert(
            WatchKind::Pods,
            WatchState::Reconnecting("silent for 90s+".into()),
        );
        status
            .watches
            .insert(WatchKind::ConfigMaps, WatchState::Live);
        let mut data = ClusterData::default();
        data.apply_msg(Msg::WatchConfirmed {
            kind: WatchKind::Pods,
            at: at(1000),
        });
        data.apply_msg(Msg::Now(at(1125)));
        assert_eq!(
            stale_marker(&status, &data, &APP_KINDS).as_deref(),
            Some("⟳ stale 2m")
        );
        assert_eq!(stale_marker(&status, &data, &[WatchKind::ConfigMaps]), None);
        assert_eq!(
            data_age_text(&status, &data).as_deref(),
            Some("data 2m old: watch of pods silent")
        );
        // Another context: the old confirmation times do not carry over.
        data.apply_msg(Msg::ClearData);
        assert_eq!(
            stale_marker(&status, &data, &APP_KINDS).as_deref(),
            Some("⟳ stale")
        );
    }
}
