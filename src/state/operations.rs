//! Operations the console runs (force-sync, Argo CD refresh/sync,
//! restart): what was asked, and each target's state as the backend
//! reports it — pending, running, then ok / failed / ignored with a message.

use crate::domain::ObjKey;
use crate::domain::ops::outcome::Outcome;

/// A mutation the user confirmed; the backend carries it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpRequest {
    /// Force-sync these ExternalSecrets (one result each).
    ForceSync { items: Vec<ObjKey> },
    /// Argo CD refresh of an Application (`hard`: regenerate manifests).
    ArgoRefresh { app: ObjKey, hard: bool },
    /// Argo CD sync of an Application.
    ArgoSync { app: ObjKey },
    /// Rollout restart of a workload (`kind`: Deployment, StatefulSet, DaemonSet).
    Restart { kind: String, key: ObjKey },
}

impl OpRequest {
    /// The audit action name.
    pub fn action(&self) -> &'static str {
        match self {
            OpRequest::ForceSync { .. } => "force-sync",
            OpRequest::ArgoRefresh { .. } => "argo-refresh",
            OpRequest::ArgoSync { .. } => "argo-sync",
            OpRequest::Restart { .. } => "restart",
        }
    }

    /// One label per target, in order.
    pub fn targets(&self) -> Vec<String> {
        match self {
            OpRequest::ForceSync { items } => items
                .iter()
                .map(|k| format!("ExternalSecret {k}"))
                .collect(),
            OpRequest::ArgoRefresh { app, .. } | OpRequest::ArgoSync { app } => {
                vec![format!("Application {app}")]
            }
            OpRequest::Restart { kind, key } => vec![format!("{kind} {key}")],
        }
    }

    /// A title for the progress panel.
    pub fn title(&self) -> String {
        match self {
            OpRequest::ForceSync { items } if items.len() == 1 => "Force-sync".into(),
            OpRequest::ForceSync { items } => format!("Force-sync {} ExternalSecrets", items.len()),
            OpRequest::ArgoRefresh { hard: true, .. } => "Argo CD hard refresh".into(),
            OpRequest::ArgoRefresh { .. } => "Argo CD refresh".into(),
            OpRequest::ArgoSync { .. } => "Argo CD sync".into(),
            OpRequest::Restart { .. } => "Rollout restart".into(),
        }
    }
}

/// Where one target of an operation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    Pending,
    Running,
    Done { outcome: Outcome, message: String },
}

impl ItemState {
    pub fn finished(&self) -> bool {
        matches!(self, ItemState::Done { .. })
    }

    /// `pending`, `running…`, `ok: …`, `failed: …`, `ignored: …`.
    pub fn words(&self) -> String {
        match self {
            ItemState::Pending => "pending".into(),
            ItemState::Running => "running…".into(),
            ItemState::Done { outcome, message } => {
                let w = match outcome {
                    Outcome::Ok => "ok",
                    Outcome::Failed => "failed",
                    Outcome::Ignored => "ignored",
                };
                format!("{w}: {message}")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub id: u64,
    pub title: String,
    pub items: Vec<(String, ItemState)>,
}

impl Operation {
    pub fn finished(&self) -> bool {
        self.items.iter().all(|(_, s)| s.finished())
    }
}

/// Every operation of this session, newest last; the progress panel (an
/// overlay, opened when one starts) shows the newest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operations {
    pub list: Vec<Operation>,
    next_id: u64,
}

impl Operations {
    /// Register a confirmed request (every target pending); its id.
    pub fn start(&mut self, request: &OpRequest) -> u64 {
        self.next_id += 1;
        self.list.push(Operation {
            id: self.next_id,
            title: request.title(),
            items: request
                .targets()
                .into_iter()
                .map(|t| (t, ItemState::Pending))
                .collect(),
        });
        self.next_id
    }

    /// The backend's news about one target.
    pub fn apply(&mut self, id: u64, index: usize, state: ItemState) {
        if let Some(op) = self.list.iter_mut().find(|o| o.id == id)
            && let Some(item) = op.items.get_mut(index)
        {
            item.1 = state;
        }
    }

    /// The operation the panel shows.
    pub fn latest(&self) -> Option<&Operation> {
        self.list.last()
    }

    /// Any operation still running.
    pub fn busy(&self) -> bool {
        self.list.iter().any(|o| !o.finished())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_go_from_pending_to_done() {
        let mut ops = Operations::default();
        let req = OpRequest::ForceSync {
            items: vec![ObjKey::new("a", "x"), ObjKey::new("a", "y")],
        };
        let id = ops.start(&req);
        assert!(ops.busy());
        assert_eq!(ops.latest().unwrap().items[1].1.words(), "pending");
        ops.apply(id, 0, ItemState::Running);
        ops.apply(
            id,
            1,
            ItemState::Done {
                outcome: Outcome::Ignored,
                message: "refreshInterval is 0".into(),
            },
        );
        ops.apply(id, 9, ItemState::Running);
        let op = ops.latest().unwrap();
        assert_eq!(op.items[0].1.words(), "running…");
        assert_eq!(op.items[1].1.words(), "ignored: refreshInterval is 0");
        assert!(!op.finished());
        assert_eq!(req.targets()[0], "ExternalSecret a/x");
    }
}
