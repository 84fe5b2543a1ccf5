//! The HTTP face: AWS JSON 1.1 on `POST /`, STS GetCallerIdentity on the
//! same path (query protocol), and the fault-injection admin routes.

use super::errors::SmError;
use super::ops;
use super::service::SmState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

const JSON_11: &str = "application/x-amz-json-1.1";

pub fn router(state: Arc<SmState>) -> Router {
    Router::new()
        .route("/", post(handle))
        .route("/_sim/faults", post(add_fault))
        .route("/_sim/faults", delete(clear_faults))
        .route("/_sim/requests", get(requests))
        .with_state(state)
}

pub async fn serve(listener: tokio::net::TcpListener, state: Arc<SmState>) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}

/// The access key id from a SigV4 `Authorization` header, if it looks sane.
fn access_key_id(headers: &HeaderMap) -> Option<String> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let cred = auth.split("Credential=").nth(1)?;
    let akid = cred.split('/').next()?;
    let ok =
        !akid.is_empty() && akid.len() <= 128 && akid.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then(|| akid.to_string())
}

async fn handle(State(state): State<Arc<SmState>>, headers: HeaderMap, body: Bytes) -> Response {
    let identity = access_key_id(&headers).unwrap_or_else(|| "anonymous".to_string());
    let from_eso = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| ua.contains(&format!("app/{}", crate::requests::ESO_APP_NAME)));
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let Some(target) = target else {
        if is_get_caller_identity(&body) {
            if !from_eso {
                state.requests.count("GetCallerIdentity");
            }
            return caller_identity(&state, &identity);
        }
        return error_response(&SmError::unknown_operation("(missing X-Amz-Target)"));
    };
    let Some(operation) = target.strip_prefix("secretsmanager.") else {
        return error_response(&SmError::unknown_operation(&target));
    };
    if !from_eso {
        state.requests.count(operation);
    }
    let request = match parse_body(&body) {
        Ok(v) => v,
        Err(e) => return error_response(&e),
    };
    let secret = request
        .get("SecretId")
        .or_else(|| request.get("Name"))
        .and_then(Value::as_str)
        .unwrap_or("-")
        .to_string();
    match ops::dispatch(&state, operation, &request, &identity) {
        Ok(out) => {
            tracing::debug!(operation, secret = %secret, outcome = "ok", "secretsmanager call");
            let mut resp = (StatusCode::OK, out.to_string()).into_response();
            set_common_headers(&mut resp);
            resp
        }
        Err(e) => {
            tracing::debug!(operation, secret = %secret, outcome = %e.code, "secretsmanager call");
            error_response(&e)
        }
    }
}

fn parse_body(body: &[u8]) -> Result<Value, SmError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(SmError::serialization(
            "The request body must be a JSON object.",
        )),
        Err(_) => Err(SmError::serialization(
            "The request body is not valid JSON.",
        )),
    }
}

fn set_common_headers(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_11));
    if let Ok(v) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        h.insert("x-amzn-requestid", v);
    }
}

fn error_response(e: &SmError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let body = json!({"__type": e.code, "message": e.message}).to_string();
    let mut resp = (status, body).into_response();
    set_common_headers(&mut resp);
    if let Ok(v) = HeaderValue::from_str(&e.code) {
        resp.headers_mut().insert("x-amzn-errortype", v);
    }
    resp
}

fn is_get_caller_identity(body: &[u8]) -> bool {
    std::str::from_utf8(body)
        .map(|s| s.split('&').any(|kv| kv == "Action=GetCallerIdentity"))
        .unwrap_or(false)
}

/// STS GetCallerIdentity (query protocol, XML).
fn caller_identity(state: &SmState, identity: &str) -> Response {
    let account = &state.account_id;
    let request_id = uuid::Uuid::new_v4();
    let xml = format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/{identity}</Arn>\
         <UserId>{identity}</UserId><Account>{account}</Account></GetCallerIdentityResult>\
         <ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>\
         </GetCallerIdentityResponse>"
    );
    tracing::debug!(operation = "GetCallerIdentity", outcome = "ok", "sts call");
    ([(header::CONTENT_TYPE, "text/xml")], xml).into_response()
}

#[derive(Deserialize)]
struct FaultIn {
    operation: String,
    code: String,
    count: Option<u32>,
}

async fn add_fault(State(state): State<Arc<SmState>>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultIn>(&body) {
        Ok(f) => {
            let count = f.count.unwrap_or(1);
            state.inject_fault(&f.operation, &f.code, count);
            tracing::debug!(operation = %f.operation, code = %f.code, count, "fault injected");
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], r#"{"ok":true}"#).into_response()
        }
        Err(_) => (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"message":"expected {\"operation\": string, \"code\": string, \"count\": number}"}"#,
        )
            .into_response(),
    }
}

async fn clear_faults(State(state): State<Arc<SmState>>) -> StatusCode {
    state.clear_faults();
    StatusCode::NO_CONTENT
}

async fn requests(State(state): State<Arc<SmState>>) -> Response {
    (StatusCode::OK, axum::Json(state.requests.to_json())).into_response()
}
