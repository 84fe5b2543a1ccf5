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
//! server's minimum request timeout; bookmarks come every 15 seconds.

mod discovery;
mod handlers;
mod metadata_only;
mod openapi;
mod params;
mod routes;
mod table;
mod watch;

#[cfg(test)]
mod tests;

use super::{ApiError, Store};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use routes::Route;
use serde_json::Value;
use std::sync::Arc;

/// How the server behaves beyond the store's semantics.
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    /// Plural resource names answered with 403 Forbidden for every verb, as
    /// RBAC would (e.g. `"secrets"`).
    pub forbid: Vec<String>,
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
mod test_support;
#[cfg(test)]
mod view_tests;
#[cfg(test)]
mod watch_tests;
