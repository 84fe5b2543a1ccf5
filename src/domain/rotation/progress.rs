//! A rotation's steps as they are reported: which step (Write, Sync,
//! Restart, Done), where it stands, and how the whole operation ended.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepId {
    Write,
    Sync,
    Restart,
    Done,
}

impl StepId {
    pub const ALL: [StepId; 4] = [StepId::Write, StepId::Sync, StepId::Restart, StepId::Done];

    pub fn label(self) -> &'static str {
        match self {
            StepId::Write => "Write",
            StepId::Sync => "Sync",
            StepId::Restart => "Restart",
            StepId::Done => "Done",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepState {
    Pending,
    Running(String),
    Done(String),
    Failed(String),
    Skipped(String),
}

/// One step's news.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub step: StepId,
    pub state: StepState,
}

/// How an operation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The step that failed, with the message; `None` when all went well.
    pub failed: Option<(StepId, String)>,
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    pub restarted: Vec<String>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.failed.is_none()
    }
}
