//! Paged lists (`limit` and `continue`), as the API server pages them: a
//! page of at most `limit` objects in key order, a `continue` token naming
//! the list's resourceVersion and the last object returned, and
//! `remainingItemCount` when no selector was given. Pages after the first
//! read the objects as they are now and report the first page's
//! resourceVersion, so a watch from it replays whatever changed meanwhile.

use super::super::ApiError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// Where a paged list goes on from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Continue {
    pub rv: u64,
    pub namespace: String,
    pub name: String,
}

impl Continue {
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    pub fn decode(token: &str) -> Result<Self, ApiError> {
        URL_SAFE_NO_PAD
            .decode(token.trim_end_matches('='))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| ApiError::bad_request("The provided continue parameter is not valid"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_garbage_is_a_bad_request() {
        let c = Continue {
            rv: 42,
            namespace: "team-a".into(),
            name: "svc".into(),
        };
        assert_eq!(Continue::decode(&c.encode()).unwrap(), c);
        let e = Continue::decode("not a token").unwrap_err();
        assert_eq!(e.code, 400);
    }
}
