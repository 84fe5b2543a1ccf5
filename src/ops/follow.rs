//! Waiting for an object to reach a state, through a watch on that one
//! object (kube-rs `await_condition`), with a deadline. No sleeps, no
//! polling of lists.

use crate::backend::kube_words::wait_words;
use kube::Api;
use kube::api::DynamicObject;
use std::time::Duration;

/// Why a follow ended without the wanted state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowError {
    /// The deadline passed first.
    TimedOut(Duration),
    /// The object was deleted while we waited.
    Gone,
    /// The watch failed (in words).
    Watch(String),
}

impl std::fmt::Display for FollowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FollowError::TimedOut(d) => write!(f, "timed out after {}s", d.as_secs()),
            FollowError::Gone => write!(f, "the object was deleted"),
            FollowError::Watch(e) => write!(f, "watch failed: {e}"),
        }
    }
}

impl std::error::Error for FollowError {}

/// Wait until `cond` holds for the object `name` (checked on the current
/// state first, then on every change), or `timeout` passes.
pub async fn until(
    api: &Api<DynamicObject>,
    name: &str,
    timeout: Duration,
    cond: impl Fn(&DynamicObject) -> bool + Send + 'static,
) -> Result<DynamicObject, FollowError> {
    let wait = kube::runtime::wait::await_condition(
        api.clone(),
        name,
        move |obj: Option<&DynamicObject>| obj.is_none_or(&cond),
    );
    match tokio::time::timeout(timeout, wait).await {
        Err(_) => Err(FollowError::TimedOut(timeout)),
        Ok(Err(e)) => Err(FollowError::Watch(wait_words(&e))),
        Ok(Ok(None)) => Err(FollowError::Gone),
        Ok(Ok(Some(obj))) => Ok(obj),
    }
}

/// A string at a JSON pointer of an object's body (`/status/...`).
pub fn text_at(obj: &DynamicObject, pointer: &str) -> Option<String> {
    obj.data
        .pointer(pointer)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// An integer at a JSON pointer of an object's body.
pub fn int_at(obj: &DynamicObject, pointer: &str) -> Option<i64> {
    obj.data.pointer(pointer).and_then(|v| v.as_i64())
}
