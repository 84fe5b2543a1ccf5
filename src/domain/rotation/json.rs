//! Edit one top-level member of a JSON object, preserving the formatting of
//! everything else: only the member's value text is replaced (by a JSON
//! string, whatever the old value's type was). Member order, whitespace,
//! escapes and other members stay byte-identical.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("the value is not a JSON object")]
    NotAnObject,
    #[error("key {0:?} is not in the JSON object")]
    Missing(String),
    #[error("key {0:?} appears {1} times in the JSON object")]
    Duplicate(String, usize),
}

struct Scan<'a> {
    b: &'a [u8],
    p: usize,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while self.p < self.b.len() && matches!(self.b[self.p], b' ' | b'\t' | b'\n' | b'\r') {
            self.p += 1;
        }
    }
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.p) == Some(&c)).then(|| self.p += 1)
    }
    /// Skip a string starting at `"`; returns its span including quotes.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.p;
        self.eat(b'"')?;
        while self.p < self.b.len() {
            match self.b[self.p] {
                b'\\' => self.p += 2,
                b'"' => {
                    self.p += 1;
                    return Some(start..self.p);
                }
                _ => self.p += 1,
            }
        }
        None
    }
    /// Skip any JSON value; returns its span.
    fn value(&mut self) -> Option<Range<usize>> {
        let start = self.p;
        match *self.b.get(self.p)? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                while self.p < self.b.len() {
                    match self.b[self.p] {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.p += 1;
                                return Some(start..self.p);
                            }
                        }
                        _ => {}
                    }
                    self.p += 1;
                }
                return None;
            }
            _ => {
                while self.p < self.b.len()
                    && !matches!(
                        self.b[self.p],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.p += 1;
                }
            }
        }
        (self.p > start).then_some(start..self.p)
    }
}

/// Each top-level member: (decoded key, span of its value text).
fn members(text: &str) -> Result<Vec<(String, Range<usize>)>, JsonError> {
    // Only a document serde accepts as an object is scanned.
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(_)) => {}
        _ => return Err(JsonError::NotAnObject),
    }
    let mut s = Scan {
        b: text.as_bytes(),
        p: 0,
    };
    let mut out = Vec::new();
    s.ws();
    s.eat(b'{').ok_or(JsonError::NotAnObject)?;
    loop {
        s.ws();
        if s.eat(b'}').is_some() {
            break;
        }
        let k = s.string().ok_or(JsonError::NotAnObject)?;
        let key: String = serde_json::from_str(&text[k]).map_err(|_| JsonError::NotAnObject)?;
        s.ws();
        s.eat(b':').ok_or(JsonError::NotAnObject)?;
        s.ws();
        let v = s.value().ok_or(JsonError::NotAnObject)?;
        out.push((key, v));
        s.ws();
        if s.eat(b',').is_none() {
            s.ws();
            s.eat(b'}').ok_or(JsonError::NotAnObject)?;
            break;
        }
    }
    Ok(out)
}

/// `text` with member `key` set to the JSON string `value`; returns the
/// new text and the span of the new value text.
pub fn set(text: &str, key: &str, value: &str) -> Result<(String, Range<usize>), JsonError> {
    let found: Vec<Range<usize>> = members(text)?
        .into_iter()
        .filter(|(k, _)| k == key)
        .map(|(_, r)| r)
        .collect();
    let span = match found.len() {
        0 => return Err(JsonError::Missing(key.to_string())),
        1 => found[0].clone(),
        n => return Err(JsonError::Duplicate(key.to_string(), n)),
    };
    let raw = serde_json::Value::String(value.to_string()).to_string();
    let mut out = String::with_capacity(text.len() + raw.len());
    out.push_str(&text[..span.start]);
    out.push_str(&raw);
    out.push_str(&text[span.end..]);
    Ok((out, span.start..span.start + raw.len()))
}

/// The member's value as text (a string's content; other types as JSON).
pub fn get(text: &str, key: &str) -> Result<String, JsonError> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => match m.get(key) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(v) => Ok(v.to_string()),
            None => Err(JsonError::Missing(key.to_string())),
        },
        _ => Err(JsonError::NotAnObject),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_member_value() {
        let doc = "{\n  \"user\" : \"app\",\n  \"password\":\"old\\\"pw\" , \"port\": 5432,\n  \"nested\": {\"password\": \"x\"}\n}\n";
        let (out, span) = set(doc, "password", "n\"ew").unwrap();
        assert_eq!(out, doc.replace("\"old\\\"pw\"", "\"n\\\"ew\""));
        assert_eq!(&out[span], "\"n\\\"ew\"");
        assert_eq!(get(&out, "password").unwrap(), "n\"ew");
        let (out, _) = set(doc, "port", "6543").unwrap();
        assert!(out.contains("\"port\": \"6543\","));
        let (out, _) = set(doc, "nested", "flat").unwrap();
        assert!(out.ends_with("\"nested\": \"flat\"\n}\n"));
    }

    #[test]
    fn refuses_what_it_cannot_edit_exactly() {
        assert_eq!(set("[1]", "a", "x").unwrap_err(), JsonError::NotAnObject);
        assert_eq!(
            set("{\"a\":1}", "b", "x").unwrap_err(),
            JsonError::Missing("b".into())
        );
        assert_eq!(
            set("{\"a\":1,\"a\":2}", "a", "x").unwrap_err(),
            JsonError::Duplicate("a".into(), 2)
        );
        assert_eq!(
            set("{\"a\":", "a", "x").unwrap_err(),
            JsonError::NotAnObject
        );
    }
}
