//! The operations' actions (`r` force-sync, `R` all ExternalSecrets of an
//! app, `f`/`F` Argo CD refresh / hard refresh, `S` Argo CD sync, `ctrl-r`
//! rollout restart), the answer to the confirmation dialog, and `:audit`.
//! Each mutation is refused in read-only mode, else asks for confirmation
//! first; a confirmed operation opens the progress panel.

use super::app_detail::Section;
use super::audit_screen::AuditScreen;
use super::confirm::{Confirm, OnYes};
use super::keymap::Action;
use super::model::Model;
use super::msg::Cmd;
use super::nav::Route;
use super::operations::OpRequest;
use super::overlay::OperationsPanel;
use super::refusal::refuse_readonly;
use crate::domain::ObjKey;
use crate::domain::views::{self, EsView};

/// `:audit`: open the screen and ask the backend for the log.
pub(crate) fn open_audit(model: &mut Model) -> Vec<Cmd> {
    model.open_overlay(AuditScreen::default());
    vec![Cmd::LoadAudit]
}

/// The answer to the confirmation dialog `c` (already closed).
pub(crate) fn on_answer(model: &mut Model, c: Confirm, yes: bool) -> Vec<Cmd> {
    if !yes {
        model.message = Some("cancelled: nothing changed".into());
        return Vec::new();
    }
    if let OnYes::SwitchContext(name) = c.on_yes {
        return super::navigate::switch_context_now(model, name);
    }
    // The context may have become read-only while the dialog was open.
    if let Some(refused) = refuse_readonly(model, &c.action) {
        return refused;
    }
    match c.on_yes {
        OnYes::Cmds(cmds) => cmds,
        OnYes::Operation(request) => {
            let id = model.operations.start(&request);
            model.open_overlay(OperationsPanel);
            vec![Cmd::RunOperation { id, request }]
        }
        OnYes::SwitchContext(name) => super::navigate::switch_context_now(model, name),
    }
}

/// The operations' actions on the current screen; nothing for an action
/// that is not one of them here.
pub(crate) fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    let request = match (model.route().clone(), action) {
        (Route::EsDetail(es), Action::ForceSync) => force_sync_one(model, &es),
        (Route::AppDetail(_), Action::Restart) => restart_selected(model),
        (Route::AppDetail(_), Action::ForceSync) => {
            match model.app_detail.as_ref().and_then(selected_es) {
                Some(es) => force_sync_one(model, &es),
                None => None,
            }
        }
        (
            _,
            Action::ForceSyncApp | Action::ArgoRefresh | Action::ArgoHardRefresh | Action::ArgoSync,
        ) => current_app(model).and_then(|app| match action {
            Action::ForceSyncApp => force_sync_app(model, &app),
            Action::ArgoSync => Some(sync_app(&app)),
            hard => Some(refresh_app(&app, hard == Action::ArgoHardRefresh)),
        }),
        _ => None,
    };
    match request {
        Some(c) => ask(model, c),
        None => Vec::new(),
    }
}

/// The ExternalSecret selected in the app detail's ExternalSecrets section.
fn selected_es(screen: &super::app_detail::AppDetailScreen) -> Option<ObjKey> {
    if screen.section != Section::ExternalSecrets {
        return None;
    }
    screen.selected_es()
}

/// `U`: re-enabling auto-sync puts Git's content back over live edits;
/// the confirmation says so before anything is sent.
pub(crate) fn confirm_resume_auto_sync(
    model: &mut Model,
    app: &str,
    action: String,
    cmd: Cmd,
    self_heal: bool,
) {
    let note = if self_heal {
        format!(
            "live edits to resources of {app} that Git declares will be reverted by Argo CD within seconds (selfHeal)"
        )
    } else {
        format!(
            "live edits to resources of {app} that Git declares will be overwritten at the next automated sync"
        )
    };
    let c = Confirm {
        title: "Re-enable auto-sync".into(),
        changes: vec![format!(
            "restore spec.syncPolicy.automated of Application {app}"
        )],
        context: String::new(),
        aws: None,
        notes: vec![note],
        action,
        on_yes: OnYes::Cmds(vec![cmd]),
    };
    ask(model, c);
}

/// The dialog (or the read-only refusal) for a prepared request.
fn ask(model: &mut Model, mut c: Confirm) -> Vec<Cmd> {
    if let Some(refused) = refuse_readonly(model, &c.action) {
        return refused;
    }
    c.context = model
        .cluster
        .info
        .as_ref()
        .map(|i| i.context.clone())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "(in-cluster)".into());
    model.open_overlay(c);
    Vec::new()
}

