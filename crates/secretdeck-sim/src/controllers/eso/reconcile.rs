//! Reconciling one ExternalSecret: decide whether to refresh (ESO's rules
//! for refreshPolicy / refreshInterval / force-sync), fetch, render, write
//! the target Secret, set status and record events.

use super::Ctx;
use super::render::{data_hash, extract_all, render_template, select_property, short_hash};
use super::stores::{self, MANAGER};
use crate::controllers::duration::parse_go_duration;
use crate::controllers::events;
use crate::kube::patch::PatchKind;
use crate::kube::resources::ESO;
use crate::kube::store::{Writer, now_rfc3339};
use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

pub const MANAGED_LABEL: &str = "reconcile.external-secrets.io/managed";
pub const HASH_ANNOTATION: &str = "reconcile.external-secrets.io/data-hash";

/// Why a reconcile runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The object (spec, labels, annotations) or its Secret changed, or first sight.
    Change,
    /// The refresh interval elapsed, or a retry after an error.
    Timer,
}

/// When to come back: after this simulated duration, or never.
pub type Next = Option<Duration>;

/// `<generation>-<hash of labels and annotations>`, ESO's syncedResourceVersion.
pub fn wanted_version(es: &Value) -> String {
    let meta = &es["metadata"];
    let generation = meta["generation"].as_i64().unwrap_or(0);
    let la = json!([meta.get("labels"), meta.get("annotations")]).to_string();
    format!("{generation}-{}", short_hash(&la))
}

fn ready_condition(es: &Value) -> Option<&Value> {
    es.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == "Ready")
}

