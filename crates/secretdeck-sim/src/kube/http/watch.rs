//! Watches: newline-delimited JSON events streamed with chunked transfer.

use super::HttpOptions;
use super::metadata_only;
use super::params::Params;
use super::params::Shape;
use crate::kube::selectors::Selectors;
use crate::kube::store::{EventType, WatchEvent};
use crate::kube::{ApiError, KubeFaults, ResourceType, Store};
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

/// Watches without `timeoutSeconds` end after this long, like a real
/// server's minimum request timeout; clients then resume from a version.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

struct Filter {
    rt: ResourceType,
    namespace: Option<String>,
    sel: Selectors,
    shape: Shape,
    /// With a selector: the objects this watch has reported as matching,
    /// so an object that stops matching is reported DELETED (and one that
    /// starts matching ADDED), as real servers do.
    known: Option<HashSet<(String, String)>>,
}

impl Filter {
    fn in_scope(&self, ev: &WatchEvent) -> bool {
        ev.is_for(&self.rt)
            && self
                .namespace
                .as_deref()
                .is_none_or(|ns| !self.rt.namespaced || ns == ev.namespace)
    }

    /// The line to send for `ev`, if any.
    fn render(&mut self, ev: &WatchEvent) -> Option<Bytes> {
        if !self.in_scope(ev) {
            return None;
        }
        let matches = self.sel.matches(&ev.object);
        let kind = match &mut self.known {
            None => matches.then_some(ev.kind.as_str())?,
            Some(known) => {
                let key = (ev.namespace.clone(), ev.name.clone());
                let was = known.contains(&key);
                match (ev.kind, was, matches) {
                    (EventType::Deleted, was, now) => {
                        known.remove(&key);
                        (was || now).then_some("DELETED")?
                    }
                    (_, false, true) => {
                        known.insert(key);
                        "ADDED"
                    }
                    (kind, true, true) => kind.as_str(),
                    (_, true, false) => {
                        known.remove(&key);
                        "DELETED"
                    }
                    (_, false, false) => return None,
                }
            }
        };
        Some(self.line(kind, &ev.object))
    }

