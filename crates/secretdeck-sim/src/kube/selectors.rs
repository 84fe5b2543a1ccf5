//! Label and field selectors, as `?labelSelector=` and `?fieldSelector=`.

use super::ApiError;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
enum LabelReq {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FieldReq {
    Eq(String, String),
    NotEq(String, String),
}

/// A parsed label selector plus field selector; empty matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selectors {
    labels: Vec<LabelReq>,
    fields: Vec<FieldReq>,
}

impl Selectors {
    pub fn parse(label: Option<&str>, field: Option<&str>) -> Result<Self, ApiError> {
        let mut s = Selectors::default();
        if let Some(l) = label.filter(|l| !l.trim().is_empty()) {
            for part in split_top_level(l) {
                s.labels.push(parse_label_req(part.trim())?);
            }
        }
        if let Some(f) = field.filter(|f| !f.trim().is_empty()) {
            for part in f.split(',') {
                let part = part.trim();
                let req = if let Some((k, v)) = part.split_once("!=") {
                    FieldReq::NotEq(k.trim().into(), v.trim().into())
                } else if let Some((k, v)) = part.split_once("==") {
                    FieldReq::Eq(k.trim().into(), v.trim().into())
                } else if let Some((k, v)) = part.split_once('=') {
                    FieldReq::Eq(k.trim().into(), v.trim().into())
                } else {
                    return Err(ApiError::bad_request(format!(
                        "invalid field selector: {part:?}"
                    )));
                };
                s.fields.push(req);
            }
        }
        Ok(s)
    }

    pub fn matches(&self, obj: &Value) -> bool {
        let labels = obj.pointer("/metadata/labels");
        let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        let labels_ok = self.labels.iter().all(|r| match r {
            LabelReq::Eq(k, v) => label(k) == Some(v.as_str()),
            LabelReq::NotEq(k, v) => label(k) != Some(v.as_str()),
            LabelReq::In(k, vs) => label(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            LabelReq::NotIn(k, vs) => !label(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            LabelReq::Exists(k) => label(k).is_some(),
            LabelReq::NotExists(k) => label(k).is_none(),
        });
        labels_ok
            && self.fields.iter().all(|r| match r {
                FieldReq::Eq(k, v) => field_value(obj, k) == *v,
                FieldReq::NotEq(k, v) => field_value(obj, k) != *v,
            })
    }
}

/// A field path such as `metadata.name` or `involvedObject.uid`, as a string.
fn field_value(obj: &Value, path: &str) -> String {
    let ptr = format!("/{}", path.replace('.', "/"));
    match obj.pointer(&ptr) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Split on commas that are not inside `( … )`.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_label_req(part: &str) -> Result<LabelReq, ApiError> {
    let bad = || ApiError::bad_request(format!("unable to parse requirement: {part:?}"));
    if let Some(k) = part.strip_prefix('!') {
        return Ok(LabelReq::NotExists(k.trim().into()));
    }
    for (op, notin) in [(" notin ", true), (" in ", false)] {
        if let Some((k, rest)) = part.split_once(op) {
            let rest = rest.trim();
            let inner = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .ok_or_else(bad)?;
            let vals = inner.split(',').map(|v| v.trim().to_string()).collect();
            let k = k.trim().to_string();
            return Ok(if notin {
                LabelReq::NotIn(k, vals)
            } else {
                LabelReq::In(k, vals)
            });
        }
    }
    if let Some((k, v)) = part.split_once("!=") {
        return Ok(LabelReq::NotEq(k.trim().into(), v.trim().into()));
    }
    if let Some((k, v)) = part.split_once("==") {
        return Ok(LabelReq::Eq(k.trim().into(), v.trim().into()));
    }
    if let Some((k, v)) = part.split_once('=') {
        return Ok(LabelReq::Eq(k.trim().into(), v.trim().into()));
    }
    if part.is_empty() || part.contains(' ') {
        return Err(bad());
    }
    Ok(LabelReq::Exists(part.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj() -> Value {
        json!({"metadata": {"name": "a", "namespace": "ns1", "labels": {"app": "web", "tier": "fe"}}})
    }

    #[test]
    fn label_operators() {
        let o = obj();
        let m = |l: &str| Selectors::parse(Some(l), None).unwrap().matches(&o);
        assert!(m("app=web"));
        assert!(m("app==web,tier"));
        assert!(!m("app!=web"));
        assert!(m("app in (api, web)"));
        assert!(!m("app notin (web)"));
        assert!(m("!missing"));
        assert!(!m("missing"));
        assert!(!m("app=web,tier=be"));
    }

    #[test]
    fn field_selectors_on_metadata() {
        let o = obj();
        let m = |f: &str| Selectors::parse(None, Some(f)).unwrap().matches(&o);
        assert!(m("metadata.name=a"));
        assert!(m("metadata.namespace=ns1,metadata.name!=b"));
        assert!(!m("metadata.name=b"));
    }

    #[test]
    fn malformed_selectors_are_bad_requests() {
        assert_eq!(
            Selectors::parse(Some("a in x"), None).unwrap_err().code,
            400
        );
        assert_eq!(
            Selectors::parse(None, Some("nonsense")).unwrap_err().code,
            400
        );
    }
}
