//! DescribeSecret, ListSecrets (filters, sorting, paging) and
//! ListSecretVersionIds.

use super::errors::SmError;
use super::ops::required;
use super::service::SmState;
use super::state::{Secret, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use serde::Deserialize;
use serde_json::{Map, Value, json};

const DEFAULT_PAGE: usize = 100;

fn tags_json(s: &Secret) -> Value {
    s.tags
        .iter()
        .map(|(k, v)| json!({"Key": k, "Value": v}))
        .collect()
}

/// Labelled versions and their stages.
fn stages_map(s: &Secret) -> Value {
    let map: Map<String, Value> = s
        .labelled_versions()
        .map(|v| (v.id.clone(), json!(v.stages)))
        .collect();
    Value::Object(map)
}

/// The metadata members shared by DescribeSecret and ListSecrets entries.
fn metadata(s: &Secret) -> Map<String, Value> {
    let r = s.rotation.as_ref();
    let v = json!({
        "ARN": s.arn, "Name": s.name, "Description": s.description,
        "KmsKeyId": s.kms_key_id,
        "RotationEnabled": r.is_some_and(|r| r.enabled),
        "RotationLambdaARN": r.map(|r| &r.lambda_arn),
        "RotationRules": r.map(|r| json!({"AutomaticallyAfterDays": r.after_days})),
        "LastRotatedDate": r.and_then(|r| r.last_rotated),
        "NextRotationDate": r.filter(|r| r.enabled).and_then(|r| r.next_rotation),
        "LastChangedDate": s.last_changed, "LastAccessedDate": s.last_accessed,
        "DeletedDate": s.deleted, "Tags": tags_json(s), "CreatedDate": s.created,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct DescribeIn {
    secret_id: Option<String>,
}

pub(crate) fn describe_secret(state: &SmState, req: DescribeIn) -> Result<Value, SmError> {
    let id = required(&req.secret_id, "secretId")?;
    state.with_secret(id, |s| {
        let mut m = metadata(s);
        m.insert("VersionIdsToStages".into(), stages_map(s));
        Ok(Value::Object(m))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct FilterIn {
    key: Option<String>,
    values: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ListSecretsIn {
    max_results: Option<i64>,
    next_token: Option<String>,
    filters: Option<Vec<FilterIn>>,
    sort_order: Option<String>,
    sort_by: Option<String>,
    include_planned_deletion: Option<bool>,
}

fn page_size(max: Option<i64>) -> Result<usize, SmError> {
    match max {
        None => Ok(DEFAULT_PAGE),
        Some(n) if n < 1 => Err(SmError::validation(
            "maxResults",
            "Member must have value greater than or equal to 1",
        )),
        Some(n) if n > 100 => Err(SmError::validation(
            "maxResults",
            "Member must have value less than or equal to 100",
        )),
        Some(n) => Ok(n as usize),
    }
}

/// Opaque page tokens: the offset of the next item and the kind of listing.
fn encode_token(kind: &str, offset: usize) -> String {
    B64URL.encode(format!("{kind}:{offset}"))
}

fn decode_token(kind: &str, token: Option<&str>) -> Result<usize, SmError> {
    let Some(token) = token else { return Ok(0) };
    let raw = B64URL
        .decode(token.as_bytes())
        .map_err(|_| SmError::invalid_next_token())?;
    let text = String::from_utf8(raw).map_err(|_| SmError::invalid_next_token())?;
    text.strip_prefix(kind)
        .and_then(|r| r.strip_prefix(':'))
        .and_then(|n| n.parse().ok())
        .ok_or_else(SmError::invalid_next_token)
}

/// One page of `items` from `offset`, and the token for the next one.
fn page<T>(items: Vec<T>, offset: usize, size: usize, kind: &str) -> (Vec<T>, Option<String>) {
    let total = items.len();
    let end = offset.saturating_add(size).min(total);
    let next = (end < total).then(|| encode_token(kind, end));
    let items = items
        .into_iter()
        .skip(offset)
        .take(end.saturating_sub(offset))
        .collect();
    (items, next)
}

pub(crate) fn list_secrets(state: &SmState, req: ListSecretsIn) -> Result<Value, SmError> {
    let size = page_size(req.max_results)?;
    let offset = decode_token("secrets", req.next_token.as_deref())?;
    let filters = parse_filters(req.filters.unwrap_or_default())?;
    let include_deleted = req.include_planned_deletion.unwrap_or(false);
    let inner = state.lock();
    let mut found: Vec<&Secret> = inner
        .secrets
        .values()
        .filter(|s| include_deleted || s.deleted.is_none())
        .filter(|s| filters.iter().all(|f| f.matches(s)))
        .collect();
    let key = |s: &Secret| match req.sort_by.as_deref() {
        Some("last-changed-date") => s.last_changed,
        Some("last-accessed-date") => s.last_accessed.unwrap_or(0.0),
        _ => s.created,
    };
    if req.sort_by.as_deref() == Some("name") {
        found.sort_by(|a, b| a.name.cmp(&b.name));
    } else {
        found.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.seq.cmp(&b.seq)));
    }
    if req.sort_order.as_deref() == Some("desc") {
        found.reverse();
    }
    let (items, next) = page(found, offset, size, "secrets");
    let list: Vec<Value> = items
        .into_iter()
        .map(|s| {
            let mut m = metadata(s);
            m.insert("SecretVersionsToStages".into(), stages_map(s));
            Value::Object(m)
        })
        .collect();
    Ok(json!({"SecretList": list, "NextToken": next}))
}

enum FilterKey {
    Name,
    Description,
    TagKey,
    TagValue,
    All,
}

struct Filter {
    key: FilterKey,
    values: Vec<String>,
}

fn parse_filters(filters: Vec<FilterIn>) -> Result<Vec<Filter>, SmError> {
    filters
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let key = match f.key.as_deref() {
                Some("name") => FilterKey::Name,
                Some("description") => FilterKey::Description,
                Some("tag-key") => FilterKey::TagKey,
                Some("tag-value") => FilterKey::TagValue,
                Some("all") => FilterKey::All,
                Some(_) => {
                    return Err(SmError::validation(
                        &format!("filters.{}.member.key", i + 1),
                        "Member must satisfy enum value set: [all, name, tag-key, description, tag-value, primary-region, owning-service]",
                    ));
                }
                None => return Err(SmError::invalid_parameter("Invalid filter key")),
            };
            Ok(Filter { key, values: f.values.unwrap_or_default() })
        })
        .collect()
}

impl Filter {
    /// Values are OR-ed; a leading `!` negates. name and tags match by
    /// case-sensitive prefix; description and all by case-insensitive word
    /// prefixes.
    fn matches(&self, s: &Secret) -> bool {
        let (fields, words): (Vec<&str>, bool) = match self.key {
            FilterKey::Name => (vec![&s.name], false),
            FilterKey::Description => (s.description.as_deref().into_iter().collect(), true),
            FilterKey::TagKey => (s.tags.iter().map(|(k, _)| k.as_str()).collect(), false),
            FilterKey::TagValue => (s.tags.iter().map(|(_, v)| v.as_str()).collect(), false),
            FilterKey::All => {
                let mut f = vec![s.name.as_str()];
                f.extend(s.description.as_deref());
                f.extend(s.tags.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]));
                (f, true)
            }
        };
        self.values
            .iter()
            .any(|value| match value.strip_prefix('!') {
                Some(neg) => !fields.iter().any(|f| field_matches(f, neg, words)),
                None => fields.iter().any(|f| field_matches(f, value, words)),
            })
    }
}

fn field_matches(field: &str, pattern: &str, words: bool) -> bool {
    if !words {
        return field.starts_with(pattern);
    }
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let wanted = split(pattern);
    let have = split(field);
    !wanted.is_empty()
        && wanted
            .iter()
            .all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ListVersionsIn {
    secret_id: Option<String>,
    max_results: Option<i64>,
    next_token: Option<String>,
    include_deprecated: Option<bool>,
}

pub(crate) fn list_version_ids(state: &SmState, req: ListVersionsIn) -> Result<Value, SmError> {
    let id = required(&req.secret_id, "secretId")?;
    let size = page_size(req.max_results)?;
    let offset = decode_token("versions", req.next_token.as_deref())?;
    let all = req.include_deprecated.unwrap_or(false);
    state.with_secret(id, |s| {
        let versions: Vec<&Version> = s
            .versions
            .iter()
            .filter(|v| all || !v.stages.is_empty())
            .collect();
        let (items, next) = page(versions, offset, size, "versions");
        let list: Vec<Value> = items
            .into_iter()
            .map(|v| {
                json!({"VersionId": v.id, "VersionStages": v.stages,
                       "CreatedDate": v.created, "LastAccessedDate": v.last_accessed})
            })
            .collect();
        Ok(json!({"Versions": list, "NextToken": next, "ARN": s.arn, "Name": s.name}))
    })
}
