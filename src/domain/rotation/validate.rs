//! Apply an edit to a secret value and validate the result: the new value
//! is non-empty, the document is at most 65,536 bytes and still parses,
//! the edited key reads back as the new value, and every other byte (other
//! keys, comments, lines) is identical to the old document.

use super::{json, properties};
use crate::domain::secret_format::SecretFormat;
use secrecy::{ExposeSecret, SecretString};

/// PutSecretValue's limit for SecretString.
pub const MAX_SECRET_BYTES: usize = 65_536;

/// What to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Replace the whole value.
    Whole,
    /// One key of a properties file or JSON object.
    Key(String),
}

impl Edit {
    pub fn label(&self) -> String {
        match self {
            Edit::Whole => "the whole value".to_string(),
            Edit::Key(k) => format!("key {k}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the new value is empty")]
    Empty,
    #[error("the new secret would be {0} bytes; Secrets Manager allows at most 65536")]
    TooLarge(usize),
    #[error("{0}")]
    Properties(#[from] properties::PropertiesError),
    #[error("{0}")]
    Json(#[from] json::JsonError),
    #[error("a plain-text secret has no keys: change the whole value")]
    NoKeys,
    #[error("the new value is the same as the current one")]
    Unchanged,
    #[error("validation failed: {0}")]
    Check(String),
}

/// The validated result (never printed: no Debug).
pub struct Edited {
    pub document: SecretString,
    /// Length in characters of the edited part, before and after.
    pub old_len: usize,
    pub new_len: usize,
}

/// Apply `edit` with `value` to `old` (of `format`) and validate.
pub fn apply_edit(
    old: &str,
    format: SecretFormat,
    edit: &Edit,
    value: &str,
) -> Result<Edited, EditError> {
    if value.is_empty() {
        return Err(EditError::Empty);
    }
    let (doc, old_part, span) = match (edit, format) {
        (Edit::Whole, _) => (value.to_string(), old.to_string(), 0..value.len()),
        (Edit::Key(_), SecretFormat::Plain) => return Err(EditError::NoKeys),
        (Edit::Key(k), SecretFormat::Properties) => {
            let before = properties::get(old, k)?;
            let (doc, span) = properties::set(old, k, value)?;
            check(
                properties::get(&doc, k).ok().as_deref() == Some(value),
                "the key does not read back",
            )?;
            let keys = |t: &str| {
                properties::entries(t)
                    .into_iter()
                    .map(|e| e.key)
                    .collect::<Vec<_>>()
            };
            check(keys(old) == keys(&doc), "the keys changed")?;
            (doc, before, span)
        }
        (Edit::Key(k), SecretFormat::Json) => {
            let before = json::get(old, k)?;
            let (doc, span) = json::set(old, k, value)?;
            let parse = |t: &str| {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(t).ok()
            };
            let (Some(mut a), Some(mut b)) = (parse(old), parse(&doc)) else {
                return Err(EditError::Check("the JSON no longer parses".into()));
            };
            check(
                b.get(k) == Some(&serde_json::Value::String(value.to_string())),
                "the key does not read back",
            )?;
            a.remove(k);
            b.remove(k);
            check(a == b, "other members changed")?;
            (doc, before, span)
        }
    };
    if doc.len() > MAX_SECRET_BYTES {
        return Err(EditError::TooLarge(doc.len()));
    }
    if doc == old {
        return Err(EditError::Unchanged);
    }
    if *edit != Edit::Whole {
        // Byte-identical outside the edited value.
        let tail = doc.len() - span.end;
        check(
            doc.as_bytes()[..span.start] == old.as_bytes()[..span.start],
            "text before the value changed",
        )?;
        check(
            old.len() >= tail && doc.as_bytes()[span.end..] == old.as_bytes()[old.len() - tail..],
            "text after the value changed",
        )?;
    }
    Ok(Edited {
        document: SecretString::from(doc),
        old_len: old_part.chars().count(),
        new_len: value.chars().count(),
    })
}

fn check(ok: bool, what: &str) -> Result<(), EditError> {
    if ok {
        Ok(())
    } else {
        Err(EditError::Check(what.to_string()))
    }
}

/// The document's text, for callers that hold an `Edited`.
pub fn expose(e: &Edited) -> &str {
    e.document.expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROPS: &str = "# c\nspring.datasource.password=eighteen-chars-old\nother=1\n";

    #[test]
    fn properties_edit_changes_one_line() {
        let e = apply_edit(
            PROPS,
            SecretFormat::Properties,
            &Edit::Key("spring.datasource.password".into()),
            "x".repeat(32).as_str(),
        )
        .unwrap();
        assert_eq!((e.old_len, e.new_len), (18, 32));
        let (old, new): (Vec<_>, Vec<_>) = (PROPS.lines().collect(), expose(&e).lines().collect());
        assert_eq!(old.len(), new.len());
        assert_eq!(old.iter().zip(&new).filter(|(a, b)| a != b).count(), 1);
    }

    #[test]
    fn failures_are_named() {
        let key = Edit::Key("spring.datasource.password".into());
        assert_eq!(
            apply_edit(PROPS, SecretFormat::Properties, &key, "").err(),
            Some(EditError::Empty)
        );
        let big = "a".repeat(MAX_SECRET_BYTES);
        assert!(matches!(
            apply_edit(PROPS, SecretFormat::Properties, &key, &big).err(),
            Some(EditError::TooLarge(_))
        ));
        assert_eq!(
            apply_edit(PROPS, SecretFormat::Properties, &key, "eighteen-chars-old").err(),
            Some(EditError::Unchanged)
        );
        assert_eq!(
            apply_edit("plain", SecretFormat::Plain, &key, "x").err(),
            Some(EditError::NoKeys)
        );
        assert!(matches!(
            apply_edit(
                PROPS,
                SecretFormat::Properties,
                &Edit::Key("nope".into()),
                "x"
            )
            .err(),
            Some(EditError::Properties(_))
        ));
        assert!(matches!(
            apply_edit("{\"a\":1}", SecretFormat::Json, &Edit::Key("b".into()), "x").err(),
            Some(EditError::Json(_))
        ));
        assert!(apply_edit(PROPS, SecretFormat::Properties, &Edit::Whole, "whole").is_ok());
    }

    #[test]
    fn json_edit_keeps_other_members() {
        let e = apply_edit(
            "{\"u\": \"a\", \"p\": \"b\"}",
            SecretFormat::Json,
            &Edit::Key("p".into()),
            "c",
        )
        .unwrap();
        assert_eq!(expose(&e), "{\"u\": \"a\", \"p\": \"c\"}");
    }
}
