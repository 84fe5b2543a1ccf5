//! Edit one ConfigMap key in a YAML manifest by editing the text: the
//! document is found by kind and metadata.name (multi-document files),
//! only the value's scalar text changes, and every other byte of the file
//! stays as it was. The result is parsed back to prove the edit.

use crate::domain::config_edit::{ConfigEdit, EditOp};
use std::collections::BTreeMap;

/// One document of a multi-document file: its byte range.
struct Doc {
    start: usize,
    end: usize,
}

fn split_docs(text: &str) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") || trimmed.starts_with("---#") {
            docs.push(Doc { start, end: pos });
            start = pos + line.len();
        }
        pos += line.len();
    }
    docs.push(Doc { start, end: pos });
    docs
}

/// The ConfigMap `name`'s `data` in `text`, if one document declares it.
fn declares(doc: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let v: serde_yaml::Value = serde_yaml::from_str(doc).ok()?;
    if v.get("kind")?.as_str()? != "ConfigMap" || v.get("metadata")?.get("name")?.as_str()? != name
    {
        return None;
    }
    Some(string_data(&v))
}

fn string_data(v: &serde_yaml::Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(map) = v.get("data").and_then(|d| d.as_mapping()) {
        for (k, v) in map {
            let k = k.as_str().map(str::to_string);
            let v = match v {
                serde_yaml::Value::String(s) => Some(s.clone()),
                serde_yaml::Value::Number(n) => Some(n.to_string()),
                serde_yaml::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            };
            if let (Some(k), Some(v)) = (k, v) {
                out.insert(k, v);
            }
        }
    }
    out
}

/// Whether `text` declares the ConfigMap `name` (in any document).
pub fn file_declares(text: &str, name: &str) -> bool {
    split_docs(text)
        .iter()
        .any(|d| declares(&text[d.start..d.end], name).is_some())
}

/// The value as a YAML double-quoted scalar (JSON's escaping is valid YAML).
pub fn quote(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

/// Byte length of the scalar at the start of `rest` (quoted or plain), or
/// `None` when it does not end on this line.
fn scalar_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    match bytes.first() {
        Some(b'"') => {
            let mut i = 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 2,
                    b'"' => return Some(i + 1),
                    _ => i += 1,
                }
            }
            None
        }
        Some(b'\'') => {
            let mut i = 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Some(i + 1);
                }
                i += 1;
            }
            None
        }
        Some(b'|' | b'>') | None => None,
        Some(_) => {
            let end = rest.find(" #").unwrap_or(rest.len());
            Some(rest[..end].trim_end().len())
        }
    }
}

/// Where a `key:` line's value starts, if `line` (without newline) is the
/// entry for `key` at `indent`.
fn entry_value_at(line: &str, indent: usize, key: &str) -> Option<usize> {
    let body = line.get(indent..)?;
    if line[..indent].chars().any(|c| c != ' ') || body.starts_with(' ') {
        return None;
    }
    let forms = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
    let form = forms
        .iter()
        .find(|f| body.starts_with(f.as_str()) && body[f.len()..].starts_with(':'))?;
    let after = indent + form.len() + 1;
    let spaces = line[after..].len() - line[after..].trim_start().len();
    Some(after + spaces)
}

/// Edit `key` of ConfigMap `name` in `text`; the new file text.
pub fn edit_configmap(text: &str, name: &str, edit: &ConfigEdit) -> Result<String, String> {
    let docs = split_docs(text);
    let mut found = docs
        .iter()
        .filter_map(|d| declares(&text[d.start..d.end], name).map(|data| (d, data)));
    let (doc, data) = found
        .next()
        .ok_or_else(|| format!("no document declares ConfigMap {name}"))?;
    if found.next().is_some() {
        return Err(format!("more than one document declares ConfigMap {name}"));
    }
    let expected = edit.apply(&data);
    let new_doc = edit_doc(&text[doc.start..doc.end], edit)?;
    // Prove it: the document parses and holds exactly the expected data.
    let parsed: serde_yaml::Value = serde_yaml::from_str(&new_doc)
        .map_err(|e| format!("the edited document does not parse: {e}"))?;
    if string_data(&parsed) != expected {
        return Err(format!(
            "cannot edit {} in place safely; edit the file by hand",
            edit.key
        ));
    }
    Ok(format!(
        "{}{new_doc}{}",
        &text[..doc.start],
        &text[doc.end..]
    ))
}

