//! Turning fetched provider values into the target Secret's data: the
//! `target.template.data` rendering (`{{ .key }}`) and the data hash.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Render one template string: `{{ .name }}` (optionally `| toString`)
/// is replaced by the fetched value of `name`. An unknown name is an error,
/// as in ESO's Go templates with `missingkey=error`.
pub fn render_template(tpl: &str, values: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(tpl.len());
    let mut rest = tpl;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "template: unclosed action".to_string())?;
        let expr = after[..end]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let expr = expr.split('|').next().unwrap_or("").trim();
        let name = expr
            .strip_prefix('.')
            .ok_or_else(|| format!("template: unsupported expression {expr:?}"))?;
        let v = values
            .get(name)
            .ok_or_else(|| format!("template: map has no entry for key {name:?}"))?;
        out.push_str(v);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Select `property` from a JSON secret value (dotted path, as ESO's gjson
/// does for simple paths).
pub fn select_property(value: &str, property: &str) -> Result<String, String> {
    let json: serde_json::Value = serde_json::from_str(value)
        .map_err(|_| format!("property {property:?}: the secret value is not a JSON object"))?;
    let mut cur = &json;
    for part in property.split('.') {
        cur = cur
            .get(part)
            .ok_or_else(|| format!("key {property:?} does not exist in secret"))?;
    }
    Ok(match cur {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// Every top-level key of a JSON object value (`dataFrom.extract`).
pub fn extract_all(value: &str) -> Result<BTreeMap<String, String>, String> {
    let json: serde_json::Value = serde_json::from_str(value)
        .map_err(|_| "unable to unmarshal secret: the value is not a JSON object".to_string())?;
    let obj = json
        .as_object()
        .ok_or_else(|| "unable to unmarshal secret: the value is not a JSON object".to_string())?;
    Ok(obj
        .iter()
        .map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), s)
        })
        .collect())
}

/// The `reconcile.external-secrets.io/data-hash` of a Secret's data
/// (base64 strings as stored): changes exactly when the data changes.
pub fn data_hash(data: &BTreeMap<String, String>) -> String {
    let mut h = Sha256::new();
    for (k, v) in data {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(v.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..16])
}

/// A short stable hash of anything serialisable (labels + annotations).
pub fn short_hash(s: &str) -> String {
    hex::encode(&Sha256::digest(s.as_bytes())[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals() -> BTreeMap<String, String> {
        BTreeMap::from([("file".to_string(), "a=1\nb=2\n".to_string())])
    }

    #[test]
    fn renders_dot_keys() {
        assert_eq!(
            render_template("{{ .file }}", &vals()).unwrap(),
            "a=1\nb=2\n"
        );
        assert_eq!(
            render_template("x={{ .file | toString }}!", &vals()).unwrap(),
            "x=a=1\nb=2\n!"
        );
        assert!(
            render_template("{{ .nope }}", &vals())
                .unwrap_err()
                .contains("nope")
        );
        assert!(render_template("{{ .file", &vals()).is_err());
    }

    #[test]
    fn json_properties() {
        let v = r#"{"username":"u","db":{"port":5432}}"#;
        assert_eq!(select_property(v, "username").unwrap(), "u");
        assert_eq!(select_property(v, "db.port").unwrap(), "5432");
        assert!(select_property(v, "password").is_err());
        assert!(select_property("plain", "x").is_err());
        assert_eq!(extract_all(v).unwrap()["username"], "u");
    }

    #[test]
    fn hash_tracks_data() {
        let a = data_hash(&vals());
        let mut other = vals();
        other.insert("file".into(), "a=2".into());
        assert_ne!(a, data_hash(&other));
        assert_eq!(a, data_hash(&vals()));
    }
}
