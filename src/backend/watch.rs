//! Watches: list, then watch from the list's resourceVersion with
//! bookmarks, forwarded to the UI as changes. One task per kind: a failing
//! kind reports its state and never stops the others.
//!
//! # Why not kube's `watcher()`
//! kube-runtime's watcher swallows BOOKMARK events, and when a stream goes
//! quiet it resumes from the resourceVersion it holds. Both hide the two
//! failures that matter: a hung server (no bytes at all) and a server that
//! came back empty with lower resourceVersions (an etcd restore: a watch
//! from a "future" version simply waits, so resuming waits forever).
//!
//! This loop sees bookmarks, so it knows when the server last confirmed the
//! kind: every list, event and bookmark is a confirmation, and the server
//! sends a bookmark about every minute when asked (`allowWatchBookmarks`).
//! A watch with no confirmation for [`Liveness::silence`] is suspect: it
//! says so (its rows go stale, with the time of the last confirmation) and
//! re-lists from scratch rather than resuming. The list is the most recent
//! one (no `resourceVersion`, not the cache) and replaces everything known
//! of the kind (`Change::Reset`), so a restored server's objects replace
//! the old ones instead of merging with them. Nothing is polled: a healthy
//! watch, however quiet, is confirmed by its bookmarks.

use super::typed::Typed;
use crate::domain::{HasMeta, ObjKey, SecretMeta, from_value};
use crate::state::{Change, Msg, WatchKind, WatchState};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, ListParams, WatchEvent, WatchParams};
use kube::core::PartialObjectMeta;
use kube::runtime::utils::Backoff;
use kube::runtime::watcher::DefaultBackoff;
use kube::{Resource, ResourceExt};
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, timeout_at};

/// Turns a change into the kind's `Msg`.
pub type Wrap<T> = Box<dyn FnMut(Change<T>) -> Msg + Send>;

/// When a watch counts as dead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Liveness {
    /// A watch with neither an event nor a bookmark for this long is
    /// suspect: marked stale and re-listed. Above the server's bookmark
    /// interval (about a minute on a real API server).
    pub silence: Duration,
    /// The server-side watch timeout (`timeoutSeconds`): the server ends the
    /// watch after this and the loop resumes from the version it holds.
    pub watch_timeout_secs: u32,
}

/// The client's read timeout: longer than any watch the server may hold
/// open, so only a connection that stopped answering is cut.
pub const READ_TIMEOUT: Duration = Duration::from_secs(300);

impl Default for Liveness {
    fn default() -> Self {
        Liveness {
            silence: Duration::from_secs(90),
            watch_timeout_secs: 290,
        }
    }
}

/// List pages of this many objects.
const PAGE_SIZE: u32 = 500;

/// Watch `api` (any kind, decoded straight into `T`) until the receiver is
/// gone.
pub async fn run_watch<T>(
    api: Api<Typed<T>>,
    kind: WatchKind,
    tx: mpsc::Sender<Msg>,
    wrap: Wrap<T>,
    liveness: Liveness,
) where
    T: DeserializeOwned + HasMeta + Clone + Debug + Send + 'static,
{
    let feed = Feed::new(kind, tx, wrap, liveness.silence);
    run(api, feed, Typed::into_named, liveness).await;
}

/// Watch Secrets as metadata only (`Api<PartialObjectMeta<Secret>>` asks
/// for `PartialObjectMetadata`): their values are never requested.
pub async fn run_secret_meta_watch(
    api: Api<PartialObjectMeta<Secret>>,
    tx: mpsc::Sender<Msg>,
    liveness: Liveness,
) {
    let feed = Feed::new(
        WatchKind::Secrets,
        tx,
        Box::new(Msg::Secrets),
        liveness.silence,
    );
    run(api, feed, secret_meta, liveness).await;
}

fn secret_meta(o: PartialObjectMeta<Secret>) -> Option<SecretMeta> {
    let metadata = serde_json::to_value(&o.metadata).ok()?;
    from_value(serde_json::json!({ "metadata": metadata })).ok()
}

