//! The ExternalSecret detail screen: status and conditions, the store, the
//! provider's last error, the target Secret, each remote ref resolved to
//! its AWS secret (versions and stages), and the value — masked unless
//! revealed with `x`.

use super::format::{ago, clip, last_sync, ready, time};
use super::lists::consumers;
use super::theme::Theme;
use crate::domain::secret_format;
use crate::domain::views::EsView;
use crate::state::{EsDetailScreen, Loading, Model};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub const MASK: &str = "••••••";

pub fn render(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(screen) = &model.es_detail else {
        return;
    };
    let area =
        super::stale_banner::split(model, &super::stale_banner::ES_KINDS, theme, frame, area);
    let lines = match &screen.view {
        Some(view) => lines(view, screen, model, theme),
        None => vec![Line::styled(
            format!(
                " ExternalSecret {} is not known (deleted, or not loaded yet)",
                screen.key
            ),
            theme.warn,
        )],
    };
    let max_scroll = lines.len().saturating_sub(usize::from(area.height));
    let scroll = screen.scroll.min(max_scroll);
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(usize::from(area.height))
        .collect();
    frame.render_widget(Paragraph::new(visible), area);
}

fn heading<'a>(text: &'a str, theme: &Theme) -> Line<'a> {
    Line::styled(format!(" {text}"), theme.header)
}

fn lines<'a>(
    v: &'a EsView,
    screen: &'a EsDetailScreen,
    model: &Model,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let now = model.now();
    let mut out = Vec::new();
    let (r, style) = ready(theme, v.ready, v.reason.as_deref());
    out.push(Line::from(vec![
        Span::styled(
            format!(" ExternalSecret {}/{} ", v.namespace, v.name),
            theme.title,
        ),
        Span::styled(r, style),
        Span::styled(
            v.app
                .as_ref()
                .map(|a| format!("  app {a}"))
                .unwrap_or_default(),
            theme.muted,
        ),
    ]));
    if let Some(m) = &v.message {
        out.push(Line::styled(
            format!("   {m}"),
            if v.ready == Some(false) {
                theme.error
            } else {
                theme.muted
            },
        ));
    }
    out.push(Line::styled(
        format!(
            "   refresh every {} ({}), last refresh {}",
            v.refresh_interval,
            v.refresh_policy,
            last_sync(now, v.last_refresh)
        ),
        theme.text,
    ));
    if let Some(why) = &v.force_sync_ignored {
        out.push(Line::styled(
            format!("   ⚠ force-sync would be ignored: {why}"),
            theme.warn,
        ));
    }
    out.push(heading("Conditions", theme));
    if v.conditions.is_empty() {
        out.push(Line::styled("   none", theme.muted));
    }
    for c in &v.conditions {
        out.push(Line::styled(
            format!(
                "   {} {} {}: {}  ({})",
                c.type_.as_deref().unwrap_or("?"),
                c.status.as_deref().unwrap_or("?"),
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or(""),
                c.last_transition_time.as_deref().unwrap_or("–")
            ),
            theme.text,
        ));
    }
    out.push(heading("Store", theme));
    let s = &v.store;
    let (sr, sstyle) = if s.exists {
        ready(theme, s.ready, s.reason.as_deref())
    } else {
        ("✖ not found".into(), theme.error)
    };
    out.push(Line::from(vec![
        Span::styled(format!("   {} {} ", s.kind, s.name), theme.text),
        Span::styled(sr, sstyle),
        Span::styled(
            format!(
                "  {} region {} auth {}",
                s.provider,
                s.region.as_deref().unwrap_or("(default)"),
                s.auth
            ),
            theme.muted,
        ),
    ]));
    if let Some(m) = &s.message {
        out.push(Line::styled(format!("   {m}"), theme.muted));
    }
    if let Some(e) = &v.last_error_event {
        out.push(heading("Last provider error (UpdateFailed)", theme));
        out.push(Line::styled(
            format!("   {}: {}", ago(now, e.last_seen), e.message),
            theme.error,
        ));
    }
    out.push(heading("Target Secret", theme));
    out.push(Line::from(vec![
        Span::styled(format!("   {}", v.target_secret), theme.text),
        if v.target_exists {
            Span::styled(
                format!(
                    "  data changed {}  hash {}",
                    ago(now, v.secret_data_changed),
                    v.data_hash.as_deref().unwrap_or("–")
                ),
                theme.muted,
            )
        } else {
            Span::styled("  ✖ does not exist", theme.error)
        },
    ]));
    out.push(Line::styled(
        format!("   used by: {}", consumers(&v.consumers)),
        theme.muted,
    ));
    out.push(heading("Remote refs", theme));
    for r in &v.remote_refs {
        out.push(Line::styled(
            format!(
                "   {} {} ← {}{}{}",
                r.from,
                r.secret_key.as_deref().unwrap_or("(all keys)"),
                r.key,
                r.property
                    .as_ref()
                    .map(|p| format!(" property {p}"))
                    .unwrap_or_default(),
                r.version
                    .as_ref()
                    .map(|p| format!(" version {p}"))
                    .unwrap_or_default(),
            ),
            theme.text,
        ));
    }
    for name in screen.aws_names() {
        out.push(heading("AWS secret", theme));
        out.push(Line::styled(format!("   {name}"), theme.title));
        match screen.aws.get(&name) {
            Some(Loading::Done(meta)) => {
                out.push(Line::styled(format!("   {}", meta.arn), theme.muted));
                out.push(Line::styled(
                    format!(
                        "   read {}  last changed {}",
                        ago(now, meta.read_at),
                        time(meta.last_changed)
                    ),
                    theme.muted,
                ));
                for (id, stages, created) in &meta.versions {
                    out.push(Line::styled(
                        format!(
                            "   version {id}  [{}]  created {}",
                            stages.join(", "),
                            time(*created)
                        ),
                        theme.text,
                    ));
                }
            }
            Some(Loading::Failed(e)) => out.push(Line::styled(
                format!("   ✖ cannot describe: {e}"),
                theme.error,
            )),
            Some(Loading::Pending) | None => out.push(Line::styled("   loading…", theme.muted)),
        }
        value_lines(&mut out, screen, &name, model, theme);
    }
    out
}

