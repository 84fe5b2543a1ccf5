//! Errors from AWS reach the screen as words with what to do next, never
//! as Rust debug text (`DispatchFailure { source: ConnectorError … }`).

use crate::support;

use secretdeck::backend::aws::words;

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn looks_like_debug(text: &str) -> bool {
    [
        "DispatchFailure",
        "ConnectorError",
        " { ",
        "source:",
        "Some(",
        "kind:",
    ]
    .iter()
    .any(|d| text.contains(d))
}

#[tokio::test]
async fn an_unreachable_endpoint_is_said_in_words_with_what_to_check() {
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let sm = support::sm_client(&endpoint, "eu-west-1");
    let err = sm
        .describe_secret()
        .secret_id("app/db")
        .send()
        .await
        .expect_err("nothing listens there");
    let text = words("DescribeSecret", &err);
    assert!(!looks_like_debug(&text), "debug text in: {text}");
    assert!(
        text.starts_with("DescribeSecret: cannot reach Secrets Manager: connection refused"),
        "{text}"
    );
    assert!(
        text.contains("check the network/VPN and the endpoint"),
        "{text}"
    );
}

#[test]
fn service_errors_and_expired_credentials_say_what_to_do() {
    use aws_sdk_secretsmanager::error::{ErrorMetadata, SdkError};
    use aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretError;
    let expired = DescribeSecretError::generic(
        ErrorMetadata::builder()
            .code("ExpiredTokenException")
            .message("The security token included in the request is expired")
            .build(),
    );
    let err: SdkError<DescribeSecretError, ()> = SdkError::service_error(expired, ());
    let text = words("DescribeSecret", &err);
    assert!(!looks_like_debug(&text), "{text}");
    assert!(
        text.contains("expired") && text.contains("aws sso login"),
        "how to re-authenticate: {text}"
    );
    let other = DescribeSecretError::generic(
        ErrorMetadata::builder()
            .code("LimitExceededException")
            .message("too many versions\nsecond line")
            .build(),
    );
    let err: SdkError<DescribeSecretError, ()> = SdkError::service_error(other, ());
    assert_eq!(
        words("DescribeSecret", &err),
        "DescribeSecret: LimitExceededException: too many versions"
    );
}
