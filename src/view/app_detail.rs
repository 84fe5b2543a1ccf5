//! The app detail screen: the five sections one under the other, the
//! focused one highlighted with its selected item marked.

use super::format::{age, ago, clip, last_sync, ready, time};
use super::lists::consumers;
use super::symbols;
use super::theme::Theme;
use crate::domain::views::AppDetail;
use crate::state::{AppDetailScreen, Model, Section};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(screen) = &model.app_detail else {
        return;
    };
    let Some(detail) = &screen.detail else {
        let text = format!(
            " Application {} is not known (deleted, or not loaded yet)",
            screen.key
        );
        frame.render_widget(Paragraph::new(Line::styled(text, theme.warn)), area);
        return;
    };
    let mut kinds = crate::state::cluster::APP_KINDS.to_vec();
    kinds.push(crate::state::WatchKind::Events);
    let area = super::stale_banner::split(model, &kinds, theme, frame, area);
    // Every section is shown, one under the other; the focused one has its
    // header highlighted and its selected item marked.
    let selected = screen.selected();
    let mut lines: Vec<Line> = Vec::new();
    let (mut section_start, mut section_end, mut focus_line) = (0, 0, 0);
    for (n, section) in Section::ALL.iter().enumerate() {
        let focused = *section == screen.section;
        let label = match section {
            Section::Argo => format!(" {} {} ", n + 1, section.title()),
            _ => format!(
                " {} {} ({}) ",
                n + 1,
                section.title(),
                screen.items(*section)
            ),
        };
        if focused {
            section_start = lines.len();
            focus_line = lines.len();
        }
        lines.push(Line::styled(
            label,
            if focused {
                theme.selected
            } else {
                theme.header
            },
        ));
        let items = items(detail, *section, screen, model, theme);
        if items.is_empty() {
            lines.push(Line::styled(
                format!("   no {}", section.title().to_lowercase()),
                theme.muted,
            ));
        }
        for (i, item) in items.into_iter().enumerate() {
            if focused && i == selected && *section != Section::Argo {
                focus_line = lines.len();
            }
            for (j, line) in item.into_iter().enumerate() {
                let marked = focused && i == selected && j == 0 && *section != Section::Argo;
                let mut spans = vec![Span::raw(if marked { symbols::SELECTED } else { " " })];
                spans.extend(line.spans);
                let line = Line::from(spans);
                lines.push(if marked {
                    line.style(theme.selected)
                } else {
                    line
                });
            }
        }
        if focused {
            section_end = lines.len();
            if *section == Section::Argo {
                focus_line = (section_start + selected).min(section_end);
            }
        }
        lines.push(Line::raw(""));
    }
    // Show everything when it fits; else start at the focused section,
    // moving on as far as its selected item needs.
    let height = usize::from(area.height).max(1);
    let scroll = if section_end < height {
        0
    } else {
        section_start.max((focus_line + 3).saturating_sub(height))
    };
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), area);
}

type Item<'a> = Vec<Line<'a>>;

