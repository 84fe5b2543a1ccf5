//! The verbs on resource paths: get, list, create, update, patch, delete
//! (watch lives in `watch.rs`).

use super::params::Shape;
use super::params::{self, Params};
use super::routes::ResourcePath;
use super::{AppState, error, json, metadata_only, table, watch};
use crate::kube::patch::{self, PatchKind};
use crate::kube::store::Writer;
use crate::kube::{ApiError, ResourceType};
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

/// Requests larger than this are refused (real servers allow ~3 MiB).
const MAX_BODY: usize = 8 * 1024 * 1024;

const PROTOBUF: &str = "application/vnd.kubernetes.protobuf";

pub async fn handle(app: &AppState, path: ResourcePath, req: Request) -> Response {
    match handle_verb(app, path, req).await {
        Ok(resp) => resp,
        Err(e) => error(&e),
    }
}

fn resolve(app: &AppState, path: &ResourcePath) -> Result<ResourceType, ApiError> {
    let rt = app
        .store
        .registry()
        .find(&path.group, &path.version, &path.plural)
        .ok_or_else(ApiError::path_not_found)?;
    let bad_scope = (path.namespace.is_some() && !rt.namespaced)
        || (path.status && !rt.has_status)
        || (path.name.is_some() && rt.namespaced && path.namespace.is_none());
    if bad_scope {
        return Err(ApiError::path_not_found());
    }
    Ok(rt.clone())
}

fn verb(method: &Method, path: &ResourcePath, p: &Params) -> Result<&'static str, ApiError> {
    let item = path.name.is_some();
    let v = match *method {
        Method::GET if item => "get",
        Method::GET if p.is_watch() => "watch",
        Method::GET => "list",
        Method::POST if !item => "create",
        Method::PUT if item => "update",
        Method::PATCH if item => "patch",
        Method::DELETE if item && !path.status => "delete",
        Method::DELETE if !item => "deletecollection",
        _ => "",
    };
    if v.is_empty() {
        return Err(ApiError::method_not_allowed(format!(
            "the server does not allow this method on the requested resource ({method})"
        )));
    }
    Ok(v)
}

fn forbidden(path: &ResourcePath, verb: &str) -> ApiError {
    let resource = if path.status {
        format!("{}/status", path.plural)
    } else {
        path.plural.clone()
    };
    let scope = match &path.namespace {
        Some(ns) => format!("in the namespace \"{ns}\""),
        None => "at the cluster scope".to_string(),
    };
    ApiError::forbidden(format!(
        "{} is forbidden: User \"system:serviceaccount:secretdeck:sim\" cannot {verb} resource \"{resource}\" in API group \"{}\" {scope}",
        path.plural, path.group
    ))
}

