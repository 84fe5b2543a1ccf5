//! The rotation screen's state and keys (an overlay): pick the AWS secret,
//! choose the key, type (masked) or generate the value, confirm, then
//! follow the steps. The value lives only here, as a secret, until the
//! screen closes.

use super::keys::{Key, KeyCode};
use super::model::{Ctx, Model};
use super::msg::Cmd;
use super::overlay::Reply;
use crate::domain::ObjKey;
use crate::domain::rotation::{
    Charset, Edit, Journal, Plan, Progress, Sensitive, StepId, StepState, apply_edit,
    aws_secrets_of, generate, plan,
};
use crate::domain::secret_format::{SecretFormat, detect, keys};

pub use super::rotation_msg::{RotationCmd, RotationMsg};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Rotate,
    Rollback,
    Resume(Box<Journal>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Pick(Vec<String>),
    Loading,
    ChooseKey,
    Input,
    Confirm,
    Running,
    Finished { ok: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub struct RotationScreen {
    pub es: Option<ObjKey>,
    pub plan: Plan,
    pub mode: Mode,
    pub phase: Phase,
    pub current: Option<Sensitive>,
    pub format: SecretFormat,
    /// "(whole value)" first, then the keys.
    pub choices: Vec<String>,
    pub cursor: usize,
    pub edit: Edit,
    pub input: Sensitive,
    pub show: bool,
    pub gen_len: usize,
    pub charset: Charset,
    pub error: Option<String>,
    pub restart: bool,
    /// Per workload of `plan.restarts`: left out of the restart.
    pub skip: Vec<bool>,
    pub lens: (usize, usize),
    pub doc: Option<Sensitive>,
    pub steps: Vec<(StepId, StepState)>,
    /// `b` on an unfinished rotation: the journal the rollback (once
    /// confirmed) starts from.
    pub rollback_journal: Option<Box<Journal>>,
}

pub const WHOLE: &str = crate::domain::rotation::WHOLE_LABEL;

impl RotationScreen {
    fn new(es: Option<ObjKey>, plan: Plan, mode: Mode, phase: Phase) -> Self {
        let skip = vec![false; plan.restarts.len()];
        RotationScreen {
            es,
            plan,
            mode,
            phase,
            current: None,
            format: SecretFormat::Plain,
            choices: vec![],
            cursor: 0,
            edit: Edit::Whole,
            input: Sensitive::new(""),
            show: false,
            gen_len: 32,
            charset: Charset::Alphanumeric,
            error: None,
            restart: true,
            skip,
            lens: (0, 0),
            doc: None,
            steps: StepId::ALL
                .iter()
                .map(|s| (*s, StepState::Pending))
                .collect(),
            rollback_journal: None,
        }
    }

    fn set_step(&mut self, p: Progress) {
        if let Some(slot) = self.steps.iter_mut().find(|(s, _)| *s == p.step) {
            slot.1 = p.state;
        }
    }
}

/// `w` on an ExternalSecret: open the rotation for the AWS secret it reads.
pub fn open(model: &mut Model, es: ObjKey, mode: Mode) -> Vec<Cmd> {
    let action = if mode == Mode::Rollback {
        "roll back"
    } else {
        "rotate"
    };
    let what = format!("{action} the secret of ExternalSecret {es}");
    if let Some(refused) = super::refusal::refuse_readonly(model, &what) {
        return refused;
    }
    let secrets = aws_secrets_of(model.inventory(), &es);
    match secrets.as_slice() {
        [] => {
            model.message = Some(format!("ExternalSecret {es} reads no AWS secret by name"));
            vec![]
        }
        [one] => {
            let (screen, cmds) = start(model.inventory(), Some(es), one, mode);
            model.open_overlay(screen);
            cmds
        }
        many => {
            let p = plan(model.inventory(), &many[0]);
            model.open_overlay(RotationScreen::new(
                Some(es),
                p,
                mode,
                Phase::Pick(many.to_vec()),
            ));
            vec![]
        }
    }
}

/// The screen for one AWS secret, and the read of its value (none for a
/// rollback: it starts at its confirmation).
fn start(
    inventory: &crate::domain::Inventory,
    es: Option<ObjKey>,
    secret: &str,
    mode: Mode,
) -> (RotationScreen, Vec<Cmd>) {
    let p = plan(inventory, secret);
    let region = p.region.clone();
    let rollback = mode == Mode::Rollback;
    let phase = if rollback {
        Phase::Confirm
    } else {
        Phase::Loading
    };
    let screen = RotationScreen::new(es, p, mode, phase);
    if rollback {
        return (screen, vec![]);
    }
    let cmds = vec![Cmd::Rotation(Box::new(RotationCmd::Load {
        secret: secret.to_string(),
        region,
    }))];
    (screen, cmds)
}

pub fn on_msg(model: &mut Model, msg: RotationMsg) -> Vec<Cmd> {
    if let RotationMsg::Unfinished(j) = msg {
        if model.rotation().is_none() {
            let p = j.plan.clone();
            let steps = steps_reached(&j);
            let mut screen = RotationScreen::new(None, p, Mode::Resume(j), Phase::Confirm);
            screen.steps = steps;
            model.open_overlay(screen);
        }
        return vec![];
    }
    let Some(s) = model.rotation_mut() else {
        return vec![];
    };
    match msg {
        RotationMsg::Loaded(Ok(v)) if s.phase == Phase::Loading => {
            s.format = detect(v.expose());
            s.choices = std::iter::once(WHOLE.to_string())
                .chain(keys(v.expose()))
                .collect();
            s.current = Some(v);
            s.phase = Phase::ChooseKey;
        }
        RotationMsg::Loaded(Err(e)) => s.error = Some(e),
        RotationMsg::Progress(p) => s.set_step(p),
        RotationMsg::Finished { ok } => s.phase = Phase::Finished { ok },
        _ => {}
    }
    vec![]
}

/// A key while the rotation is shown (it takes every key). `esc` closes
/// it (and drops the value) unless a step runs.
pub fn on_key(s: &mut RotationScreen, ctx: &Ctx, key: Key) -> Reply {
    let readonly = ctx.readonly;
    let running = s.phase == Phase::Running;
    if key.code == KeyCode::Esc && !running {
        // Closing drops the value.
        return Reply::close();
    }
    let cmds = |cmd: RotationCmd| Reply::stay(vec![Cmd::Rotation(Box::new(cmd))]);
    match s.phase.clone() {
        Phase::Pick(names) => match key.code {
            KeyCode::Char('j') | KeyCode::Down => s.cursor = (s.cursor + 1).min(names.len() - 1),
            KeyCode::Char('k') | KeyCode::Up => s.cursor = s.cursor.saturating_sub(1),
            KeyCode::Enter => {
                let (es, mode, name) = (s.es.clone(), s.mode.clone(), names[s.cursor].clone());
                let (screen, cmds) = start(ctx.inventory, es, &name, mode);
                *s = screen;
                return Reply::stay(cmds);
            }
            _ => {}
        },
        Phase::Loading | Phase::Running => {}
        Phase::ChooseKey => match key.code {
            KeyCode::Char('j') | KeyCode::Down => {
                s.cursor = (s.cursor + 1).min(s.choices.len().saturating_sub(1))
            }
            KeyCode::Char('k') | KeyCode::Up => s.cursor = s.cursor.saturating_sub(1),
            KeyCode::Enter => {
                s.edit = if s.cursor == 0 {
                    Edit::Whole
                } else {
                    Edit::Key(s.choices[s.cursor].clone())
                };
                s.phase = Phase::Input;
                s.error = None;
            }
            _ => {}
        },
        Phase::Input => on_input_key(s, key),
        Phase::Confirm => match (&s.mode, key.code) {
            (_, KeyCode::Char('a')) => s.restart = !s.restart,
            (_, KeyCode::Char('j') | KeyCode::Down) => {
                s.cursor = (s.cursor + 1).min(s.skip.len().saturating_sub(1))
            }
            (_, KeyCode::Char('k') | KeyCode::Up) => s.cursor = s.cursor.saturating_sub(1),
            (_, KeyCode::Char(' ')) => {
                if let Some(x) = s.skip.get_mut(s.cursor) {
                    *x = !*x;
                }
            }
            (Mode::Rotate, KeyCode::Enter | KeyCode::Char('y')) => {
                let Some(doc) = s.doc.clone() else {
                    return Reply::default();
                };
                s.phase = Phase::Running;
                return cmds(RotationCmd::Run {
                    plan: chosen(s),
                    edit: s.edit.label(),
                    doc,
                    restart: s.restart,
                    readonly,
                });
            }
            // `b` asks first, as `W` does: the rollback's own confirmation.
            (Mode::Resume(j), KeyCode::Char('b')) => {
                s.rollback_journal = Some(j.clone());
                s.mode = Mode::Rollback;
                s.cursor = 0;
            }
            (Mode::Rollback, KeyCode::Enter | KeyCode::Char('y')) => {
                let journal = s.rollback_journal.as_deref().cloned();
                s.phase = Phase::Running;
                s.steps = pending_steps();
                return cmds(RotationCmd::Rollback {
                    plan: chosen(s),
                    journal,
                    restart: s.restart,
                    readonly,
                });
            }
            (Mode::Resume(j), KeyCode::Char('r')) => {
                let journal = Some((**j).clone());
                s.phase = Phase::Running;
                return cmds(RotationCmd::Resume { journal, readonly });
            }
            _ => {}
        },
        Phase::Finished { ok } => match key.code {
            // Retry from the journal (same token: never a second version).
            KeyCode::Char('r') if !ok && s.mode == Mode::Rotate && written(s) => {
                s.phase = Phase::Running;
                return cmds(RotationCmd::Resume {
                    journal: None,
                    readonly,
                });
            }
            KeyCode::Char('b') if !ok && s.mode == Mode::Rotate && written(s) => {
                s.mode = Mode::Rollback;
                s.phase = Phase::Running;
                s.steps = pending_steps();
                return cmds(RotationCmd::Rollback {
                    plan: chosen(s),
                    journal: None,
                    restart: s.restart,
                    readonly,
                });
            }
            KeyCode::Enter | KeyCode::Char('q') => return Reply::close(),
            _ => {}
        },
    }
    Reply::default()
}

fn pending_steps() -> Vec<(StepId, StepState)> {
    StepId::ALL
        .iter()
        .map(|x| (*x, StepState::Pending))
        .collect()
}

/// The steps of an unfinished rotation as its journal records them: the
/// ones it reached are done, the rest pending.
pub fn steps_reached(j: &Journal) -> Vec<(StepId, StepState)> {
    use crate::domain::rotation::Reached;
    let done = match j.reached {
        Reached::Prepared | Reached::RolledBack | Reached::Abandoned => 0,
        Reached::Written => 1,
        Reached::Synced => 2,
        Reached::Done => 4,
    };
    StepId::ALL
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let state = if i >= done {
                StepState::Pending
            } else {
                StepState::Done(match step {
                    StepId::Write => format!("version {} is AWSCURRENT", j.token),
                    StepId::Sync => "every reader synced".to_string(),
                    _ => "done".to_string(),
                })
            };
            (*step, state)
        })
        .collect()
}

