//! The simulated Secrets Manager driven through aws-sdk-secretsmanager over
//! HTTP, exactly as the console reaches AWS.

use aws_config::BehaviorVersion;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::config::Credentials;
use aws_sdk_secretsmanager::config::http::HttpResponse;
use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use aws_sdk_secretsmanager::error::SdkError;
use aws_sdk_secretsmanager::operation::get_secret_value::{
    GetSecretValueError, GetSecretValueOutput,
};
use aws_sdk_secretsmanager::types::{Filter, FilterNameStringType, Tag};
use secretdeck_sim::sm::{self, SmState};
use std::collections::HashSet;
use std::sync::Arc;

struct Sim {
    client: Client,
    state: Arc<SmState>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start() -> Sim {
    let state = SmState::new("ap-northeast-2", "123456789012");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(sm::serve(listener, state.clone()));
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region("ap-northeast-2")
        .credentials_provider(Credentials::new("AKIDSIM", "sim", None, None, "test"))
        .load()
        .await;
    Sim {
        client: Client::new(&config),
        state,
        task,
    }
}

/// GetSecretValue of the default (AWSCURRENT) version.
async fn get(
    c: &Client,
    id: &str,
) -> Result<GetSecretValueOutput, SdkError<GetSecretValueError, HttpResponse>> {
    c.get_secret_value().secret_id(id).send().await
}

/// The error code of a failed call.
fn code<T, E: ProvideErrorMetadata>(r: Result<T, E>) -> Option<String> {
    r.err().and_then(|e| e.code().map(str::to_string))
}

/// GetSecretValue by stage, which must succeed.
async fn at_stage(c: &Client, id: &str, stage: &str) -> GetSecretValueOutput {
    let req = c.get_secret_value().secret_id(id).version_stage(stage);
    req.send().await.unwrap()
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

#[tokio::test]
async fn create_put_get_by_stage_and_rollback() {
    const N: &str = "onthetop/backend";
    let sim = start().await;
    let c = &sim.client;
    let created = c
        .create_secret()
        .name(N)
        .secret_string("a=1")
        .description("backend properties")
        .tags(Tag::builder().key("team").value("web").build())
        .send()
        .await
        .unwrap();
    let arn = created.arn().unwrap().to_string();
    assert!(arn.starts_with(
        "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:onthetop/backend-"
    ));
    let v1 = created.version_id().unwrap().to_string();

    let put = c
        .put_secret_value()
        .secret_id(N)
        .secret_string("a=2")
        .send()
        .await
        .unwrap();
    let v2 = put.version_id().unwrap().to_string();
    assert_eq!(put.version_stages(), ["AWSCURRENT"]);
    assert_ne!(v1, v2);

    let cur = c.get_secret_value().secret_id(&arn).send().await.unwrap();
    assert_eq!(cur.secret_string(), Some("a=2"));
    assert_eq!(cur.version_id(), Some(v2.as_str()));
    assert!(cur.created_date().is_some());
    let prev = at_stage(c, N, "AWSPREVIOUS").await;
    assert_eq!(prev.secret_string(), Some("a=1"));
    assert_eq!(prev.version_stages(), ["AWSPREVIOUS"]);

    let d = c.describe_secret().secret_id(N).send().await.unwrap();
    assert_eq!(d.description(), Some("backend properties"));
    assert_eq!(d.rotation_enabled(), Some(false));
    assert_eq!(d.tags()[0].key(), Some("team"));
    let map = d.version_ids_to_stages().unwrap();
    assert_eq!(map[&v1], ["AWSPREVIOUS"]);
    assert_eq!(map[&v2], ["AWSCURRENT"]);
    assert!(d.last_changed_date().is_some() && d.last_accessed_date().is_some());

    // Roll back: AWSCURRENT to v1; v2 becomes AWSPREVIOUS automatically.
    c.update_secret_version_stage()
        .secret_id(N)
        .version_stage("AWSCURRENT")
        .remove_from_version_id(&v2)
        .move_to_version_id(&v1)
        .send()
        .await
        .unwrap();
    let cur = at_stage(c, N, "AWSCURRENT").await;
    assert_eq!(cur.secret_string(), Some("a=1"));
    let versions = c.list_secret_version_ids().secret_id(N);
    let versions = versions.send().await.unwrap();
    let got: Vec<(String, Vec<String>)> = versions
        .versions()
        .iter()
        .map(|v| {
            (
                v.version_id().unwrap().to_string(),
                sorted(v.version_stages()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (v1.clone(), vec!["AWSCURRENT".to_string()]),
            (v2.clone(), vec!["AWSPREVIOUS".to_string()])
        ]
    );
    assert_eq!(sim.state.current_value(N).as_deref(), Some("a=1"));

    // Moving AWSCURRENT without naming where it is now is refused.
    let err = c
        .update_secret_version_stage()
        .secret_id(N)
        .version_stage("AWSCURRENT")
        .move_to_version_id(&v2)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
}

#[tokio::test]
async fn list_secrets_pages_and_filters() {
    let sim = start().await;
    for i in 0..7 {
        let name = if i % 2 == 0 {
            format!("team-a/s{i}")
        } else {
            format!("team-b/s{i}")
        };
        sim.state.create_secret(&name, "v", None).unwrap();
    }
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let out = sim
            .client
            .list_secrets()
            .max_results(3)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        pages += 1;
        assert!(out.secret_list().len() <= 3);
        for s in out.secret_list() {
            names.push(s.name().unwrap().to_string());
            assert_eq!(
                s.secret_versions_to_stages()
                    .unwrap()
                    .values()
                    .next()
                    .unwrap(),
                &vec!["AWSCURRENT".to_string()]
            );
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names.len(), 7);
    assert_eq!(names.iter().collect::<HashSet<_>>().len(), 7);

    // The paginator sees the same set.
    let pages: Vec<_> = sim
        .client
        .list_secrets()
        .into_paginator()
        .page_size(2)
        .send()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(pages.len(), 4);
    let total: usize = pages
        .iter()
        .map(|p| p.as_ref().unwrap().secret_list().len())
        .sum();
    assert_eq!(total, 7);

    let filtered = sim
        .client
        .list_secrets()
        .filters(
            Filter::builder()
                .key(FilterNameStringType::Name)
                .values("team-a/")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.secret_list().len(), 4);
    assert!(filtered.next_token().is_none());

    let bad = sim.client.list_secrets().next_token("not-a-token");
    assert_eq!(code(bad.send().await).unwrap(), "InvalidNextTokenException");
}

#[tokio::test]
async fn error_codes() {
    let sim = start().await;
    let c = &sim.client;
    let err = get(c, "nope").await.unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(
        err.message(),
        Some("Secrets Manager can't find the specified secret.")
    );
    let svc = err.into_service_error();
    assert!(svc.is_resource_not_found_exception());

    sim.state.create_secret("dup", "first", None).unwrap();
    let dup = c.create_secret().name("dup").secret_string("second");
    assert_eq!(code(dup.send().await).unwrap(), "ResourceExistsException");

    let err = c
        .get_secret_value()
        .secret_id("dup")
        .version_stage("AWSPREVIOUS")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert!(
        err.message()
            .unwrap()
            .contains("staging label: AWSPREVIOUS")
    );

    let token = "0123456789abcdef0123456789abcdef";
    let put = |value: &'static str| {
        c.put_secret_value()
            .secret_id("dup")
            .client_request_token(token)
            .secret_string(value)
            .send()
    };
    let first = put("v2").await.unwrap();
    let again = put("v2").await.unwrap();
    assert_eq!(first.version_id(), again.version_id());
    assert_eq!(sim.state.version_stages("dup").len(), 2);
    let err = put("v3-different").await.unwrap_err();
    assert_eq!(err.code(), Some("ResourceExistsException"));
    assert!(!format!("{err:?}").contains("v3-different"));

    let big = "x".repeat(65_537);
    let err = c
        .put_secret_value()
        .secret_id("dup")
        .secret_string(big)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
    let empty = c.put_secret_value().secret_id("dup").send().await;
    assert_eq!(code(empty).unwrap(), "InvalidRequestException");
    assert_eq!(sim.state.current_value("dup").as_deref(), Some("v2"));

    let err = c
        .put_secret_value()
        .secret_id("dup")
        .client_request_token("short")
        .secret_string("v")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
}

#[tokio::test]
async fn injected_access_denied_then_recovers() {
    let sim = start().await;
    sim.state.create_secret("app", "v1", None).unwrap();
    sim.state
        .inject_fault("PutSecretValue", "AccessDeniedException", 1);
    let put = || {
        sim.client
            .put_secret_value()
            .secret_id("app")
            .secret_string("v2")
            .send()
    };
    let err = put().await.unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));
    let msg = err.message().unwrap();
    assert!(
        msg.contains("AKIDSIM") && msg.contains("secretsmanager:PutSecretValue"),
        "{msg}"
    );
    assert_eq!(sim.state.current_value("app").as_deref(), Some("v1"));
    // Other operations were not affected, and the fault is spent.
    assert!(get(&sim.client, "app").await.is_ok());
    put().await.unwrap();
    assert_eq!(sim.state.current_value("app").as_deref(), Some("v2"));

    // One throttle is absorbed by the SDK's standard retry.
    sim.state.inject_fault("*", "ThrottlingException", 1);
    let got = get(&sim.client, "app").await.unwrap();
    assert_eq!(got.secret_string(), Some("v2"));
}

#[tokio::test]
async fn delete_with_recovery_window_then_force() {
    let sim = start().await;
    let c = &sim.client;
    sim.state.create_secret("old", "v1", None).unwrap();
    let del = c
        .delete_secret()
        .secret_id("old")
        .recovery_window_in_days(7)
        .send()
        .await
        .unwrap();
    assert_eq!(del.name(), Some("old"));
    assert!(del.deletion_date().is_some());
    assert_eq!(
        code(get(c, "old").await).unwrap(),
        "InvalidRequestException"
    );
    let listed = c.list_secrets().send().await.unwrap();
    assert!(listed.secret_list().is_empty());
    let listed = c
        .list_secrets()
        .include_planned_deletion(true)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.secret_list().len(), 1);
    assert!(listed.secret_list()[0].deleted_date().is_some());
    let again = c.create_secret().name("old").secret_string("v");
    assert_eq!(code(again.send().await).unwrap(), "InvalidRequestException");

    c.delete_secret()
        .secret_id("old")
        .force_delete_without_recovery(true)
        .send()
        .await
        .unwrap();
    let gone = c.describe_secret().secret_id("old").send().await;
    assert_eq!(code(gone).unwrap(), "ResourceNotFoundException");
    let again = c.create_secret().name("old").secret_string("again");
    again.send().await.unwrap();
    assert_eq!(sim.state.current_value("old").as_deref(), Some("again"));

    let short = c
        .delete_secret()
        .secret_id("old")
        .recovery_window_in_days(3);
    assert_eq!(
        code(short.send().await).unwrap(),
        "InvalidParameterException"
    );
}
