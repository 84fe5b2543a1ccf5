//! Request and response bodies of each operation (AWS JSON 1.1), and the
//! dispatch from `X-Amz-Target` to them.

use super::errors::SmError;
use super::listing;
use super::service::{self, SmState, duplicate_error, new_version_id, now};
use super::state::{self, PutOutcome, Secret, SecretValue};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The operations this endpoint answers.
pub const OPERATIONS: &[&str] = &[
    "CreateSecret",
    "GetSecretValue",
    "PutSecretValue",
    "UpdateSecretVersionStage",
    "DescribeSecret",
    "ListSecrets",
    "ListSecretVersionIds",
    "DeleteSecret",
];

/// Runs one operation. `identity` is the caller's access key id.
pub(crate) fn dispatch(
    state: &SmState,
    operation: &str,
    body: &Value,
    identity: &str,
) -> Result<Value, SmError> {
    if !OPERATIONS.contains(&operation) {
        return Err(SmError::unknown_operation(operation));
    }
    if let Some(code) = state.take_fault(operation) {
        let resource = body
            .get("SecretId")
            .or_else(|| body.get("Name"))
            .and_then(Value::as_str)
            .unwrap_or("*");
        return Err(SmError::injected(
            &code,
            operation,
            &state.account_id,
            identity,
            resource,
        ));
    }
    let out = match operation {
        "CreateSecret" => create_secret(state, parse(body)?),
        "GetSecretValue" => get_secret_value(state, parse(body)?),
        "PutSecretValue" => put_secret_value(state, parse(body)?),
        "UpdateSecretVersionStage" => update_stage(state, parse(body)?),
        "DescribeSecret" => listing::describe_secret(state, parse(body)?),
        "ListSecrets" => listing::list_secrets(state, parse(body)?),
        "ListSecretVersionIds" => listing::list_version_ids(state, parse(body)?),
        "DeleteSecret" => delete_secret(state, parse(body)?),
        _ => Err(SmError::unknown_operation(operation)),
    }?;
    Ok(strip_nulls(out))
}

pub(crate) fn parse<T: DeserializeOwned>(body: &Value) -> Result<T, SmError> {
    serde_json::from_value(body.clone())
        .map_err(|e| SmError::serialization(format!("Malformed request body: {}", redact(&e))))
}

/// serde messages may quote the offending input; keep only the position-free
/// category so no value leaks.
fn redact(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => "a member has the wrong type",
        Category::Syntax | Category::Eof => "not valid JSON",
        Category::Io => "unreadable",
    }
}

pub(crate) fn required<'a>(v: &'a Option<String>, member: &str) -> Result<&'a str, SmError> {
    v.as_deref().ok_or_else(|| {
        SmError::new(
            "ValidationException",
            format!("1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"),
            400,
        )
    })
}

/// Removes `null` members recursively: the service omits absent members.
fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TagIn {
    pub key: Option<String>,
    pub value: Option<String>,
}

/// The value of a create/put request: string or binary, never both.
fn value_of(
    string: Option<String>,
    binary: Option<String>,
) -> Result<Option<SecretValue>, SmError> {
    let value = match (string, binary) {
        (Some(_), Some(_)) => {
            return Err(SmError::invalid_parameter(
                "You can't specify both a binary secret value and a string secret value in the same secret.",
            ));
        }
        (Some(s), None) => Some(SecretValue::String(s)),
        (None, Some(b)) => Some(SecretValue::Binary(
            B64.decode(b.as_bytes())
                .map_err(|_| SmError::serialization("SecretBinary is not valid base64"))?,
        )),
        (None, None) => None,
    };
    if let Some(v) = &value {
        v.validate()?;
    }
    Ok(value)
}

