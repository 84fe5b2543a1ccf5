//! The ConfigMap editor (an overlay) and its keys: pick a key (or name a
//! new one), type the value, review the diff and the GitOps warning,
//! confirm on the named kube context, then the outcome — a 409 shows
//! theirs against yours and overwrites nothing; afterwards the stale
//! consumers and their restart.

use super::keys::{Key, KeyCode};
use super::model::Model;
use super::msg::Cmd;
use super::overlay::Reply;
use crate::domain::config_edit::{Applied, ConfigEdit, EditKind, Loaded, data_diff};
use crate::domain::gitops::{GitOps, gitops_of};
use crate::domain::views::ObjRef;
use crate::domain::{ObjKey, join::consumers_of};
use crate::gitops::GitEdit;
use std::path::{Path, PathBuf};

/// Commands of the editor, carried out by the backend (`backend::exec::config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigCmd {
    Apply {
        base: Loaded,
        edit: ConfigEdit,
    },
    GitEdit {
        repo: Option<PathBuf>,
        repo_url: Option<String>,
        source_path: String,
        base: Loaded,
        edit: ConfigEdit,
    },
    /// Pause auto-sync, then (when it paused) apply the edit.
    PauseAutoSync {
        app_namespace: String,
        app: String,
        then_apply: Option<(Loaded, ConfigEdit)>,
    },
    ResumeAutoSync {
        app_namespace: String,
        app: String,
        previous: serde_json::Value,
    },
    Restart(Vec<ObjRef>),
}

/// Their answers.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigMsg {
    Applied(Result<Applied, String>),
    GitEdited(Result<GitEdit, String>),
    Paused {
        app_namespace: String,
        app: String,
        result: Result<serde_json::Value, String>,
    },
    Resumed {
        app: String,
        result: Result<(), String>,
    },
    Restarted(Result<Vec<String>, String>),
}

