//! HTTP semantics of the simulated API server, through the router.

use super::HttpOptions;
use super::test_support::{JSON, MERGE, sim, sim_with};
use crate::kube::resources::EsoVersion;
use crate::kube::{Registry, Store};
use axum::http::StatusCode;
use serde_json::{Value, json};

const CM: &str = "/api/v1/namespaces/app/configmaps";

fn names(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn discovery_documents_have_the_shapes_clients_read() {
    let s = sim();
    let v = s.get("/version").await;
    assert_eq!(
        (v.body["major"].as_str(), v.body["minor"].as_str()),
        (Some("1"), Some("32"))
    );
    let api = s.get("/api").await;
    assert_eq!(api.content_type, "application/json");
    assert_eq!(api.body["kind"], "APIVersions");
    assert_eq!(api.body["versions"], json!(["v1"]));
    let apis = s.get("/apis").await.body;
    assert_eq!(apis["kind"], "APIGroupList");
    let eso = apis["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "external-secrets.io")
        .unwrap();
    assert_eq!(
        eso["versions"][0],
        json!({"groupVersion": "external-secrets.io/v1", "version": "v1"})
    );
    assert_eq!(eso["preferredVersion"]["version"], "v1");
    let apps = s.get("/apis/apps/v1").await.body;
    assert_eq!(
        (apps["kind"].as_str(), apps["groupVersion"].as_str()),
        (Some("APIResourceList"), Some("apps/v1"))
    );
    let res = apps["resources"].as_array().unwrap();
    let deploy = res.iter().find(|r| r["name"] == "deployments").unwrap();
    assert_eq!(deploy["kind"], "Deployment");
    assert_eq!(deploy["namespaced"], true);
    assert_eq!(deploy["shortNames"], json!(["deploy"]));
    assert!(
        deploy["verbs"]
            .as_array()
            .unwrap()
            .contains(&json!("watch"))
    );
    assert!(res.iter().any(|r| r["name"] == "deployments/status"));
    let core = s.get("/api/v1").await.body;
    let secret = core["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "secrets")
        .unwrap();
    assert!(secret.get("shortNames").is_none());
    assert_eq!(
        s.get("/apis/argoproj.io").await.body["preferredVersion"]["groupVersion"],
        "argoproj.io/v1alpha1"
    );
    assert_eq!(s.get("/healthz").await.body, json!("ok"));
    assert_eq!(s.get("/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn argo_is_absent_and_eso_is_at_v1beta1_when_so_configured() {
    let s = sim_with(
        Store::new(Registry::new(EsoVersion::V1beta1, false)),
        HttpOptions::default(),
    );
    let apis = s.get("/apis").await.body;
    assert!(!apis.to_string().contains("argoproj.io"));
    assert!(apis.to_string().contains("external-secrets.io/v1beta1"));
    for path in [
        "/apis/argoproj.io",
        "/apis/argoproj.io/v1alpha1",
        "/apis/argoproj.io/v1alpha1/namespaces/app/applications",
        "/apis/external-secrets.io/v1",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.body["kind"], "Status");
    }
    assert_eq!(
        s.get("/apis/external-secrets.io/v1beta1/externalsecrets")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn openapi_v3_index_points_at_documents_with_patch_operations() {
    let s = sim();
    let index = s.get("/openapi/v3").await.body;
    let url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(index["paths"]["api/v1"].is_object());
    let doc = s.get(&url).await.body;
    let path = &doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"];
    assert_eq!(
        path["patch"]["x-kubernetes-group-version-kind"],
        json!({"group": "apps", "version": "v1", "kind": "Deployment"})
    );
    assert!(
        path["patch"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "fieldValidation")
    );
    assert_eq!(
        s.get("/openapi/v3/apis/nope/v1").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn crud_round_trip_with_lists_selectors_and_conflicts() {
    let s = sim();
    let created = s
        .send(
            "POST",
            CM,
            JSON,
            json!({"metadata": {"name": "a", "labels": {"tier": "be"}}, "data": {"k": "1"}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["kind"], "ConfigMap");
    s.send("POST", CM, JSON, json!({"metadata": {"name": "b"}}))
        .await;
    s.send(
        "POST",
        "/api/v1/namespaces/other/configmaps",
        JSON,
        json!({"metadata": {"name": "c"}}),
    )
    .await;
    let list = s.get(CM).await.body;
    assert_eq!(
        (list["kind"].as_str(), list["apiVersion"].as_str()),
        (Some("ConfigMapList"), Some("v1"))
    );
    assert!(
        list["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    assert_eq!(names(&list), ["a", "b"]);
    assert_eq!(list["items"][0]["kind"], "ConfigMap");
    assert_eq!(
        names(&s.get("/api/v1/configmaps").await.body),
        ["a", "b", "c"]
    );
    assert_eq!(
        names(&s.get(&format!("{CM}?labelSelector=tier%3Dbe")).await.body),
        ["a"]
    );
    assert_eq!(
        names(
            &s.get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Dother")
                .await
                .body
        ),
        ["c"]
    );

    let mut stale = created.body.clone();
    stale["data"]["k"] = json!("2");
    let ok = s.send("PUT", &format!("{CM}/a"), JSON, stale.clone()).await;
    assert_eq!(
        (ok.status, ok.body["data"]["k"].as_str()),
        (StatusCode::OK, Some("2"))
    );
    let conflict = s.send("PUT", &format!("{CM}/a"), JSON, stale).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(
        (
            conflict.body["kind"].as_str(),
            conflict.body["reason"].as_str()
        ),
        (Some("Status"), Some("Conflict"))
    );

    let dup = s
        .send("POST", CM, JSON, json!({"metadata": {"name": "a"}}))
        .await;
    assert_eq!(
        (dup.status, dup.body["reason"].as_str()),
        (StatusCode::CONFLICT, Some("AlreadyExists"))
    );
    let del = s
        .call(
            "DELETE",
            &format!("{CM}/a"),
            &[("content-type", JSON)],
            r#"{"propagationPolicy":"Background"}"#,
        )
        .await;
    assert_eq!(
        (del.status, del.body["metadata"]["name"].as_str()),
        (StatusCode::OK, Some("a"))
    );
    let gone = s.get(&format!("{CM}/a")).await;
    assert_eq!(
        (gone.status, gone.body["message"].as_str()),
        (StatusCode::NOT_FOUND, Some("configmaps \"a\" not found"))
    );
}

#[tokio::test]
async fn patch_types_and_managers() {
    let s = sim();
    s.send(
        "POST",
        CM,
        JSON,
        json!({"metadata": {"name": "a"}, "data": {"k": "1", "x": "1"}}),
    )
    .await;
    let url = format!("{CM}/a");
    let ua = [
        ("content-type", MERGE),
        (
            "user-agent",
            "kubectl-annotate/v1.32.4 (linux/amd64) kubernetes/abc",
        ),
    ];
    let r = s
        .call(
            "PATCH",
            &url,
            &ua,
            r#"{"metadata":{"annotations":{"force-sync":"1"}}}"#,
        )
        .await;
    assert_eq!(r.body["metadata"]["annotations"]["force-sync"], "1");
    assert!(
        r.body["metadata"]["managedFields"]
            .to_string()
            .contains("kubectl-annotate")
    );
    let r = s
        .send(
            "PATCH",
            &url,
            "application/strategic-merge-patch+json",
            json!({"data": {"x": null, "y": "2"}}),
        )
        .await;
    assert_eq!(r.body["data"], json!({"k": "1", "y": "2"}));
    let r = s
        .send(
            "PATCH",
            &url,
            "application/json-patch+json",
            json!([{"op": "replace", "path": "/data/k", "value": "9"}]),
        )
        .await;
    assert_eq!(r.body["data"]["k"], "9");
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: applied\n";
    let r = s
        .call(
            "PATCH",
            &format!("{url}?fieldManager=deck&force=true"),
            &[("content-type", "application/apply-patch+yaml")],
            yaml,
        )
        .await;
    assert_eq!(r.body["data"]["k"], "applied");
    let mf = r.body["metadata"]["managedFields"].as_array().unwrap();
    assert!(
        mf.iter()
            .any(|m| m["manager"] == "deck" && m["operation"] == "Apply")
    );
    let r = s
        .call("PATCH", &url, &[("content-type", "text/plain")], "{}")
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = s
        .call("PATCH", &url, &[("content-type", MERGE)], "{not json")
        .await;
    assert_eq!(
        (r.status, r.body["kind"].as_str()),
        (StatusCode::BAD_REQUEST, Some("Status"))
    );
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    let dry = s
        .send(
            "PATCH",
            &format!("{url}?dryRun=All"),
            MERGE,
            json!({"data": {"k": "dry"}}),
        )
        .await;
    assert_eq!(dry.body["data"]["k"], "dry");
    assert_eq!(s.get(&url).await.body["data"]["k"], "applied");
}

#[tokio::test]
async fn protobuf_bodies_are_refused_but_protobuf_accept_gets_json() {
    let s = sim();
    let r = s
        .call(
            "POST",
            CM,
            &[("content-type", "application/vnd.kubernetes.protobuf")],
            "k8s\0",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("kubectl apply -f")
    );
    let r = s
        .call(
            "GET",
            CM,
            &[(
                "accept",
                "application/vnd.kubernetes.protobuf,application/json",
            )],
            "",
        )
        .await;
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (StatusCode::OK, "application/json")
    );
    assert_eq!(r.body["kind"], "ConfigMapList");
}

#[tokio::test]
async fn unknown_paths_and_methods_are_status_errors() {
    let s = sim();
    for (m, path, code) in [
        ("GET", "/nope", 404),
        ("GET", "/api/v1/widgets", 404),
        ("GET", "/api/v1/namespaces/app/namespaces", 404),
        ("POST", "/api/v1/namespaces/app/configmaps/a", 405),
        ("PUT", CM, 405),
    ] {
        let r = s.call(m, path, &[("content-type", JSON)], "{}").await;
        assert_eq!(
            (r.status.as_u16(), r.body["kind"].as_str()),
            (code, Some("Status")),
            "{m} {path}"
        );
    }
    let ns = s.get("/api/v1/namespaces/app").await.body;
    assert_eq!(
        (ns["kind"].as_str(), ns["status"]["phase"].as_str()),
        (Some("Namespace"), Some("Active"))
    );
}

#[tokio::test]
async fn request_counts_and_the_churn_rate_are_served_for_benchmarks() {
    let opts = HttpOptions::default();
    let churn = opts.churn.clone();
    let s = sim_with(Store::new(Registry::new(EsoVersion::V1, true)), opts);
    assert_eq!(s.get(CM).await.status, StatusCode::OK);
    assert_eq!(s.get(CM).await.status, StatusCode::OK);
    assert_eq!(
        s.get(&format!("{CM}/missing")).await.status,
        StatusCode::NOT_FOUND
    );
    let counts = s.get("/_sim/requests").await.body;
    assert_eq!(counts["counts"], json!({"list": 2, "get": 1}));
    // Reading the counts is not counted.
    assert_eq!(s.get("/_sim/requests").await.body, counts);

    let r = s
        .send("POST", "/_sim/churn", JSON, json!({"rate": 250}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(churn.load(std::sync::atomic::Ordering::Relaxed), 250);
    let r = s
        .send("POST", "/_sim/churn", JSON, json!({"rate": "fast"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(churn.load(std::sync::atomic::Ordering::Relaxed), 250);
}

#[tokio::test]
async fn lists_page_with_limit_and_continue_as_the_api_server_does() {
    let s = sim();
    for name in ["a", "b", "c", "d", "e"] {
        let r = s
            .send("POST", CM, JSON, json!({"metadata": {"name": name}}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let all = s.get(CM).await.body;
    assert_eq!(names(&all), ["a", "b", "c", "d", "e"]);
    assert!(all["metadata"].get("continue").is_none());

    let first = s.get(&format!("{CM}?limit=2")).await.body;
    assert_eq!(names(&first), ["a", "b"]);
    assert_eq!(first["metadata"]["remainingItemCount"], 3);
    let rv = first["metadata"]["resourceVersion"].clone();
    let token = first["metadata"]["continue"].as_str().unwrap().to_string();

    // A change between pages is seen on the later page; the page still
    // states the first page's resourceVersion (a watch from it replays
    // the change).
    let r = s
        .send("POST", CM, JSON, json!({"metadata": {"name": "f"}}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let second = s.get(&format!("{CM}?limit=2&continue={token}")).await.body;
    assert_eq!(names(&second), ["c", "d"]);
    assert_eq!(second["metadata"]["resourceVersion"], rv);
    let token = second["metadata"]["continue"].as_str().unwrap().to_string();
    let last = s.get(&format!("{CM}?limit=2&continue={token}")).await.body;
    assert_eq!(names(&last), ["e", "f"]);
    assert!(last["metadata"].get("continue").is_none());
    assert!(last["metadata"].get("remainingItemCount").is_none());

    let selected = s
        .get(&format!("{CM}?limit=1&labelSelector=missing!%3Dx"))
        .await
        .body;
    assert_eq!(names(&selected), ["a"]);
    assert!(selected["metadata"]["continue"].is_string());
    assert!(
        selected["metadata"].get("remainingItemCount").is_none(),
        "not counted when a selector is given"
    );
    let bad = s.get(&format!("{CM}?limit=2&continue=garbage")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        s.get(&format!("{CM}?limit=x")).await.status,
        StatusCode::BAD_REQUEST
    );
}
