//! AWS-shaped errors of the Secrets Manager endpoint.
//!
//! Messages follow what the service answers; none of them ever carries a
//! secret value.

use std::fmt;

/// An error as the service reports it: the `__type` code, the message and
/// the HTTP status of the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmError {
    pub code: String,
    pub message: String,
    pub status: u16,
}

impl fmt::Display for SmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for SmError {}

impl SmError {
    pub fn new(code: &str, message: impl Into<String>, status: u16) -> Self {
        SmError {
            code: code.to_string(),
            message: message.into(),
            status,
        }
    }

    fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, message, 400)
    }

    pub fn secret_not_found() -> Self {
        Self::bad_request(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret.",
        )
    }

    pub fn stage_not_found(stage: &str) -> Self {
        Self::bad_request(
            "ResourceNotFoundException",
            format!(
                "Secrets Manager can't find the specified secret value for staging label: {stage}"
            ),
        )
    }

    pub fn version_not_found(version_id: &str) -> Self {
        Self::bad_request(
            "ResourceNotFoundException",
            format!(
                "Secrets Manager can't find the specified secret value for VersionId: {version_id}"
            ),
        )
    }

    pub fn resource_exists(message: impl Into<String>) -> Self {
        Self::bad_request("ResourceExistsException", message)
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::bad_request("InvalidParameterException", message)
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::bad_request("InvalidRequestException", message)
    }

    pub fn invalid_next_token() -> Self {
        Self::bad_request(
            "InvalidNextTokenException",
            "The NextToken value is invalid.",
        )
    }

    pub fn marked_for_deletion() -> Self {
        Self::invalid_request(
            "You can't perform this operation on the secret because it was marked for deletion.",
        )
    }

    /// A model constraint violation, worded like the service's request
    /// validation (the offending value is never echoed).
    pub fn validation(member: &str, constraint: &str) -> Self {
        Self::bad_request(
            "ValidationException",
            format!(
                "1 validation error detected: Value at '{member}' failed to satisfy constraint: {constraint}"
            ),
        )
    }

    pub fn serialization(message: impl Into<String>) -> Self {
        Self::bad_request("SerializationException", message)
    }

    pub fn unknown_operation(target: &str) -> Self {
        let shown: String = target.chars().take(128).collect();
        Self::bad_request(
            "UnknownOperationException",
            format!("Unknown operation {shown}"),
        )
    }

    /// An injected fault: `code` with the message and status the service
    /// gives for it. `operation` is the API action, `identity` the caller's
    /// access key id, `resource` the secret id of the request.
    pub fn injected(
        code: &str,
        operation: &str,
        account_id: &str,
        identity: &str,
        resource: &str,
    ) -> Self {
        match code {
            "AccessDeniedException" => Self::bad_request(
                code,
                format!(
                    "User: arn:aws:iam::{account_id}:user/{identity} is not authorized to perform: \
                     secretsmanager:{operation} on resource: {resource} because no identity-based \
                     policy allows the secretsmanager:{operation} action"
                ),
            ),
            "ThrottlingException" => Self::bad_request(code, "Rate exceeded"),
            "ExpiredTokenException" => Self::bad_request(
                code,
                "The security token included in the request is expired",
            ),
            "UnrecognizedClientException" => Self::bad_request(
                code,
                "The security token included in the request is invalid.",
            ),
            "InternalServiceError" | "InternalFailure" => {
                Self::new(code, "An internal error occurred.", 500)
            }
            "ServiceUnavailable" | "ServiceUnavailableException" => Self::new(
                code,
                "The service is unavailable. Please try again later.",
                503,
            ),
            "DecryptionFailure" => Self::bad_request(
                code,
                "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
            ),
            "ResourceNotFoundException" => Self::secret_not_found(),
            "LimitExceededException" => Self::bad_request(
                code,
                "The request failed because it would exceed one of the Secrets Manager quotas.",
            ),
            other => Self::bad_request(other, format!("Simulated {other} for {operation}")),
        }
    }
}
