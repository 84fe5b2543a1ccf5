//! Kubernetes-side faults, on purpose: what a real API server (or the
//! network in front of it) does on a bad day, for tests and demos.
//!
//! In process: [`KubeFaults`] (on `SimEnv::kube_faults`). Over HTTP, on the
//! API server's own listener:
//! - `POST /_sim/faults` with one of
//!   - `{"fault":"status","code":500,"resource":"externalsecrets","verb":"patch","count":1}`:
//!     the next `count` requests (every one until cleared when `count` is
//!     absent) matching `resource` (plural) and `verb` (get, list, watch,
//!     create, update, patch, delete; both optional) are answered `code`
//!     with a `Status` as the API server words it: 401 (an expired token),
//!     403 (RBAC), 429 (with `Retry-After: retryAfter` seconds, default 1),
//!     500, 503, 504;
//!   - `{"fault":"gone","resource":"pods","count":1}`: the next watches
//!     answer 200 with one `ERROR` event, 410 Expired (the client re-lists);
//!   - `{"fault":"latency","ms":300}`: every request waits that long first;
//!   - `{"fault":"hang"}`: requests are accepted and never answered, and
//!     open watches go silent (no events, no bookmarks);
//!   - `{"fault":"drop-watches"}`: every open watch connection is closed;
//!   - `{"fault":"restart-empty"}`: the server "restarts" empty, as after an
//!     etcd restore: connections dropped, every object gone, and
//!     resourceVersions start again lower than any a client holds.
//! - `DELETE /_sim/faults` clears every pending fault, latency and hang.

use super::ApiError;
use super::Store;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;

/// One rule answering matching requests with an error.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    answer: Answer,
    resource: Option<String>,
    verb: Option<String>,
    /// `None`: until cleared.
    remaining: Option<u32>,
}

/// What a matching request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An HTTP error with the API server's `Status` body.
    Status { code: u16, retry_after: u32 },
    /// On a watch: 200 and one `ERROR` event, 410 Expired.
    Gone,
}

#[derive(Debug, Default)]
struct Inner {
    rules: Vec<Rule>,
    latency: Duration,
}

/// The fault switch of one simulated API server.
#[derive(Debug)]
pub struct KubeFaults {
    inner: Mutex<Inner>,
    /// Bumped to close every open watch.
    drops: watch::Sender<u64>,
    hang: watch::Sender<bool>,
}

impl Default for KubeFaults {
    fn default() -> Self {
        KubeFaults {
            inner: Mutex::default(),
            drops: watch::Sender::new(0),
            hang: watch::Sender::new(false),
        }
    }
}

/// A fault as posted to `/_sim/faults`.
#[derive(Debug, Deserialize)]
#[serde(tag = "fault", rename_all = "kebab-case", deny_unknown_fields)]
pub enum FaultIn {
    Status {
        code: u16,
        resource: Option<String>,
        verb: Option<String>,
        count: Option<u32>,
        #[serde(rename = "retryAfter")]
        retry_after: Option<u32>,
    },
    Gone {
        resource: Option<String>,
        count: Option<u32>,
    },
    Latency {
        ms: u64,
    },
    Hang,
    DropWatches,
    RestartEmpty,
}

const CODES: [u16; 7] = [401, 403, 429, 500, 502, 503, 504];

impl KubeFaults {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Apply a posted fault; a clear message for one that makes no sense.
    pub fn apply(&self, f: FaultIn, store: &Store) -> Result<(), String> {
        match f {
            FaultIn::Status {
                code,
                resource,
                verb,
                count,
                retry_after,
            } => {
                if !CODES.contains(&code) {
                    return Err(format!("code must be one of {CODES:?}"));
                }
                let retry_after = retry_after.unwrap_or(1).max(1);
                let answer = Answer::Status { code, retry_after };
                self.push(answer, resource.as_deref(), verb.as_deref(), count);
            }
            FaultIn::Gone { resource, count } => self.gone(resource.as_deref(), count.unwrap_or(1)),
            FaultIn::Latency { ms } => self.latency(Duration::from_millis(ms)),
            FaultIn::Hang => self.hang(),
            FaultIn::DropWatches => self.drop_watches(),
            FaultIn::RestartEmpty => self.restart_empty(store),
        }
        Ok(())
    }

    /// Answer `code` to matching requests (`count` of them, or all until
    /// cleared).
    pub fn status(
        &self,
        code: u16,
        resource: Option<&str>,
        verb: Option<&str>,
        count: Option<u32>,
    ) {
        let answer = Answer::Status {
            code,
            retry_after: 1,
        };
        self.push(answer, resource, verb, count);
    }

    fn push(&self, answer: Answer, resource: Option<&str>, verb: Option<&str>, count: Option<u32>) {
        if count == Some(0) {
            return;
        }
        self.lock().rules.push(Rule {
            answer,
            resource: resource.map(str::to_string),
            verb: verb.map(str::to_string),
            remaining: count,
        });
    }

    /// The next `count` watches (of `resource`, or any) are 410 Gone.
    pub fn gone(&self, resource: Option<&str>, count: u32) {
        self.push(Answer::Gone, resource, Some("watch"), Some(count));
    }

    pub fn latency(&self, d: Duration) {
        self.lock().latency = d;
    }

