//! SecretStore / ClusterSecretStore validation: the AWS provider config and
//! its credentials, as ESO checks them, and the store's Ready condition.

use super::provider::StoreAuth;
use crate::kube::store::{Store, Writer};
use base64::Engine as _;
use serde_json::{Value, json};

pub const MANAGER: &str = "external-secrets";

/// Credentials of the store, or why it cannot be used.
pub fn resolve_auth(store: &Store, obj: &Value) -> Result<StoreAuth, String> {
    let aws = obj
        .pointer("/spec/provider/aws")
        .ok_or("no supported provider configured: spec.provider.aws is missing")?;
    let service = aws["service"].as_str().unwrap_or("SecretsManager");
    if service != "SecretsManager" {
        return Err(format!(
            "service {service:?} is not supported by this cluster's provider (SecretsManager only)"
        ));
    }
    let region = aws["region"]
        .as_str()
        .filter(|r| !r.is_empty())
        .ok_or("invalid provider config: spec.provider.aws.region is required")?
        .to_string();
    if let Some(sr) = aws.pointer("/auth/secretRef") {
        let store_ns = obj["metadata"]["namespace"].as_str();
        let read = |which: &str, r: &Value| -> Result<String, String> {
            let name = r["name"]
                .as_str()
                .ok_or(format!("invalid provider config: {which} name is missing"))?;
            let key = r["key"]
                .as_str()
                .ok_or(format!("invalid provider config: {which} key is missing"))?;
            let ns = r["namespace"].as_str().or(store_ns).ok_or(format!(
                "invalid provider config: {which} namespace is required for a ClusterSecretStore"
            ))?;
            let rt = store.resource("", "secrets").map_err(|e| e.message)?;
            let secret = store.get(rt, ns, name).map_err(|_| {
                format!("could not fetch {which} secret: secrets {name:?} not found")
            })?;
            let b64 = secret["data"][key].as_str().ok_or(format!(
                "could not fetch {which} secret: missing key {key:?} in secret {name:?}"
            ))?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| format!("could not fetch {which} secret: key {key:?} is not valid"))?;
            Ok(String::from_utf8_lossy(&bytes).trim().to_string())
        };
        let id = read("accessKeyID", &sr["accessKeyIDSecretRef"])?;
        let secret = read("secretAccessKey", &sr["secretAccessKeySecretRef"])?;
        return Ok(StoreAuth {
            region,
            access_key_id: id,
            secret_access_key: secret,
        });
    }
    // IRSA (auth.jwt) or the controller's own identity.
    Ok(StoreAuth {
        region,
        access_key_id: "ASIASIMEXTERNALSECRETS".into(),
        secret_access_key: "irsa-web-identity".into(),
    })
}

/// Validate a store and write its `status.conditions` Ready (Valid /
/// InvalidProviderConfig). Returns the credentials when valid.
pub fn validate(store: &Store, obj: &Value) -> Result<StoreAuth, String> {
    let result = resolve_auth(store, obj);
    let (status, reason, message) = match &result {
        Ok(_) => ("True", "Valid", "store validated".to_string()),
        Err(e) => ("False", "InvalidProviderConfig", e.clone()),
    };
    let current = obj.pointer("/status/conditions/0");
    let unchanged = current.is_some_and(|c| {
        c["status"] == status && c["reason"] == reason && c["message"] == message.as_str()
    });
    if !unchanged {
        let kind = obj["kind"].as_str().unwrap_or("SecretStore");
        let plural = if kind == "ClusterSecretStore" {
            "clustersecretstores"
        } else {
            "secretstores"
        };
        if let Ok(rt) = store.resource(crate::kube::resources::ESO, plural) {
            let now = crate::kube::store::now_rfc3339();
            let st = json!({"status": {
                "capabilities": "ReadWrite",
                "conditions": [{"type": "Ready", "status": status, "reason": reason, "message": message, "lastTransitionTime": now}]
            }});
            let ns = obj["metadata"]["namespace"].as_str().unwrap_or("");
            let name = obj["metadata"]["name"].as_str().unwrap_or("");
            let _ = store.patch(
                rt,
                ns,
                name,
                crate::kube::patch::PatchKind::Merge,
                &st,
                Writer::update(MANAGER),
                true,
            );
        }
    }
    result
}