fn items<'a>(
    d: &'a AppDetail,
    section: Section,
    screen: &AppDetailScreen,
    model: &Model,
    theme: &Theme,
) -> Vec<Item<'a>> {
    let now = model.now();
    match section {
        Section::ExternalSecrets => d
            .external_secrets
            .iter()
            .map(|es| {
                let (r, style) = ready(theme, es.ready, es.reason.as_deref());
                let keys: Vec<String> = es
                    .remote_refs
                    .iter()
                    .map(|r| match &r.property {
                        Some(p) => format!("{} [{p}]", r.key),
                        None => r.key.clone(),
                    })
                    .collect();
                let mut lines = vec![Line::from(vec![
                    Span::styled(es.name.clone(), theme.title),
                    Span::raw("  "),
                    Span::styled(r, style),
                    Span::styled(
                        format!("  store {} {}", es.store.kind, es.store.name),
                        theme.text,
                    ),
                ])];
                if let Some(msg) = &es.message {
                    lines.push(Line::styled(
                        format!("    {}", clip(msg, 200)),
                        if es.ready == Some(false) {
                            theme.error
                        } else {
                            theme.muted
                        },
                    ));
                }
                lines.push(Line::styled(
                    format!(
                        "    refresh every {} ({}), last {} → Secret {}{}",
                        es.refresh_interval,
                        es.refresh_policy,
                        last_sync(now, es.last_refresh),
                        es.target_secret,
                        if es.target_exists { "" } else { " (missing)" }
                    ),
                    theme.muted,
                ));
                lines.push(Line::styled(
                    format!(
                        "    remote keys: {}",
                        if keys.is_empty() {
                            "–".into()
                        } else {
                            keys.join(", ")
                        }
                    ),
                    theme.muted,
                ));
                lines
            })
            .collect(),
        Section::ConfigMaps => d
            .config_maps
            .iter()
            .map(|cm| {
                let open = screen.expanded.contains(&cm.key);
                let keys: Vec<&str> = cm.data.iter().map(|(k, _)| k.as_str()).collect();
                let mut lines = vec![Line::from(vec![
                    Span::styled(if open { "▾ " } else { "▸ " }, theme.muted),
                    Span::styled(cm.name.clone(), theme.title),
                    Span::styled(format!("  keys: {}", keys.join(", ")), theme.text),
                    Span::styled(
                        format!("  changed {}", ago(now, cm.data_changed)),
                        theme.muted,
                    ),
                ])];
                lines.push(Line::styled(
                    format!("    used by: {}", consumers(&cm.consumers)),
                    theme.muted,
                ));
                if open {
                    for (k, v) in &cm.data {
                        for (i, vl) in v.lines().enumerate() {
                            let key = if i == 0 { k.as_str() } else { "" };
                            lines.push(Line::from(vec![
                                Span::styled(format!("    {key:<24} "), theme.header),
                                Span::styled(vl.to_string(), theme.text),
                            ]));
                        }
                    }
                }
                lines
            })
            .collect(),
        Section::Workloads => d
            .workloads
            .iter()
            .map(|w| {
                let ok = w.ready >= w.replicas && w.stale_pods == 0;
                let mut lines = vec![Line::from(vec![
                    Span::styled(w.obj.to_string(), theme.title),
                    Span::styled(
                        format!("  ready {}/{}", w.ready, w.replicas),
                        if w.ready >= w.replicas {
                            theme.ok
                        } else {
                            theme.error
                        },
                    ),
                    Span::styled(
                        format!("  updated {}  available {}", w.updated, w.available),
                        theme.muted,
                    ),
                    Span::styled(if w.paused { "  paused" } else { "" }, theme.warn),
                    Span::styled(
                        if w.stale_pods > 0 {
                            format!("  ⚠ {} stale pods", w.stale_pods)
                        } else if ok {
                            "  ✔".into()
                        } else {
                            String::new()
                        },
                        if w.stale_pods > 0 {
                            theme.warn
                        } else {
                            theme.ok
                        },
                    ),
                ])];
                let uses: Vec<String> = w
                    .consumes
                    .iter()
                    .map(|(o, c)| format!("{o} ({})", c.label()))
                    .collect();
                if !uses.is_empty() {
                    lines.push(Line::styled(
                        format!("    uses: {}", uses.join(", ")),
                        theme.muted,
                    ));
                }
                for p in &w.pods {
                    let mut spans = vec![Span::styled(
                        format!(
                            "    pod {} {} {}",
                            p.name,
                            p.phase,
                            if p.ready { "ready" } else { "not ready" }
                        ),
                        theme.text,
                    )];
                    spans.push(Span::styled(
                        format!("  started {}  restarts {}", ago(now, p.started), p.restarts),
                        theme.muted,
                    ));
                    if let Some(r) = &p.waiting_reason {
                        spans.push(Span::styled(format!("  {r}"), theme.error));
                    }
                    lines.push(Line::from(spans));
                    if let Some(stale) = &p.stale {
                        lines.push(Line::styled(format!("      ⚠ stale: {stale}"), theme.warn));
                    }
                }
                lines
            })
            .collect(),
        Section::Events => d
            .warning_events
            .iter()
            .map(|e| {
                vec![Line::from(vec![
                    Span::styled(format!("{:>4} ", age(now, e.last_seen)), theme.muted),
                    Span::styled(format!("⚠ {} ", e.reason), theme.warn),
                    Span::styled(format!("{} ", e.object), theme.text),
                    Span::styled(e.message.clone(), theme.muted),
                ])]
            })
            .collect(),
        Section::Argo => argo_lines(d, now, theme)
            .into_iter()
            .map(|l| vec![l])
            .collect(),
    }
}

fn argo_lines<'a>(
    d: &'a AppDetail,
    now: Option<chrono::DateTime<chrono::Utc>>,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let a = &d.argo;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("sync    ", theme.header),
            Span::styled(
                format!("{} {}", symbols::sync(a.sync), a.sync.as_str()),
                theme.sync(a.sync),
            ),
            Span::styled(
                format!("  revision {}", a.revision.as_deref().unwrap_or("–")),
                theme.muted,
            ),
        ]),
        Line::from(vec![
            Span::styled("health  ", theme.header),
            Span::styled(
                format!("{} {}", symbols::health(a.health), a.health.as_str()),
                theme.health(a.health),
            ),
            Span::styled(
                format!("  {}", a.health_message.as_deref().unwrap_or("")),
                theme.muted,
            ),
        ]),
        Line::from(vec![
            Span::styled("source  ", theme.header),
            Span::styled(format!("{} {}", a.repo, a.path), theme.text),
            Span::styled(
                format!(
                    "  auto-sync {}  self-heal {}  reconciled {}",
                    if a.auto_sync { "on" } else { "off" },
                    if a.self_heal { "on" } else { "off" },
                    ago(now, a.reconciled_at)
                ),
                theme.muted,
            ),
        ]),
    ];
    match &a.operation {
        Some((phase, msg, finished)) => lines.push(Line::from(vec![
            Span::styled("operation ", theme.header),
            Span::styled(
                format!("{phase}: {msg}"),
                if phase == "Succeeded" {
                    theme.ok
                } else if phase == "Running" {
                    theme.warn
                } else {
                    theme.error
                },
            ),
            Span::styled(format!("  finished {}", time(*finished)), theme.muted),
        ])),
        None => lines.push(Line::styled("operation –", theme.muted)),
    }
    lines.push(Line::styled("conditions", theme.header));
    if a.conditions.is_empty() {
        lines.push(Line::styled("  none", theme.muted));
    }
    for (t, m) in &a.conditions {
        lines.push(Line::from(vec![
            Span::styled(format!("  ⚠ {t}: "), theme.warn),
            Span::styled(m.clone(), theme.text),
        ]));
    }
    lines.push(Line::styled("history (newest first)", theme.header));
    for (id, rev, at) in a.history.iter().take(5) {
        lines.push(Line::styled(
            format!("  #{id} {rev}  deployed {}", time(*at)),
            theme.text,
        ));
    }
    lines
}