    /// Accept requests and never answer; open watches go silent.
    pub fn hang(&self) {
        self.hang.send_replace(true);
    }

    /// Close every open watch connection.
    pub fn drop_watches(&self) {
        self.drops.send_modify(|n| *n += 1);
    }

    /// Come back empty with lower resourceVersions, as after an etcd
    /// restore: watches are dropped and the store is wiped.
    pub fn restart_empty(&self, store: &Store) {
        store.restart_empty();
        self.drop_watches();
    }

    /// Clear every rule, the latency and the hang.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.rules.clear();
        inner.latency = Duration::ZERO;
        self.hang.send_replace(false);
    }

    pub fn current_latency(&self) -> Duration {
        self.lock().latency
    }

    pub fn is_hung(&self) -> bool {
        *self.hang.borrow()
    }

    /// Resolves once the hang is cleared.
    pub async fn unhung(&self) {
        let mut rx = self.hang.subscribe();
        let _ = rx.wait_for(|h| !*h).await;
    }

    /// A receiver that changes when watches are to be dropped.
    pub fn drops(&self) -> watch::Receiver<u64> {
        self.drops.subscribe()
    }

    /// Consume the first rule matching `resource` and `verb`, if any.
    pub fn take(&self, resource: &str, verb: &str) -> Option<Answer> {
        let mut inner = self.lock();
        let i = inner.rules.iter().position(|r| {
            r.resource.as_deref().is_none_or(|x| x == resource)
                && r.verb.as_deref().is_none_or(|x| x == verb)
        })?;
        let rule = &mut inner.rules[i];
        let answer = rule.answer.clone();
        if let Some(n) = &mut rule.remaining {
            *n -= 1;
            if *n == 0 {
                inner.rules.remove(i);
            }
        }
        Some(answer)
    }
}

/// The response for an injected answer, worded as the API server words it.
pub fn respond(answer: &Answer, resource: &str, verb: &str) -> Response {
    match *answer {
        Answer::Gone => {
            let e = ApiError::gone("too old resource version: 1 (2)");
            let status = e.to_status();
            super::http::watch_error(status)
        }
        Answer::Status { code, retry_after } => {
            let (reason, message) = match code {
                401 => ("Unauthorized", "Unauthorized".to_string()),
                403 => (
                    "Forbidden",
                    format!(
                        "{resource} is forbidden: User \"system:serviceaccount:secretdeck:sim\" cannot {verb} resource \"{resource}\""
                    ),
                ),
                429 => (
                    "TooManyRequests",
                    "Too many requests, please try again later.".to_string(),
                ),
                503 => (
                    "ServiceUnavailable",
                    "the server is currently unable to handle the request".to_string(),
                ),
                504 => (
                    "Timeout",
                    "the server was unable to return a response in the time allotted".to_string(),
                ),
                _ => (
                    "InternalError",
                    "Internal error occurred: etcdserver: request timed out".to_string(),
                ),
            };
            let mut body = json!({
                "kind": "Status", "apiVersion": "v1", "metadata": {},
                "status": "Failure", "message": message, "reason": reason, "code": code,
            });
            if code == 429 {
                body["details"] = json!({"retryAfterSeconds": retry_after});
            }
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut resp = super::http::json(status, body);
            if code == 429 {
                resp.headers_mut().insert(
                    "retry-after",
                    HeaderValue::from_str(&retry_after.to_string())
                        .unwrap_or(HeaderValue::from_static("1")),
                );
            }
            resp
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_rules_are_consumed_and_match_resource_and_verb() {
        let f = KubeFaults::default();
        f.status(500, Some("externalsecrets"), Some("patch"), Some(1));
        assert_eq!(f.take("externalsecrets", "get"), None);
        assert_eq!(f.take("pods", "patch"), None);
        assert!(matches!(
            f.take("externalsecrets", "patch"),
            Some(Answer::Status { code: 500, .. })
        ));
        assert_eq!(f.take("externalsecrets", "patch"), None);
    }

    #[test]
    fn uncounted_rules_last_until_cleared() {
        let f = KubeFaults::default();
        f.status(401, None, None, None);
        for _ in 0..3 {
            assert!(f.take("pods", "list").is_some());
        }
        f.hang();
        assert!(f.is_hung());
        f.clear();
        assert_eq!(f.take("pods", "list"), None);
        assert!(!f.is_hung());
    }

    #[test]
    fn posted_faults_are_checked() {
        let bad: Result<FaultIn, _> = serde_json::from_str(r#"{"fault":"status"}"#);
        assert!(bad.is_err());
        let ok: FaultIn =
            serde_json::from_str(r#"{"fault":"status","code":429,"retryAfter":3}"#).unwrap();
        let f = KubeFaults::default();
        let store = Store::new(super::super::Registry::new(
            super::super::resources::EsoVersion::V1,
            false,
        ));
        f.apply(ok, &store).unwrap();
        assert_eq!(
            f.take("pods", "list"),
            Some(Answer::Status {
                code: 429,
                retry_after: 3
            })
        );
        let teapot: FaultIn = serde_json::from_str(r#"{"fault":"status","code":418}"#).unwrap();
        assert!(f.apply(teapot, &store).unwrap_err().contains("one of"));
    }
}
