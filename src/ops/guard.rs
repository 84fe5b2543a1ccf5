//! Read-only mode: every mutation asks here first.

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
}
