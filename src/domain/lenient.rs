//! Deserializers that turn a malformed field into `None` / empty instead of
//! failing the whole object: a cluster may hold objects written by older or
//! newer controllers, and one odd field must not hide the object.

use serde::{Deserialize, Deserializer, de::DeserializeOwned};

/// `Option<T>`: absent, null or of the wrong shape -> `None`.
pub fn opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(v).ok())
}

/// `Vec<T>`: absent, null or not a list -> empty; malformed items are dropped.
pub fn vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Array(items) => {
            let mut out: Vec<T> = items
                .into_iter()
                .filter_map(|i| serde_json::from_value(i).ok())
                .collect();
            // Collected in place, a list keeps the capacity of the parsed
            // one; kept for long, it should hold only its items.
            out.shrink_to_fit();
            out
        }
        _ => Vec::new(),
    })
}

/// A string-keyed map of strings (a `BTreeMap` or a `StrMap`); anything
/// else is dropped.
pub fn string_map<'de, D, M>(d: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: FromIterator<(String, String)> + Default,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Object(m) => m
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                _ => None,
            })
            .collect(),
        _ => Default::default(),
    })
}

/// A string; numbers and booleans are shown as text, anything else -> `None`.
pub fn text<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => Some(s.into()),
        serde_json::Value::Number(n) => Some(n.to_string().into()),
        serde_json::Value::Bool(b) => Some(b.to_string().into()),
        _ => None,
    })
}

/// Any `T: Default`: absent, null or of the wrong shape -> `T::default()`.
pub fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let v = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}
