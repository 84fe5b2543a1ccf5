//! The collection step on a scripted cluster: when it stops, what it
//! reports for watches that never settle.

use secretdeck::backend::snapshot::collect;
use secretdeck::backend::{BackendHandle, Cluster};
use secretdeck::cli::status::{report, table};
use secretdeck::state::{ClusterInfo, Msg, WatchKind, WatchState};
use std::time::Duration;
use tokio::sync::mpsc;

/// Sends its messages, then keeps the channel open (like live watches).
struct Held(Vec<Msg>);

impl Cluster for Held {
    fn start(self, tx: mpsc::Sender<Msg>) -> BackendHandle {
        BackendHandle::new(vec![tokio::spawn(async move {
            for m in self.0 {
                if tx.send(m).await.is_err() {
                    return;
                }
            }
            std::future::pending::<()>().await;
            drop(tx);
        })])
    }
}

fn all_watches(state: WatchState) -> Vec<Msg> {
    WatchKind::ALL
        .iter()
        .map(|kind| Msg::Watch {
            kind: *kind,
            state: state.clone(),
        })
        .collect()
}

#[tokio::test]
async fn collect_stops_once_every_watch_is_settled() {
    let mut msgs = vec![Msg::Cluster(ClusterInfo {
        context: "ctx".into(),
        server: "https://example".into(),
    })];
    msgs.extend(all_watches(WatchState::Live));
    msgs.push(Msg::Watch {
        kind: WatchKind::Applications,
        state: WatchState::NotInstalled,
    });
    msgs.push(Msg::Watch {
        kind: WatchKind::Secrets,
        state: WatchState::Forbidden,
    });
    // The backend keeps running and the deadline is far: returning at all
    // proves it stopped on the states.
    let c = collect(Held(msgs), Duration::from_secs(600)).await;
    assert!(c.unsettled().is_empty());
    let r = report(&c, None, chrono::Utc::now());
    assert_eq!(
        (r.context.as_str(), r.server.as_str()),
        ("ctx", "https://example")
    );
    assert_eq!(r.watches["applications"], "not installed");
    assert_eq!(r.watches["secrets"], "forbidden");
    assert_eq!(r.exit_code(), 0, "nothing wrong was found");
    let text = table::render(&r);
    assert!(text.contains("No Argo CD Applications"), "{text}");
    assert!(text.contains("applications: not installed"), "{text}");
    assert!(text.contains("secrets: forbidden"), "{text}");
}

#[tokio::test]
async fn collect_gives_up_at_the_deadline_and_says_what_is_missing() {
    let mut msgs = all_watches(WatchState::Live);
    msgs.push(Msg::Watch {
        kind: WatchKind::Pods,
        state: WatchState::Reconnecting("server answered 500".into()),
    });
    let c = collect(Held(msgs), Duration::from_millis(300)).await;
    assert_eq!(
        c.unsettled(),
        vec![(
            WatchKind::Pods,
            WatchState::Reconnecting("server answered 500".into())
        )]
    );
    let r = report(&c, None, chrono::Utc::now());
    assert_eq!(r.watches["pods"], "reconnecting: server answered 500");
    assert_eq!(
        r.exit_code(),
        1,
        "incomplete data is not a clean bill of health"
    );
}
