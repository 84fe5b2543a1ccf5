//! Layers that point one way. Every path in the code of `src/domain`,
//! `src/state`, `src/ops` and `src/backend` (use trees, expressions, types,
//! attributes, macro calls; not comments or string literals) is resolved —
//! `crate::`, `self::`, `super::super::`, `$crate::`, `::extern`, local
//! `use` aliases, inline `mod` blocks — and checked against what its layer
//! may reach:
//!
//! - `domain/`: no `backend`, `ops`, `state`, `view`, `sim`; no kube,
//!   k8s-openapi, AWS, tokio or ratatui.
//! - `state/`: no `backend`, `ops`, `sim`; no kube, k8s-openapi, AWS,
//!   tokio or ratatui.
//! - `ops/`: no `state` (no `Msg`, no `Cmd`), no `backend::exec`, no
//!   subcommand (`status`, `cli*`, `console`), no `sim`.
//! - `backend/`: only `backend/exec/` calls `ops`; no subcommand, no `sim`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// External crates `domain/` and `state/` must not use (a trailing `*`
/// is a prefix).
const IO_CRATES: &[&str] = &[
    "kube",
    "kube_*",
    "k8s_openapi",
    "aws_*",
    "tokio",
    "tokio_*",
    "ratatui",
];

/// What a layer must not reach.
struct Rule {
    /// Crate paths (`["backend", "exec"]` = `crate::backend::exec...`); a
    /// trailing `*` on the first segment is a prefix.
    modules: &'static [&'static [&'static str]],
    crates: &'static [&'static str],
}

const DOMAIN: Rule = Rule {
    modules: &[&["backend"], &["ops"], &["state"], &["view"], &["sim"]],
    crates: IO_CRATES,
};
const STATE: Rule = Rule {
    modules: &[&["backend"], &["ops"], &["sim"]],
    crates: IO_CRATES,
};
const OPS: Rule = Rule {
    modules: &[
        &["state"],
        &["backend", "exec"],
        &["status"],
        &["cli*"],
        &["console"],
        &["sim"],
    ],
    crates: &[],
};
const BACKEND: Rule = Rule {
    modules: &[&["ops"], &["status"], &["cli*"], &["console"], &["sim"]],
    crates: &[],
};
const BACKEND_EXEC: Rule = Rule {
    modules: &[&["status"], &["cli*"], &["console"], &["sim"]],
    crates: &[],
};

#[test]
fn layers_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut scanned = BTreeMap::new();
    for (dir, rule) in [
        ("domain", &DOMAIN),
        ("state", &STATE),
        ("ops", &OPS),
        ("backend", &BACKEND),
    ] {
        let files = rust_files(&src.join(dir));
        scanned.insert(dir, files.len());
        for file in files {
            let rel = file.strip_prefix(&src).unwrap().to_path_buf();
            let rule = if rel.starts_with("backend/exec") {
                &BACKEND_EXEC
            } else {
                rule
            };
            let text = std::fs::read_to_string(&file).unwrap();
            for v in violations(&text, &module_of(&rel), rule) {
                problems.push(format!("src/{}:{}: {}", rel.display(), v.line, v.what));
            }
        }
    }
    for (dir, n) in &scanned {
        assert!(
            *n >= 3,
            "src/{dir}: only {n} files found: is the test looking in the right place?"
        );
    }
    assert!(
        problems.is_empty(),
        "imports against the layering (see the module docs of src/domain, src/state, src/ops, src/backend):\n{}",
        problems.join("\n")
    );
}