/// The key of a deleted object, whatever form the watch reads it in.
fn key_of<K: Resource>(o: &K) -> ObjKey {
    let meta = o.meta();
    ObjKey::new(
        meta.namespace.clone().unwrap_or_default(),
        meta.name.clone().unwrap_or_default(),
    )
}

/// The receiver is gone: stop.
struct Closed;

/// What one watch sends to the UI, and when the server last confirmed it.
struct Feed<T> {
    kind: WatchKind,
    tx: mpsc::Sender<Msg>,
    wrap: Wrap<T>,
    state: Option<WatchState>,
    silence: Duration,
    confirmed: Instant,
    confirmed_at: Option<DateTime<Utc>>,
}

impl<T> Feed<T> {
    fn new(kind: WatchKind, tx: mpsc::Sender<Msg>, wrap: Wrap<T>, silence: Duration) -> Self {
        Feed {
            kind,
            tx,
            wrap,
            state: None,
            silence,
            confirmed: Instant::now(),
            confirmed_at: None,
        }
    }

    async fn send(&mut self, msg: Msg) -> Result<(), Closed> {
        self.tx.send(msg).await.map_err(|_| Closed)
    }

    async fn change(&mut self, change: Change<T>) -> Result<(), Closed> {
        let msg = (self.wrap)(change);
        self.send(msg).await
    }

    /// The server answered for this kind just now.
    fn confirm(&mut self) {
        self.confirmed = Instant::now();
        self.confirmed_at = Some(Utc::now());
    }

    /// Past this without a confirmation, the watch is silent.
    fn deadline(&self) -> Instant {
        self.confirmed + self.silence
    }

    /// Report `next` if it differs; leaving Live first says when the data
    /// was last confirmed, so its age can be shown.
    async fn set_state(&mut self, next: WatchState) -> Result<(), Closed> {
        if self.state.as_ref() == Some(&next) {
            return Ok(());
        }
        if next != WatchState::Live
            && let Some(at) = self.confirmed_at
        {
            let kind = self.kind;
            self.send(Msg::WatchConfirmed { kind, at }).await?;
        }
        self.state = Some(next.clone());
        let kind = self.kind;
        self.send(Msg::Watch { kind, state: next }).await
    }

    async fn silent(&mut self) -> Result<(), Closed> {
        tracing::warn!(
            kind = self.kind.label(),
            "watch silent: no event or bookmark; re-listing"
        );
        let secs = self.silence.as_secs().max(1);
        self.set_state(WatchState::Reconnecting(format!(
            "silent for {secs}s+ (no event or bookmark); re-listing"
        )))
        .await
    }

    /// Report a failed request, then wait out the backoff.
    async fn failed(
        &mut self,
        e: &kube::Error,
        backoff: &mut DefaultBackoff,
    ) -> Result<(), Closed> {
        tracing::warn!(kind = self.kind.label(), error = %super::connect::redact(&e.to_string()), "watch failed; retrying");
        self.set_state(classify_error(e)).await?;
        if matches!(e, kube::Error::Api(s) if s.code == 401) {
            self.send(Msg::ClusterError(format!("kube API: {UNAUTHORIZED}")))
                .await?;
        }
        let delay = retry_after(e)
            .or_else(|| backoff.next())
            .unwrap_or(Duration::from_secs(30));
        tokio::select! {
            _ = tokio::time::sleep(delay) => Ok(()),
            _ = self.tx.closed() => Err(Closed),
        }
    }
}

/// The server asked to come back later (429 with Retry-After, as a Status
/// `details.retryAfterSeconds`).
fn retry_after(e: &kube::Error) -> Option<Duration> {
    match e {
        kube::Error::Api(s) if s.code == 429 => s
            .details
            .as_ref()
            .map(|d| Duration::from_secs(u64::from(d.retry_after_seconds.max(1)))),
        _ => None,
    }
}

