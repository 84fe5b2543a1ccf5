//! A ConfigMap edit, pure: one key added, changed or removed; validated as
//! the API server validates (key names, total size); the diff shown before
//! it is applied; the ConfigMap it starts from (`Loaded`) and what applying
//! it gave (`Applied`). Applying it is `ops::config_edit`'s work.

use super::ConfigMapObj;
use std::collections::BTreeMap;
use std::fmt;

/// Longest key name the API server accepts.
pub const MAX_KEY_LEN: usize = 253;
/// Largest ConfigMap (data and binaryData together) the API server accepts.
pub const MAX_TOTAL_BYTES: usize = 1024 * 1024;

/// What happens to the one key.
#[derive(Clone, PartialEq, Eq)]
pub enum EditOp {
    /// Set the key (new or existing) to this value.
    Set(String),
    Remove,
}

impl fmt::Debug for EditOp {
    // A ConfigMap value is not secret, but a pasted one might be: keep
    // values out of Debug (logs) all the same.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditOp::Set(v) => write!(f, "Set(<{} bytes>)", v.len()),
            EditOp::Remove => write!(f, "Remove"),
        }
    }
}

/// One key's edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEdit {
    pub key: String,
    pub op: EditOp,
}

/// How the edit changes the key, in words (`add`, `change`, `remove`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Add,
    Change,
    Remove,
    /// The value is already what is asked.
    NoChange,
}

impl EditKind {
    pub fn label(&self) -> &'static str {
        match self {
            EditKind::Add => "add",
            EditKind::Change => "change",
            EditKind::Remove => "remove",
            EditKind::NoChange => "no change",
        }
    }
}

/// Why an edit is refused, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the key name is empty")]
    EmptyKey,
    #[error("the key name is {0} characters long; at most 253 are allowed")]
    KeyTooLong(usize),
    #[error("the key name {0:?} is not valid: only letters, digits, '-', '_' and '.' are allowed")]
    KeyChars(String),
    #[error("the key name may not be '.' or '..'")]
    KeyDots,
    #[error("the ConfigMap would be {0} bytes; at most 1 MiB (1048576 bytes) is allowed")]
    TooLarge(usize),
    #[error("the key {0:?} does not exist")]
    NoSuchKey(String),
    #[error("the key {0:?} is in binaryData; binary values cannot be edited here")]
    BinaryKey(String),
}

/// Kubernetes' rule for ConfigMap keys: `[-._a-zA-Z0-9]+`, at most 253
/// characters, not `.` or `..`.
pub fn validate_key(key: &str) -> Result<(), EditError> {
    if key.is_empty() {
        return Err(EditError::EmptyKey);
    }
    let len = key.chars().count();
    if len > MAX_KEY_LEN {
        return Err(EditError::KeyTooLong(len));
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(EditError::KeyChars(key.to_string()));
    }
    if key == "." || key == ".." {
        return Err(EditError::KeyDots);
    }
    Ok(())
}

impl ConfigEdit {
    pub fn set(key: impl Into<String>, value: impl Into<String>) -> Self {
        ConfigEdit {
            key: key.into(),
            op: EditOp::Set(value.into()),
        }
    }

    pub fn remove(key: impl Into<String>) -> Self {
        ConfigEdit {
            key: key.into(),
            op: EditOp::Remove,
        }
    }

    /// Parse `KEY=VALUE` (the value may contain `=`).
    pub fn parse_assignment(text: &str) -> Result<Self, String> {
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| format!("expected KEY=VALUE, got {text:?}"))?;
        Ok(ConfigEdit::set(key, value))
    }

    /// The value set, if any.
    pub fn value(&self) -> Option<&str> {
        match &self.op {
            EditOp::Set(v) => Some(v),
            EditOp::Remove => None,
        }
    }

    /// Check the edit against the current data; say what it does.
    pub fn check(
        &self,
        data: &BTreeMap<String, String>,
        binary_keys: &[String],
    ) -> Result<EditKind, EditError> {
        validate_key(&self.key)?;
        if binary_keys.contains(&self.key) {
            return Err(EditError::BinaryKey(self.key.clone()));
        }
        let old = data.get(&self.key);
        let kind = match (&self.op, old) {
            (EditOp::Remove, None) => return Err(EditError::NoSuchKey(self.key.clone())),
            (EditOp::Remove, Some(_)) => EditKind::Remove,
            (EditOp::Set(_), None) => EditKind::Add,
            (EditOp::Set(v), Some(o)) if v == o => EditKind::NoChange,
            (EditOp::Set(_), Some(_)) => EditKind::Change,
        };
        let total = total_bytes(&self.apply(data));
        if total > MAX_TOTAL_BYTES {
            return Err(EditError::TooLarge(total));
        }
        Ok(kind)
    }

    /// The data after the edit.
    pub fn apply(&self, data: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut out = data.clone();
        match &self.op {
            EditOp::Set(v) => {
                out.insert(self.key.clone(), v.clone());
            }
            EditOp::Remove => {
                out.remove(&self.key);
            }
        }
        out
    }

    /// The body of a JSON merge patch carrying `resource_version`: the API
    /// server refuses it with 409 Conflict when the object has moved on.
    pub fn merge_patch(&self, resource_version: &str) -> serde_json::Value {
        let value = match &self.op {
            EditOp::Set(v) => serde_json::Value::String(v.clone()),
            EditOp::Remove => serde_json::Value::Null,
        };
        serde_json::json!({
            "metadata": {"resourceVersion": resource_version},
            "data": {self.key.clone(): value},
        })
    }
}

