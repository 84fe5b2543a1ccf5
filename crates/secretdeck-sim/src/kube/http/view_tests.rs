//! Status subresource, RBAC-like refusals and metadata-only views over HTTP.

use super::HttpOptions;
use super::test_support::{JSON, MERGE, sim, sim_with};
use crate::kube::resources::EsoVersion;
use crate::kube::{Registry, Store};
use axum::http::StatusCode;
use serde_json::json;

const CM: &str = "/api/v1/namespaces/app/configmaps";

#[tokio::test]
async fn status_subresource_writes_only_status() {
    let s = sim();
    let es = "/apis/external-secrets.io/v1/namespaces/app/externalsecrets";
    let body = json!({"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "e"}, "spec": {"refreshInterval": "1h"}, "status": {"x": 1}});
    let created = s.send("POST", es, JSON, body).await.body;
    assert!(created.get("status").is_none());
    let r = s
        .send(
            "PATCH",
            &format!("{es}/e/status"),
            MERGE,
            json!({"status": {"refreshTime": "t"}, "spec": {"refreshInterval": "0"}}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["status"]["refreshTime"].as_str()),
        (StatusCode::OK, Some("t"))
    );
    assert_eq!(r.body["spec"]["refreshInterval"], "1h");
    let got = s.get(&format!("{es}/e/status")).await.body;
    assert_eq!(got["status"]["refreshTime"], "t");
    let r = s
        .send(
            "PATCH",
            &format!("{es}/e"),
            MERGE,
            json!({"status": {"refreshTime": "u"}}),
        )
        .await;
    assert_eq!(r.body["status"]["refreshTime"], "t");
    assert_eq!(
        s.get(&format!("{CM}/x/status")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn forbidden_resources_answer_403_for_every_verb() {
    let opts = HttpOptions {
        forbid: vec!["secrets".into()],
        ..HttpOptions::default()
    };
    let s = sim_with(Store::new(Registry::new(EsoVersion::V1, true)), opts);
    let r = s.get("/api/v1/namespaces/x/secrets").await;
    assert_eq!(
        (r.status, r.body["reason"].as_str()),
        (StatusCode::FORBIDDEN, Some("Forbidden"))
    );
    assert_eq!(
        r.body["message"],
        "secrets is forbidden: User \"system:serviceaccount:secretdeck:sim\" cannot list resource \"secrets\" in API group \"\" in the namespace \"x\""
    );
    let r = s
        .send(
            "POST",
            "/api/v1/namespaces/app/secrets",
            JSON,
            json!({"metadata": {"name": "s"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("cannot create")
    );
    assert_eq!(
        s.get("/api/v1/secrets?watch=true").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(s.get(CM).await.status, StatusCode::OK);
}

#[tokio::test]
async fn metadata_only_views_carry_no_secret_data() {
    let s = sim();
    let secrets = "/api/v1/namespaces/app/secrets";
    s.send(
        "POST",
        secrets,
        JSON,
        json!({"metadata": {"name": "s", "labels": {"a": "b"}}, "stringData": {"pw": "hunter2"}}),
    )
    .await;
    let accept = [(
        "accept",
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
    )];
    let list = s.call("GET", secrets, &accept, "").await.body;
    assert_eq!(
        (list["kind"].as_str(), list["apiVersion"].as_str()),
        (Some("PartialObjectMetadataList"), Some("meta.k8s.io/v1"))
    );
    assert_eq!(list["items"][0]["kind"], "PartialObjectMetadata");
    assert_eq!(list["items"][0]["metadata"]["labels"]["a"], "b");
    let accept = [(
        "accept",
        "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1",
    )];
    let one = s
        .call("GET", &format!("{secrets}/s"), &accept, "")
        .await
        .body;
    assert_eq!(one["metadata"]["name"], "s");
    for obj in [&list["items"][0], &one] {
        assert!(
            obj.get("data").is_none() && obj.get("type").is_none(),
            "{obj}"
        );
        assert!(!obj.to_string().contains("aHVudGVyMg"));
    }
    let full = s.get(&format!("{secrets}/s")).await.body;
    assert_eq!(full["data"]["pw"], "aHVudGVyMg==");
}
