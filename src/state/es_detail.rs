//! The ExternalSecret detail screen: its view, the AWS secrets its remote
//! refs point at (metadata, and the value, which lives only here and is
//! dropped with the screen), the timed reveal, and the screen's actions.

use super::keymap::Action;
use super::model::Ctx;
use super::msg::Cmd;
use super::nav::Go;
use super::rotation::{Mode, RotationMsg};
use crate::domain::ObjKey;
use crate::domain::aws::{AwsSecretMeta, SecretValue};
use crate::domain::views::EsView;
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::BTreeMap;

/// How long `x` shows the values.
pub const REVEAL_FOR: TimeDelta = TimeDelta::seconds(30);

/// Something asked of AWS.
#[derive(Debug, Clone, PartialEq)]
pub enum Loading<T> {
    Pending,
    Done(T),
    /// The error in words.
    Failed(String),
}

#[derive(Debug, Clone, Default)]
pub struct EsDetailScreen {
    pub key: ObjKey,
    pub view: Option<EsView>,
    /// DescribeSecret per AWS secret name.
    pub aws: BTreeMap<String, Loading<AwsSecretMeta>>,
    /// The value per AWS secret name (masked unless revealed).
    pub values: BTreeMap<String, Loading<SecretValue>>,
    /// Revealed until this time; `Some(None)` = revealed, the clock not
    /// known yet (the next `Msg::Now` starts the 30 s).
    pub reveal: Option<Option<DateTime<Utc>>>,
    /// First line shown.
    pub scroll: usize,
}

impl EsDetailScreen {
    pub fn new(key: ObjKey, view: Option<EsView>) -> Self {
        EsDetailScreen {
            key,
            view,
            ..Default::default()
        }
    }

    /// The AWS secrets its remote refs read, in order, once each.
    pub fn aws_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for r in self.view.iter().flat_map(|v| &v.remote_refs) {
            if !r.key.is_empty() && !names.contains(&r.key) {
                names.push(r.key.clone());
            }
        }
        names
    }

    /// The store's region, when it names one.
    pub fn region(&self) -> Option<String> {
        self.view.as_ref().and_then(|v| v.store.region.clone())
    }

    pub fn revealed(&self) -> bool {
        self.reveal.is_some()
    }

    /// Ask AWS again for every secret's metadata (DescribeSecret), and for
    /// the value too: what is on screen must be what AWS holds now.
    pub fn reread(&mut self) -> Vec<Cmd> {
        let region = self.region();
        let mut cmds = Vec::new();
        for name in self.aws_names() {
            self.aws.insert(name.clone(), Loading::Pending);
            self.values.insert(name.clone(), Loading::Pending);
            cmds.push(Cmd::DescribeAwsSecret {
                name: name.clone(),
                region: region.clone(),
            });
            cmds.push(Cmd::FetchAwsSecretValue {
                name,
                region: region.clone(),
            });
        }
        cmds
    }

    /// Fetch the values again (AWSCURRENT now): a reveal never shows a
    /// value read earlier.
    pub fn refetch_values(&mut self) -> Vec<Cmd> {
        let region = self.region();
        self.aws_names()
            .into_iter()
            .map(|name| {
                self.values.insert(name.clone(), Loading::Pending);
                Cmd::FetchAwsSecretValue {
                    name,
                    region: region.clone(),
                }
            })
            .collect()
    }

    /// The clock moved: start or end the reveal.
    /// The screen's actions: scroll, `x` reveal (audited), `w`/`W`.
    pub(crate) fn on_action(&mut self, action: Action, ctx: &Ctx) -> Go {
        let (now, page) = (ctx.now, ctx.page);
        match action {
            Action::Down => self.scroll += 1,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll += page,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::Top => self.scroll = 0,
            Action::Rotate => return Go::Rotation(self.key.clone(), Mode::Rotate),
            Action::Rollback => return Go::Rotation(self.key.clone(), Mode::Rollback),
            Action::Reveal => {
                if self.revealed() {
                    self.reveal = None;
                    return Go::Stay;
                }
                // Not a mutation: allowed in read-only mode, but audited.
                self.reveal = Some(now.map(|now| now + REVEAL_FOR));
                let target = format!("ExternalSecret {}", self.key);
                // AWSCURRENT as it is now, never the value read at opening.
                let mut cmds = self.refetch_values();
                cmds.extend(
                    self.aws_names()
                        .into_iter()
                        .map(|aws_secret| Cmd::AuditReveal {
                            target: target.clone(),
                            aws_secret,
                        }),
                );
                return Go::Send(cmds);
            }
            _ => {}
        }
        Go::Stay
    }

    pub(crate) fn tick(&mut self, now: DateTime<Utc>) {
        match self.reveal {
            Some(None) => self.reveal = Some(Some(now + REVEAL_FOR)),
            Some(Some(until)) if now >= until => self.reveal = None,
            _ => {}
        }
    }
}

/// Whether the rotation's news means AWS may have been written (a step
/// finished or failed, or the operation ended): the screen's AWS data is
/// then old.
pub fn after_aws_write(msg: &RotationMsg) -> bool {
    use crate::domain::rotation::StepState;
    match msg {
        RotationMsg::Finished { .. } => true,
        RotationMsg::Progress(p) => matches!(
            (p.step, &p.state),
            (
                crate::domain::rotation::StepId::Write,
                StepState::Done(_) | StepState::Failed(_)
            )
        ),
        _ => false,
    }
}
