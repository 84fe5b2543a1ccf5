//! The apps table is kept up to date per app (only the apps a change can
//! touch are recomputed): after any sequence of watch changes and clock
//! moves its rows equal a full recompute of every app from the inventory.

use crate::screens_fixture::{self, AWS_SECRET, parse};
use chrono::Duration;
use proptest::prelude::*;
use secretdeck::domain::ObjKey;
use secretdeck::domain::views::{AppView, app_detail, app_views};
use secretdeck::state::{Change, Model, Msg, update_all};
use serde_json::json;

const APPS: [&str; 2] = ["onthetop-backend", "payments-api"];

#[derive(Debug, Clone)]
enum Op {
    AppStatus(usize, bool),
    EsReady(usize, bool),
    RemoveEs(usize),
    /// The ConfigMap of app `.0` labelled for app `.1`.
    Relabel(usize, usize),
    Pod(usize, bool),
    RemovePod(usize),
    /// A warning about app `.0`'s ExternalSecret, `.1` minutes old.
    Warning(usize, i64),
    RemoveWarning(usize),
    /// A warning about app `.0`'s Application (in Argo CD's namespace).
    AppWarning(usize, i64),
    /// App `.0`'s `status.resources` lists its ConfigMap (or nothing).
    AppResources(usize, bool),
    /// App `.0`'s Secret with data-hash variant `.1` (its pods go stale).
    SecretData(usize, u8),
    /// App `.0`'s ConfigMap with data variant `.1`.
    ConfigData(usize, u8),
    /// App `.0`'s pod (re)started this many minutes ago.
    PodStarted(usize, i64),
    /// App `.0`'s Deployment added (true) or removed.
    Deployment(usize, bool),
    /// The clock moves on this many minutes.
    Clock(i64),
}

fn op() -> impl Strategy<Value = Op> {
    let app = 0..APPS.len();
    prop_oneof![
        (app.clone(), any::<bool>()).prop_map(|(a, b)| Op::AppStatus(a, b)),
        (app.clone(), any::<bool>()).prop_map(|(a, b)| Op::EsReady(a, b)),
        app.clone().prop_map(Op::RemoveEs),
        (app.clone(), app.clone()).prop_map(|(a, b)| Op::Relabel(a, b)),
        (app.clone(), any::<bool>()).prop_map(|(a, b)| Op::Pod(a, b)),
        app.clone().prop_map(Op::RemovePod),
        (app.clone(), 0..90i64).prop_map(|(a, m)| Op::Warning(a, m)),
        app.clone().prop_map(Op::RemoveWarning),
        (app.clone(), 0..90i64).prop_map(|(a, m)| Op::AppWarning(a, m)),
        (app.clone(), any::<bool>()).prop_map(|(a, b)| Op::AppResources(a, b)),
        (app.clone(), 0..3u8).prop_map(|(a, v)| Op::SecretData(a, v)),
        (app.clone(), 0..3u8).prop_map(|(a, v)| Op::ConfigData(a, v)),
        (app.clone(), 0..120i64).prop_map(|(a, m)| Op::PodStarted(a, m)),
        (app, any::<bool>()).prop_map(|(a, b)| Op::Deployment(a, b)),
        (1..40i64).prop_map(Op::Clock),
    ]
}

