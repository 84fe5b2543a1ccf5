//! Keys: overlays first (help, palette, a filter being typed), then the
//! keys every screen shares, then the current screen's own.

use super::app_detail::{AppDetailScreen, Section};
use super::es_detail::EsDetailScreen;
use super::keys::{Key, KeyCode};
use super::model::Model;
use super::msg::Cmd;
use super::nav::{ListKind, Route};
use super::palette::{Action, Palette};
use super::table::TableKeys;
use crate::domain::ObjKey;
use crate::domain::views;

pub(crate) fn quit(model: &mut Model) -> Vec<Cmd> {
    model.quitting = true;
    vec![Cmd::Quit]
}

pub(crate) fn on_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    if key.ctrl && key.code == KeyCode::Char('c') {
        return quit(model);
    }
    // Rows must be current before moving through them.
    model.settle();
    // ROTATION part: the rotation screen takes every key while open.
    if model.rotation.is_some() {
        return super::rotation::on_key(model, key);
    }
    if model.help {
        if matches!(
            key.code,
            KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter
        ) {
            model.help = false;
        }
        return Vec::new();
    }
    if model.palette.is_some() {
        return on_palette_key(model, key);
    }
    // REFRESH part: confirmation dialog, `:audit`, progress panel.
    if let Some(cmds) = super::op_keys::intercept(model, key) {
        return cmds;
    }
    let page = model.page_rows();
    if let Some(table) = current_table(model)
        && table.on_filter_key(key, page)
    {
        return Vec::new();
    }
    model.message = None;
    match key.code {
        KeyCode::Char(':') => {
            model.palette = Some(Palette::default());
            return Vec::new();
        }
        KeyCode::Char('?') => {
            model.help = true;
            return Vec::new();
        }
        KeyCode::Char('q') if !key.ctrl => return quit(model),
        KeyCode::Esc => {
            if let Some(table) = current_table(model)
                && table.clear_filter(page)
            {
                return Vec::new();
            }
            back(model);
            return Vec::new();
        }
        KeyCode::Char('/') => {
            if let Some(table) = current_table(model) {
                table.start_filter();
            }
            return Vec::new();
        }
        _ => {}
    }
    // REFRESH part: the mutating keys (force-sync, Argo CD, restart).
    if let Some(cmds) = super::op_keys::on_action_key(model, key) {
        return cmds;
    }
    match model.route().clone() {
        Route::Apps => on_apps_key(model, key, page),
        Route::AppDetail(_) => on_app_detail_key(model, key),
        Route::EsDetail(_) => on_es_detail_key(model, key, page),
        Route::List(kind) => on_list_key(model, kind, key, page),
    }
}

/// The table of the current screen, if it has one.
pub(crate) fn current_table(model: &mut Model) -> Option<&mut dyn TableKeys> {
    let without_argo = model.without_argo();
    let lists = &mut model.lists;
    Some(match model.nav.current() {
        Route::Apps if without_argo => &mut model.apps.without_argo,
        Route::Apps => &mut model.apps.table,
        Route::AppDetail(_) | Route::EsDetail(_) => return None,
        Route::List(kind) => match kind {
            ListKind::ExternalSecrets => &mut lists.es,
            ListKind::Stores => &mut lists.stores,
            ListKind::ConfigMaps => &mut lists.config_maps,
            ListKind::Secrets => &mut lists.secrets,
            ListKind::Events => &mut lists.events,
            ListKind::Contexts => &mut lists.contexts,
            ListKind::Namespaces => &mut lists.namespaces,
        },
    })
}

/// `esc`: one screen back; a screen left behind drops its state (the
/// ExternalSecret screen drops the secret value).
fn back(model: &mut Model) {
    model.nav.pop();
    forget_closed_screens(model);
}

fn forget_closed_screens(model: &mut Model) {
    let routes = model.nav.routes();
    if !routes.iter().any(|r| matches!(r, Route::EsDetail(_))) {
        model.es_detail = None;
    }
    if !routes.iter().any(|r| matches!(r, Route::AppDetail(_))) {
        model.app_detail = None;
    }
}

fn jump(model: &mut Model, route: Route) {
    model.nav.jump(route.clone());
    forget_closed_screens(model);
    if let Route::List(kind) = route {
        model.refresh_list(kind);
        if kind == ListKind::Contexts {
            select_current_context(model);
        }
    }
}

/// `:ctx` opens on the context in use, never on another cluster.
fn select_current_context(model: &mut Model) {
    let page = model.page_rows();
    let table = &mut model.lists.contexts;
    if let Some(i) = (0..table.len()).find(|&i| table.shown(i).is_some_and(|(r, _)| r.current)) {
        table.select(i, page);
    }
}

