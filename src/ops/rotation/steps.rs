//! Write and Sync.

use super::{OpsEnv, Report, tell};
use crate::backend::aws::words;
use crate::domain::rotation::{Reader, Sensitive, StepId, StepState};
use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

pub const HASH_ANNOTATION: &str = "reconcile.external-secrets.io/data-hash";

/// AWSCURRENT's version id.
pub async fn current_version(
    env: &OpsEnv,
    secret: &str,
    region: Option<&str>,
) -> Result<Option<String>, String> {
    let out = env
        .aws
        .sm(region)
        .await
        .get_secret_value()
        .secret_id(secret)
        .version_stage("AWSCURRENT")
        .send()
        .await
        .map_err(|e| words("GetSecretValue", &e))?;
    Ok(out.version_id().map(str::to_string))
}

/// Whether a version with this id exists (a put that happened).
pub async fn version_exists(
    env: &OpsEnv,
    secret: &str,
    region: Option<&str>,
    id: &str,
) -> Result<bool, String> {
    let out = env
        .aws
        .sm(region)
        .await
        .describe_secret()
        .secret_id(secret)
        .send()
        .await
        .map_err(|e| words("DescribeSecret", &e))?;
    Ok(out
        .version_ids_to_stages()
        .is_some_and(|m| m.contains_key(id)))
}

/// PutSecretValue with `token`, then verify AWSCURRENT is that version.
pub async fn write(
    env: &OpsEnv,
    secret: &str,
    region: Option<&str>,
    token: &str,
    doc: &Sensitive,
) -> Result<String, String> {
    let put = env
        .aws
        .sm(region)
        .await
        .put_secret_value()
        .secret_id(secret)
        .client_request_token(token)
        .secret_string(doc.expose())
        .send()
        .await;
    if let Err(e) = put {
        // Same token, same value: already written (a retry).
        if e.code() != Some("ResourceExistsException") {
            return Err(words("PutSecretValue", &e));
        }
    }
    verify_current(env, secret, region, token).await
}

/// GetSecretValue(VersionStage=AWSCURRENT) must return `want`.
pub async fn verify_current(
    env: &OpsEnv,
    secret: &str,
    region: Option<&str>,
    want: &str,
) -> Result<String, String> {
    match current_version(env, secret, region).await? {
        Some(v) if v == want => Ok(v),
        other => Err(format!(
            "AWSCURRENT of {secret} is {} instead of the expected version {want}",
            other.as_deref().unwrap_or("nothing")
        )),
    }
}

fn es_api(env: &OpsEnv, ns: &str, version: &str) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk("external-secrets.io", version, "ExternalSecret");
    Api::namespaced_with(env.kube.clone(), ns, &ApiResource::from_gvk(&gvk))
}

/// The ExternalSecret, from whichever ESO version the server serves.
async fn get_es(env: &OpsEnv, r: &Reader) -> Result<(DynamicObject, &'static str), String> {
    let mut last = String::new();
    for v in ["v1", "v1beta1"] {
        match es_api(env, &r.namespace, v).get(&r.name).await {
            Ok(o) => return Ok((o, v)),
            Err(e) => last = crate::backend::kube_words::kube_words(&e),
        }
    }
    Err(format!(
        "cannot read ExternalSecret {}/{}: {last}",
        r.namespace, r.name
    ))
}

/// The target Secret's data-hash (metadata only; no value is read).
pub async fn data_hash(env: &OpsEnv, r: &Reader) -> Option<String> {
    let api: Api<Secret> = Api::namespaced(env.kube.clone(), &r.namespace);
    let meta = api.get_metadata_opt(&r.target).await.ok()??;
    meta.metadata.annotations?.get(HASH_ANNOTATION).cloned()
}

/// Each reader's target data-hash now, keyed `ns/name`.
pub async fn hashes(env: &OpsEnv, readers: &[Reader]) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    for r in readers {
        out.insert(
            format!("{}/{}", r.namespace, r.name),
            data_hash(env, r).await,
        );
    }
    out
}

fn synced_version(es: &DynamicObject) -> Option<String> {
    es.data
        .pointer("/status/syncedResourceVersion")?
        .as_str()
        .map(str::to_string)
}

fn ready(es: &DynamicObject) -> Option<Value> {
    es.data
        .pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == "Ready")
        .cloned()
}