fn msg(op: &Op, model: &Model) -> Msg {
    let now = model.data.now_or_epoch();
    let ess = |a: usize| ObjKey::new(APPS[a], format!("{}-secrets", APPS[a]));
    match *op {
        Op::AppStatus(a, good) => {
            let (sync, health) = if good {
                ("Synced", "Healthy")
            } else {
                ("OutOfSync", "Degraded")
            };
            Msg::Apps(Change::Upsert(parse(screens_fixture::app(
                APPS[a], sync, health,
            ))))
        }
        Op::EsReady(a, ready) => Msg::ExternalSecrets(Change::Upsert(parse(screens_fixture::es(
            APPS[a], AWS_SECRET, ready,
        )))),
        Op::RemoveEs(a) => Msg::ExternalSecrets(Change::Remove(ess(a))),
        Op::Relabel(a, b) => {
            let mut cm = screens_fixture::config_map(APPS[a]);
            let name = format!("{}-config", APPS[a]);
            cm["metadata"]["annotations"]["argocd.argoproj.io/tracking-id"] =
                json!(format!("{}:/ConfigMap:{}/{name}", APPS[b], APPS[a]));
            Msg::ConfigMaps(Change::Upsert(parse(cm)))
        }
        Op::Pod(a, ready) => {
            let mut pod = screens_fixture::pod(APPS[a]);
            if !ready {
                pod["status"]["conditions"][0]["status"] = json!("False");
                pod["status"]["containerStatuses"][0]["ready"] = json!(false);
                pod["status"]["containerStatuses"][0]["restartCount"] = json!(4);
            }
            Msg::Pods(Change::Upsert(parse(pod)))
        }
        Op::RemovePod(a) => Msg::Pods(Change::Remove(ObjKey::new(
            APPS[a],
            format!("{}-7d9f-abcde", APPS[a]),
        ))),
        Op::Warning(a, minutes) => {
            let at = (now - Duration::minutes(minutes)).to_rfc3339();
            let name = format!("{}-secrets", APPS[a]);
            Msg::Events(Change::Upsert(parse(screens_fixture::event(
                APPS[a],
                "ExternalSecret",
                &name,
                "Warning",
                "UpdateFailed",
                "could not get secret data from provider",
                &at,
            ))))
        }
        Op::RemoveWarning(a) => Msg::Events(Change::Remove(ObjKey::new(
            APPS[a],
            format!("{}-secrets.UpdateFailed", APPS[a]),
        ))),
        Op::AppWarning(a, minutes) => {
            let at = (now - Duration::minutes(minutes)).to_rfc3339();
            Msg::Events(Change::Upsert(parse(screens_fixture::event(
                "argocd",
                "Application",
                APPS[a],
                "Warning",
                "OperationFailed",
                "sync failed",
                &at,
            ))))
        }
        Op::AppResources(a, listed) => {
            let mut app = screens_fixture::app(APPS[a], "Synced", "Healthy");
            if listed {
                app["status"]["resources"] = json!([{"kind": "ConfigMap", "namespace": APPS[a],
                    "name": format!("{}-config", APPS[a]), "status": "OutOfSync"}]);
            }
            Msg::Apps(Change::Upsert(parse(app)))
        }
        Op::SecretData(a, v) => {
            let mut secret = screens_fixture::secret(APPS[a]);
            secret["metadata"]["annotations"]["reconcile.external-secrets.io/data-hash"] =
                json!(format!("hash-{v}"));
            Msg::Secrets(Change::Upsert(parse(secret)))
        }
        Op::ConfigData(a, v) => {
            let mut cm = screens_fixture::config_map(APPS[a]);
            cm["data"]["BE_VERSION"] = json!(format!("2.0.{v}"));
            Msg::ConfigMaps(Change::Upsert(parse(cm)))
        }
        Op::PodStarted(a, minutes) => {
            let at = (now - Duration::minutes(minutes)).to_rfc3339();
            let mut pod = screens_fixture::pod(APPS[a]);
            pod["status"]["startTime"] = json!(at);
            pod["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] = json!(at);
            Msg::Pods(Change::Upsert(parse(pod)))
        }
        Op::Deployment(a, true) => {
            Msg::Workloads(Change::Upsert(parse(screens_fixture::deployment(APPS[a]))))
        }
        Op::Deployment(a, false) => Msg::Workloads(Change::Remove(ObjKey::new(APPS[a], APPS[a]))),
        Op::Clock(minutes) => Msg::Now(now + Duration::minutes(minutes)),
    }
}

fn by_key(mut rows: Vec<AppView>) -> Vec<AppView> {
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    rows
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn rows_kept_per_app_equal_a_full_recompute(ops in prop::collection::vec(op(), 1..25)) {
        let mut model = screens_fixture::model();
        for op in &ops {
            let m = msg(op, &model);
            update_all(&mut model, [m]);
            let kept = by_key(model.apps.table.all().to_vec());
            let full = by_key(app_views(&model.data.inventory, model.data.now_or_epoch()));
            prop_assert_eq!(&kept, &full, "after {:?}", op);
            // An app's detail heads with the same row (its ExternalSecrets'
            // full views give the same roll-up as the rows' brief of them).
            let now = model.data.now_or_epoch();
            for row in &full {
                let head = app_detail(&model.data.inventory, &row.key, now).map(|d| d.app);
                prop_assert_eq!(head.as_ref(), Some(row), "after {:?}", op);
            }
            // The table stays in its order.
            let sort = model.apps.sort;
            let shown = model.apps.table.all();
            prop_assert!(shown.windows(2).all(|w| sort.compare(&w[0], &w[1]).is_le()));
        }
    }
}

#[test]
fn a_warning_leaves_the_row_when_it_is_an_hour_old_without_any_other_change() {
    let mut model = screens_fixture::model();
    let recent = msg(&Op::Warning(0, 59), &model);
    update_all(&mut model, [recent]);
    let row = |m: &Model| {
        m.apps
            .table
            .all()
            .iter()
            .find(|a| a.name == APPS[0])
            .map(|a| a.problems.clone())
            .unwrap_or_default()
    };
    let with = row(&model);
    assert!(with.iter().any(|p| p.contains("UpdateFailed")), "{with:?}");
    let later = model.data.now_or_epoch() + Duration::minutes(2);
    update_all(&mut model, [Msg::Now(later)]);
    let without = row(&model);
    assert!(
        !without.iter().any(|p| p.contains("UpdateFailed")),
        "{without:?}"
    );
}