fn value_lines<'a>(
    out: &mut Vec<Line<'a>>,
    screen: &'a EsDetailScreen,
    name: &str,
    model: &Model,
    theme: &Theme,
) {
    match screen.values.get(name) {
        Some(Loading::Done(value)) => {
            let text = value.expose();
            let format = secret_format::detect(text);
            let keys = secret_format::keys(text);
            if screen.revealed() {
                let left = match (screen.reveal, model.now()) {
                    (Some(Some(until)), Some(now)) => {
                        format!("{}s", (until - now).num_seconds().max(0))
                    }
                    _ => "30s".into(),
                };
                out.push(Line::styled(
                    format!(
                        "   value ({}) revealed, masks again in {left}:",
                        format.label()
                    ),
                    theme.warn,
                ));
                for l in text.lines() {
                    out.push(Line::styled(format!("     {l}"), theme.text));
                }
            } else {
                out.push(Line::from(vec![
                    Span::styled("   value ", theme.text),
                    Span::styled(MASK, theme.masked),
                    Span::styled(
                        format!("  ({})  x reveals for 30 s", format.label()),
                        theme.muted,
                    ),
                ]));
                if !keys.is_empty() {
                    out.push(Line::styled(
                        format!("   keys: {}", clip(&keys.join(", "), 400)),
                        theme.text,
                    ));
                }
            }
        }
        Some(Loading::Failed(e)) => out.push(Line::styled(
            format!("   ✖ cannot read the value: {e}"),
            theme.error,
        )),
        Some(Loading::Pending) | None if screen.revealed() => out.push(Line::styled(
            format!("   value {MASK}  reading AWSCURRENT…"),
            theme.muted,
        )),
        Some(Loading::Pending) | None => out.push(Line::styled(
            format!("   value {MASK}  loading…"),
            theme.muted,
        )),
    }
}
