//! The fault switch over HTTP, and how watches behave around a restore.

use super::HttpOptions;
use super::test_support::{JSON, Sim, sim_with};
use crate::kube::resources::EsoVersion;
use crate::kube::store::Writer;
use crate::kube::{Registry, Store};
use serde_json::json;
use std::time::Duration;

fn sim_fast_bookmarks() -> Sim {
    let opts = HttpOptions {
        bookmark_every: Duration::from_millis(50),
        ..HttpOptions::default()
    };
    sim_with(Store::new(Registry::new(EsoVersion::V1, true)), opts)
}

async fn post_fault(s: &Sim, body: serde_json::Value) -> u16 {
    s.call(
        "POST",
        "/_sim/faults",
        &[("content-type", JSON)],
        &body.to_string(),
    )
    .await
    .status
    .as_u16()
}

#[tokio::test]
async fn posted_faults_answer_matching_requests_as_the_api_server_words_them() {
    let s = sim_fast_bookmarks();
    let fault = json!({"fault": "status", "code": 500, "resource": "configmaps", "verb": "list", "count": 1});
    assert_eq!(post_fault(&s, fault).await, 200);
    let r = s.get("/api/v1/namespaces/app/secrets").await;
    assert_eq!(r.status.as_u16(), 200, "other resources unaffected");
    let r = s.get("/api/v1/namespaces/app/configmaps").await;
    assert_eq!(r.status.as_u16(), 500);
    assert_eq!(r.body["kind"], "Status");
    assert_eq!(r.body["reason"], "InternalError");
    let r = s.get("/api/v1/namespaces/app/configmaps").await;
    assert_eq!(r.status.as_u16(), 200, "count 1 is consumed");

    let throttle = json!({"fault": "status", "code": 429, "retryAfter": 7});
    assert_eq!(post_fault(&s, throttle).await, 200);
    let r = s.get("/api/v1/namespaces/app/configmaps").await;
    assert_eq!(r.status.as_u16(), 429);
    assert_eq!(r.body["details"]["retryAfterSeconds"], 7);
    let r = s.call("DELETE", "/_sim/faults", &[], "").await;
    assert_eq!(r.status.as_u16(), 204);
    let r = s.get("/api/v1/namespaces/app/configmaps").await;
    assert_eq!(r.status.as_u16(), 200, "cleared");

    let r = s
        .call(
            "POST",
            "/_sim/faults",
            &[("content-type", JSON)],
            "{\"fault\":\"nope\"}",
        )
        .await;
    assert_eq!(r.status.as_u16(), 400);
    assert!(r.body["message"].as_str().unwrap().contains("not a fault"));
}

#[tokio::test]
async fn a_gone_fault_answers_the_watch_with_one_expired_event() {
    let s = sim_fast_bookmarks();
    assert_eq!(
        post_fault(&s, json!({"fault": "gone", "resource": "configmaps"})).await,
        200
    );
    let mut w = s
        .watch("/api/v1/configmaps?watch=true&resourceVersion=1", None)
        .await;
    let ev = w.next().await.unwrap();
    assert_eq!(ev["type"], "ERROR");
    assert_eq!(ev["object"]["code"], 410);
    assert!(w.next().await.is_none());
}

#[tokio::test]
async fn dropping_watches_ends_their_streams() {
    let s = sim_fast_bookmarks();
    let rv = s.store.current_rv();
    let mut w = s
        .watch(
            &format!("/api/v1/configmaps?watch=true&resourceVersion={rv}&allowWatchBookmarks=true"),
            None,
        )
        .await;
    assert_eq!(w.next().await.unwrap()["type"], "BOOKMARK");
    assert_eq!(post_fault(&s, json!({"fault": "drop-watches"})).await, 200);
    // Bookmarks already sent may come first; then the stream ends.
    while let Some(ev) = w.next().await {
        assert_eq!(ev["type"], "BOOKMARK");
    }
}

#[tokio::test]
async fn after_a_restart_empty_a_watch_from_an_old_version_waits_without_bookmarks() {
    let s = sim_fast_bookmarks();
    let cm = s
        .store
        .registry()
        .by_plural("", "configmaps")
        .unwrap()
        .clone();
    for i in 0..5 {
        s.store
            .create(
                &cm,
                "app",
                json!({"metadata": {"name": format!("c{i}")}}),
                Writer::update("t"),
            )
            .unwrap();
    }
    let held = s.store.current_rv();
    assert_eq!(post_fault(&s, json!({"fault": "restart-empty"})).await, 200);
    assert!(s.store.current_rv() < held, "versions start lower");
    let r = s.get("/api/v1/configmaps").await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0, "empty");
    let uri =
        format!("/api/v1/configmaps?watch=true&resourceVersion={held}&allowWatchBookmarks=true");
    let mut from_old = s.watch(&uri, None).await;
    // A watch from the new server's own version gets bookmarks...
    let now = s.store.current_rv();
    let mut from_new = s
        .watch(
            &format!(
                "/api/v1/configmaps?watch=true&resourceVersion={now}&allowWatchBookmarks=true"
            ),
            None,
        )
        .await;
    assert_eq!(from_new.next().await.unwrap()["type"], "BOOKMARK");
    // ...the one from the old version gets nothing: not even a bookmark.
    let waited = tokio::time::timeout(Duration::from_millis(500), from_old.next()).await;
    assert!(
        waited.is_err(),
        "a watch from a future version waits: {waited:?}"
    );
}

#[tokio::test]
async fn a_hung_server_answers_nothing_until_cleared() {
    let s = sim_fast_bookmarks();
    assert_eq!(post_fault(&s, json!({"fault": "hang"})).await, 200);
    let pending =
        tokio::time::timeout(Duration::from_millis(300), s.get("/api/v1/configmaps")).await;
    assert!(pending.is_err(), "accepted, never answered");
    let r = s.call("DELETE", "/_sim/faults", &[], "").await;
    assert_eq!(
        r.status.as_u16(),
        204,
        "the fault switch itself always answers"
    );
    assert_eq!(s.get("/api/v1/configmaps").await.status.as_u16(), 200);
}

#[tokio::test]
async fn requests_are_still_answered_under_added_latency() {
    let s = sim_fast_bookmarks();
    assert_eq!(
        post_fault(&s, json!({"fault": "latency", "ms": 50})).await,
        200
    );
    let r = s.get("/api/v1/namespaces/app/configmaps").await;
    assert_eq!(r.status.as_u16(), 200);
    let r = s.call("DELETE", "/_sim/faults", &[], "").await;
    assert_eq!(r.status.as_u16(), 204);
    assert_eq!(
        s.store.current_rv(),
        s.get("/api/v1/configmaps").await.body["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    );
}
