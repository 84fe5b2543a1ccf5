//! What a secret value looks like (Java properties, a JSON object, or a
//! plain string) and its keys, so a masked value can still list them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretFormat {
    Properties,
    Json,
    Plain,
}

impl SecretFormat {
    pub fn label(self) -> &'static str {
        match self {
            SecretFormat::Properties => "properties",
            SecretFormat::Json => "JSON",
            SecretFormat::Plain => "plain text",
        }
    }
}

pub fn detect(value: &str) -> SecretFormat {
    if json_keys(value).is_some() {
        return SecretFormat::Json;
    }
    if !property_keys(value).is_empty() {
        return SecretFormat::Properties;
    }
    SecretFormat::Plain
}

/// Properties: keys in file order; JSON: the object's keys; plain: none.
pub fn keys(value: &str) -> Vec<String> {
    match detect(value) {
        SecretFormat::Json => json_keys(value).unwrap_or_default(),
        SecretFormat::Properties => property_keys(value),
        SecretFormat::Plain => Vec::new(),
    }
}

fn json_keys(value: &str) -> Option<Vec<String>> {
    match serde_json::from_str::<serde_json::Value>(value.trim()).ok()? {
        serde_json::Value::Object(m) => Some(m.keys().cloned().collect()),
        _ => None,
    }
}

/// `key=value` / `key: value` lines; `#` and `!` start comments. A text
/// where any non-comment line has no separator is not a properties file.
fn property_keys(value: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut continued = false;
    for raw in value.lines() {
        let line = raw.trim();
        let was_continued = continued;
        continued = line.ends_with('\\');
        if was_continued || line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some(i) = line.find(['=', ':']) else {
            return Vec::new();
        };
        let key = line[..i].trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Vec::new();
        }
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    }
    keys
}