/// The plan with only the workloads chosen for a restart.
fn chosen(s: &RotationScreen) -> Plan {
    let mut p = s.plan.clone();
    p.restarts = p
        .restarts
        .into_iter()
        .zip(&s.skip)
        .filter(|(_, skip)| !**skip)
        .map(|(w, _)| w)
        .collect();
    p
}

/// The Write step finished: there is something to retry or roll back.
pub fn written(s: &RotationScreen) -> bool {
    s.steps
        .iter()
        .any(|(id, st)| *id == StepId::Write && matches!(st, StepState::Done(_)))
}

fn on_input_key(s: &mut RotationScreen, key: Key) {
    let mut text = s.input.expose().to_string();
    match key.code {
        KeyCode::Char('r') if key.ctrl => s.show = !s.show,
        KeyCode::Char('g') if key.ctrl => {
            text = generate(s.gen_len, s.charset).expose_secret_string()
        }
        KeyCode::Char('t') if key.ctrl => s.charset = s.charset.next(),
        KeyCode::Char('u') if key.ctrl => text.clear(),
        KeyCode::Up => s.gen_len = (s.gen_len + 4).min(4096),
        KeyCode::Down => s.gen_len = s.gen_len.saturating_sub(4).max(8),
        KeyCode::Char(c) if !key.ctrl && !key.alt => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Enter => {
            let Some(cur) = &s.current else { return };
            match apply_edit(cur.expose(), s.format, &s.edit, &text) {
                Ok(e) => {
                    s.lens = (e.old_len, e.new_len);
                    s.doc = Some(Sensitive(e.document));
                    s.error = None;
                    s.phase = Phase::Confirm;
                    s.cursor = 0;
                }
                Err(e) => s.error = Some(e.to_string()),
            }
        }
        _ => {}
    }
    s.input = Sensitive::new(text);
}

