//! Read-only mode and refusals, as data. `decide` is the one place that
//! says whether a kube context may be changed: given the settings
//! (`readonly_contexts` of `config.toml`), the `--readonly` flag and the
//! resolved kube context. Every command and the console ask it; every
//! mutation then asks `refuse_if_readonly` (or `Access::refusal`) before
//! writing anything.
//!
//! A refusal (read-only, or a confirmation that could not be asked or was
//! declined) is a `Refusal`: the CLI exits `EXIT_REFUSED` for it. Writing
//! it to the audit log is I/O: `ops::guard`.

/// Exit code of every command on a refusal (read-only, not confirmed).
pub const EXIT_REFUSED: u8 = 3;

/// Whether the resolved kube context may be changed, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Writable,
    /// `--readonly` was given.
    ReadOnlyFlag,
    /// The context matches this `readonly_contexts` pattern.
    ReadOnlyContext {
        pattern: String,
    },
}

/// The one decision: `--readonly`, or a `readonly_contexts` pattern that
/// matches `context`, makes it read-only.
pub fn decide(readonly_contexts: &[String], readonly_flag: bool, context: &str) -> Access {
    if readonly_flag {
        return Access::ReadOnlyFlag;
    }
    match matching_pattern(readonly_contexts, context) {
        Some(p) => Access::ReadOnlyContext {
            pattern: p.to_string(),
        },
        None => Access::Writable,
    }
}

impl Access {
    pub fn is_readonly(&self) -> bool {
        *self != Access::Writable
    }

    /// The refusal of `action` when read-only (not yet audited: see
    /// `ops::guard::CheckAccess::check`).
    pub fn refusal(&self, action: &str, context: &str) -> Result<(), Refusal> {
        let why = match self {
            Access::Writable => return Ok(()),
            Access::ReadOnlyFlag => "--readonly".to_string(),
            Access::ReadOnlyContext { pattern } => {
                format!("kube context {context} matches readonly_contexts pattern {pattern:?}")
            }
        };
        Err(Refusal::new(
            RefusalKind::ReadOnly,
            action,
            &format!(
                "read-only mode ({why}): {action} refused (start without --readonly, on a context not marked read-only, to change things)"
            ),
        ))
    }
}

/// Refuse `action` (e.g. "force-sync ExternalSecret ns/name") in read-only mode.
pub fn refuse_if_readonly(readonly: bool, action: &str) -> Result<(), ReadOnly> {
    if readonly {
        Err(ReadOnly(action.to_string()))
    } else {
        Ok(())
    }
}

/// The refusal, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOnly(pub String);

impl std::fmt::Display for ReadOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "read-only mode: {} refused (start without --readonly, on a context not marked read-only, to change things)",
            self.0
        )
    }
}

impl std::error::Error for ReadOnly {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    ReadOnly,
    /// `--yes` missing and no terminal to ask on, or the answer was no.
    NotConfirmed,
}

impl RefusalKind {
    /// The audit record's `outcome`.
    pub fn outcome(self) -> &'static str {
        match self {
            RefusalKind::ReadOnly => "refused-readonly",
            RefusalKind::NotConfirmed => "refused-not-confirmed",
        }
    }
}

/// Nothing was changed because the command was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    /// What would have been done, e.g. `rotate onthetop/backend/secrets`.
    pub action: String,
    pub message: String,
}

impl Refusal {
    pub fn new(kind: RefusalKind, action: &str, message: &str) -> Self {
        Refusal {
            kind,
            action: action.to_string(),
            message: message.to_string(),
        }
    }

    /// A confirmation that could not be asked or was declined.
    pub fn not_confirmed(action: &str, message: &str) -> Self {
        Refusal::new(RefusalKind::NotConfirmed, action, message)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

/// The exit code for an error of any command: `EXIT_REFUSED` for a
/// refusal, else `otherwise`.
pub fn exit_code_of(e: &anyhow::Error, otherwise: u8) -> u8 {
    if e.chain().any(|c| c.downcast_ref::<Refusal>().is_some()) {
        EXIT_REFUSED
    } else {
        otherwise
    }
}

/// `context` matches one of the glob `patterns` (invalid patterns never match).
pub fn readonly_for(patterns: &[String], context: &str) -> bool {
    matching_pattern(patterns, context).is_some()
}

/// The first of `patterns` that `context` matches.
pub fn matching_pattern<'a>(patterns: &'a [String], context: &str) -> Option<&'a str> {
    patterns
        .iter()
        .find(|p| glob::Pattern::new(p).is_ok_and(|g| g.matches(context)))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_refuses_with_the_action_named() {
        assert!(refuse_if_readonly(false, "x").is_ok());
        let e = refuse_if_readonly(true, "rotate onthetop/backend/secrets-properties").unwrap_err();
        assert!(
            e.to_string()
                .contains("read-only mode: rotate onthetop/backend/secrets-properties refused")
        );
    }

    #[test]
    fn the_flag_or_a_matching_pattern_decides() {
        let patterns = vec!["*prod*".to_string(), "[".to_string()];
        assert_eq!(decide(&patterns, false, "staging"), Access::Writable);
        assert_eq!(decide(&[], true, "staging"), Access::ReadOnlyFlag);
        assert_eq!(
            decide(&patterns, false, "eks-prod-1"),
            Access::ReadOnlyContext {
                pattern: "*prod*".into()
            }
        );
        assert!(decide(&patterns, true, "eks-prod-1").is_readonly());
    }

    #[test]
    fn a_refusal_is_an_exit_code() {
        let r = Refusal::not_confirmed("config-edit ConfigMap a/b key k", "no terminal");
        let e = anyhow::Error::new(r).context("while editing");
        assert_eq!(exit_code_of(&e, 2), EXIT_REFUSED);
        assert_eq!(exit_code_of(&anyhow::anyhow!("boom"), 2), 2);
    }
}
