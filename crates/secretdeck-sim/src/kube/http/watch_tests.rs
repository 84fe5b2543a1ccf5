//! Watch semantics over HTTP.

use super::HttpOptions;
use super::test_support::{JSON, sim, sim_with};
use crate::kube::resources::EsoVersion;
use crate::kube::store::Writer;
use crate::kube::{Registry, Store};
use serde_json::json;

const CM: &str = "/api/v1/namespaces/app/configmaps";

#[tokio::test]
async fn watch_from_a_list_version_sees_later_events_only_for_its_resource() {
    let s = sim();
    s.send("POST", CM, JSON, json!({"metadata": {"name": "before"}}))
        .await;
    let rv = s.get(CM).await.body["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let mut w = s
        .watch(&format!("{CM}?watch=true&resourceVersion={rv}"), None)
        .await;
    let cm = s
        .store
        .registry()
        .by_plural("", "configmaps")
        .unwrap()
        .clone();
    s.store
        .create(
            &cm,
            "other",
            json!({"metadata": {"name": "elsewhere"}}),
            Writer::update("t"),
        )
        .unwrap();
    s.send(
        "POST",
        "/api/v1/namespaces/app/secrets",
        JSON,
        json!({"metadata": {"name": "s"}}),
    )
    .await;
    s.store
        .create(
            &cm,
            "app",
            json!({"metadata": {"name": "later"}, "data": {"a": "1"}}),
            Writer::update("t"),
        )
        .unwrap();
    s.send(
        "PATCH",
        &format!("{CM}/later"),
        "application/merge-patch+json",
        json!({"data": {"a": "2"}}),
    )
    .await;
    s.send("DELETE", &format!("{CM}/later"), JSON, json!({}))
        .await;
    let ev = w.next_change().await;
    assert_eq!(
        (
            ev["type"].as_str(),
            ev["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("later"))
    );
    assert_eq!(ev["object"]["kind"], "ConfigMap");
    let ev = w.next_change().await;
    assert_eq!(
        (ev["type"].as_str(), ev["object"]["data"]["a"].as_str()),
        (Some("MODIFIED"), Some("2"))
    );
    assert_eq!(w.next_change().await["type"], "DELETED");
}

#[tokio::test]
async fn watch_without_version_replays_current_objects_and_honours_selectors() {
    let s = sim();
    s.send(
        "POST",
        CM,
        JSON,
        json!({"metadata": {"name": "a", "labels": {"x": "1"}}}),
    )
    .await;
    s.send("POST", CM, JSON, json!({"metadata": {"name": "b"}}))
        .await;
    let mut w = s
        .watch("/api/v1/configmaps?watch=1&labelSelector=x%3D1", None)
        .await;
    let ev = w.next_change().await;
    assert_eq!(
        (
            ev["type"].as_str(),
            ev["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("a"))
    );
    s.send("POST", CM, JSON, json!({"metadata": {"name": "c"}}))
        .await;
    s.send(
        "POST",
        CM,
        JSON,
        json!({"metadata": {"name": "d", "labels": {"x": "1"}}}),
    )
    .await;
    assert_eq!(w.next_change().await["object"]["metadata"]["name"], "d");
}

#[tokio::test]
async fn too_old_version_gives_one_expired_error_event() {
    let s = sim_with(
        Store::with_history(Registry::new(EsoVersion::V1, true), 2),
        HttpOptions::default(),
    );
    for i in 0..5 {
        s.send(
            "POST",
            CM,
            JSON,
            json!({"metadata": {"name": format!("c{i}")}}),
        )
        .await;
    }
    let mut w = s
        .watch(&format!("{CM}?watch=true&resourceVersion=2"), None)
        .await;
    let ev = w.next().await.expect("an ERROR event");
    assert_eq!(ev["type"], "ERROR");
    assert_eq!(
        (ev["object"]["kind"].as_str(), ev["object"]["code"].as_u64()),
        (Some("Status"), Some(410))
    );
    assert_eq!(ev["object"]["reason"], "Expired");
    assert!(w.next().await.is_none(), "the stream ends after the error");
}

#[tokio::test]
async fn initial_events_end_with_a_bookmark_and_timeouts_end_the_stream() {
    let s = sim();
    s.send("POST", CM, JSON, json!({"metadata": {"name": "a"}}))
        .await;
    let url = format!(
        "{CM}?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1"
    );
    let mut w = s.watch(&url, None).await;
    assert_eq!(w.next().await.unwrap()["type"], "ADDED");
    let bm = w.next().await.unwrap();
    assert_eq!(bm["type"], "BOOKMARK");
    assert_eq!(bm["object"]["kind"], "ConfigMap");
    assert_eq!(
        bm["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"],
        "true"
    );
    let rv: u64 = bm["object"]["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(rv >= s.store.current_rv() - 1);
    assert!(w.next().await.is_none(), "timeoutSeconds ends the watch");
}

#[tokio::test]
async fn metadata_only_watch_events_carry_no_data() {
    let s = sim();
    let url = "/api/v1/namespaces/app/secrets?watch=true";
    let mut w = s
        .watch(
            url,
            Some("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"),
        )
        .await;
    s.send(
        "POST",
        "/api/v1/namespaces/app/secrets",
        JSON,
        json!({"metadata": {"name": "s"}, "data": {"pw": "c2VjcmV0"}}),
    )
    .await;
    let ev = w.next_change().await;
    assert_eq!(ev["type"], "ADDED");
    assert_eq!(ev["object"]["kind"], "PartialObjectMetadata");
    assert_eq!(ev["object"]["metadata"]["name"], "s");
    assert!(ev["object"].get("data").is_none());
}

#[tokio::test]
async fn objects_leaving_or_entering_a_selector_are_deleted_or_added() {
    let s = sim();
    s.send(
        "POST",
        CM,
        JSON,
        json!({"metadata": {"name": "a", "labels": {"x": "1"}}}),
    )
    .await;
    let rv = s.get(CM).await.body["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("{CM}?watch=true&labelSelector=x%3D1&resourceVersion={rv}");
    let mut w = s.watch(&url, None).await;
    let merge = "application/merge-patch+json";
    let label = |v: Option<&str>| json!({"metadata": {"labels": {"x": v}}});
    s.send(
        "PATCH",
        &format!("{CM}/a"),
        merge,
        json!({"data": {"k": "1"}}),
    )
    .await;
    s.send("PATCH", &format!("{CM}/a"), merge, label(None))
        .await;
    s.send(
        "PATCH",
        &format!("{CM}/a"),
        merge,
        json!({"data": {"k": "2"}}),
    )
    .await;
    s.send("PATCH", &format!("{CM}/a"), merge, label(Some("1")))
        .await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let ev = w.next_change().await;
        seen.push(ev["type"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, ["MODIFIED", "DELETED", "ADDED"]);
}