trait ExposeString {
    fn expose_secret_string(&self) -> String;
}

impl ExposeString for secrecy::SecretString {
    fn expose_secret_string(&self) -> String {
        use secrecy::ExposeSecret;
        self.expose_secret().to_string()
    }
}

/// What to say on the terminal (once it is restored) when the console
/// exits while a rotation or rollback is running: that it is unfinished,
/// the step it reached, and how to go on. `None` when nothing runs.
pub fn unfinished_notice(model: &Model) -> Option<String> {
    let s = model.rotation()?;
    if s.phase != Phase::Running {
        return None;
    }
    let what = if s.mode == Mode::Rollback {
        "rollback"
    } else {
        "rotation"
    };
    let last_done = s
        .steps
        .iter()
        .rev()
        .find(|(_, st)| matches!(st, StepState::Done(_) | StepState::Skipped(_)))
        .map(|(id, _)| id.label());
    let at = s
        .steps
        .iter()
        .find(|(_, st)| !matches!(st, StepState::Done(_) | StepState::Skipped(_)))
        .map(|(id, _)| id.label())
        .unwrap_or("Done");
    let reached = match last_done {
        Some(step) => format!("the last step done is {step}"),
        None => "no step finished (the write may or may not have happened)".to_string(),
    };
    let es =
        s.es.as_ref()
            .map(|k| format!("{}/{}", k.namespace, k.name))
            .or_else(|| {
                s.plan
                    .readers
                    .first()
                    .map(|r| format!("{}/{}", r.namespace, r.name))
            })
            .unwrap_or_else(|| "NAMESPACE/NAME".to_string());
    Some(format!(
        "secretdeck: the {what} of AWS secret {secret} is UNFINISHED: stopped at step {at}; {reached}.\n\
         To go on: start secretdeck again; it offers the unfinished rotation (r resume, b roll back).\n\
         Or roll it back from the shell: secretdeck rollback {es}",
        secret = s.plan.aws_secret,
    ))
}