/// An Application whose auto-sync the console paused (the status bar
/// reminds of it until `U` re-enables it).
#[derive(Debug, Clone, PartialEq)]
pub struct Paused {
    pub app_namespace: String,
    pub app: String,
    pub previous: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Edit,
    Add,
    Remove,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    PickKey {
        selected: usize,
    },
    KeyName {
        input: String,
    },
    Value {
        key: String,
        input: String,
    },
    Review {
        edit: ConfigEdit,
        diff: String,
        second: bool,
    },
    Working(String),
    Conflict {
        edit: ConfigEdit,
        theirs: Loaded,
    },
    Done {
        summary: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfigEditor {
    pub base: Loaded,
    pub mode: Mode,
    pub gitops: Option<GitOps>,
    /// Workloads that keep the old value until restarted (env / envFrom / subPath).
    pub stale: Vec<(ObjRef, String)>,
    pub stage: Stage,
    /// A validation or failure message.
    pub error: Option<String>,
    /// The edit being carried out (for the 409 screen and a retry).
    pub edit: Option<ConfigEdit>,
}

/// The editor's part of the model besides the editor (an overlay).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigState {
    pub paused: Vec<Paused>,
    pub gitops_repo: Option<PathBuf>,
}

impl ConfigEditor {
    pub fn keys(&self) -> Vec<&String> {
        self.base.data.keys().collect()
    }
}

/// The kube context, as confirmations name it.
pub fn context(model: &Model) -> String {
    model
        .cluster
        .info
        .as_ref()
        .map(|i| i.context.clone())
        .unwrap_or_else(|| "(unknown)".into())
}

/// Open the editor on ConfigMap `key` (from `e`, `a`, `d`).
pub fn open(model: &mut Model, key: &ObjKey, mode: Mode) -> Vec<Cmd> {
    let action = match mode {
        Mode::Edit => "edit",
        Mode::Add => "add a key to",
        Mode::Remove => "remove a key of",
    };
    let target = format!("ConfigMap {}/{}", key.namespace, key.name);
    let what = format!("{action} {target}");
    let refused = crate::domain::ops::guard::refuse_if_readonly(model.is_readonly(), &what);
    let inv = model.inventory();
    let Some(cm) = inv.config_maps.get(key) else {
        model.message = Some(format!("{target} is not loaded"));
        return Vec::new();
    };
    let apps: Vec<_> = inv.apps.values().cloned().collect();
    let stale = consumers_of(inv, "ConfigMap", &key.namespace, &key.name)
        .into_iter()
        .filter(|c| !c.channel.updates_in_place())
        .map(|c| {
            let why = format!("{}, container {}", c.channel.label(), c.container);
            (c.workload, why)
        })
        .collect();
    let base = Loaded::from_obj(cm);
    if mode != Mode::Add && base.data.is_empty() {
        model.message = Some(format!("{target} has no keys"));
        return Vec::new();
    }
    let stage = match mode {
        Mode::Add => Stage::KeyName {
            input: String::new(),
        },
        _ => Stage::PickKey { selected: 0 },
    };
    // Read-only: the refusal, in the dialog, before anything can be typed.
    let audit = match &refused {
        Ok(()) => Vec::new(),
        Err(e) => vec![Cmd::AuditRefusal {
            action: what,
            message: e.to_string(),
        }],
    };
    let (stage, stale, error) = match refused {
        Ok(()) => (stage, stale, None),
        Err(e) => (
            Stage::Done {
                summary: "nothing changed".into(),
            },
            Vec::new(),
            Some(e.to_string()),
        ),
    };
    let editor = ConfigEditor {
        gitops: gitops_of(&apps, cm),
        base,
        mode,
        stale,
        stage,
        error,
        edit: None,
    };
    model.open_overlay(editor);
    audit
}

pub(crate) fn review(ed: &mut ConfigEditor, edit: ConfigEdit) {
    match edit.check(&ed.base.data, &ed.base.binary_keys) {
        Err(e) => ed.error = Some(e.to_string()),
        Ok(EditKind::NoChange) => ed.error = Some("the value is unchanged".into()),
        Ok(_) => {
            ed.error = None;
            let diff = data_diff(&ed.base.data, &edit);
            ed.stage = Stage::Review {
                edit,
                diff,
                second: false,
            };
        }
    }
}

/// Typing into a one-line input: true when the key was taken.
fn type_into(input: &mut String, key: &Key) -> bool {
    match key.code {
        KeyCode::Char('u') if key.ctrl => input.clear(),
        KeyCode::Char(c) if !key.ctrl && !key.alt => input.push(c),
        KeyCode::Backspace => {
            input.pop();
        }
        _ => return false,
    }
    true
}

/// A key while the editor is open (it takes every key; `esc` closes it).
pub fn on_key(ed: &mut ConfigEditor, gitops_repo: Option<&Path>, key: Key) -> Reply {
    if key.code == KeyCode::Esc {
        return Reply::close();
    }
    Reply::stay(stage_key(ed, gitops_repo, key))
}

fn stage_key(ed: &mut ConfigEditor, gitops_repo: Option<&Path>, key: Key) -> Vec<Cmd> {
    let mut stage = ed.stage.clone();
    let mut cmds = Vec::new();
    match &mut stage {
        Stage::PickKey { selected } => {
            let n = ed.base.data.len();
            match key.code {
                KeyCode::Char('j') | KeyCode::Down => *selected = (*selected + 1).min(n - 1),
                KeyCode::Char('k') | KeyCode::Up => *selected = selected.saturating_sub(1),
                KeyCode::Enter => {
                    let k = ed.keys()[*selected].clone();
                    if ed.mode == Mode::Remove {
                        review(ed, ConfigEdit::remove(k));
                    } else {
                        let input = ed.base.data[&k].clone();
                        ed.stage = Stage::Value { key: k, input };
                    }
                    return cmds;
                }
                _ => {}
            }
        }
        Stage::KeyName { input } => {
            if key.code == KeyCode::Enter {
                match crate::domain::config_edit::validate_key(input) {
                    Err(e) => ed.error = Some(e.to_string()),
                    Ok(()) if ed.base.data.contains_key(input.as_str()) => {
                        ed.error = Some(format!("the key {input} exists; use e to edit it"));
                    }
                    Ok(()) => {
                        ed.error = None;
                        ed.stage = Stage::Value {
                            key: input.clone(),
                            input: String::new(),
                        };
                    }
                }
                return cmds;
            }
            type_into(input, &key);
        }
        Stage::Value { key: k, input } => {
            if key.code == KeyCode::Enter {
                review(ed, ConfigEdit::set(k.clone(), input.clone()));
                return cmds;
            }
            type_into(input, &key);
        }
        Stage::Review { edit, second, .. } => {
            let reverts = ed.gitops.as_ref().is_some_and(GitOps::reverts);
            let apply = Cmd::Config(ConfigCmd::Apply {
                base: ed.base.clone(),
                edit: edit.clone(),
            });
            match key.code {
                KeyCode::Char('y') if !reverts || *second => {
                    ed.edit = Some(edit.clone());
                    ed.stage = Stage::Working("applying…".into());
                    return vec![apply];
                }
                KeyCode::Char('l') if reverts => *second = true,
                KeyCode::Char('p') if reverts => {
                    let Some(g) = ed.gitops.clone() else {
                        return cmds;
                    };
                    ed.edit = Some(edit.clone());
                    ed.stage = Stage::Working(format!("pausing auto-sync of {}…", g.app));
                    return vec![Cmd::Config(ConfigCmd::PauseAutoSync {
                        app_namespace: g.app_namespace,
                        app: g.app,
                        then_apply: Some((ed.base.clone(), edit.clone())),
                    })];
                }
                KeyCode::Char('g') => {
                    let Some(g) = ed.gitops.clone() else {
                        return cmds;
                    };
                    ed.edit = Some(edit.clone());
                    cmds.push(Cmd::Config(ConfigCmd::GitEdit {
                        repo: gitops_repo.map(Path::to_path_buf),
                        repo_url: g.repo_url,
                        source_path: g.path.unwrap_or_default(),
                        base: ed.base.clone(),
                        edit: edit.clone(),
                    }));
                    ed.stage = Stage::Working("editing the manifest in Git…".into());
                    return cmds;
                }
                _ => {}
            }
        }
        Stage::Conflict { edit, theirs } => {
            if key.code == KeyCode::Char('r') {
                ed.base = theirs.clone();
                let edit = edit.clone();
                review(ed, edit);
                if ed.error.is_some() {
                    ed.stage = Stage::Done {
                        summary: "nothing to apply after the reload".into(),
                    };
                }
                return cmds;
            }
        }
        Stage::Done { .. } => {
            if key.code == KeyCode::Char('r') && !ed.stale.is_empty() {
                let workloads = ed.stale.iter().map(|(w, _)| w.clone()).collect();
                ed.stage = Stage::Working("restarting…".into());
                return vec![Cmd::Config(ConfigCmd::Restart(workloads))];
            }
        }
        Stage::Working(_) => {}
    }
    ed.stage = stage;
    cmds
}

pub use super::config_edit_msgs::on_msg;