fn on_palette_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    let Some(palette) = &mut model.palette else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => model.palette = None,
        KeyCode::Tab => palette.complete(),
        KeyCode::Backspace if palette.input.pop().is_none() => model.palette = None,
        KeyCode::Backspace => {}
        KeyCode::Char(c) if !key.ctrl && !key.alt => palette.input.push(c),
        KeyCode::Enter => {
            let action = palette.action();
            model.palette = None;
            return run(model, action);
        }
        _ => {}
    }
    Vec::new()
}

/// Carry out a palette command.
pub(crate) fn run(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Nothing => Vec::new(),
        Action::Home => {
            jump(model, Route::Apps);
            Vec::new()
        }
        Action::List(kind) => {
            jump(model, Route::List(kind));
            Vec::new()
        }
        Action::SwitchContext(name) => switch_context(model, name),
        Action::SetNamespace(ns) => set_namespace(model, ns),
        Action::Quit => quit(model),
        Action::Audit => super::op_keys::open_audit(model),
        Action::Unknown(line) => {
            model.message = Some(format!(
                "unknown command :{line} (try :apps :es :stores :cm :secrets :events :ctx :ns :audit :q)"
            ));
            Vec::new()
        }
    }
}

/// `:ctx NAME` or enter in `:ctx`: nothing for the current context; a
/// confirmation first for a context that is read-only by configuration or
/// looks like production.
fn switch_context(model: &mut Model, name: String) -> Vec<Cmd> {
    let current = model.data.contexts.as_ref().map(|(c, _)| c.clone());
    if current.as_deref() == Some(name.as_str()) {
        model.message = Some(format!("already on context {name}"));
        return Vec::new();
    }
    let readonly = model.access.by_config(&name);
    if readonly || looks_like_production(&name) {
        let why = if readonly {
            format!("{name} is read-only by your configuration (readonly_contexts)")
        } else {
            format!("{name} looks like a production cluster")
        };
        model.confirm = Some(super::confirm::Confirm {
            title: "Switch kube context".into(),
            changes: vec![format!(
                "switch from {} to {name}",
                current.as_deref().unwrap_or("(unknown)")
            )],
            context: name.clone(),
            aws: None,
            notes: vec![why],
            action: format!("switch to context {name}"),
            on_yes: super::confirm::OnYes::SwitchContext(name),
        });
        return Vec::new();
    }
    switch_context_now(model, name)
}

/// Whether a context name says production: it contains prod, prd or live
/// as a word part (`prod-eks`, `eks-prd-1`, `arn:…/live`).
pub fn looks_like_production(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| {
            part.starts_with("prod") || part == "prd" || part == "live" || part.ends_with("prod")
        })
}

pub(crate) fn switch_context_now(model: &mut Model, name: String) -> Vec<Cmd> {
    model.message = Some(format!("switching to context {name}…"));
    jump(model, Route::Apps);
    vec![Cmd::SwitchContext(name)]
}

fn set_namespace(model: &mut Model, ns: Option<String>) -> Vec<Cmd> {
    model.message = Some(match &ns {
        Some(ns) => format!("namespace: {ns}"),
        None => "all namespaces".to_string(),
    });
    model.namespace = ns.clone();
    model.data_changed = true;
    jump(model, Route::Apps);
    model.settle();
    vec![Cmd::SetNamespace(ns)]
}

fn on_apps_key(model: &mut Model, key: Key, page: usize) -> Vec<Cmd> {
    if model.without_argo() {
        let table = &mut model.apps.without_argo;
        if !table.on_move_key(key, page) && key.code == KeyCode::Enter {
            let selected = table.selected_row().map(|es| es.key.clone());
            if let Some(es) = selected {
                return open_es(model, es);
            }
        }
        return Vec::new();
    }
    if model.apps.table.on_move_key(key, page) {
        return Vec::new();
    }
    match key.code {
        KeyCode::Char('s') => model.apps.cycle_sort(page),
        KeyCode::Enter => {
            if let Some(app) = model.apps.selected_row().map(|a| a.key.clone()) {
                open_app(model, app);
            }
        }
        _ => {}
    }
    Vec::new()
}

pub(crate) fn open_app(model: &mut Model, app: ObjKey) {
    let now = model.data.now_or_epoch();
    let detail = views::app_detail(model.inventory(), &app, now);
    model.app_detail = Some(AppDetailScreen::new(app.clone(), detail));
    model.nav.push(Route::AppDetail(app));
}

/// Open an ExternalSecret: ask AWS for the metadata and the value of each
/// secret its remote refs read.
pub(crate) fn open_es(model: &mut Model, es: ObjKey) -> Vec<Cmd> {
    let now = model.data.now_or_epoch();
    let view = views::es_view(model.inventory(), &es, now);
    let mut screen = EsDetailScreen::new(es.clone(), view);
    let cmds = screen.reread();
    model.es_detail = Some(screen);
    model.nav.push(Route::EsDetail(es));
    cmds
}