async fn handle_verb(
    app: &AppState,
    path: ResourcePath,
    req: Request,
) -> Result<Response, ApiError> {
    let rt = resolve(app, &path)?;
    let (parts, body) = req.into_parts();
    let p = Params::from_uri(&parts.uri)?;
    let verb = verb(&parts.method, &path, &p)?;
    app.opts.requests.count(verb);
    if let Some(answer) = app.opts.faults.take(&path.plural, verb) {
        return Ok(crate::kube::faults::respond(&answer, &path.plural, verb));
    }
    if app.opts.forbid.contains(&path.plural) {
        return Err(forbidden(&path, verb));
    }
    let shape = params::shape(&parts.headers);
    let ct = params::content_type(&parts.headers).to_ascii_lowercase();
    let manager = p.manager(&parts.headers);
    let store = &app.store;
    let ns = path.namespace.as_deref().unwrap_or("");
    let name = path.name.as_deref().unwrap_or("");
    let body = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        ApiError::bad_request("the request body could not be read (too large or interrupted)")
    })?;
    if matches!(verb, "create" | "update" | "patch") && ct.starts_with(PROTOBUF) {
        return Err(ApiError::unsupported_media_type(format!(
            "the simulated API server speaks JSON only, not {PROTOBUF}; imperative `kubectl create secret|configmap|namespace` sends protobuf: write a manifest and use `kubectl apply -f` instead"
        )));
    }
    let ok = |code, v| Ok(json(code, v));
    match verb {
        "get" => {
            let obj = store.get(&rt, ns, name)?;
            ok(StatusCode::OK, view(&rt, &obj, shape))
        }
        "list" => {
            let sel = p.selectors()?;
            let Some((limit, cont)) = p.page()? else {
                let (items, rv) = store.list(&rt, path.namespace.as_deref(), &sel);
                return ok(StatusCode::OK, list_doc(&rt, items, rv, shape));
            };
            let after = cont
                .as_ref()
                .map(|c| (c.namespace.as_str(), c.name.as_str()));
            let page = store.list_page(&rt, path.namespace.as_deref(), &sel, limit, after);
            let rv = cont.as_ref().map_or(page.rv, |c| c.rv);
            let mut doc = list_doc(&rt, page.items, rv, shape);
            if let Some((namespace, name)) = page.last {
                let token = super::paging::Continue {
                    rv,
                    namespace,
                    name,
                };
                doc["metadata"]["continue"] = json!(token.encode());
                if p.label_selector.is_none() && p.field_selector.is_none() {
                    doc["metadata"]["remainingItemCount"] = json!(page.remaining);
                }
            }
            ok(StatusCode::OK, doc)
        }
        "watch" => watch::start(
            store.clone(),
            &app.opts,
            rt,
            path.namespace.clone(),
            &p,
            shape,
        ),
        "create" => {
            let obj = parse_body(&body, &ct)?;
            if p.dry_run() {
                return ok(StatusCode::CREATED, dry_create(app, &rt, ns, obj)?);
            }
            ok(
                StatusCode::CREATED,
                store.create(&rt, ns, obj, Writer::update(&manager))?,
            )
        }
        "update" => {
            let obj = parse_body(&body, &ct)?;
            if p.dry_run() {
                store.get(&rt, ns, name)?;
                return ok(StatusCode::OK, obj);
            }
            let w = Writer::update(&manager);
            ok(
                StatusCode::OK,
                store.update(&rt, ns, name, obj, w, path.status)?,
            )
        }
        "patch" => {
            let kind = PatchKind::from_content_type(&ct).ok_or_else(|| {
                ApiError::unsupported_media_type(format!(
                    "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {ct:?})"
                ))
            })?;
            let body = if kind == PatchKind::Apply {
                parse_yaml_or_json(&body)?
            } else {
                parse_json(&body)?
            };
            if p.dry_run() {
                let out = match store.get(&rt, ns, name) {
                    Ok(current) => patch::apply(kind, &current, &body)?,
                    // Server-side apply creates what is missing.
                    Err(e) if e.code == 404 && kind == PatchKind::Apply && !path.status => {
                        dry_create(app, &rt, ns, body)?
                    }
                    Err(e) => return Err(e),
                };
                return ok(StatusCode::OK, out);
            }
            let operation = if kind == PatchKind::Apply {
                "Apply"
            } else {
                "Update"
            };
            let w = Writer {
                manager: &manager,
                operation,
            };
            ok(
                StatusCode::OK,
                store.patch(&rt, ns, name, kind, &body, w, path.status)?,
            )
        }
        "delete" => {
            if !body.is_empty() {
                parse_json(&body)?; // DeleteOptions: validated, propagation is always background
            }
            if p.dry_run() {
                return ok(StatusCode::OK, store.get(&rt, ns, name)?);
            }
            ok(StatusCode::OK, store.delete(&rt, ns, name)?)
        }
        _ => {
            // deletecollection
            let (items, _) = store.list(&rt, path.namespace.as_deref(), &p.selectors()?);
            let mut gone = Vec::new();
            for item in items {
                let iname = item["metadata"]["name"].as_str().unwrap_or_default();
                let ins = item["metadata"]["namespace"].as_str().unwrap_or_default();
                if !p.dry_run() {
                    match store.delete(&rt, ins, iname) {
                        Ok(o) => gone.push(o),
                        Err(e) if e.code == 404 => {} // already gone with an owner
                        Err(e) => return Err(e),
                    }
                } else {
                    gone.push(item);
                }
            }
            ok(
                StatusCode::OK,
                list_doc(&rt, gone, store.current_rv(), Shape::Full),
            )
        }
    }
}

fn dry_create(
    app: &AppState,
    rt: &ResourceType,
    ns: &str,
    mut obj: Value,
) -> Result<Value, ApiError> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !name.is_empty() && app.store.get(rt, ns, name).is_ok() {
        return Err(ApiError::already_exists(rt.group, rt.plural, name));
    }
    if !obj.is_object() {
        return Err(ApiError::bad_request(
            "the body of the request was not a JSON object",
        ));
    }
    obj["kind"] = json!(rt.kind);
    obj["apiVersion"] = json!(rt.api_version());
    Ok(obj)
}

fn view(rt: &ResourceType, obj: &Value, shape: Shape) -> Value {
    match shape {
        Shape::Full => obj.clone(),
        Shape::Metadata => metadata_only::object(obj),
        Shape::Table => {
            let rv = obj
                .pointer("/metadata/resourceVersion")
                .and_then(Value::as_str)
                .and_then(|r| r.parse().ok())
                .unwrap_or(0);
            table::table(rt.kind, std::slice::from_ref(obj), rv)
        }
    }
}

/// A list document: `<Kind>List`, `PartialObjectMetadataList` or a `Table`.
pub fn list_doc(rt: &ResourceType, items: Vec<Value>, rv: u64, shape: Shape) -> Value {
    let (kind, api_version, items) = match shape {
        Shape::Table => return table::table(rt.kind, &items, rv),
        Shape::Metadata => {
            let items: Vec<Value> = items.iter().map(metadata_only::object).collect();
            (
                metadata_only::LIST_KIND.to_string(),
                metadata_only::API_VERSION.to_string(),
                items,
            )
        }
        Shape::Full => (rt.list_kind(), rt.api_version(), items),
    };
    json!({
        "kind": kind,
        "apiVersion": api_version,
        "metadata": {"resourceVersion": rv.to_string()},
        "items": items,
    })
}

fn parse_body(body: &Bytes, ct: &str) -> Result<Value, ApiError> {
    if ct.contains("yaml") {
        parse_yaml_or_json(body)
    } else {
        parse_json(body)
    }
}

/// Parse a JSON body. Errors name the position only, never the content
/// (bodies can hold Secret data).
fn parse_json(body: &Bytes) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "the request body is empty; a JSON object was expected",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "the request body is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

fn parse_yaml_or_json(body: &Bytes) -> Result<Value, ApiError> {
    if let Ok(v) = serde_json::from_slice(body) {
        return Ok(v);
    }
    serde_yaml::from_slice(body).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        ApiError::bad_request(format!(
            "the request body is neither valid JSON nor YAML{at}"
        ))
    })
}
