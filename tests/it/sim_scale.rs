//! The simulator at scale: the convergence it reports, and `--churn`,
//! which makes a steady stream of the updates a busy cluster makes
//! (ExternalSecret status refreshes, container restarts, repeated Events).

use crate::support;

use secretdeck_sim::kube::store::{EventType, WatchEvent};
use secretdeck_sim::{SimEnv, SimOptions};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn convergence_counts_every_external_secret_and_application() {
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(12, dir.path()).await;
    let c = support::eventually(90, "the scenario at rest", || async {
        let c = env.convergence();
        c.done().then_some(c)
    })
    .await;
    // onthetop's one plus the generated apps' (two of the twelve read the
    // shared secret too); one Application each.
    assert_eq!(c.external_secrets, (15, 15), "{c}");
    assert_eq!(c.applications, (13, 13), "{c}");
    assert!(c.pods >= 13 * 2, "{c}");
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn churn_refreshes_statuses_restarts_containers_and_repeats_events() {
    let dir = tempfile::tempdir().unwrap();
    let env = SimEnv::start(
        SimOptions {
            apps: 1,
            churn: 300,
            ..SimOptions::default()
        },
        dir.path(),
    )
    .await
    .expect("sim");
    let mut feed = env.store.subscribe();
    let (mut refreshed, mut restarted, mut repeated) = (false, false, false);
    let seen = tokio::time::timeout(Duration::from_secs(60), async {
        while !(refreshed && restarted && repeated) {
            let Ok(ev) = feed.recv().await else { continue };
            let ev: WatchEvent = ev;
            if ev.kind != EventType::Modified {
                continue;
            }
            match ev.plural {
                "externalsecrets" => {
                    refreshed |= ev.object.pointer("/status/refreshTime").is_some()
                }
                "pods" => {
                    restarted |= ev
                        .object
                        .pointer("/status/containerStatuses/0/restartCount")
                        .and_then(|c| c.as_i64())
                        .is_some_and(|c| c >= 1)
                }
                "events" => {
                    repeated |= ev.object["reason"] == "Pulled"
                        && ev.object["count"].as_i64().is_some_and(|c| c >= 2)
                }
                _ => {}
            }
        }
    })
    .await;
    assert!(
        seen.is_ok(),
        "refreshed {refreshed}, restarted {restarted}, repeated {repeated}"
    );
    env.shutdown().await;
}
