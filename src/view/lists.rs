//! The global lists: `:es`, `:stores`, `:cm`, `:secrets`, `:events`,
//! `:ctx`, `:ns`, all drawn with the same table widget.

use super::format::{age, clip, ready};
use super::table::Cell;
use super::table::{self, Column, col};
use super::theme::Theme;
use crate::domain::views::{Consumer, EsView};
use crate::state::cluster::stale_marker;
use crate::state::{ListKind, Model, Table, WatchKind, WatchState};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

pub fn render(model: &Model, kind: ListKind, theme: &Theme, frame: &mut Frame, area: Rect) {
    render_rows(model, kind, theme, frame, area);
    let one = watch_kind(kind);
    let kinds: &[WatchKind] = match kind {
        ListKind::Stores => &[WatchKind::SecretStores, WatchKind::ClusterSecretStores],
        _ => one.as_slice(),
    };
    if let Some(marker) = stale_marker(&model.cluster, &model.data, kinds) {
        table::mark_stale(frame, area, &marker, theme);
    }
}

fn render_rows(model: &Model, kind: ListKind, theme: &Theme, frame: &mut Frame, area: Rect) {
    let now = model.now();
    let l = &model.lists;
    let empty = empty_message(model, kind, theme);
    match kind {
        ListKind::ExternalSecrets => render_es_table(model, theme, frame, area, &l.es),
        ListKind::Stores => {
            let columns = [
                col("NAME", Constraint::Fill(2)),
                col("KIND", Constraint::Length(18)),
                col("NAMESPACE", Constraint::Fill(2)),
                col("READY", Constraint::Fill(2)),
                col("PROVIDER", Constraint::Length(18)),
                col("REGION", Constraint::Length(12)),
                col("AUTH", Constraint::Length(10)),
                col("MESSAGE", Constraint::Fill(4)),
            ];
            table::render(
                frame,
                area,
                theme,
                &l.stores,
                table::Spec {
                    columns: &columns,
                    name_col: 0,
                    empty,
                },
                |s| {
                    let (r, style) = if s.exists {
                        ready(theme, s.ready, s.reason.as_deref())
                    } else {
                        ("✖ not found".into(), theme.error)
                    };
                    vec![
                        Cell::from(""),
                        Cell::from(s.kind.as_str()),
                        Cell::from(if s.namespace.is_empty() {
                            "(cluster)"
                        } else {
                            s.namespace.as_str()
                        }),
                        Cell::from(r).style(style),
                        Cell::from(s.provider.as_str()),
                        Cell::from(s.region.as_deref().unwrap_or("–")),
                        Cell::from(s.auth.as_str()),
                        Cell::from(s.message.as_deref().unwrap_or("")).style(theme.muted),
                    ]
                },
            );
        }
        ListKind::ConfigMaps => {
            let columns = [
                col("NAME", Constraint::Fill(3)),
                col("NAMESPACE", Constraint::Fill(2)),
                col("APP", Constraint::Fill(2)),
                col("KEYS", Constraint::Fill(3)),
                col("CONSUMERS", Constraint::Fill(3)),
                col("CHANGED", Constraint::Length(7)),
            ];
            table::render(
                frame,
                area,
                theme,
                &l.config_maps,
                table::Spec {
                    columns: &columns,
                    name_col: 0,
                    empty,
                },
                |c| {
                    let keys: Vec<&str> = c.data.iter().map(|(k, _)| k.as_str()).collect();
                    vec![
                        Cell::from(""),
                        Cell::from(c.namespace.as_str()),
                        Cell::from(c.app.as_deref().unwrap_or("–")),
                        Cell::from(clip(&keys.join(", "), 60)),
                        Cell::from(consumers(&c.consumers)),
                        Cell::from(age(now, c.data_changed)),
                    ]
                },
            );
        }
        ListKind::Secrets => {
            let columns = [
                col("NAME", Constraint::Fill(3)),
                col("NAMESPACE", Constraint::Fill(2)),
                col("TYPE", Constraint::Fill(2)),
                col("MANAGED BY", Constraint::Fill(3)),
                col("CHANGED", Constraint::Length(7)),
                col("CONSUMERS", Constraint::Fill(3)),
            ];
            table::render(
                frame,
                area,
                theme,
                &l.secrets,
                table::Spec {
                    columns: &columns,
                    name_col: 0,
                    empty,
                },
                |s| {
                    vec![
                        Cell::from(""),
                        Cell::from(s.namespace.as_str()),
                        Cell::from(s.secret_type.as_deref().unwrap_or("–")),
                        Cell::from(
                            s.managed_by
                                .as_deref()
                                .map(|es| format!("es {es}"))
                                .unwrap_or_else(|| "–".into()),
                        ),
                        Cell::from(age(now, s.data_changed.or(s.created))),
                        Cell::from(consumers(&s.consumers)),
                    ]
                },
            );
        }
        ListKind::Events => {
            let columns = [
                col("LAST", Constraint::Length(5)),
                col("TYPE", Constraint::Length(9)),
                col("NAMESPACE", Constraint::Fill(2)),
                col("OBJECT", Constraint::Fill(3)),
                col("REASON", Constraint::Length(16)),
                col("MESSAGE", Constraint::Fill(6)),
            ];
            table::render(
                frame,
                area,
                theme,
                &l.events,
                table::Spec {
                    columns: &columns,
                    name_col: 3,
                    empty,
                },
                |e| {
                    let warning = e.type_ == "Warning";
                    let (t, style) = if warning {
                        (format!("⚠ {}", e.type_), theme.warn)
                    } else {
                        (e.type_.clone(), theme.muted)
                    };
                    let count = if e.count > 1 {
                        format!(" (x{})", e.count)
                    } else {
                        String::new()
                    };
                    vec![
                        Cell::from(age(now, e.last_seen)),
                        Cell::from(t).style(style),
                        Cell::from(e.namespace.as_str()),
                        Cell::from(""),
                        Cell::from(e.reason.as_str()).style(if warning {
                            theme.warn
                        } else {
                            theme.text
                        }),
                        Cell::from(format!("{}{count}", e.message)),
                    ]
                },
            );
        }
        ListKind::Contexts | ListKind::Namespaces => {
            let rows = if kind == ListKind::Contexts {
                &l.contexts
            } else {
                &l.namespaces
            };
            let columns: [Column; 2] = [
                col("NAME", Constraint::Fill(3)),
                col("", Constraint::Fill(1)),
            ];
            table::render(
                frame,
                area,
                theme,
                rows,
                table::Spec {
                    columns: &columns,
                    name_col: 0,
                    empty,
                },
                |r| {
                    vec![
                        Cell::from(""),
                        Cell::from(if r.current { "✔ current" } else { "" }).style(theme.ok),
                    ]
                },
            );
        }
    }
}