fn edit_doc(doc: &str, edit: &ConfigEdit) -> Result<String, String> {
    let lines: Vec<&str> = doc.split_inclusive('\n').collect();
    let data_line = lines
        .iter()
        .position(|l| {
            let t = l.trim_end();
            t == "data:" || t.starts_with("data: #") || t.starts_with("data:#")
        })
        .ok_or_else(|| "the document has no block `data:` section; edit it by hand".to_string())?;
    // The block: indented lines (and blank/comment lines) after `data:`.
    let mut block_end = data_line + 1;
    let mut indent = None;
    for (i, l) in lines.iter().enumerate().skip(data_line + 1) {
        let t = l.trim_end();
        let ind = t.len() - t.trim_start().len();
        if t.trim_start().is_empty() || t.trim_start().starts_with('#') {
            continue;
        }
        if ind == 0 {
            break;
        }
        indent.get_or_insert(ind);
        block_end = i + 1;
    }
    let indent = indent.unwrap_or(2);
    let entry = (data_line + 1..block_end).find_map(|i| {
        entry_value_at(lines[i].trim_end_matches(['\n', '\r']), indent, &edit.key).map(|v| (i, v))
    });
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let eol = if lines[data_line].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    match (&edit.op, entry) {
        (EditOp::Set(value), Some((i, at))) => {
            let line = lines[i];
            let len = scalar_len(line[at..].trim_end_matches(['\n', '\r']))
                .ok_or_else(|| format!("{} is a multi-line value; edit it by hand", edit.key))?;
            out[i] = format!("{}{}{}", &line[..at], quote(value), &line[at + len..]);
        }
        (EditOp::Set(value), None) => {
            let new = format!("{}{}: {}{eol}", " ".repeat(indent), edit.key, quote(value));
            let last = &mut out[block_end - 1];
            if !last.ends_with('\n') {
                last.push_str(eol);
            }
            out.insert(block_end, new);
        }
        (EditOp::Remove, Some((i, at))) => {
            let line = lines[i].trim_end_matches(['\n', '\r']);
            scalar_len(&line[at..])
                .filter(|_| at < line.len())
                .ok_or_else(|| format!("{} is a multi-line value; edit it by hand", edit.key))?;
            out.remove(i);
        }
        (EditOp::Remove, None) => return Err(format!("the key {} is not in the file", edit.key)),
    }
    Ok(out.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# settings\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: cm\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  PORT: \"8080\" # the port\n  'MODE': plain value\n  NOTE: |\n    two\n    lines\nimmutable: false\n";

    #[test]
    fn changes_only_the_value_text() {
        let out = edit_configmap(FILE, "cm", &ConfigEdit::set("PORT", "9090")).unwrap();
        assert_eq!(out, FILE.replace("\"8080\"", "\"9090\""));
        let out = edit_configmap(FILE, "cm", &ConfigEdit::set("MODE", "a: b")).unwrap();
        assert_eq!(out, FILE.replace("plain value", "\"a: b\""));
    }

    #[test]
    fn adds_and_removes_lines() {
        let out = edit_configmap(FILE, "cm", &ConfigEdit::set("NEW", "x")).unwrap();
        assert_eq!(
            out,
            FILE.replace("    lines\n", "    lines\n  NEW: \"x\"\n")
        );
        let out = edit_configmap(FILE, "cm", &ConfigEdit::remove("PORT")).unwrap();
        assert_eq!(out, FILE.replace("  PORT: \"8080\" # the port\n", ""));
    }

    #[test]
    fn refuses_what_it_cannot_do_in_place() {
        let e = edit_configmap(FILE, "cm", &ConfigEdit::set("NOTE", "x")).unwrap_err();
        assert!(e.contains("multi-line"), "{e}");
        let e = edit_configmap(FILE, "other", &ConfigEdit::set("PORT", "x")).unwrap_err();
        assert!(e.contains("no document declares ConfigMap other"), "{e}");
    }
}