pub async fn reconcile(ctx: &Ctx, es: &Value, trigger: Trigger) -> Next {
    let spec = &es["spec"];
    let ns = es["metadata"]["namespace"].as_str().unwrap_or_default();
    let name = es["metadata"]["name"].as_str().unwrap_or_default();
    let interval = match spec["refreshInterval"].as_str() {
        None => Duration::from_secs(3600),
        Some(s) => match parse_go_duration(s) {
            Some(d) => d,
            None => {
                fail(ctx, es, &format!("invalid refreshInterval {s:?}"), None);
                return None;
            }
        },
    };
    let policy = spec["refreshPolicy"].as_str().unwrap_or("Periodic");
    let target = spec
        .pointer("/target/name")
        .and_then(Value::as_str)
        .unwrap_or(name);
    let Ok(secret_rt) = ctx.store.resource("", "secrets").cloned() else {
        return None;
    };
    let existing = ctx.store.get_shared(&secret_rt, ns, target).ok();
    let synced_rv = es
        .pointer("/status/syncedResourceVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let synced = !synced_rv.is_empty() && existing.is_some();
    let secret_ok = existing.as_ref().is_some_and(|s| {
        let data = string_map(&s["data"]);
        s.pointer(&format!(
            "/metadata/annotations/{}",
            HASH_ANNOTATION.replace('/', "~1")
        ))
        .and_then(Value::as_str)
            == Some(data_hash(&data).as_str())
    });
    let failed = ready_condition(es).is_some_and(|c| c["status"] == "False");
    let changed = synced_rv != wanted_version(es);
    let due = match policy {
        "CreatedOnce" => !synced,
        _ if interval.is_zero() => !synced,
        "OnChange" => !synced || changed || !secret_ok || failed,
        _ => trigger == Trigger::Timer || !synced || changed || !secret_ok || failed,
    };
    let periodic = policy == "Periodic" && !interval.is_zero();
    if !due {
        return periodic.then_some(interval);
    }
    match fetch_and_render(ctx, es).await {
        Ok((data, secret_type, tpl_meta)) => {
            let creation = spec
                .pointer("/target/creationPolicy")
                .and_then(Value::as_str)
                .unwrap_or("Owner");
            match write_secret(
                ctx,
                es,
                target,
                creation,
                data,
                secret_type,
                tpl_meta,
                existing.as_deref(),
            ) {
                Ok(()) => {
                    set_status(
                        ctx,
                        es,
                        "True",
                        "SecretSynced",
                        "secret synced",
                        Some(target),
                    );
                    periodic.then_some(interval)
                }
                Err(e) => {
                    fail(ctx, es, &e, Some("could not update secret"));
                    Some(retry())
                }
            }
        }
        Err(e) => {
            fail(ctx, es, &e, None);
            Some(retry())
        }
    }
}

fn retry() -> Duration {
    Duration::from_secs(60)
}

fn string_map(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

type Rendered = (BTreeMap<String, String>, Option<String>, Value);

async fn fetch_and_render(ctx: &Ctx, es: &Value) -> Result<Rendered, String> {
    let spec = &es["spec"];
    let ns = es["metadata"]["namespace"].as_str().unwrap_or_default();
    let store_name = spec
        .pointer("/secretStoreRef/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let store_kind = spec
        .pointer("/secretStoreRef/kind")
        .and_then(Value::as_str)
        .unwrap_or("SecretStore");
    let (plural, store_ns) = if store_kind == "ClusterSecretStore" {
        ("clustersecretstores", "")
    } else {
        ("secretstores", ns)
    };
    let rt = ctx
        .store
        .resource(ESO, plural)
        .map_err(|e| e.message)?
        .clone();
    let store_obj = ctx
        .store
        .get(&rt, store_ns, store_name)
        .map_err(|_| format!("could not get {store_kind} {store_name:?}: {store_kind}.external-secrets.io {store_name:?} not found"))?;
    let auth = stores::validate(&ctx.store, &store_obj)
        .map_err(|e| format!("could not get provider client: {e}"))?;
    let mut values = BTreeMap::new();
    for (i, d) in spec["data"].as_array().into_iter().flatten().enumerate() {
        let key = d
            .pointer("/remoteRef/key")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let secret_key = d["secretKey"].as_str().unwrap_or_default();
        let version = d.pointer("/remoteRef/version").and_then(Value::as_str);
        let got = ctx.provider.get(&auth, key, version).await;
        let value =
            got.and_then(
                |v| match d.pointer("/remoteRef/property").and_then(Value::as_str) {
                    Some(p) if !p.is_empty() => select_property(&v, p),
                    _ => Ok(v),
                },
            );
        let value =
            value.map_err(|e| format!("error processing spec.data[{i}] (key: {key}), err: {e}"))?;
        values.insert(secret_key.to_string(), value);
    }
    for (i, df) in spec["dataFrom"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(ext) = df.get("extract") else {
            return Err(format!(
                "error processing spec.dataFrom[{i}]: only extract is supported by this provider"
            ));
        };
        let key = ext["key"].as_str().unwrap_or_default();
        let got = ctx.provider.get(&auth, key, ext["version"].as_str()).await;
        let map = got
            .and_then(|v| extract_all(&v))
            .map_err(|e| format!("error processing spec.dataFrom[{i}].extract, err: {e}"))?;
        values.extend(map);
    }
    let template = spec.pointer("/target/template");
    let mut out = values.clone();
    if let Some(Value::Object(tdata)) = template.and_then(|t| t.get("data")) {
        out = BTreeMap::new();
        for (k, tpl) in tdata {
            let s = render_template(tpl.as_str().unwrap_or_default(), &values)
                .map_err(|e| format!("could not apply template: {k}: {e}"))?;
            out.insert(k.clone(), s);
        }
        if template.and_then(|t| t["mergePolicy"].as_str()) == Some("Merge") {
            for (k, v) in values {
                out.entry(k).or_insert(v);
            }
        }
    }
    let b64 = out
        .into_iter()
        .map(|(k, v)| (k, base64::engine::general_purpose::STANDARD.encode(v)))
        .collect();
    let stype = template
        .and_then(|t| t["type"].as_str())
        .map(str::to_string);
    let tmeta = template
        .and_then(|t| t.get("metadata"))
        .cloned()
        .unwrap_or(Value::Null);
    Ok((b64, stype, tmeta))
}

#[allow(clippy::too_many_arguments)]
fn write_secret(
    ctx: &Ctx,
    es: &Value,
    target: &str,
    creation: &str,
    data: BTreeMap<String, String>,
    secret_type: Option<String>,
    tpl_meta: Value,
    existing: Option<&Value>,
) -> Result<(), String> {
    if creation == "None" {
        return Ok(());
    }
    let rt = ctx
        .store
        .resource("", "secrets")
        .map_err(|e| e.message)?
        .clone();
    let ns = es["metadata"]["namespace"].as_str().unwrap_or_default();
    let w = Writer::update(MANAGER);
    let mut merged = match (creation, existing) {
        ("Merge", Some(s)) => string_map(&s["data"]),
        ("Merge", None) => {
            return Err(format!(
                "secret {target:?} not found: creationPolicy Merge needs an existing Secret"
            ));
        }
        _ => BTreeMap::new(),
    };
    merged.extend(data);
    let hash = data_hash(&merged);
    let mut labels = tpl_meta["labels"].as_object().cloned().unwrap_or_default();
    labels.insert(MANAGED_LABEL.into(), json!("true"));
    let mut annotations = tpl_meta["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    annotations.insert(HASH_ANNOTATION.into(), json!(hash));
    let mut meta =
        json!({"name": target, "namespace": ns, "labels": labels, "annotations": annotations});
    if creation == "Owner" {
        meta["ownerReferences"] = json!([{
            "apiVersion": es["apiVersion"], "kind": "ExternalSecret", "name": es["metadata"]["name"],
            "uid": es["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true,
        }]);
    }
    match existing {
        None => {
            let mut obj = json!({"metadata": meta, "data": merged});
            if let Some(t) = secret_type {
                obj["type"] = json!(t);
            }
            ctx.store.create(&rt, ns, obj, w).map_err(|e| e.message)?;
            events::record(
                &ctx.store,
                MANAGER,
                es,
                "Normal",
                "Created",
                "Created Secret",
            );
        }
        Some(cur) => {
            let same = string_map(&cur["data"]) == merged
                && cur.pointer(&format!(
                    "/metadata/annotations/{}",
                    HASH_ANNOTATION.replace('/', "~1")
                )) == Some(&json!(hash));
            if same {
                return Ok(());
            }
            let mut patch = json!({"metadata": {"labels": meta["labels"], "annotations": meta["annotations"]}, "data": merged});
            if let Some(refs) = meta.get("ownerReferences") {
                patch["metadata"]["ownerReferences"] = refs.clone();
            }
            // Keys that are no longer produced go away (Replace semantics).
            if creation != "Merge" {
                for k in string_map(&cur["data"]).keys() {
                    if patch["data"].get(k).is_none() {
                        patch["data"][k] = Value::Null;
                    }
                }
            }
            ctx.store
                .patch(&rt, ns, target, PatchKind::Merge, &patch, w, false)
                .map_err(|e| e.message)?;
            events::record(
                &ctx.store,
                MANAGER,
                es,
                "Normal",
                "Updated",
                "Updated Secret",
            );
        }
    }
    Ok(())
}

fn fail(ctx: &Ctx, es: &Value, detail: &str, summary: Option<&str>) {
    tracing::debug!(es = %es["metadata"]["name"], "sync failed");
    events::record(&ctx.store, MANAGER, es, "Warning", "UpdateFailed", detail);
    let msg = summary.unwrap_or("could not get secret data from provider");
    set_status(ctx, es, "False", "SecretSyncedError", msg, None);
}

fn set_status(
    ctx: &Ctx,
    es: &Value,
    status: &str,
    reason: &str,
    message: &str,
    synced_to: Option<&str>,
) {
    let Ok(rt) = ctx.store.resource(ESO, "externalsecrets").cloned() else {
        return;
    };
    let ns = es["metadata"]["namespace"].as_str().unwrap_or_default();
    let name = es["metadata"]["name"].as_str().unwrap_or_default();
    // Re-read: the object may have moved on since this reconcile started.
    let Ok(cur) = ctx.store.get_shared(&rt, ns, name) else {
        return;
    };
    let now = now_rfc3339();
    let prev = ready_condition(&cur);
    let transition = match prev {
        Some(p) if p["status"] == status => p["lastTransitionTime"].clone(),
        _ => json!(now),
    };
    let mut st = cur.get("status").cloned().unwrap_or_else(|| json!({}));
    st["conditions"] = json!([{"type": "Ready", "status": status, "reason": reason, "message": message, "lastTransitionTime": transition}]);
    if let Some(t) = synced_to {
        st["refreshTime"] = json!(now);
        st["syncedResourceVersion"] = json!(wanted_version(es));
        st["binding"] = json!({"name": t});
    }
    if cur.get("status") == Some(&st) {
        return;
    }
    let _ = ctx
        .store
        .update_status(&rt, ns, name, st, Writer::update(MANAGER));
}