/// The directories come from the environment in one place (`main.rs`
/// calls `Paths::from_env`); everything else is handed a `Paths`. And no
/// test changes its own process's environment: tests run in parallel in
/// one binary.
#[test]
fn directories_are_read_from_the_environment_only_in_main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for (dir, banned, allowed) in [
        (
            "src",
            &["from_env"][..],
            &["main.rs", "settings/dirs.rs"][..],
        ),
        ("tests/it", &["set_var", "remove_var"][..], &[][..]),
    ] {
        let base = root.join(dir);
        let files = rust_files(&base);
        assert!(files.len() >= 10, "{dir}: only {} files", files.len());
        for file in files {
            let rel = file.strip_prefix(&base).unwrap();
            if allowed.iter().any(|a| rel == Path::new(a)) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for t in lex(&text) {
                if banned.contains(&t.text.as_str()) {
                    problems.push(format!("{dir}/{}:{}: {}", rel.display(), t.line, t.text));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `domain/rotation/plan.rs` -> `["domain", "rotation", "plan"]`;
/// `domain/mod.rs` -> `["domain"]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

// ---------------------------------------------------------------------------
// Lexing: identifiers and the punctuation paths are made of, with comments,
// string, char and number literals dropped.

#[derive(Debug, Clone, PartialEq)]
struct Tok {
    text: String,
    line: usize,
}

fn lex(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let ident_start = |ch: char| ch.is_alphabetic() || ch == '_';
    let ident_char = |ch: char| ch.is_alphanumeric() || ch == '_';
    // Skip a quoted literal starting at the opening quote `c[j]`; returns
    // the index after the closing quote.
    let skip_quoted = |mut j: usize, line: &mut usize, escapes: bool| -> usize {
        let quote = c[j];
        j += 1;
        while j < c.len() && c[j] != quote {
            if c[j] == '\n' {
                *line += 1;
            }
            j += if escapes && c[j] == '\\' { 2 } else { 1 };
        }
        j + 1
    };
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_quoted(i, &mut line, true);
        } else if ch == '\'' {
            if next == Some('\\') {
                i = skip_quoted(i, &mut line, true);
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1; // a lifetime or label: its name lexes as an identifier
            }
        } else if ch.is_ascii_digit() {
            while i < c.len()
                && (ident_char(c[i])
                    || (c[i] == '.' && c.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
        } else if ident_start(ch) {
            let start = i;
            while i < c.len() && ident_char(c[i]) {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let at = c.get(i).copied();
            let raw_prefix = matches!(word.as_str(), "r" | "br" | "cr");
            if raw_prefix && (at == Some('"') || (at == Some('#') && raw_string_follows(&c, i))) {
                // r"..", r#".."#, br##".."##: no escapes, closed by `"` and as many `#`.
                let mut hashes = 0;
                while c[i] == '#' {
                    hashes += 1;
                    i += 1;
                }
                i += 1;
                loop {
                    if i >= c.len() {
                        break;
                    }
                    if c[i] == '\n' {
                        line += 1;
                    }
                    if c[i] == '"' && (0..hashes).all(|k| c.get(i + 1 + k) == Some(&'#')) {
                        i += 1 + hashes;
                        break;
                    }
                    i += 1;
                }
            } else if word == "r" && at == Some('#') {
                // r#ident: a raw identifier.
                i += 1;
                let s = i;
                while i < c.len() && ident_char(c[i]) {
                    i += 1;
                }
                out.push(Tok {
                    text: c[s..i].iter().collect(),
                    line,
                });
            } else if (matches!(word.as_str(), "b" | "c") && at == Some('"'))
                || (word == "b" && at == Some('\''))
            {
                // b"..", c"..", b'.'
                i = skip_quoted(i, &mut line, true);
            } else {
                out.push(Tok { text: word, line });
            }
        } else if ch == ':' && next == Some(':') {
            out.push(Tok {
                text: "::".into(),
                line,
            });
            i += 2;
        } else if ch == '$'
            && c.get(i + 1..i + 6)
                .is_some_and(|w| w.iter().collect::<String>() == "crate")
        {
            out.push(Tok {
                text: "crate".into(),
                line,
            });
            i += 6;
        } else {
            out.push(Tok {
                text: ch.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

/// After `r` at `c[i] == '#'`: `#`s then `"` (a raw string, not `r#ident`).
fn raw_string_follows(c: &[char], mut i: usize) -> bool {
    while c.get(i) == Some(&'#') {
        i += 1;
    }
    c.get(i) == Some(&'"')
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|ch| ch.is_alphabetic() || ch == '_')
}

// ---------------------------------------------------------------------------
// Paths: `use` trees expanded, other paths read as written, each resolved to
// a crate path or an external crate.

#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// `crate::a::b` -> `["a", "b"]`.
    Crate(Vec<String>),
    /// An external crate, by name.
    Extern(String),
}

#[derive(Debug, PartialEq)]
struct Violation {
    line: usize,
    what: String,
}

struct Scope<'a> {
    /// The module the code is in (the file's, plus inline `mod` blocks).
    module: Vec<String>,
    /// Names brought in by `use`, and what they stand for.
    aliases: BTreeMap<String, Target>,
    /// Names whose `use` was reported already (their uses are not).
    reported: BTreeSet<String>,
    rule: &'a Rule,
    out: Vec<Violation>,
}

fn violations(src: &str, file_module: &[String], rule: &Rule) -> Vec<Violation> {
    let toks = lex(src);
    let mut scope = Scope {
        module: file_module.to_vec(),
        aliases: BTreeMap::new(),
        reported: BTreeSet::new(),
        rule,
        out: Vec::new(),
    };
    // Inline `mod name {`: the depth its block closes at.
    let mut inline: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].text.as_str();
        let prev = i.checked_sub(1).map(|p| toks[p].text.as_str());
        match t {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last() == Some(&depth) {
                    inline.pop();
                    scope.module.pop();
                }
            }
            "mod" if toks.get(i + 2).is_some_and(|t| t.text == "{") => {
                scope.module.push(toks[i + 1].text.clone());
                inline.push(depth);
                depth += 1;
                i += 3;
                continue;
            }
            "use" => {
                let end = (i..toks.len())
                    .find(|&k| toks[k].text == ";")
                    .unwrap_or(toks.len());
                let mut leaves = Vec::new();
                use_tree(&toks[i + 1..end], &mut Vec::new(), &mut leaves);
                for (path, name) in leaves {
                    let line = toks[i].line;
                    if let Some(target) = scope.resolve(&path) {
                        let bad = scope.check(&target, line, &path.join("::"));
                        if let Some(name) = name {
                            if bad {
                                scope.reported.insert(name.clone());
                            } else {
                                scope.reported.remove(&name);
                            }
                            scope.aliases.insert(name, target);
                        }
                    }
                }
                i = end + 1;
                continue;
            }
            "crate" if prev == Some("extern") => {
                if let Some(name) = toks.get(i + 1) {
                    let target = Target::Extern(name.text.clone());
                    scope.check(&target, name.line, &format!("extern crate {}", name.text));
                }
            }
            _ => {
                let starts_path = (t == "::" && !prev.is_some_and(is_ident) && prev != Some(">"))
                    || (is_ident(t)
                        && prev != Some("::")
                        && toks.get(i + 1).is_some_and(|n| n.text == "::"));
                if starts_path {
                    let mut path = Vec::new();
                    let mut k = i;
                    if t == "::" {
                        path.push("::".to_string());
                        k += 1;
                    }
                    while k < toks.len() && is_ident(&toks[k].text) {
                        path.push(toks[k].text.clone());
                        if toks.get(k + 1).is_some_and(|n| n.text == "::")
                            && toks.get(k + 2).is_some_and(|n| is_ident(&n.text))
                        {
                            k += 2;
                        } else {
                            k += 1;
                            break;
                        }
                    }
                    if !scope.reported.contains(&path[0])
                        && let Some(target) = scope.resolve(&path)
                    {
                        scope.check(&target, toks[i].line, &path.join("::"));
                    }
                    i = k.max(i + 1);
                    continue;
                }
            }
        }
        i += 1;
    }
    scope.out.dedup();
    scope.out
}

/// Expand a use tree into full paths, each with the name it binds (`None`
/// for a glob).
fn use_tree(toks: &[Tok], prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    let depth_at_start = prefix.len();
    let mut i = 0;
    if toks.first().is_some_and(|t| t.text == "::") {
        prefix.push("::".into());
        i = 1;
    }
    while i < toks.len() {
        let t = toks[i].text.as_str();
        match t {
            "{" => {
                // Split the group's items at top-level commas.
                let mut level = 0;
                let mut start = i + 1;
                let mut k = i + 1;
                while k < toks.len() {
                    match toks[k].text.as_str() {
                        "{" => level += 1,
                        "}" if level == 0 => break,
                        "}" => level -= 1,
                        "," if level == 0 => {
                            use_tree(&toks[start..k], prefix, out);
                            start = k + 1;
                        }
                        _ => {}
                    }
                    k += 1;
                }
                if start < k {
                    use_tree(&toks[start..k], prefix, out);
                }
                break;
            }
            "*" => {
                out.push((prefix.clone(), None));
                break;
            }
            "::" => {}
            _ if is_ident(t) => {
                let is_last = toks.get(i + 1).is_none_or(|n| n.text != "::");
                if is_last {
                    let mut path = prefix.clone();
                    let mut name = t.to_string();
                    if t == "self" {
                        name = prefix.last().cloned().unwrap_or_default();
                    } else {
                        path.push(t.to_string());
                    }
                    if toks.get(i + 1).is_some_and(|n| n.text == "as") {
                        name = toks.get(i + 2).map(|n| n.text.clone()).unwrap_or_default();
                    }
                    out.push((path, (name != "_").then_some(name)));
                    break;
                }
                prefix.push(t.to_string());
            }
            _ => {}
        }
        i += 1;
    }
    prefix.truncate(depth_at_start);
}

impl Scope<'_> {
    fn resolve(&self, path: &[String]) -> Option<Target> {
        let (first, rest) = path.split_first()?;
        match first.as_str() {
            "::" => rest.first().map(|c| Target::Extern(c.clone())),
            "crate" => Some(Target::Crate(rest.to_vec())),
            "self" | "super" => {
                // `self::super::super::x`: from this module, up per `super`.
                let mut module = self.module.clone();
                let mut k = usize::from(first == "self");
                while path.get(k).is_some_and(|s| s == "super") {
                    module.pop();
                    k += 1;
                }
                Some(Target::Crate([&module[..], &path[k..]].concat()))
            }
            "Self" => None,
            name => Some(match self.aliases.get(name) {
                Some(Target::Crate(p)) => Target::Crate([&p[..], rest].concat()),
                Some(Target::Extern(c)) => Target::Extern(c.clone()),
                // Not brought in by `use`: an external crate, or an item
                // of this module.
                None if matches_any(self.rule.crates, name) => Target::Extern(name.to_string()),
                None => Target::Crate([&self.module[..], path].concat()),
            }),
        }
    }

    /// Report `target` if this layer must not reach it; whether it did.
    fn check(&mut self, target: &Target, line: usize, written: &str) -> bool {
        let rule = match target {
            Target::Extern(c) => self
                .rule
                .crates
                .iter()
                .find(|p| matches_any(&[p], c))
                .map(|p| format!("the {p} crate")),
            Target::Crate(p) => self
                .rule
                .modules
                .iter()
                .find(|m| {
                    m.len() <= p.len() && m.iter().zip(p).all(|(pat, seg)| matches_any(&[pat], seg))
                })
                .map(|m| format!("crate::{}", m.join("::"))),
        };
        let bad = rule.is_some();
        if let Some(rule) = rule {
            let resolved = match target {
                Target::Crate(p) => format!("crate::{}", p.join("::")),
                Target::Extern(c) => c.clone(),
            };
            let what = if written == resolved || written.starts_with(&format!("{resolved}::")) {
                format!("`{written}`: not {rule} from here")
            } else {
                format!("`{written}` (= `{resolved}`): not {rule} from here")
            };
            self.out.push(Violation { line, what });
        }
        bad
    }
}

fn matches_any(patterns: &[&str], name: &str) -> bool {
    patterns.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => *p == name,
    })
}

// ---------------------------------------------------------------------------
// The scanner itself.

fn found(src: &str, module: &[&str], rule: &Rule) -> Vec<usize> {
    let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
    let mut lines: Vec<usize> = violations(src, &module, rule)
        .into_iter()
        .map(|v| v.line)
        .collect();
    lines.dedup();
    lines
}

#[test]
fn the_scanner_finds_every_spelling() {
    let src = r#"use crate::ops::guard;
use super::super::backend::Thing;
use crate::{domain::ObjKey, ops::rotation::{Journal, StepId}};
pub(crate) use ::tokio::sync::mpsc;
fn f() { let x = crate::backend::aws::Aws::new(); }
#[tokio::test]
async fn g() {}
fn h() { kube::Api::all(c); }
fn i() -> aws_sdk_secretsmanager::Client { todo!() }
use crate as root;
fn j() { root::ops::x(); }
fn k() { $crate::ops::y(); }
extern crate ratatui;
fn l() { self::super::super::ops::z(); }
"#;
    assert_eq!(
        found(src, &["state", "rotation"], &STATE),
        vec![1, 2, 3, 4, 5, 6, 8, 9, 11, 12, 13, 14]
    );
}

#[test]
fn the_scanner_ignores_comments_strings_and_other_layers() {
    let src = r####"//! Uses `crate::ops::guard` and tokio::spawn in prose.
/* block /* nested crate::backend:: */ still comment kube::Api */
use crate::domain::ops::guard::decide;
use std::ops::Range;
use super::ops::Thing; // domain::ops, a sibling
const A: &str = "crate::ops::x tokio::spawn";
const B: &str = r#"kube::Api "quoted" crate::backend"#;
const C: &[u8] = br##"aws_config::load "# still"##;
const D: char = '"';
fn e<'a>(x: &'a str) -> &'a str { x }
fn f() { let aws_secret = plan.aws_secret; std::ops::Deref::deref(&aws_secret); }
mod tests { use super::super::ops::outcome; }
"####;
    assert_eq!(
        found(src, &["domain", "views"], &DOMAIN),
        Vec::<usize>::new()
    );
}

#[test]
fn inline_modules_move_super() {
    // In domain/mod.rs, `mod tests { use super::super::backend; }`
    // reaches crate::backend; one `super` less stays in domain.
    let src = "mod tests {\n    use super::super::backend::x;\n    use super::ops::y;\n}\nuse self::ops::z;\n";
    assert_eq!(found(src, &["domain"], &DOMAIN), vec![2]);
}

#[test]
fn ops_may_use_backend_clients_but_not_executors_or_state() {
    let src = "use crate::backend::aws::Aws;\nuse crate::backend::exec::x;\nuse crate::state::Msg;\nfn f() { crate::status::collect(); crate::backend::snapshot::collect(); }\n";
    assert_eq!(
        found(src, &["ops", "rotation", "setup"], &OPS),
        vec![2, 3, 4]
    );
}
