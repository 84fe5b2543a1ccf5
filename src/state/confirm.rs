//! The confirmation every mutation goes through: a title, the exact
//! changes, the kube context (and the AWS account/region when AWS is
//! touched), notes; `y`/`enter` confirms, `n`/`esc` cancels.

use super::keys::{Key, KeyCode};
use super::msg::Cmd;
use super::operations::OpRequest;

/// What a confirmed dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnYes {
    /// Start an operation (shown in the progress panel).
    Operation(OpRequest),
    /// Hand these commands to the backend.
    Cmds(Vec<Cmd>),
    /// Switch to this kube context: not a change to any cluster, so allowed
    /// in read-only mode.
    SwitchContext(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    /// One line per change, exactly what will be written.
    pub changes: Vec<String>,
    /// The kube context the change goes to.
    pub context: String,
    /// `AWS account …, region …` when AWS is written.
    pub aws: Option<String>,
    /// What to know before saying yes (what will be skipped, and why).
    pub notes: Vec<String>,
    /// The action's name for the read-only refusal (e.g. `force-sync ExternalSecret ns/x`).
    pub action: String,
    pub on_yes: OnYes,
}

/// The user's answer to a key, if it is one.
pub fn answer(key: Key) -> Option<bool> {
    if key.ctrl || key.alt {
        return None;
    }
    match key.code {
        KeyCode::Char('y' | 'Y') | KeyCode::Enter => Some(true),
        KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_and_enter_confirm_n_and_esc_cancel() {
        assert_eq!(answer(Key::char('y')), Some(true));
        assert_eq!(answer(Key::new(KeyCode::Enter)), Some(true));
        assert_eq!(answer(Key::char('n')), Some(false));
        assert_eq!(answer(Key::new(KeyCode::Esc)), Some(false));
        assert_eq!(answer(Key::char('x')), None);
    }
}