async fn run<K, T>(
    api: Api<K>,
    mut feed: Feed<T>,
    convert: impl Fn(K) -> Option<T>,
    liveness: Liveness,
) where
    K: Resource + Clone + DeserializeOwned + Debug + Send + 'static,
{
    let _ = watch_loop(&api, &mut feed, &convert, liveness).await;
}

async fn watch_loop<K, T>(
    api: &Api<K>,
    feed: &mut Feed<T>,
    convert: &impl Fn(K) -> Option<T>,
    liveness: Liveness,
) -> Result<(), Closed>
where
    K: Resource + Clone + DeserializeOwned + Debug + Send + 'static,
{
    let mut backoff = DefaultBackoff::default();
    let mut held: Option<String> = None;
    feed.set_state(WatchState::Connecting).await?;
    let wp = WatchParams {
        timeout: Some(liveness.watch_timeout_secs),
        bookmarks: true,
        ..WatchParams::default()
    };
    'relist: loop {
        // The first list of the kind the first screen is made of is shown
        // page by page (its first page small, so the screen fills at once);
        // a later one replaces what is known in one go.
        let by_page = held.is_none() && feed.kind == WatchKind::Applications;
        // A list gets as long as a silent watch does to answer.
        let listing = list_all(api, convert, by_page.then_some(&mut *feed));
        let listed = match tokio::time::timeout(liveness.silence, listing).await {
            Ok(sent) => Ok(sent?),
            Err(elapsed) => Err(elapsed),
        };
        let (items, mut rv) = match listed {
            Ok(Ok(listed)) => listed,
            Ok(Err(e)) => {
                feed.failed(&e, &mut backoff).await?;
                continue;
            }
            Err(_) => {
                feed.silent().await?;
                continue;
            }
        };
        if let Some(old) = &held
            && older(&rv, old)
        {
            tracing::warn!(
                kind = feed.kind.label(),
                held = %old,
                listed = %rv,
                "resourceVersion went back (server restored): replacing what was known"
            );
        }
        feed.confirm();
        backoff.reset();
        if let Some(items) = items {
            feed.change(Change::Reset(items)).await?;
        }
        feed.set_state(WatchState::Live).await?;
        held = Some(rv.clone());
        // Watch from `rv` until the watch must re-list.
        loop {
            let started = timeout_at(feed.deadline(), api.watch(&wp, &rv)).await;
            let mut stream = match started {
                Err(_) => {
                    feed.silent().await?;
                    continue 'relist;
                }
                Ok(Err(e)) if is_gone(&e) => continue 'relist,
                Ok(Err(e)) => {
                    feed.failed(&e, &mut backoff).await?;
                    continue;
                }
                Ok(Ok(s)) => s.boxed(),
            };
            loop {
                let event = match timeout_at(feed.deadline(), stream.next()).await {
                    Err(_) => {
                        feed.silent().await?;
                        continue 'relist;
                    }
                    // The server ended the watch (its timeout): resume.
                    Ok(None) => break,
                    Ok(Some(Err(e))) => {
                        feed.failed(&e, &mut backoff).await?;
                        break;
                    }
                    Ok(Some(Ok(event))) => event,
                };
                match event {
                    WatchEvent::Added(obj) | WatchEvent::Modified(obj) => {
                        rv = obj.resource_version().unwrap_or(rv);
                        feed.confirm();
                        if let Some(t) = convert(obj) {
                            feed.change(Change::Upsert(t)).await?;
                        }
                    }
                    WatchEvent::Deleted(obj) => {
                        rv = obj.resource_version().unwrap_or(rv);
                        feed.confirm();
                        feed.change(Change::Remove(key_of(&obj))).await?;
                    }
                    WatchEvent::Bookmark(b) => {
                        rv = b.metadata.resource_version;
                        feed.confirm();
                    }
                    // 410: the version held is gone; list again.
                    WatchEvent::Error(status) if status.code == 410 => continue 'relist,
                    WatchEvent::Error(status) => {
                        let e = kube::Error::Api(status);
                        feed.failed(&e, &mut backoff).await?;
                        break;
                    }
                }
                held = Some(rv.clone());
                feed.set_state(WatchState::Live).await?;
            }
        }
    }
}

