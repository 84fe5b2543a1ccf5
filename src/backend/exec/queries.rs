//! AWS reads the console asks for: the caller identity (once, at start),
//! a secret's metadata, and its value on an explicit reveal. Each answers
//! with its `Msg`.

use crate::backend::aws::Aws;
use crate::state::Msg;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// The caller identity -> `Msg::AwsIdentity`; its ARN is kept in
/// `identity` for audit records.
pub(super) fn identity(aws: Arc<Aws>, identity: Arc<Mutex<Option<String>>>, tx: mpsc::Sender<Msg>) {
    tokio::spawn(async move {
        let result = aws.identity().await;
        if let Ok(id) = &result {
            *identity.lock().unwrap_or_else(|p| p.into_inner()) = Some(id.arn.clone());
        }
        let _ = tx.send(Msg::AwsIdentity(result)).await;
    });
}

/// `Cmd::DescribeAwsSecret` -> `Msg::AwsDescribed`.
pub(super) fn describe(aws: Arc<Aws>, name: String, region: Option<String>, tx: mpsc::Sender<Msg>) {
    tokio::spawn(async move {
        let result = aws.describe(&name, region.as_deref()).await;
        let _ = tx.send(Msg::AwsDescribed { name, result }).await;
    });
}

/// `Cmd::FetchAwsSecretValue` -> `Msg::AwsValue`.
pub(super) fn value(aws: Arc<Aws>, name: String, region: Option<String>, tx: mpsc::Sender<Msg>) {
    tokio::spawn(async move {
        let result = aws.value(&name, region.as_deref()).await;
        let _ = tx.send(Msg::AwsValue { name, result }).await;
    });
}
