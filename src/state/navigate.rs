//! Keys: `^c` quits; the overlay stack gets a key first (its top layer),
//! then a filter being typed; otherwise the key table resolves the key to
//! an `Action` for the current screen: the shared ones, the operations',
//! the ConfigMap edits', then the screen's own (on its own state, returning
//! a `Go` this module carries out). Also the palette's commands.

use super::app_detail::AppDetailScreen;
use super::es_detail::EsDetailScreen;
use super::keymap::{self, Action};
use super::keys::{Key, KeyCode};
use super::model::{Ctx, Model};
use super::msg::Cmd;
use super::nav::{Go, ListKind, Route};
use super::overlay::Help;
use super::palette::{Action as Command, Palette};
use super::table::TableKeys;
use crate::domain::ObjKey;
use crate::domain::views;

pub(crate) fn quit(model: &mut Model) -> Vec<Cmd> {
    model.quitting = true;
    vec![Cmd::Quit]
}

pub(crate) fn on_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    // `^c` quits from anywhere, overlays included.
    if key.ctrl && key.code == KeyCode::Char('c') {
        return quit(model);
    }
    // Rows must be current before moving through them.
    model.settle();
    if let Some(cmds) = super::overlay::on_key(model, key) {
        return cmds;
    }
    let page = model.page_rows();
    if let Some(table) = current_table(model)
        && table.on_filter_key(key, page)
    {
        return Vec::new();
    }
    model.message = None;
    match keymap::action_for(model.route(), key) {
        Some(action) => on_action(model, action),
        None => Vec::new(),
    }
}

/// Carry out a screen's action (what a key means there, by the key table):
/// the shared ones, the operations, the ConfigMap edits, then the screen's
/// own. An action the screen does not bind changes nothing.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    let page = model.page_rows();
    match action {
        Action::Palette => model.open_overlay(Palette::default()),
        Action::Help => model.open_overlay(Help),
        Action::Quit => return quit(model),
        Action::Back => {
            if let Some(table) = current_table(model)
                && table.clear_filter(page)
            {
                return Vec::new();
            }
            back(model);
        }
        Action::Filter => {
            if let Some(table) = current_table(model) {
                table.start_filter();
            }
        }
        Action::ForceSync
        | Action::ForceSyncApp
        | Action::ArgoRefresh
        | Action::ArgoHardRefresh
        | Action::ArgoSync
        | Action::Restart => return super::op_keys::on_action(model, action),
        Action::EditKey | Action::AddKey | Action::DeleteKey | Action::ResumeAutoSync => {
            return super::config_edit_msgs::on_action(model, action);
        }
        _ => {
            let go = screen_action(model, action, page);
            return follow(model, go);
        }
    }
    Vec::new()
}

/// The current screen's own action, on its own state.
fn screen_action(model: &mut Model, action: Action, page: usize) -> Go {
    let without_argo = model.without_argo();
    let ctx = Ctx {
        inventory: &model.data.inventory,
        now: model.data.now,
        readonly: model.access.is_readonly(),
        page,
        without_argo,
    };
    match model.nav.current() {
        Route::Apps => model.apps.on_action(action, &ctx),
        Route::AppDetail(_) => match &mut model.app_detail {
            Some(screen) => screen.on_action(action),
            None => Go::Stay,
        },
        Route::EsDetail(_) => match &mut model.es_detail {
            Some(screen) => screen.on_action(action, &ctx),
            None => Go::Stay,
        },
        Route::List(kind) => model.lists.on_action(*kind, action, &ctx),
    }
}

/// Carry out where a screen's action leads.
fn follow(model: &mut Model, go: Go) -> Vec<Cmd> {
    match go {
        Go::Stay => Vec::new(),
        Go::Send(cmds) => cmds,
        Go::App(app) => {
            open_app(model, app);
            Vec::new()
        }
        Go::Es(es) => open_es(model, es),
        Go::Rotation(es, mode) => super::rotation::open(model, es, mode),
        Go::Resort(kind) => {
            model.refresh_list(kind);
            Vec::new()
        }
        Go::SwitchContext(name) => switch_context(model, name),
        Go::Namespace(ns) => set_namespace(model, Some(ns)),
    }
}

/// The table of the current screen, if it has one.
pub(crate) fn current_table(model: &mut Model) -> Option<&mut dyn TableKeys> {
    let without_argo = model.without_argo();
    Some(match model.nav.current() {
        Route::Apps if without_argo => &mut model.apps.without_argo,
        Route::Apps => &mut model.apps.table,
        Route::AppDetail(_) | Route::EsDetail(_) => return None,
        Route::List(kind) => model.lists.table_mut(*kind),
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
        table.choose(i, page);
    }
}

/// Carry out a palette command.
pub(crate) fn run(model: &mut Model, command: Command) -> Vec<Cmd> {
    match command {
        Command::Nothing => Vec::new(),
        Command::Home => {
            jump(model, Route::Apps);
            Vec::new()
        }
        Command::List(kind) => {
            jump(model, Route::List(kind));
            Vec::new()
        }
        Command::SwitchContext(name) => switch_context(model, name),
        Command::SetNamespace(ns) => set_namespace(model, ns),
        Command::Quit => quit(model),
        Command::Audit => super::op_keys::open_audit(model),
        Command::Unknown(line) => {
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
        model.open_overlay(super::confirm::Confirm {
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
    model.recompute_all();
    jump(model, Route::Apps);
    model.settle();
    vec![Cmd::SetNamespace(ns)]
}

pub(crate) fn open_app(model: &mut Model, app: ObjKey) {
    let now = model.data.now_or_epoch();
    let detail = views::app_detail_in(model.inventory(), model.app_rows.members(), &app, now);
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
