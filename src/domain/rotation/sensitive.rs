//! A secret value that can travel in messages and commands: never printed
//! (Debug shows `[redacted]`), compared without revealing it.

use secrecy::{ExposeSecret, SecretString};

#[derive(Clone)]
pub struct Sensitive(pub SecretString);

impl Sensitive {
    pub fn new(s: impl Into<String>) -> Self {
        Sensitive(SecretString::from(s.into()))
    }
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
    pub fn len(&self) -> usize {
        self.expose().chars().count()
    }
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl std::fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl PartialEq for Sensitive {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Sensitive {}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_never_shows_the_value() {
        let s = super::Sensitive::new("hunter2");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(s.len(), 7);
    }
}
