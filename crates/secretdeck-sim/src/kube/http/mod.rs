//! The simulated API server's HTTP layer: the [`Store`] served over the
//! Kubernetes REST conventions kube-rs and kubectl speak (discovery,
//! OpenAPI v3 index, get/list/watch/create/update/patch/delete, the status
//! subresource, metadata-only responses), JSON only.
//!
//! Request bodies must be JSON (YAML is accepted for server-side apply):
//! protobuf bodies, which the imperative `kubectl create secret|configmap|
//! namespace` sends, are answered 415 — use `kubectl apply -f` instead.
//! Responses are always JSON, whatever the `Accept` header prefers.
//! Watches without `timeoutSeconds` end after 30 minutes, like a real
//! server's minimum request timeout; bookmarks come every 15 seconds
//! (`HttpOptions::bookmark_every`). Faults on purpose: see [`super::faults`].

mod discovery;
mod handlers;
mod metadata_only;
mod openapi;
mod paging;
mod params;
mod routes;
mod table;
mod watch;

#[cfg(test)]
mod tests;

use super::faults::{FaultIn, KubeFaults};
use super::{ApiError, Store};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use routes::Route;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How the server behaves beyond the store's semantics.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Plural resource names answered with 403 Forbidden for every verb, as
    /// RBAC would (e.g. `"secrets"`).
    pub forbid: Vec<String>,
    /// How often a watch that allows them gets a BOOKMARK.
    pub bookmark_every: Duration,
    /// The fault switch (also served at `/_sim/faults`).
    pub faults: Arc<KubeFaults>,
    /// Requests answered, by verb (served at `/_sim/requests`).
    pub requests: Arc<crate::requests::RequestCounts>,
    /// The churn controller's rate (set at `POST /_sim/churn`).
    pub churn: Arc<std::sync::atomic::AtomicU32>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            forbid: Vec::new(),
            bookmark_every: Duration::from_secs(15),
            faults: Arc::default(),
            requests: Arc::default(),
            churn: Arc::default(),
        }
    }
}

pub(crate) struct AppState {
    pub store: Arc<Store>,
    pub opts: HttpOptions,
}

/// The API server as an axum router.
pub fn router(store: Arc<Store>, opts: HttpOptions) -> Router {
    Router::new()
        .fallback(dispatch)
        .with_state(Arc::new(AppState { store, opts }))
}

/// Serve the API on `listener` until the task is dropped or aborted.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<Store>,
    opts: HttpOptions,
) -> std::io::Result<()> {
    axum::serve(listener, router(store, opts)).await
}

async fn dispatch(State(app): State<Arc<AppState>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    if path == "/_sim/faults" {
        return faults_admin(&app, req).await;
    }
    if path == "/_sim/requests" {
        return json(StatusCode::OK, app.opts.requests.to_json());
    }
    if path == "/_sim/churn" {
        return churn_admin(&app, req).await;
    }
    let faults = &app.opts.faults;
    let latency = faults.current_latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if faults.is_hung() {
        // Accepted, never answered.
        std::future::pending::<()>().await;
    }
    let resp = match Route::parse(&path) {
        Some(route) => handle(&app, route, req).await,
        None => error(&ApiError::path_not_found()),
    };
    tracing::debug!(%method, %path, status = resp.status().as_u16(), "api request");
    resp
}

async fn handle(app: &AppState, route: Route, req: Request) -> Response {
    match route {
        Route::Healthz => text("ok"),
        Route::Version => json(StatusCode::OK, discovery::version()),
        Route::Api => json(StatusCode::OK, discovery::api_versions(req.headers())),
        Route::Apis => json(
            StatusCode::OK,
            discovery::api_group_list(app.store.registry()),
        ),
        Route::Group(g) => respond(discovery::api_group(app.store.registry(), &g)),
        Route::GroupVersion(g, v) => {
            respond(discovery::resource_list(app.store.registry(), &g, &v))
        }
        Route::OpenApiIndex => json(StatusCode::OK, openapi::index(app.store.registry())),
        Route::OpenApiDoc(g, v) => respond(openapi::document(app.store.registry(), &g, &v)),
        Route::Resource(r) => handlers::handle(app, r, req).await,
    }
}

/// `POST /_sim/churn {"rate": N}`: N updates a second from now (0 stops).
async fn churn_admin(app: &AppState, req: Request) -> Response {
    let body = axum::body::to_bytes(req.into_body(), 1024)
        .await
        .unwrap_or_default();
    match serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["rate"].as_u64())
        .and_then(|r| u32::try_from(r).ok())
    {
        Some(rate) => {
            app.opts
                .churn
                .store(rate, std::sync::atomic::Ordering::Relaxed);
            json(StatusCode::OK, serde_json::json!({"rate": rate}))
        }
        None => json(
            StatusCode::BAD_REQUEST,
            serde_json::json!({"message": "expected {\"rate\": N}"}),
        ),
    }
}

async fn faults_admin(app: &AppState, req: Request) -> Response {
    let faults = &app.opts.faults;
    if req.method() == axum::http::Method::DELETE {
        faults.clear();
        return StatusCode::NO_CONTENT.into_response();
    }
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let applied = serde_json::from_slice::<FaultIn>(&body)
        .map_err(|e| format!("not a fault ({e}); see the faults module docs"))
        .and_then(|f| faults.apply(f, &app.store));
    match applied {
        Ok(()) => json(StatusCode::OK, serde_json::json!({"ok": true})),
        Err(message) => json(
            StatusCode::BAD_REQUEST,
            serde_json::json!({"message": message}),
        ),
    }
}

/// A watch answered 200 whose only event is an `ERROR` with `status`, as
/// real servers report an expired version.
pub(crate) fn watch_error(status: Value) -> Response {
    let mut line = serde_json::json!({"type": "ERROR", "object": status}).to_string();
    line.push('\n');
    let mut resp = Response::new(Body::from(line));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

fn respond(r: Result<Value, ApiError>) -> Response {
    match r {
        Ok(v) => json(StatusCode::OK, v),
        Err(e) => error(&e),
    }
}

/// A JSON response.
pub(crate) fn json(code: StatusCode, body: Value) -> Response {
    let mut resp = (code, body.to_string()).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// An error as a `Status` object with its HTTP code.
pub(crate) fn error(e: &ApiError) -> Response {
    let code = StatusCode::from_u16(e.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(code, e.to_status())
}

fn text(body: &'static str) -> Response {
    let mut resp = Response::new(Body::from(body));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod view_tests;
#[cfg(test)]
mod watch_tests;
