//! The `/` fuzzy filter: which rows match the typed text, and which
//! characters matched (for highlighting).

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// The filter of one table: the text typed after `/`, and whether it is
/// still being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: String,
    /// Keys go into the filter text (between `/` and `enter`/`esc`).
    pub editing: bool,
}

impl Filter {
    pub fn is_active(&self) -> bool {
        !self.text.is_empty()
    }
}

/// Fuzzy matching with the skim algorithm (smart case).
pub struct Matcher {
    inner: SkimMatcherV2,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            inner: SkimMatcherV2::default().smart_case(),
        }
    }
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Matcher")
    }
}

impl Matcher {
    /// The score and the matched character positions (char indices) of
    /// `pattern` in `subject`, or `None` when it does not match. An empty
    /// pattern matches everything with no highlighted characters.
    pub fn matches(&self, subject: &str, pattern: &str) -> Option<(i64, Vec<usize>)> {
        if pattern.is_empty() {
            return Some((0, Vec::new()));
        }
        self.inner.fuzzy_indices(subject, pattern)
    }

    /// Whether `pattern` matches `subject` (no positions: cheaper).
    pub fn is_match(&self, subject: &str, pattern: &str) -> bool {
        pattern.is_empty() || self.inner.fuzzy_match(subject, pattern).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_indices_are_char_positions() {
        let m = Matcher::default();
        let (_, idx) = m.matches("payments-api", "pay").expect("match");
        assert_eq!(idx, vec![0, 1, 2]);
        assert!(m.matches("payments-api", "zzz").is_none());
        assert_eq!(m.matches("x", ""), Some((0, vec![])));
    }
}
