//! A minimal OpenAPI v3 surface: enough for kubectl's default validation,
//! which looks for each kind's `patch` operation and its `fieldValidation`
//! parameter (then validates on the server side, which accepts any field).

use crate::kube::{ApiError, Registry, ResourceType};
use serde_json::{Map, Value, json};

fn doc_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// `/openapi/v3`: one entry per served group/version.
pub fn index(reg: &Registry) -> Value {
    let mut gvs: Vec<(&str, &str)> = vec![("", "v1")];
    gvs.extend(reg.groups());
    let paths: Map<String, Value> = gvs
        .into_iter()
        .map(|(g, v)| {
            let p = doc_path(g, v);
            let url = format!("/openapi/v3/{p}?hash=secretdeck-sim-{}", crate_hash(&p));
            (p, json!({"serverRelativeURL": url}))
        })
        .collect();
    json!({"paths": paths})
}

/// A stable tag for a document URL (the documents never change at runtime).
fn crate_hash(p: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(format!("{}:{p}", env!("CARGO_PKG_VERSION")))[..8])
}

fn operation(rt: &ResourceType, action: &str, validated: bool) -> Value {
    let mut params = vec![json!({"name": "dryRun", "in": "query", "schema": {"type": "string"}})];
    if validated {
        params.push(json!({"name": "fieldManager", "in": "query", "schema": {"type": "string"}}));
        params
            .push(json!({"name": "fieldValidation", "in": "query", "schema": {"type": "string"}}));
    }
    json!({
        "operationId": format!("{action}{}", rt.kind),
        "parameters": params,
        "responses": {"200": {"description": "OK"}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": {"group": rt.group, "version": rt.version, "kind": rt.kind},
    })
}

fn base(rt: &ResourceType) -> String {
    let prefix = if rt.group.is_empty() {
        format!("/api/{}", rt.version)
    } else {
        format!("/apis/{}/{}", rt.group, rt.version)
    };
    if rt.namespaced {
        format!("{prefix}/namespaces/{{namespace}}/{}", rt.plural)
    } else {
        format!("{prefix}/{}", rt.plural)
    }
}

/// `/openapi/v3/api/v1` or `/openapi/v3/apis/<g>/<v>`.
pub fn document(reg: &Registry, group: &str, version: &str) -> Result<Value, ApiError> {
    let types: Vec<&ResourceType> = reg
        .types
        .iter()
        .filter(|t| t.group == group && t.version == version)
        .collect();
    if types.is_empty() {
        return Err(ApiError::path_not_found());
    }
    let mut paths = Map::new();
    for rt in types {
        let collection = base(rt);
        paths.insert(
            collection.clone(),
            json!({"get": operation(rt, "list", false), "post": operation(rt, "post", true)}),
        );
        paths.insert(
            format!("{collection}/{{name}}"),
            json!({
                "get": operation(rt, "get", false),
                "put": operation(rt, "put", true),
                "patch": operation(rt, "patch", true),
                "delete": operation(rt, "delete", false),
            }),
        );
    }
    Ok(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.32.4-secretdeck-sim"},
        "paths": paths,
        "components": {"schemas": {}},
    }))
}