fn on_app_detail_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    let Some(screen) = &mut model.app_detail else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Tab => screen.next_section(1),
        KeyCode::BackTab => screen.next_section(-1),
        KeyCode::Char(c @ '1'..='5') => {
            let i = usize::from(c as u8 - b'1');
            screen.section = Section::ALL[i];
        }
        KeyCode::Char('j') | KeyCode::Down => screen.move_by(1),
        KeyCode::Char('k') | KeyCode::Up => screen.move_by(-1),
        KeyCode::Char('g') | KeyCode::Home => screen.select(0),
        KeyCode::Char('G') | KeyCode::End => screen.select(usize::MAX),
        KeyCode::Enter | KeyCode::Char(' ') => match screen.section {
            Section::ConfigMaps => screen.toggle_config_map(),
            Section::ExternalSecrets if key.code == KeyCode::Enter => {
                if let Some(es) = screen.selected_es() {
                    return open_es(model, es);
                }
            }
            _ => {}
        },
        // ROTATION part: on the selected ExternalSecret.
        KeyCode::Char(c @ ('w' | 'W')) if screen.section == Section::ExternalSecrets => {
            if let Some(es) = screen.selected_es() {
                let mode = if c == 'w' {
                    super::rotation::Mode::Rotate
                } else {
                    super::rotation::Mode::Rollback
                };
                return super::rotation::open(model, es, mode);
            }
        }
        _ => {}
    }
    Vec::new()
}

fn on_es_detail_key(model: &mut Model, key: Key, page: usize) -> Vec<Cmd> {
    let now = model.now();
    let Some(screen) = &mut model.es_detail else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char('j') | KeyCode::Down => screen.scroll += 1,
        KeyCode::Char('k') | KeyCode::Up => screen.scroll = screen.scroll.saturating_sub(1),
        KeyCode::PageDown => screen.scroll += page,
        KeyCode::PageUp => screen.scroll = screen.scroll.saturating_sub(page),
        KeyCode::Char('g') | KeyCode::Home => screen.scroll = 0,
        // ROTATION part
        KeyCode::Char('w') => {
            let es = screen.key.clone();
            return super::rotation::open(model, es, super::rotation::Mode::Rotate);
        }
        KeyCode::Char('W') => {
            let es = screen.key.clone();
            return super::rotation::open(model, es, super::rotation::Mode::Rollback);
        }
        KeyCode::Char('x') => {
            if screen.revealed() {
                screen.reveal = None;
                return Vec::new();
            }
            // Not a mutation: allowed in read-only mode, but audited.
            screen.reveal = Some(now.map(|now| now + super::es_detail::REVEAL_FOR));
            let target = format!("ExternalSecret {}", screen.key);
            // AWSCURRENT as it is now, never the value read at opening.
            let mut cmds = screen.refetch_values();
            cmds.extend(
                screen
                    .aws_names()
                    .into_iter()
                    .map(|aws_secret| Cmd::AuditReveal {
                        target: target.clone(),
                        aws_secret,
                    }),
            );
            return cmds;
        }
        _ => {}
    }
    Vec::new()
}

fn on_list_key(model: &mut Model, kind: ListKind, key: Key, page: usize) -> Vec<Cmd> {
    if let Some(table) = current_table(model)
        && table.on_move_key(key, page)
    {
        return Vec::new();
    }
    match key.code {
        KeyCode::Char('s') => {
            model.lists.sorts.cycle(kind);
            model.refresh_list(kind);
            Vec::new()
        }
        KeyCode::Enter => on_list_enter(model, kind),
        _ => Vec::new(),
    }
}

fn on_list_enter(model: &mut Model, kind: ListKind) -> Vec<Cmd> {
    let lists = &model.lists;
    match kind {
        ListKind::ExternalSecrets => match lists.es.selected_row() {
            Some(es) => {
                let key = es.key.clone();
                open_es(model, key)
            }
            None => Vec::new(),
        },
        ListKind::Secrets => {
            let managed = lists.secrets.selected_row().and_then(|s| {
                s.managed_by
                    .as_ref()
                    .map(|es| ObjKey::new(s.namespace.clone(), es.clone()))
            });
            match managed {
                Some(es) => open_es(model, es),
                None => Vec::new(),
            }
        }
        ListKind::Events => {
            let es = lists.events.selected_row().and_then(|e| {
                e.object
                    .strip_prefix("ExternalSecret/")
                    .map(|name| ObjKey::new(e.namespace.clone(), name))
            });
            match es {
                Some(es) => open_es(model, es),
                None => Vec::new(),
            }
        }
        ListKind::Contexts => match lists.contexts.selected_row() {
            Some(ctx) => {
                let name = ctx.name.clone();
                switch_context(model, name)
            }
            None => Vec::new(),
        },
        ListKind::Namespaces => match lists.namespaces.selected_row() {
            Some(ns) => {
                let name = ns.name.clone();
                set_namespace(model, Some(name))
            }
            None => Vec::new(),
        },
        ListKind::Stores | ListKind::ConfigMaps => Vec::new(),
    }
}