fn token_or_new(token: Option<String>) -> Result<String, SmError> {
    match token {
        Some(t) => {
            state::validate_token(&t)?;
            Ok(t)
        }
        None => Ok(new_version_id()),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateSecretIn {
    name: Option<String>,
    secret_string: Option<String>,
    secret_binary: Option<String>,
    description: Option<String>,
    kms_key_id: Option<String>,
    tags: Option<Vec<TagIn>>,
    client_request_token: Option<String>,
}

fn create_secret(state: &SmState, req: CreateSecretIn) -> Result<Value, SmError> {
    let name = required(&req.name, "name")?.to_string();
    state::validate_name(&name)?;
    let value = value_of(req.secret_string, req.secret_binary)?;
    let token = token_or_new(req.client_request_token)?;
    if req.description.as_ref().is_some_and(|d| d.len() > 2048) {
        return Err(SmError::validation(
            "description",
            "Member must have length less than or equal to 2048",
        ));
    }
    let mut inner = state.lock();
    if let Some(existing) = inner.secrets.get(&name) {
        if existing.deleted.is_none()
            && let (Some(v), Some(value)) = (existing.version(&token), &value)
        {
            if &v.value == value {
                tracing::debug!(operation = "CreateSecret", secret = %name, outcome = "unchanged");
                return Ok(json!({"ARN": existing.arn, "Name": existing.name, "VersionId": v.id}));
            }
            return Err(SmError::resource_exists(format!(
                "You can't use ClientRequestToken {token} because that value is already in use for a version of secret {}.",
                existing.arn
            )));
        }
        return Err(duplicate_error(existing));
    }
    let now = now();
    let seq = inner.next_seq();
    let mut secret = Secret::new(state.new_arn(&name), name.clone(), now, seq);
    secret.description = req.description;
    secret.kms_key_id = req.kms_key_id;
    secret.tags = tags_of(req.tags.unwrap_or_default());
    let version_id = match value {
        Some(v) => {
            secret.put_version(&token, v, None, now)?;
            Some(token)
        }
        None => None,
    };
    let out = json!({"ARN": secret.arn, "Name": secret.name, "VersionId": version_id});
    inner.secrets.insert(name, secret);
    Ok(out)
}

pub(crate) fn tags_of(tags: Vec<TagIn>) -> Vec<(String, String)> {
    tags.into_iter()
        .map(|t| (t.key.unwrap_or_default(), t.value.unwrap_or_default()))
        .collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetSecretValueIn {
    secret_id: Option<String>,
    version_id: Option<String>,
    version_stage: Option<String>,
}

fn get_secret_value(state: &SmState, req: GetSecretValueIn) -> Result<Value, SmError> {
    let id = required(&req.secret_id, "secretId")?;
    state.with_secret(id, |s| {
        s.ensure_not_deleted()?;
        let v = s
            .select_version(req.version_id.as_deref(), req.version_stage.as_deref())?
            .clone();
        s.touch(&v.id, now());
        let (string, binary) = match &v.value {
            SecretValue::String(x) => (Some(x.clone()), None),
            SecretValue::Binary(b) => (None, Some(B64.encode(b))),
        };
        Ok(json!({
            "ARN": s.arn, "Name": s.name, "VersionId": v.id,
            "SecretString": string, "SecretBinary": binary,
            "VersionStages": v.stages, "CreatedDate": v.created,
        }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutSecretValueIn {
    secret_id: Option<String>,
    client_request_token: Option<String>,
    secret_string: Option<String>,
    secret_binary: Option<String>,
    version_stages: Option<Vec<String>>,
}

fn put_secret_value(state: &SmState, req: PutSecretValueIn) -> Result<Value, SmError> {
    let id = required(&req.secret_id, "secretId")?;
    let value = value_of(req.secret_string, req.secret_binary)?.ok_or_else(|| {
        SmError::invalid_request("You must provide either SecretString or SecretBinary.")
    })?;
    let token = token_or_new(req.client_request_token)?;
    state.with_secret(id, |s| {
        s.ensure_not_deleted()?;
        let outcome = s.put_version(&token, value, req.version_stages, now())?;
        if outcome == PutOutcome::Unchanged {
            tracing::debug!(operation = "PutSecretValue", secret = %s.name, outcome = "unchanged");
        }
        let stages = s
            .version(&token)
            .map(|v| v.stages.clone())
            .unwrap_or_default();
        Ok(json!({"ARN": s.arn, "Name": s.name, "VersionId": token, "VersionStages": stages}))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateStageIn {
    secret_id: Option<String>,
    version_stage: Option<String>,
    remove_from_version_id: Option<String>,
    move_to_version_id: Option<String>,
}

fn update_stage(state: &SmState, req: UpdateStageIn) -> Result<Value, SmError> {
    let id = required(&req.secret_id, "secretId")?;
    let stage = required(&req.version_stage, "versionStage")?;
    state.with_secret(id, |s| {
        s.ensure_not_deleted()?;
        s.update_stage(
            stage,
            req.remove_from_version_id.as_deref(),
            req.move_to_version_id.as_deref(),
            now(),
        )?;
        Ok(json!({"ARN": s.arn, "Name": s.name}))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteSecretIn {
    secret_id: Option<String>,
    recovery_window_in_days: Option<i64>,
    force_delete_without_recovery: Option<bool>,
}

fn delete_secret(state: &SmState, req: DeleteSecretIn) -> Result<Value, SmError> {
    let id = required(&req.secret_id, "secretId")?;
    let force = req.force_delete_without_recovery.unwrap_or(false);
    if force && req.recovery_window_in_days.is_some() {
        return Err(SmError::invalid_parameter(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        ));
    }
    let days = req.recovery_window_in_days.unwrap_or(30);
    if !(7..=30).contains(&days) {
        return Err(SmError::invalid_parameter(
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
        ));
    }
    let mut inner = state.lock();
    let key = inner
        .find_key(id, &state.arn_prefix())
        .ok_or_else(SmError::secret_not_found)?;
    let now = service::now();
    if force {
        let s = inner
            .secrets
            .remove(&key)
            .ok_or_else(SmError::secret_not_found)?;
        return Ok(json!({"ARN": s.arn, "Name": s.name, "DeletionDate": now}));
    }
    let s = inner
        .secrets
        .get_mut(&key)
        .ok_or_else(SmError::secret_not_found)?;
    s.ensure_not_deleted()?;
    s.deleted = Some(now);
    let deletion = now + (days as f64) * 86_400.0;
    Ok(json!({"ARN": s.arn, "Name": s.name, "DeletionDate": deletion}))
}
