//! The ConfigMap editor's entry actions (`e`, `a`, `d` on a ConfigMap; `U`
//! re-enables a paused auto-sync) and the backend's answers.

use super::app_detail::Section;
use super::config_edit::{ConfigCmd, ConfigMsg, Mode, Paused, Stage, open, review};
use super::keymap::Action;
use super::model::Model;
use super::msg::Cmd;
use super::nav::{ListKind, Route};
use crate::domain::config_edit::Applied;

/// The ConfigMap the cursor is on (app detail's ConfigMaps section, `:cm`).
fn selected_config_map(model: &Model) -> Option<crate::domain::ObjKey> {
    match model.route() {
        Route::AppDetail(_) => {
            let screen = model.app_detail.as_ref()?;
            if screen.section != Section::ConfigMaps {
                return None;
            }
            let detail = screen.detail.as_ref()?;
            detail
                .config_maps
                .get(screen.selected())
                .map(|c| c.key.clone())
        }
        Route::List(ListKind::ConfigMaps) => model
            .lists
            .config_maps
            .selected_row()
            .map(|r| r.key.clone()),
        _ => None,
    }
}

/// The ConfigMap keys: `e`, `a`, `d` on the selected ConfigMap; `U`
/// (anywhere) re-enables the last auto-sync paused for an edit.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    let mode = match action {
        Action::ResumeAutoSync => return resume(model),
        Action::EditKey => Mode::Edit,
        Action::AddKey => Mode::Add,
        Action::DeleteKey => Mode::Remove,
        _ => return Vec::new(),
    };
    match selected_config_map(model) {
        Some(cm) => open(model, &cm, mode),
        None => Vec::new(),
    }
}

fn resume(model: &mut Model) -> Vec<Cmd> {
    let Some(p) = model.config.paused.last().cloned() else {
        return Vec::new();
    };
    let action = format!("re-enable auto-sync of Application {}", p.app);
    if let Some(refused) = super::refusal::refuse_readonly(model, &action) {
        return refused;
    }
    super::op_keys::confirm_resume_auto_sync(
        model,
        &p.app,
        action,
        Cmd::Config(ConfigCmd::ResumeAutoSync {
            app_namespace: p.app_namespace.clone(),
            app: p.app.clone(),
            previous: p.previous.clone(),
        }),
        p.previous["selfHeal"] == true,
    );
    Vec::new()
}

/// A backend answer.
pub fn on_msg(model: &mut Model, msg: ConfigMsg) -> Vec<Cmd> {
    match &msg {
        ConfigMsg::Resumed { app, result } => {
            model.message = Some(match result {
                Ok(()) => {
                    model.config.paused.retain(|p| &p.app != app);
                    format!("auto-sync of {app} re-enabled")
                }
                Err(e) => e.clone(),
            });
            return Vec::new();
        }
        ConfigMsg::Paused {
            app_namespace,
            app,
            result: Ok(previous),
        } => {
            model.config.paused.push(Paused {
                app_namespace: app_namespace.clone(),
                app: app.clone(),
                previous: previous.clone(),
            });
        }
        _ => {}
    }
    let Some(ed) = model.config_editor_mut() else {
        return Vec::new();
    };
    let back_to_review = |ed: &mut super::config_edit::ConfigEditor, e: String| {
        if let Some(edit) = ed.edit.clone() {
            review(ed, edit);
        }
        ed.error = Some(e);
    };
    match msg {
        ConfigMsg::Applied(Ok(Applied::Done { resource_version })) => {
            let key = ed.edit.as_ref().map(|e| e.key.clone()).unwrap_or_default();
            ed.error = None;
            ed.stage = Stage::Done {
                summary: format!(
                    "applied: {key} in {} (resourceVersion {} → {resource_version})",
                    ed.base.target(),
                    ed.base.resource_version
                ),
            };
        }
        ConfigMsg::Applied(Ok(Applied::Conflict { theirs })) => {
            if let Some(edit) = ed.edit.clone() {
                ed.stage = Stage::Conflict { edit, theirs };
            }
        }
        ConfigMsg::Applied(Err(e)) | ConfigMsg::GitEdited(Err(e)) => back_to_review(ed, e),
        ConfigMsg::GitEdited(Ok(g)) => {
            ed.error = None;
            ed.stage = Stage::Done {
                summary: format!(
                    "committed {} on branch {} ({}); not pushed. To publish it run:\n{}\n\n{}",
                    &g.commit[..g.commit.len().min(12)],
                    g.branch,
                    g.file.display(),
                    g.push_command,
                    g.diff
                ),
            };
        }
        ConfigMsg::Paused { result: Ok(_), .. } => {
            ed.stage = Stage::Working("auto-sync paused; applying…".into());
        }
        ConfigMsg::Paused { result: Err(e), .. } => back_to_review(ed, e),
        ConfigMsg::Restarted(Ok(names)) => {
            ed.stale.clear();
            ed.stage = Stage::Done {
                summary: format!("restarted: {}", names.join(", ")),
            };
        }
        ConfigMsg::Restarted(Err(e)) => ed.error = Some(e),
        ConfigMsg::Resumed { .. } => {}
    }
    Vec::new()
}
