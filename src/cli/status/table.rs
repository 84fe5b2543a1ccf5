//! `status -o table`: the apps table in plain text (no colour: words only),
//! then ExternalSecrets that belong to no app and watches that are not live.

use super::report::StatusReport;
use std::fmt::Write as _;

const HEADER: [&str; 7] = [
    "APP",
    "NAMESPACE",
    "SYNC",
    "HEALTH",
    "SECRETS",
    "STALE PODS",
    "PROBLEMS",
];

pub fn render(r: &StatusReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "context: {}  server: {}", r.context, r.server);
    let rows: Vec<Vec<String>> = r
        .apps
        .iter()
        .map(|a| {
            let ready = a
                .external_secrets
                .iter()
                .filter(|e| e.ready == Some(true))
                .count();
            let problems = if a.problems.is_empty() {
                "-".to_string()
            } else {
                a.problems.join("; ")
            };
            vec![
                a.name.clone(),
                a.namespace.clone(),
                a.sync.clone(),
                a.health.clone(),
                format!("{ready}/{}", a.external_secrets.len()),
                a.stale_pods.len().to_string(),
                problems,
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str("No Argo CD Applications\n");
    } else {
        columns(&mut out, &HEADER, &rows);
    }
    if !r.unowned_external_secrets.is_empty() {
        out.push_str("\nExternalSecrets that belong to no app:\n");
        let rows: Vec<Vec<String>> = r
            .unowned_external_secrets
            .iter()
            .map(|e| {
                let ready = match e.ready {
                    Some(true) => "Ready",
                    Some(false) => "NotReady",
                    None => "Unknown",
                };
                vec![
                    e.namespace.clone(),
                    e.name.clone(),
                    ready.to_string(),
                    e.reason.clone().unwrap_or_else(|| "-".into()),
                    e.store.clone(),
                ]
            })
            .collect();
        columns(
            &mut out,
            &["NAMESPACE", "NAME", "READY", "REASON", "STORE"],
            &rows,
        );
    }
    let not_live: Vec<String> = r
        .watches
        .iter()
        .filter(|(_, s)| s.as_str() != "live")
        .map(|(k, s)| format!("{k}: {s}"))
        .collect();
    if !not_live.is_empty() {
        let _ = writeln!(out, "\nwatches: {}", not_live.join(", "));
    }
    out
}

/// Left-aligned columns, two spaces apart; the last column is not padded.
fn columns(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let last = row.len().saturating_sub(1);
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i == last {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}
