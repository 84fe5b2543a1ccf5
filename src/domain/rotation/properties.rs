//! Edit one key of a Java properties file, preserving every other byte:
//! comments, blank lines, order, separators (`=`, `:`, whitespace), line
//! endings (LF, CRLF, CR) and continuation lines of other entries.
//!
//! A key that appears more than once is refused (Java keeps the last one,
//! Spring the same; silently editing one of them would be a trap).

use std::ops::Range;

/// One logical entry: where its value sits in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// Byte range of the raw (escaped) value, up to the line terminator of
    /// the logical line's last physical line.
    pub value: Range<usize>,
    /// Byte range of the whole logical line (without its final terminator).
    pub line: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PropertiesError {
    #[error("key {0:?} is not in the properties file")]
    Missing(String),
    #[error("key {0:?} appears {1} times in the properties file: edit it by hand")]
    Duplicate(String, usize),
    #[error("the value is not valid in a properties file: {0}")]
    Invalid(String),
}

/// Physical lines as (start, end-without-terminator, end-with-terminator).
fn physical_lines(text: &str) -> Vec<(usize, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i, i + 1));
                i += 1;
                start = i;
            }
            b'\r' => {
                let end = if b.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                out.push((start, i, end));
                i = end;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < b.len() {
        out.push((start, b.len(), b.len()));
    }
    out
}

/// True when `s` ends in an odd number of backslashes (a continuation).
fn continues(s: &str) -> bool {
    s.bytes().rev().take_while(|&c| c == b'\\').count() % 2 == 1
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\x0c')
}

/// Every entry of the file, in order.
pub fn entries(text: &str) -> Vec<Entry> {
    let lines = physical_lines(text);
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (start, end, _) = lines[i];
        let mut last = i;
        while continues(&text[lines[last].0..lines[last].1]) && last + 1 < lines.len() {
            last += 1;
        }
        let logical_end = lines[last].1;
        i = last + 1;
        let mut p = start;
        while p < end && is_ws(b[p]) {
            p += 1;
        }
        if p >= end || b[p] == b'#' || b[p] == b'!' {
            continue;
        }
        // The key: up to an unescaped '=', ':' or whitespace.
        let key_start = p;
        while p < end && !(b[p] == b'=' || b[p] == b':' || is_ws(b[p])) {
            p += if b[p] == b'\\' { 2 } else { 1 };
        }
        let p_key_end = p.min(end);
        let key = unescape(&text[key_start..p_key_end]);
        let mut v = p_key_end;
        while v < end && is_ws(b[v]) {
            v += 1;
        }
        if v < end && (b[v] == b'=' || b[v] == b':') {
            v += 1;
            while v < end && is_ws(b[v]) {
                v += 1;
            }
        }
        out.push(Entry {
            key,
            value: v.min(logical_end)..logical_end,
            line: start..logical_end,
        });
    }
    out
}

/// A raw value or key with escapes and continuations resolved.
pub fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\x0c'),
            Some('u') => {
                let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&hex),
                }
            }
            Some('\r') | Some('\n') => {
                // A continuation: skip the terminator and leading blanks.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                while chars
                    .peek()
                    .is_some_and(|c| matches!(c, ' ' | '\t' | '\x0c'))
                {
                    chars.next();
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// `value` written so that a properties reader gives it back exactly.
pub fn escape_value(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0c' => out.push_str("\\f"),
            // Leading: a reader would take it as (part of) the separator.
            ' ' if i == 0 => out.push_str("\\ "),
            '=' | ':' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The parsed value of `key`, when it appears exactly once.
pub fn get(text: &str, key: &str) -> Result<String, PropertiesError> {
    let e = find(text, key)?;
    Ok(unescape(&text[e.value]))
}

fn find(text: &str, key: &str) -> Result<Entry, PropertiesError> {
    let mut found: Vec<Entry> = entries(text).into_iter().filter(|e| e.key == key).collect();
    match found.len() {
        0 => Err(PropertiesError::Missing(key.to_string())),
        1 => Ok(found.remove(0)),
        n => Err(PropertiesError::Duplicate(key.to_string(), n)),
    }
}

/// `text` with `key`'s value replaced by `value`; every other byte kept.
/// Returns the new text and the byte range the new raw value occupies.
pub fn set(text: &str, key: &str, value: &str) -> Result<(String, Range<usize>), PropertiesError> {
    let e = find(text, key)?;
    let raw = escape_value(value);
    let mut out = String::with_capacity(text.len() + raw.len());
    out.push_str(&text[..e.value.start]);
    out.push_str(&raw);
    let span = e.value.start..e.value.start + raw.len();
    out.push_str(&text[e.value.end..]);
    Ok((out, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# db\r\nspring.datasource.url=jdbc:x\r\n\r\n! other\r\nspring.datasource.password : old pw\r\nlist = a, \\\r\n   b\r\nlast\tv";

    #[test]
    fn a_value_starting_with_a_separator_reads_back() {
        for v in [":", "=x", ": y"] {
            let (out, _) = set("a ", "a", v).unwrap();
            assert_eq!(get(&out, "a").unwrap(), v, "{out:?}");
        }
    }

    #[test]
    fn edits_one_value_and_keeps_every_other_byte() {
        let (out, span) = set(FILE, "spring.datasource.password", "n3w=:pw").unwrap();
        assert_eq!(out, FILE.replace("password : old pw", "password : n3w=:pw"));
        assert_eq!(&out[span], "n3w=:pw");
        assert_eq!(get(&out, "spring.datasource.password").unwrap(), "n3w=:pw");
        assert_eq!(get(&out, "list").unwrap(), "a, b");
        assert_eq!(get(&out, "last").unwrap(), "v");
    }

    #[test]
    fn whitespace_separator_and_continuations() {
        let (out, _) = set(FILE, "last", "w").unwrap();
        assert!(out.ends_with("last\tw"));
        let (out, _) = set(FILE, "list", "c").unwrap();
        assert!(out.contains("list = c\r\nspring") || out.contains("list = c"));
        assert_eq!(get(&out, "list").unwrap(), "c");
        assert_eq!(get(&out, "last").unwrap(), "v");
    }

    #[test]
    fn escapes_what_would_change_meaning() {
        let (out, _) = set("k=v\n", "k", " lead\\back\nnl").unwrap();
        assert_eq!(out, "k=\\ lead\\\\back\\nnl\n");
        assert_eq!(get(&out, "k").unwrap(), " lead\\back\nnl");
    }

    #[test]
    fn duplicate_and_missing_keys_are_refused() {
        assert_eq!(
            set("a=1\na=2\n", "a", "x").unwrap_err(),
            PropertiesError::Duplicate("a".into(), 2)
        );
        assert_eq!(
            set("a=1\n", "b", "x").unwrap_err(),
            PropertiesError::Missing("b".into())
        );
        // A commented-out key does not count.
        assert!(set("#a=0\na=1\n", "a", "x").is_ok());
    }

    #[test]
    fn escaped_separator_in_key() {
        let (out, _) = set("a\\:b = 1\n", "a:b", "2").unwrap();
        assert_eq!(out, "a\\:b = 2\n");
    }
}