    fn line(&self, kind: &str, obj: &Value) -> Bytes {
        let object = match self.shape {
            Shape::Full => obj.clone(),
            Shape::Metadata => metadata_only::object(obj),
            Shape::Table if kind != "BOOKMARK" && kind != "ERROR" => {
                let rv = obj
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(0);
                super::table::table(self.rt.kind, std::slice::from_ref(obj), rv)
            }
            Shape::Table => obj.clone(),
        };
        let mut s = json!({"type": kind, "object": object}).to_string();
        s.push('\n');
        Bytes::from(s)
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Bytes {
        let (kind, api_version) = if self.shape == Shape::Metadata {
            (
                metadata_only::KIND.to_string(),
                metadata_only::API_VERSION.to_string(),
            )
        } else {
            (self.rt.kind.to_string(), self.rt.api_version())
        };
        let mut meta = json!({"resourceVersion": rv.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        self.line(
            "BOOKMARK",
            &json!({"kind": kind, "apiVersion": api_version, "metadata": meta}),
        )
    }
}

fn stream_response(rx: mpsc::Receiver<Bytes>) -> Response {
    let stream = tokio_stream::StreamExt::map(ReceiverStream::new(rx), Ok::<_, Infallible>);
    let mut resp = Response::new(Body::from_stream(stream));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// Start a watch on `rt` (in `namespace`, when given) as `p` asks.
pub fn start(
    store: Arc<Store>,
    opts: &HttpOptions,
    rt: ResourceType,
    namespace: Option<String>,
    p: &Params,
    shape: Shape,
) -> Result<Response, ApiError> {
    let since = if p.send_initial_events() {
        None
    } else {
        p.since()?
    };
    let timeout = p.timeout(DEFAULT_TIMEOUT)?;
    let sel = p.selectors()?;
    // Watching from a version with a selector: what matched then is
    // approximated by what matches now.
    let known = (sel != Selectors::default()).then(|| match since {
        None => HashSet::new(),
        Some(_) => {
            let (items, _) = store.list(&rt, namespace.as_deref(), &sel);
            items.iter().map(object_key).collect()
        }
    });
    let mut filter = Filter {
        rt,
        namespace,
        sel,
        shape,
        known,
    };
    let floor = store.current_rv();
    let started = match store.watch(since) {
        Ok(s) => s,
        Err(e) if e.code == 410 => {
            // Real servers answer 200 and report expiry as the only event.
            let mut line = json!({"type": "ERROR", "object": e.to_status()}).to_string();
            line.push('\n');
            let (tx, rx) = mpsc::channel(1);
            let _ = tx.try_send(Bytes::from(line));
            return Ok(stream_response(rx));
        }
        Err(e) => return Err(e),
    };
    let (tx, rx) = mpsc::channel(64);
    let live = Live {
        store,
        faults: opts.faults.clone(),
        bookmarks: p.bookmarks().then_some(opts.bookmark_every),
    };
    let initial_end = p.send_initial_events();
    tokio::spawn(async move {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut last_rv = since.unwrap_or(0).max(floor);
        for ev in &started.backlog {
            last_rv = last_rv.max(ev.rv);
            if let Some(line) = filter.render(ev)
                && tx.send(line).await.is_err()
            {
                return;
            }
        }
        if initial_end && tx.send(filter.bookmark(last_rv, true)).await.is_err() {
            return;
        }
        pump(started.live, tx, filter, last_rv, deadline, live).await;
    });
    Ok(stream_response(rx))
}

/// What a live watch needs besides its filter.
struct Live {
    store: Arc<Store>,
    faults: Arc<KubeFaults>,
    /// The bookmark interval, when the client allows bookmarks.
    bookmarks: Option<Duration>,
}

/// Forward live events until the deadline, the client leaving, the
/// broadcast lagging (the client then resumes or relists) or a fault
/// dropping the connection. Bookmarks carry the version the watch is at;
/// none is sent while that version is ahead of the server's (a client
/// resuming from a version the server has not reached yet, as after a
/// restore): the watch just waits, as a real server's does.
async fn pump(
    mut live: broadcast::Receiver<WatchEvent>,
    tx: mpsc::Sender<Bytes>,
    mut filter: Filter,
    mut last_rv: u64,
    deadline: tokio::time::Instant,
    opts: Live,
) {
    let every = opts.bookmarks.unwrap_or(Duration::from_secs(3600));
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let mut drops = opts.faults.drops();
    drops.mark_unchanged();
    loop {
        let out = tokio::select! {
            ev = live.recv() => match ev {
                Ok(ev) if ev.rv <= last_rv => continue,
                Ok(ev) => {
                    last_rv = ev.rv;
                    match filter.render(&ev) {
                        Some(line) => line,
                        None => continue,
                    }
                }
                Err(_) => return, // lagged or closed
            },
            _ = tick.tick(), if opts.bookmarks.is_some() => {
                if last_rv > opts.store.current_rv() {
                    continue;
                }
                filter.bookmark(last_rv, false)
            }
            _ = tokio::time::sleep_until(deadline) => return,
            _ = tx.closed() => return,
            _ = drops.changed() => return,
        };
        if opts.faults.is_hung() {
            // Silent until the hang is cleared (or the connection dropped).
            tokio::select! {
                _ = opts.faults.unhung() => {}
                _ = drops.changed() => return,
                _ = tx.closed() => return,
            }
        }
        if tx.send(out).await.is_err() {
            return;
        }
    }
}

fn object_key(obj: &Value) -> (String, String) {
    let field = |f: &str| {
        obj.pointer(&format!("/metadata/{f}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (field("namespace"), field("name"))
}
