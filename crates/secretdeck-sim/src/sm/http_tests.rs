//! The wire format as an outside process sees it: raw HTTP/1.1 against
//! [`super::serve`].

use super::{SmState, serve};
use serde_json::Value;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Server {
    addr: String,
    state: Arc<SmState>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start() -> Server {
    let state = SmState::new("ap-northeast-2", "123456789012");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(serve(listener, state.clone()));
    Server { addr, state, task }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

async fn send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

async fn call(addr: &str, target: &str, body: &str) -> Reply {
    let auth = "AWS4-HMAC-SHA256 Credential=AKIDWIRE/20250101/ap-northeast-2/secretsmanager/aws4_request, SignedHeaders=host, Signature=00";
    let headers = [
        ("X-Amz-Target", target),
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Authorization", auth),
    ];
    send(addr, "POST", "/", &headers, body).await
}

#[tokio::test]
async fn success_and_error_shapes() {
    let srv = start().await;
    let ok = call(
        &srv.addr,
        "secretsmanager.CreateSecret",
        r#"{"Name":"a","SecretString":"s3cr3t-value"}"#,
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        ok.header("content-type").as_deref(),
        Some("application/x-amz-json-1.1")
    );
    assert!(ok.header("x-amzn-requestid").is_some());
    assert_eq!(ok.json()["Name"], "a");
    // Absent members are omitted, not null.
    let d = call(
        &srv.addr,
        "secretsmanager.DescribeSecret",
        r#"{"SecretId":"a"}"#,
    )
    .await;
    assert!(d.json().get("Description").is_none(), "{}", d.body);
    assert!(!d.body.contains("null"), "{}", d.body);

    let miss = call(
        &srv.addr,
        "secretsmanager.GetSecretValue",
        r#"{"SecretId":"nope"}"#,
    )
    .await;
    assert_eq!(miss.status, 400);
    assert_eq!(
        miss.header("x-amzn-errortype").as_deref(),
        Some("ResourceNotFoundException")
    );
    assert_eq!(miss.json()["__type"], "ResourceNotFoundException");
    assert_eq!(
        miss.json()["message"],
        "Secrets Manager can't find the specified secret."
    );

    let null = call(&srv.addr, "secretsmanager.GetSecretValue", "{}").await;
    assert_eq!(null.json()["__type"], "ValidationException");
    let bad = call(&srv.addr, "secretsmanager.GetSecretValue", "{not json").await;
    assert_eq!(bad.json()["__type"], "SerializationException");
    let typed = call(
        &srv.addr,
        "secretsmanager.PutSecretValue",
        r#"{"SecretId":"a","SecretString":42}"#,
    )
    .await;
    assert_eq!(typed.json()["__type"], "SerializationException");
    let unknown = call(&srv.addr, "secretsmanager.RotateEverything", "{}").await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json()["__type"], "UnknownOperationException");
    let other = call(&srv.addr, "kms.Encrypt", "{}").await;
    assert_eq!(other.json()["__type"], "UnknownOperationException");

    let clash = r#"{"SecretId":"a","ClientRequestToken":"00000000000000000000000000000001","SecretString":"first-value"}"#;
    assert_eq!(
        call(&srv.addr, "secretsmanager.PutSecretValue", clash)
            .await
            .status,
        200
    );
    let clash2 = clash.replace("first-value", "second-value");
    let err = call(&srv.addr, "secretsmanager.PutSecretValue", &clash2).await;
    assert_eq!(err.json()["__type"], "ResourceExistsException");
    assert!(!err.body.contains("second-value") && !err.body.contains("first-value"));
}

#[tokio::test]
async fn fault_admin_routes() {
    let srv = start().await;
    srv.state.create_secret("app", "v1", None).unwrap();
    let json = [("Content-Type", "application/json")];
    let body = r#"{"operation":"GetSecretValue","code":"AccessDeniedException","count":2}"#;
    assert_eq!(
        send(&srv.addr, "POST", "/_sim/faults", &json, body)
            .await
            .status,
        200
    );
    let get = r#"{"SecretId":"app"}"#;
    for _ in 0..2 {
        let r = call(&srv.addr, "secretsmanager.GetSecretValue", get).await;
        assert_eq!(r.status, 400);
        assert_eq!(r.json()["__type"], "AccessDeniedException");
        let msg = r.json()["message"].as_str().unwrap_or_default().to_string();
        assert!(
            msg.contains("AKIDWIRE") && msg.contains("secretsmanager:GetSecretValue"),
            "{msg}"
        );
    }
    assert_eq!(
        call(&srv.addr, "secretsmanager.GetSecretValue", get)
            .await
            .status,
        200
    );

    let any = r#"{"operation":"*","code":"InternalServiceError"}"#;
    send(&srv.addr, "POST", "/_sim/faults", &json, any).await;
    assert_eq!(
        call(&srv.addr, "secretsmanager.ListSecrets", "{}")
            .await
            .status,
        500
    );
    send(&srv.addr, "POST", "/_sim/faults", &json, any).await;
    assert_eq!(
        send(&srv.addr, "DELETE", "/_sim/faults", &[], "")
            .await
            .status,
        204
    );
    assert_eq!(
        call(&srv.addr, "secretsmanager.ListSecrets", "{}")
            .await
            .status,
        200
    );
    assert_eq!(
        send(&srv.addr, "POST", "/_sim/faults", &json, "{")
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn sts_get_caller_identity() {
    let srv = start().await;
    let headers = [
        (
            "Content-Type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDWHO/20250101/ap-northeast-2/sts/aws4_request, SignedHeaders=host, Signature=00",
        ),
    ];
    let r = send(
        &srv.addr,
        "POST",
        "/",
        &headers,
        "Action=GetCallerIdentity&Version=2011-06-15",
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("<Account>123456789012</Account>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<Arn>arn:aws:iam::123456789012:user/AKIDWHO</Arn>"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn calls_are_counted_by_operation_except_the_eso_sims() {
    let srv = start().await;
    let list = "secretsmanager.ListSecrets";
    call(&srv.addr, list, "{}").await;
    call(
        &srv.addr,
        "secretsmanager.DescribeSecret",
        r#"{"SecretId":"x"}"#,
    )
    .await;
    let eso_ua = format!("aws-sdk-rust/1 app/{}", crate::requests::ESO_APP_NAME);
    let headers = [
        ("X-Amz-Target", list),
        ("Content-Type", "application/x-amz-json-1.1"),
        ("User-Agent", eso_ua.as_str()),
    ];
    send(&srv.addr, "POST", "/", &headers, "{}").await;
    let counts = send(&srv.addr, "GET", "/_sim/requests", &[], "")
        .await
        .json();
    assert_eq!(
        counts["counts"],
        serde_json::json!({"ListSecrets": 1, "DescribeSecret": 1})
    );
}

/// DescribeSecret of `name`, as JSON.
async fn describe(addr: &str, name: &str) -> Value {
    let body = serde_json::json!({ "SecretId": name }).to_string();
    call(addr, "secretsmanager.DescribeSecret", &body)
        .await
        .json()
}

#[tokio::test]
async fn describe_and_list_carry_rotation_as_aws_names_it() {
    use super::state::Rotation;
    let srv = start().await;
    srv.state.create_secret("plain", "v1", None).unwrap();
    srv.state.create_secret("rotated", "v1", None).unwrap();
    let pending = srv.state.put_value("rotated", "v2").unwrap();
    // The Lambda's createSecret step labelled a version AWSPENDING and the
    // rotation failed before finishSecret: AWSPENDING stays where it is.
    let current = srv
        .state
        .version_stages("rotated")
        .into_iter()
        .find(|(_, st)| st.iter().any(|s| s == "AWSPREVIOUS"))
        .map(|(id, _)| id)
        .unwrap();
    srv.state
        .label_version("rotated", &current, "AWSPENDING")
        .unwrap();
    let before = describe(&srv.addr, "rotated").await["LastChangedDate"]
        .as_f64()
        .unwrap();
    srv.state
        .set_rotation(
            "rotated",
            Rotation {
                enabled: true,
                lambda_arn: "arn:aws:lambda:ap-northeast-2:123456789012:function:rotate".into(),
                after_days: 30,
                last_rotated: Some(1_700_000_000.0),
                next_rotation: Some(1_702_592_000.0),
            },
        )
        .unwrap();

    let d = describe(&srv.addr, "rotated").await;
    assert_eq!(d["RotationEnabled"], true);
    assert_eq!(
        d["RotationLambdaARN"],
        "arn:aws:lambda:ap-northeast-2:123456789012:function:rotate"
    );
    assert_eq!(d["RotationRules"]["AutomaticallyAfterDays"], 30);
    assert_eq!(d["LastRotatedDate"], 1_700_000_000.0);
    assert_eq!(d["NextRotationDate"], 1_702_592_000.0);
    assert!(d["LastChangedDate"].as_f64().unwrap() >= before);
    // AWSPENDING on the previous version, AWSCURRENT on the newest.
    let stages = &d["VersionIdsToStages"];
    assert_eq!(stages[&pending], serde_json::json!(["AWSCURRENT"]));
    let mut held: Vec<&str> = stages[&current]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    held.sort_unstable();
    assert_eq!(held, ["AWSPENDING", "AWSPREVIOUS"]);

    // Without rotation: RotationEnabled false and no rotation members.
    let p = describe(&srv.addr, "plain").await;
    assert_eq!(p["RotationEnabled"], false);
    for member in [
        "RotationLambdaARN",
        "RotationRules",
        "LastRotatedDate",
        "NextRotationDate",
    ] {
        assert!(p.get(member).is_none(), "{member} in {p}");
    }

    // ListSecrets entries carry the same members.
    let list = call(&srv.addr, "secretsmanager.ListSecrets", "{}")
        .await
        .json();
    let entry = list["SecretList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["Name"] == "rotated")
        .cloned()
        .unwrap();
    assert_eq!(entry["RotationEnabled"], true);
    assert_eq!(entry["NextRotationDate"], 1_702_592_000.0);
}
