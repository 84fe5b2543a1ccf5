//! Request constraints of the service model: value sizes, labels, tokens
//! and names.

use super::errors::SmError;
use super::state::SecretValue;

/// Largest SecretString / SecretBinary, in bytes.
pub const MAX_VALUE_BYTES: usize = 65_536;

impl SecretValue {
    /// Checks the model's length constraints (1..=65,536 bytes).
    pub fn validate(&self) -> Result<(), SmError> {
        let (member, len) = match self {
            SecretValue::String(s) => ("secretString", s.len()),
            SecretValue::Binary(b) => ("secretBinary", b.len()),
        };
        if len > MAX_VALUE_BYTES {
            return Err(SmError::validation(
                member,
                "Member must have length less than or equal to 65536",
            ));
        }
        if len == 0 {
            return Err(SmError::validation(
                member,
                "Member must have length greater than or equal to 1",
            ));
        }
        Ok(())
    }
}

/// Label list constraints of the model: 1..=20 labels of 1..=256 chars.
pub fn validate_stages(stages: &[String]) -> Result<(), SmError> {
    if stages.is_empty() {
        return Err(SmError::validation(
            "versionStages",
            "Member must have length greater than or equal to 1",
        ));
    }
    if stages.len() > 20 {
        return Err(SmError::validation(
            "versionStages",
            "Member must have length less than or equal to 20",
        ));
    }
    if stages.iter().any(|s| s.is_empty() || s.len() > 256) {
        return Err(SmError::validation(
            "versionStages",
            "Member must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 1]",
        ));
    }
    Ok(())
}

/// Checks a ClientRequestToken (32–64 characters).
pub fn validate_token(token: &str) -> Result<(), SmError> {
    let n = token.chars().count();
    if !(32..=64).contains(&n) {
        return Err(SmError::invalid_parameter(
            "ClientRequestToken must be 32-64 characters long.",
        ));
    }
    Ok(())
}

/// Checks a secret name: 1..=512 of `A-Za-z0-9/_+=.@-`.
pub fn validate_name(name: &str) -> Result<(), SmError> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c));
    if name.is_empty() || name.len() > 512 || !ok_chars {
        return Err(SmError::invalid_parameter(
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
        ));
    }
    Ok(())
}
