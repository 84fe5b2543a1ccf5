//! What the rotation screen and the backend say to each other.

use crate::domain::rotation::{Journal, Plan, Progress, Sensitive};

/// Commands the rotation screen asks the backend for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RotationCmd {
    /// GetSecretValue at AWSCURRENT, for editing.
    Load {
        secret: String,
        region: Option<String>,
    },
    Run {
        plan: Plan,
        edit: String,
        doc: Sensitive,
        restart: bool,
        readonly: bool,
    },
    Rollback {
        plan: Plan,
        journal: Option<Journal>,
        restart: bool,
        readonly: bool,
    },
    /// `None`: the unfinished rotation in the journal (a retry).
    Resume {
        journal: Option<Journal>,
        readonly: bool,
    },
}

/// What the backend tells the rotation screen.
#[derive(Debug, Clone, PartialEq)]
pub enum RotationMsg {
    Loaded(Result<Sensitive, String>),
    Progress(Progress),
    Finished {
        ok: bool,
    },
    /// An unfinished rotation found in the journal at start.
    Unfinished(Box<Journal>),
}
