//! Requests the simulated servers answered, by verb (Kubernetes) or
//! operation (Secrets Manager), served at `GET /_sim/requests` so a
//! benchmark can count what a client asks for while it should be idle.
//! The sim's own controllers act on the store directly and are not
//! counted; the ESO sim's Secrets Manager reads are told apart by their
//! user agent ([`ESO_APP_NAME`]).

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The app name the ESO sim's AWS client sends in its user agent.
pub const ESO_APP_NAME: &str = "external-secrets";

#[derive(Debug, Default)]
pub struct RequestCounts {
    by_name: Mutex<BTreeMap<String, u64>>,
}

impl RequestCounts {
    pub fn count(&self, name: &str) {
        let mut m = self.by_name.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry(name.to_string()).or_default() += 1;
    }

    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.by_name
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// `{"counts": {"list": 3, ...}}`
    pub fn to_json(&self) -> Value {
        json!({ "counts": self.snapshot() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_name() {
        let c = RequestCounts::default();
        c.count("list");
        c.count("watch");
        c.count("list");
        assert_eq!(c.to_json(), json!({"counts": {"list": 2, "watch": 1}}));
    }
}
