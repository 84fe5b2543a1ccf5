//! Query parameters and the headers that shape a request.

use crate::kube::ApiError;
use crate::kube::selectors::Selectors;
use axum::extract::Query;
use axum::http::{HeaderMap, Uri, header};
use serde::Deserialize;
use std::time::Duration;

/// The query parameters the server honours; others are accepted and ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    pub watch: Option<String>,
    pub resource_version: Option<String>,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    pub timeout_seconds: Option<String>,
    pub allow_watch_bookmarks: Option<String>,
    pub send_initial_events: Option<String>,
    pub field_manager: Option<String>,
    pub dry_run: Option<String>,
    pub limit: Option<String>,
    #[serde(rename = "continue")]
    pub continue_: Option<String>,
}

fn truthy(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("true" | "1"))
}

impl Params {
    pub fn from_uri(uri: &Uri) -> Result<Self, ApiError> {
        if uri.query().is_none() {
            return Ok(Params::default());
        }
        Query::<Params>::try_from_uri(uri)
            .map(|q| q.0)
            .map_err(|e| {
                ApiError::bad_request(format!("invalid query parameters: {}", e.body_text()))
            })
    }

    pub fn is_watch(&self) -> bool {
        truthy(&self.watch)
    }

    pub fn bookmarks(&self) -> bool {
        truthy(&self.allow_watch_bookmarks)
    }

    pub fn send_initial_events(&self) -> bool {
        truthy(&self.send_initial_events)
    }

    pub fn dry_run(&self) -> bool {
        self.dry_run.as_deref().is_some_and(|d| d == "All")
    }

    pub fn selectors(&self) -> Result<Selectors, ApiError> {
        Selectors::parse(
            self.label_selector.as_deref(),
            self.field_selector.as_deref(),
        )
    }

    /// Paging of a list: the page size and where to go on from, or
    /// `None` for everything at once (no `limit`, or `0`).
    pub fn page(&self) -> Result<Option<(usize, Option<super::paging::Continue>)>, ApiError> {
        let limit = match self.limit.as_deref() {
            None | Some("") => None,
            Some(l) => Some(l.parse::<usize>().map_err(|_| {
                ApiError::bad_request(format!("invalid limit {l:?}: expected an integer"))
            })?),
        }
        .filter(|l| *l > 0);
        let cont = match self.continue_.as_deref() {
            None | Some("") => None,
            Some(token) => Some(super::paging::Continue::decode(token)?),
        };
        Ok(match (limit, cont) {
            (None, None) => None,
            (limit, cont) => Some((limit.unwrap_or(usize::MAX), cont)),
        })
    }

    /// The version to watch from: `None` (or `0`/empty) means "from now,
    /// current objects first".
    pub fn since(&self) -> Result<Option<u64>, ApiError> {
        match self.resource_version.as_deref() {
            None | Some("") | Some("0") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                ApiError::bad_request(format!(
                    "invalid resourceVersion {v:?}: expected an integer"
                ))
            }),
        }
    }

    /// How long a watch may run.
    pub fn timeout(&self, default: Duration) -> Result<Duration, ApiError> {
        match self.timeout_seconds.as_deref() {
            None | Some("") => Ok(default),
            Some(t) => t
                .parse::<u64>()
                .map(|s| {
                    if s == 0 {
                        default
                    } else {
                        Duration::from_secs(s)
                    }
                })
                .map_err(|_| ApiError::bad_request(format!("invalid timeoutSeconds {t:?}"))),
        }
    }

    /// `fieldManager`, else the User-Agent's program name (before `/`), as
    /// real servers do (`kubectl-annotate/v1.32.4 …` → `kubectl-annotate`).
    pub fn manager(&self, headers: &HeaderMap) -> String {
        if let Some(m) = self.field_manager.as_deref().filter(|m| !m.is_empty()) {
            return m.to_string();
        }
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .and_then(|ua| ua.split('/').next())
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .unwrap_or("unknown")
            .to_string()
    }
}

/// What form of the objects the client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Full,
    /// `PartialObjectMetadata` (kube-rs `metadata_watcher`,
    /// `Api::list_metadata`, `get_metadata`).
    Metadata,
    /// `Table` (`kubectl get` without `-o`).
    Table,
}

pub fn shape(headers: &HeaderMap) -> Shape {
    let accept = header_str(headers, header::ACCEPT);
    if accept.contains("as=PartialObjectMetadata") {
        Shape::Metadata
    } else if super::table::wanted(accept) {
        Shape::Table
    } else {
        Shape::Full
    }
}

pub fn content_type(headers: &HeaderMap) -> &str {
    header_str(headers, header::CONTENT_TYPE)
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_watch_params_and_manager() {
        let uri: Uri = "/api/v1/configmaps?watch=1&resourceVersion=12&timeoutSeconds=5&allowWatchBookmarks=true&limit=500"
            .parse()
            .unwrap();
        let p = Params::from_uri(&uri).unwrap();
        assert!(p.is_watch() && p.bookmarks());
        assert_eq!(p.since().unwrap(), Some(12));
        assert_eq!(
            p.timeout(Duration::from_secs(1)).unwrap(),
            Duration::from_secs(5)
        );
        let mut h = HeaderMap::new();
        h.insert(
            header::USER_AGENT,
            "kubectl-annotate/v1.32.4 (linux/amd64)".parse().unwrap(),
        );
        assert_eq!(p.manager(&h), "kubectl-annotate");
        let bad = Params::from_uri(&"/x?resourceVersion=abc".parse().unwrap()).unwrap();
        assert_eq!(bad.since().unwrap_err().code, 400);
    }
}