fn confirm(title: &str, action: String, changes: Vec<String>, request: OpRequest) -> Confirm {
    Confirm {
        title: title.to_string(),
        changes,
        context: String::new(),
        aws: None,
        notes: Vec::new(),
        action,
        on_yes: OnYes::Operation(request),
    }
}

/// The app of the apps row or the app detail.
fn current_app(model: &Model) -> Option<ObjKey> {
    match model.route() {
        Route::Apps if !model.without_argo() => model.apps.selected_row().map(|a| a.key.clone()),
        Route::AppDetail(app) => Some(app.clone()),
        _ => None,
    }
}

fn es_change(es: &ObjKey) -> String {
    format!(
        "ExternalSecret {es}: set annotation force-sync=<unix seconds now>; ESO re-reads AWS and rewrites the Secret"
    )
}

fn force_sync_one(model: &mut Model, es: &ObjKey) -> Option<Confirm> {
    let view = views::es_view(model.inventory(), es, model.data.now_or_epoch());
    if let Some(why) = view.and_then(|v| v.force_sync_ignored) {
        model.message = Some(format!(
            "force-sync of ExternalSecret {es} not sent: ESO will ignore it because {why}"
        ));
        return None;
    }
    Some(confirm(
        "Force-sync ExternalSecret",
        format!("force-sync ExternalSecret {es}"),
        vec![es_change(es)],
        OpRequest::ForceSync {
            items: vec![es.clone()],
        },
    ))
}

fn force_sync_app(model: &mut Model, app: &ObjKey) -> Option<Confirm> {
    let now = model.data.now_or_epoch();
    let detail = views::app_detail_in(model.inventory(), model.app_rows.members(), app, now)?;
    let all: Vec<&EsView> = detail.external_secrets.iter().collect();
    if all.is_empty() {
        model.message = Some(format!("app {} has no ExternalSecrets", app.name));
        return None;
    }
    let mut c = confirm(
        &format!("Force-sync every ExternalSecret of {}", app.name),
        format!("force-sync the ExternalSecrets of app {}", app.name),
        Vec::new(),
        OpRequest::ForceSync {
            items: all.iter().map(|e| e.key.clone()).collect(),
        },
    );
    for es in all {
        match &es.force_sync_ignored {
            None => c.changes.push(es_change(&es.key)),
            Some(why) => c.notes.push(format!(
                "ExternalSecret {} not annotated (reported as ignored): ESO will ignore it because {why}",
                es.key
            )),
        }
    }
    Some(c)
}

fn refresh_app(app: &ObjKey, hard: bool) -> Confirm {
    let kind = if hard { "hard" } else { "normal" };
    let mut c = confirm(
        &format!("Argo CD {kind} refresh"),
        format!("argo-refresh Application {app}"),
        vec![format!(
            "Application {app}: set annotation {}={kind}; Argo CD compares with Git and clears it",
            crate::domain::ops::annotations::ARGO_REFRESH
        )],
        OpRequest::ArgoRefresh {
            app: app.clone(),
            hard,
        },
    );
    if hard {
        c.notes
            .push("hard: Argo CD regenerates the manifests from Git (slower)".into());
    }
    c
}

fn sync_app(app: &ObjKey) -> Confirm {
    let mut c = confirm(
        "Argo CD sync",
        format!("argo-sync Application {app}"),
        vec![format!(
            "Application {app}: start a sync (prune: false): the cluster is changed to match Git"
        )],
        OpRequest::ArgoSync { app: app.clone() },
    );
    c.notes
        .push("live changes not in Git are overwritten (initiated by your OS user)".into());
    c
}

fn restart_selected(model: &mut Model) -> Option<Confirm> {
    let screen = model.app_detail.as_ref()?;
    if screen.section != Section::Workloads {
        model.message =
            Some("ctrl-r restarts a workload: pick one in the Workloads section".into());
        return None;
    }
    let w = screen
        .detail
        .as_ref()?
        .workloads
        .get(screen.selected())?
        .clone();
    let key = ObjKey::new(w.obj.namespace.clone(), w.obj.name.clone());
    if w.paused {
        model.message = Some(format!(
            "restart of {} {key} refused: the Deployment is paused (spec.paused: true); resume it first",
            w.obj.kind
        ));
        return None;
    }
    Some(confirm(
        "Rollout restart",
        format!("restart {} {key}", w.obj.kind),
        vec![
            format!(
                "{} {key}: set spec.template annotation {}=<now, RFC 3339>",
                w.obj.kind,
                crate::domain::ops::annotations::RESTARTED_AT
            ),
            format!("its {} pods are replaced by a rollout", w.pods.len()),
        ],
        OpRequest::Restart {
            kind: w.obj.kind.clone(),
            key,
        },
    ))
}