/// Force-sync every reader and wait until ESO has synced it again (Ready,
/// `syncedResourceVersion` past the force-sync) and, when `must_change`,
/// the target Secret's data-hash differs from `before`. A rollback whose
/// new value never reached the Secret does not change the hash.
pub async fn sync(
    env: &OpsEnv,
    readers: &[Reader],
    before: &BTreeMap<String, Option<String>>,
    must_change: bool,
    report: &Report,
) -> Result<String, String> {
    if readers.is_empty() {
        return Ok("no ExternalSecret reads this secret".to_string());
    }
    let mut versions = Vec::new();
    for r in readers {
        let (es, v) = get_es(env, r).await?;
        if let Ok(typed) = serde_json::from_value::<crate::domain::ExternalSecret>(
            serde_json::to_value(&es).unwrap_or_default(),
        ) && let Some(why) = crate::domain::views::force_sync_ignored(&typed)
        {
            return Err(format!(
                "ExternalSecret {}/{} will not sync again: {why}",
                r.namespace, r.name
            ));
        }
        let old = es
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("force-sync"))
            .cloned();
        // A failure that repeats may only bump an existing event's count.
        let failures =
            crate::ops::refresh::failure_events(&env.kube, &r.namespace, &r.name).await?;
        let mut stamp = chrono::Utc::now().timestamp();
        if old.as_deref() == Some(stamp.to_string().as_str()) {
            stamp += 1;
        }
        let patch =
            serde_json::json!({"metadata": {"annotations": {"force-sync": stamp.to_string()}}});
        es_api(env, &r.namespace, v)
            .patch(&r.name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .map_err(|e| {
                format!(
                    "cannot force-sync ExternalSecret {}/{}: {}",
                    r.namespace,
                    r.name,
                    crate::backend::kube_words::kube_words(&e)
                )
            })?;
        versions.push((ready(&es), synced_version(&es), failures));
    }
    let deadline = tokio::time::Instant::now() + env.timeout;
    let mut done = vec![false; readers.len()];
    loop {
        for (i, r) in readers.iter().enumerate() {
            if done[i] {
                continue;
            }
            let id = format!("{}/{}", r.namespace, r.name);
            let (es, _) = get_es(env, r).await?;
            let cond = ready(&es);
            let is_ready = cond.as_ref().is_some_and(|c| c["status"] == "True");
            if cond.as_ref().is_some_and(|c| c["status"] == "False") && cond != versions[i].0 {
                let c = cond.unwrap_or_default();
                return Err(format!(
                    "ExternalSecret {id}: {}: {}",
                    c["reason"].as_str().unwrap_or("not ready"),
                    c["message"].as_str().unwrap_or("")
                ));
            }
            let failed =
                crate::ops::refresh::new_failure(&env.kube, &r.namespace, &r.name, &versions[i].2)
                    .await?;
            if let Some(message) = failed {
                return Err(format!("ExternalSecret {id}: UpdateFailed: {message}"));
            }
            let hash = data_hash(env, r).await;
            let resynced = synced_version(&es) != versions[i].1;
            let changed = hash != before.get(&id).cloned().flatten();
            if is_ready && resynced && hash.is_some() && (changed || !must_change) {
                done[i] = true;
            }
        }
        let n = done.iter().filter(|d| **d).count();
        if n == readers.len() {
            return Ok(format!("{n} ExternalSecret(s) synced the new value"));
        }
        tell(
            report,
            StepId::Sync,
            StepState::Running(format!("{n}/{} synced", readers.len())),
        );
        if tokio::time::Instant::now() > deadline {
            let waiting: Vec<String> = readers
                .iter()
                .zip(&done)
                .filter(|(_, d)| !**d)
                .map(|(r, _)| format!("{}/{}", r.namespace, r.name))
                .collect();
            return Err(format!(
                "timed out after {}s waiting for {} to sync",
                env.timeout.as_secs(),
                waiting.join(", ")
            ));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// AWSCURRENT's value (for editing; kept only as a `Sensitive`).
pub async fn current_value(
    env: &OpsEnv,
    secret: &str,
    region: Option<&str>,
) -> Result<Sensitive, String> {
    let v = env.aws.value(secret, region).await?;
    Ok(Sensitive::new(v.expose()))
}