/// A ConfigMap as an edit starts from it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Loaded {
    pub namespace: String,
    pub name: String,
    pub data: BTreeMap<String, String>,
    pub binary_keys: Vec<String>,
    pub resource_version: String,
}

impl std::fmt::Debug for Loaded {
    // Keys and version only: values stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("keys", &self.data.keys().collect::<Vec<_>>())
            .field("binary_keys", &self.binary_keys)
            .field("resource_version", &self.resource_version)
            .finish()
    }
}

impl Loaded {
    pub fn from_obj(cm: &ConfigMapObj) -> Self {
        Loaded {
            namespace: cm.metadata.namespace().to_string(),
            name: cm.metadata.name().to_string(),
            data: cm.data.clone().into(),
            binary_keys: cm.binary_data.clone(),
            resource_version: cm
                .metadata
                .resource_version
                .as_deref()
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// `ConfigMap ns/name`, as audit records name it.
    pub fn target(&self) -> String {
        format!("ConfigMap {}/{}", self.namespace, self.name)
    }
}

/// What applying gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Written; the new resourceVersion.
    Done { resource_version: String },
    /// Someone else changed the ConfigMap since the edit started: their
    /// version, freshly read. Nothing was written.
    Conflict { theirs: Loaded },
}

/// Bytes of keys and values, as the API server counts a ConfigMap's size.
pub fn total_bytes(data: &BTreeMap<String, String>) -> usize {
    data.iter().map(|(k, v)| k.len() + v.len()).sum()
}

/// The data as `KEY: value` lines (multi-line values indented), the text
/// the diff compares.
pub fn render(data: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (k, v) in data {
        let mut lines = v.split('\n');
        out.push_str(&format!("{k}: {}\n", lines.next().unwrap_or("")));
        for l in lines {
            out.push_str(&format!("  {l}\n"));
        }
    }
    out
}

/// A unified diff of two texts (`-`/`+`/` ` lines, with hunk headers).
pub fn diff_text(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(old_name, new_name)
        .to_string()
}

/// The diff of a ConfigMap's data before and after `edit`.
pub fn data_diff(data: &BTreeMap<String, String>, edit: &ConfigEdit) -> String {
    diff_text(&render(data), &render(&edit.apply(data)), "live", "edited")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> BTreeMap<String, String> {
        [("PORT", "8080"), ("BE_VERSION", "v2.0.3")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn key_names_follow_kubernetes() {
        assert!(validate_key("spring.profiles-active_1").is_ok());
        assert_eq!(validate_key(""), Err(EditError::EmptyKey));
        assert!(matches!(validate_key("a b"), Err(EditError::KeyChars(_))));
        assert!(matches!(validate_key("a/b"), Err(EditError::KeyChars(_))));
        assert_eq!(validate_key(".."), Err(EditError::KeyDots));
        assert!(validate_key(&"k".repeat(253)).is_ok());
        assert_eq!(
            validate_key(&"k".repeat(254)),
            Err(EditError::KeyTooLong(254))
        );
    }

    #[test]
    fn kinds_and_size() {
        let d = data();
        assert_eq!(
            ConfigEdit::set("PORT", "9090").check(&d, &[]),
            Ok(EditKind::Change)
        );
        assert_eq!(
            ConfigEdit::set("NEW", "x").check(&d, &[]),
            Ok(EditKind::Add)
        );
        assert_eq!(
            ConfigEdit::set("PORT", "8080").check(&d, &[]),
            Ok(EditKind::NoChange)
        );
        assert_eq!(
            ConfigEdit::remove("PORT").check(&d, &[]),
            Ok(EditKind::Remove)
        );
        assert!(matches!(
            ConfigEdit::remove("NOPE").check(&d, &[]),
            Err(EditError::NoSuchKey(_))
        ));
        let big = ConfigEdit::set("BIG", "x".repeat(MAX_TOTAL_BYTES));
        let e = big.check(&d, &[]).unwrap_err();
        assert!(e.to_string().contains("at most 1 MiB"), "{e}");
        assert!(matches!(
            ConfigEdit::set("bin", "x").check(&d, &["bin".into()]),
            Err(EditError::BinaryKey(_))
        ));
    }

    #[test]
    fn diff_shows_exactly_the_change() {
        let diff = data_diff(&data(), &ConfigEdit::set("PORT", "9090"));
        let changed: Vec<&str> = diff
            .lines()
            .filter(|l| {
                (l.starts_with('-') || l.starts_with('+'))
                    && !l.starts_with("---")
                    && !l.starts_with("+++")
            })
            .collect();
        assert_eq!(changed, vec!["-PORT: 8080", "+PORT: 9090"]);
    }

    #[test]
    fn merge_patch_carries_the_resource_version() {
        let p = ConfigEdit::remove("PORT").merge_patch("42");
        assert_eq!(p["metadata"]["resourceVersion"], "42");
        assert!(p["data"]["PORT"].is_null());
        assert_eq!(
            ConfigEdit::parse_assignment("A=b=c").unwrap(),
            ConfigEdit::set("A", "b=c")
        );
        assert!(format!("{:?}", ConfigEdit::set("A", "hidden")).contains("<6 bytes>"));
    }
}