/// The first page of a list shown page by page: small, so the first
/// screen has something to show within a request's time.
const FIRST_PAGE_SIZE: u32 = 100;

/// Every page of the most recent list (not the watch cache's), each
/// converted as it arrives (so only one page of API objects is held at a
/// time, not the whole list), and its resourceVersion. With `by_page`,
/// each page is sent as it arrives (the first, small, as a Reset, the
/// others as `More`) and no items are returned; else they are returned
/// together.
async fn list_all<K, T>(
    api: &Api<K>,
    convert: &impl Fn(K) -> Option<T>,
    mut by_page: Option<&mut Feed<T>>,
) -> Result<Result<(Option<Vec<T>>, String), kube::Error>, Closed>
where
    K: Resource + Clone + DeserializeOwned + Debug,
{
    let first_limit = if by_page.is_some() {
        FIRST_PAGE_SIZE
    } else {
        PAGE_SIZE
    };
    let mut lp = ListParams::default().limit(first_limit);
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let page = match api.list(&lp).await {
            Ok(page) => page,
            Err(e) => return Ok(Err(e)),
        };
        let converted = page.items.into_iter().filter_map(convert);
        match by_page.as_deref_mut() {
            Some(feed) => {
                let converted: Vec<T> = converted.collect();
                let change = if first {
                    Change::Reset(converted)
                } else {
                    Change::More(converted)
                };
                feed.change(change).await?;
            }
            None => items.extend(converted),
        }
        first = false;
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => {
                lp = ListParams::default()
                    .limit(PAGE_SIZE)
                    .continue_token(&token)
            }
            None => {
                let rv = page.metadata.resource_version.unwrap_or_default();
                let items = by_page.is_none().then_some(items);
                return Ok(Ok((items, rv)));
            }
        }
    }
}

fn is_gone(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 410)
}

/// Whether `listed` is older than `held`. resourceVersions are opaque; they
/// are compared as numbers only to say in the log that the server was
/// restored (the list replaces everything either way).
fn older(listed: &str, held: &str) -> bool {
    match (listed.parse::<u64>(), held.parse::<u64>()) {
        (Ok(l), Ok(h)) => l < h,
        _ => false,
    }
}

/// Request failures in the words the status bar shows.
pub fn classify_error(e: &kube::Error) -> WatchState {
    match e {
        kube::Error::Api(status) => classify_code(status.code).unwrap_or_else(|| {
            WatchState::Reconnecting(format!("server answered {}", status.code))
        }),
        other => WatchState::Reconnecting(short_reason(&other.to_string())),
    }
}

fn classify_code(code: u16) -> Option<WatchState> {
    Some(match code {
        403 => WatchState::Forbidden,
        404 => WatchState::NotInstalled,
        401 => WatchState::Reconnecting(UNAUTHORIZED.into()),
        _ => return None,
    })
}

/// What a 401 means and what to do about it.
pub const UNAUTHORIZED: &str = "credentials rejected or expired: re-authenticate, e.g. `aws sso login` / refresh your kubeconfig token";

fn short_reason(text: &str) -> String {
    let mut text = super::connect::redact(text);
    if text.chars().count() > 80 {
        text = text.chars().take(79).collect::<String>() + "…";
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_compares_numbers_only() {
        assert!(older("12", "4000"));
        assert!(!older("4000", "12"));
        assert!(!older("abc", "12"));
    }

    #[test]
    fn unauthorized_says_what_to_do() {
        let status = kube::core::Status::failure("Unauthorized", "Unauthorized").with_code(401);
        let state = classify_error(&kube::Error::Api(Box::new(status)));
        let WatchState::Reconnecting(text) = state else {
            panic!("{state:?}");
        };
        assert!(text.contains("aws sso login"), "{text}");
    }
}
