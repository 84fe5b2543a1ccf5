//! Drawing: reads `&Model` and a `Theme`, writes a ratatui `Frame`: the
//! title, the current screen, the status lines, then the overlay stack
//! bottom to top. No I/O, no blocking, and only the visible rows are built.

pub mod app_detail;
// CONFIG part
pub mod apps_table;
pub mod audit_screen;
pub mod config_edit;
pub mod confirm;
pub mod es_detail;
pub mod format;
pub mod lists;
pub mod operations;
pub mod overlays;
pub mod rotation;
pub mod stale_banner;
pub mod status_bar;
pub mod symbols;
pub mod table;
pub mod theme;
pub mod theme_file;

pub use theme::{Palette, Theme};

use crate::state::{Model, Overlay, Route};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draw the whole screen.
pub fn view(model: &Model, theme: &Theme, frame: &mut Frame) {
    let messages = status_bar::message_lines(model, frame.area().width);
    let [title, body, message_area, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(messages.len() as u16),
        Constraint::Length(2),
    ])
    .areas(frame.area());
    render_title(model, theme, frame, title);
    match model.route() {
        Route::Apps => apps_table::render(model, theme, frame, body),
        Route::AppDetail(_) => app_detail::render(model, theme, frame, body),
        Route::EsDetail(_) => es_detail::render(model, theme, frame, body),
        Route::List(kind) => lists::render(model, *kind, theme, frame, body),
    }
    status_bar::render(model, theme, frame, status);
    status_bar::render_messages(&messages, theme, frame, message_area);
    // The overlay stack, bottom to top: the top one has the keys.
    for overlay in model.overlays.iter() {
        match overlay {
            Overlay::Operations => operations::render(&model.operations, theme, frame, body),
            Overlay::Audit(screen) => audit_screen::render(screen, theme, frame, body),
            Overlay::Confirm(c) => confirm::render(c, theme, frame, body),
            Overlay::Rotation(s) => rotation::render(model, s, theme, frame, body),
            Overlay::ConfigEditor(ed) => config_edit::render(model, ed, theme, frame, body),
            Overlay::Palette(p) => overlays::palette(p, theme, frame, body),
            Overlay::Help => overlays::help(model, theme, frame, body),
        }
    }
}

/// Breadcrumbs, then what the screen shows: count, sort, filter.
fn render_title(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = vec![
        Span::styled(" secretdeck ", theme.title),
        Span::styled(format!(" {} ", model.nav.breadcrumbs()), theme.breadcrumb),
    ];
    let l = &model.lists;
    let (count, sort, filter) = match model.route() {
        Route::Apps if model.without_argo() => (
            Some(model.apps.without_argo.len()),
            None,
            &model.apps.without_argo.filter,
        ),
        Route::Apps => (
            Some(model.apps.table.len()),
            Some(model.apps.sort.label()),
            &model.apps.table.filter,
        ),
        Route::List(kind) => {
            use crate::state::ListKind as K;
            let (len, filter) = match kind {
                K::ExternalSecrets => (l.es.len(), &l.es.filter),
                K::Stores => (l.stores.len(), &l.stores.filter),
                K::ConfigMaps => (l.config_maps.len(), &l.config_maps.filter),
                K::Secrets => (l.secrets.len(), &l.secrets.filter),
                K::Events => (l.events.len(), &l.events.filter),
                K::Contexts => (l.contexts.len(), &l.contexts.filter),
                K::Namespaces => (l.namespaces.len(), &l.namespaces.filter),
            };
            (Some(len), Some(l.sorts.get(*kind).label(*kind)), filter)
        }
        Route::AppDetail(_) | Route::EsDetail(_) => {
            frame.render_widget(Paragraph::new(Line::from(spans)), area);
            return;
        }
    };
    if let Some(n) = count {
        spans.push(Span::styled(format!("({n})"), theme.text));
    }
    if let Some(sort) = sort {
        spans.push(Span::styled(format!("  sort: {sort} ↓"), theme.muted));
    }
    if filter.editing || filter.is_active() {
        let cursor = if filter.editing { "▏" } else { "" };
        spans.push(Span::styled(
            format!("  /{}{cursor}", filter.text),
            theme.highlight,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