/// The ExternalSecrets table (`:es`, and the apps screen without Argo CD).
pub fn render_es_table(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    rows: &Table<EsView>,
) {
    let now = model.now();
    let columns = [
        col("NAME", Constraint::Fill(3)),
        col("NAMESPACE", Constraint::Fill(2)),
        col("APP", Constraint::Fill(2)),
        col("STORE", Constraint::Fill(2)),
        col("READY", Constraint::Fill(3)),
        col("INTERVAL", Constraint::Length(8)),
        col("LAST", Constraint::Length(5)),
        col("TARGET", Constraint::Fill(3)),
    ];
    table::render(
        frame,
        area,
        theme,
        rows,
        table::Spec {
            columns: &columns,
            name_col: 0,
            empty: empty_message(model, ListKind::ExternalSecrets, theme),
        },
        |e| {
            let (r, style) = ready(theme, e.ready, e.reason.as_deref());
            vec![
                Cell::from(""),
                Cell::from(e.namespace.as_str()),
                Cell::from(e.app.as_deref().unwrap_or("–")),
                Cell::from(e.store.name.as_str()),
                Cell::from(r).style(style),
                Cell::from(e.refresh_interval.as_str()),
                Cell::from(match e.last_refresh {
                    None if now.is_some() => "never".to_string(),
                    t => age(now, t),
                }),
                Cell::from(e.target_secret.as_str()).style(if e.target_exists {
                    theme.text
                } else {
                    theme.error
                }),
            ]
        },
    );
}

/// `Deployment/x (subPath mount), …`
pub fn consumers(list: &[Consumer]) -> String {
    if list.is_empty() {
        return "–".into();
    }
    list.iter()
        .map(|c| format!("{} ({})", c.workload, c.channel.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn watch_kind(kind: ListKind) -> Option<WatchKind> {
    Some(match kind {
        ListKind::ExternalSecrets => WatchKind::ExternalSecrets,
        ListKind::Stores => WatchKind::SecretStores,
        ListKind::ConfigMaps => WatchKind::ConfigMaps,
        ListKind::Secrets => WatchKind::Secrets,
        ListKind::Events => WatchKind::Events,
        ListKind::Contexts | ListKind::Namespaces => return None,
    })
}

/// Why a list is empty, in words (missing CRDs and 403 included).
pub fn empty_message(model: &Model, kind: ListKind, theme: &Theme) -> (String, Style) {
    let what = kind.title();
    let lower = what.to_lowercase();
    if kind == ListKind::Contexts {
        return ("No kubeconfig contexts known".into(), theme.muted);
    }
    let Some(watch) = watch_kind(kind) else {
        return ("No namespaces seen yet".into(), theme.muted);
    };
    match model.cluster.watch(watch) {
        WatchState::Connecting => (format!("Loading {what}…"), theme.muted),
        WatchState::NotInstalled => (
            format!(
                "{what} are not served by this cluster (External Secrets Operator not installed?)"
            ),
            theme.warn,
        ),
        WatchState::Forbidden => (format!("no permission to list {lower}"), theme.error),
        WatchState::Reconnecting(reason) => (format!("Reconnecting: {reason}"), theme.warn),
        WatchState::Live => match &model.namespace {
            Some(ns) => (format!("No {what} in namespace {ns}"), theme.muted),
            None => (format!("No {what}"), theme.muted),
        },
    }
}
