//! What the console learns from AWS: the caller's identity, a secret's
//! metadata (versions and stages), and a revealed value, kept out of
//! Debug output and logs.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

/// STS GetCallerIdentity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsIdentity {
    pub account: String,
    pub arn: String,
}

/// DescribeSecret: versions with their stages, and when it last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct AwsSecretMeta {
    pub name: String,
    pub arn: String,
    pub region: String,
    /// (version id, stages, created), newest first when dates are known.
    pub versions: Vec<(String, Vec<String>, Option<DateTime<Utc>>)>,
    pub last_changed: Option<DateTime<Utc>>,
    /// When this was read from AWS (the screen says how old it is).
    pub read_at: Option<DateTime<Utc>>,
}

impl AwsSecretMeta {
    /// The version id holding `stage` (e.g. `AWSCURRENT`).
    pub fn version_with(&self, stage: &str) -> Option<&str> {
        self.versions
            .iter()
            .find(|(_, stages, _)| stages.iter().any(|s| s == stage))
            .map(|(id, _, _)| id.as_str())
    }
}

/// A secret value, in memory only. Debug prints `SecretValue(***)`.
#[derive(Clone)]
pub struct SecretValue {
    value: SecretString,
    /// The version id it was read from.
    pub version_id: Option<String>,
}

impl SecretValue {
    pub fn new(value: impl Into<String>, version_id: Option<String>) -> Self {
        SecretValue {
            value: SecretString::from(value.into()),
            version_id,
        }
    }

    /// The value itself: only for showing it on an explicit reveal or for
    /// listing its keys.
    pub fn expose(&self) -> &str {
        self.value.expose_secret()
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue(***)")
    }
}

impl PartialEq for SecretValue {
    fn eq(&self, other: &Self) -> bool {
        self.version_id == other.version_id && self.expose() == other.expose()
    }
}
