//! Read-only mode in the console: `--readonly` holds on every context; a
//! `readonly_contexts` pattern of the user's config holds while the kube
//! context in use matches it.

/// Whether the console may change anything, and why not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOnly {
    /// `--readonly` was given: read-only on every context.
    pub flag: bool,
    /// Contexts (glob patterns) that are read-only, from the user's config.
    pub patterns: Vec<String>,
    /// The kube context in use matches one of `patterns`.
    pub current: bool,
}

impl ReadOnly {
    pub fn new(flag: bool) -> Self {
        ReadOnly {
            flag,
            ..Default::default()
        }
    }

    /// Refuse every mutation.
    pub fn is_readonly(&self) -> bool {
        self.flag || self.current
    }

    /// The kube context in use is now `context`.
    pub fn on_context(&mut self, context: &str) {
        self.current = crate::domain::ops::guard::readonly_for(&self.patterns, context);
    }

    /// `context` is read-only by the configuration (not by the flag).
    pub fn by_config(&self, context: &str) -> bool {
        crate::domain::ops::guard::readonly_for(&self.patterns, context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_holds_everywhere_patterns_follow_the_context() {
        let mut access = ReadOnly {
            patterns: vec!["*prod*".into()],
            ..ReadOnly::new(false)
        };
        access.on_context("staging");
        assert!(!access.is_readonly());
        access.on_context("eks-prod-eu");
        assert!(access.is_readonly());
        access.on_context("staging");
        assert!(!access.is_readonly());
        access.flag = true;
        assert!(access.is_readonly());
    }
}
