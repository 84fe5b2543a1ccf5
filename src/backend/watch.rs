//! kube-rs watchers (list, then watch from the list's version, relist on
//! 410, retry with backoff), forwarded to the UI as changes. One task per
//! kind: a failing kind reports its state and never stops the others.

use super::convert::{from_dynamic, key_of};
use crate::domain::{HasMeta, ObjKey, SecretMeta, from_value};
use crate::state::{Change, Msg, WatchKind, WatchState};
use futures::{Stream, StreamExt};
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, DynamicObject};
use kube::core::PartialObjectMeta;
use kube::runtime::{WatchStreamExt, watcher};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

/// Turns a change into the kind's `Msg`.
pub type Wrap<T> = Box<dyn FnMut(Change<T>) -> Msg + Send>;

/// Watch `api` (any kind, as dynamic objects) until the receiver is gone.
pub async fn run_watch<T>(
    api: Api<DynamicObject>,
    kind: WatchKind,
    tx: mpsc::Sender<Msg>,
    wrap: Wrap<T>,
) where
    T: DeserializeOwned + HasMeta,
{
    let stream = watcher(api, watcher::Config::default()).default_backoff();
    forward(stream, kind, tx, |o| from_dynamic::<T>(o), key_of, wrap).await;
}

/// Watch Secrets as metadata only (`Api<PartialObjectMeta<Secret>>` asks
/// for `PartialObjectMetadata`): their values are never requested.
pub async fn run_secret_meta_watch(api: Api<PartialObjectMeta<Secret>>, tx: mpsc::Sender<Msg>) {
    let stream = watcher(api, watcher::Config::default()).default_backoff();
    let key = |o: &PartialObjectMeta<Secret>| {
        ObjKey::new(
            o.metadata.namespace.clone().unwrap_or_default(),
            o.metadata.name.clone().unwrap_or_default(),
        )
    };
    forward(
        stream,
        WatchKind::Secrets,
        tx,
        secret_meta,
        key,
        Box::new(Msg::Secrets),
    )
    .await;
}

fn secret_meta(o: &PartialObjectMeta<Secret>) -> Option<SecretMeta> {
    let metadata = serde_json::to_value(&o.metadata).ok()?;
    from_value(serde_json::json!({ "metadata": metadata })).ok()
}

async fn forward<K, T, S>(
    stream: S,
    kind: WatchKind,
    tx: mpsc::Sender<Msg>,
    convert: impl Fn(&K) -> Option<T>,
    key: impl Fn(&K) -> ObjKey,
    mut wrap: Wrap<T>,
) where
    S: Stream<Item = Result<watcher::Event<K>, watcher::Error>>,
{
    let mut stream = std::pin::pin!(stream);
    let mut state = WatchState::Connecting;
    let mut buffer: Vec<T> = Vec::new();
    if tx
        .send(Msg::Watch {
            kind,
            state: state.clone(),
        })
        .await
        .is_err()
    {
        return;
    }
    while let Some(event) = stream.next().await {
        let mut out = Vec::with_capacity(2);
        let next_state = match event {
            Ok(watcher::Event::Init) => {
                buffer.clear();
                None
            }
            Ok(watcher::Event::InitApply(obj)) => {
                buffer.extend(convert(&obj));
                None
            }
            Ok(watcher::Event::InitDone) => {
                out.push(wrap(Change::Reset(std::mem::take(&mut buffer))));
                Some(WatchState::Live)
            }
            Ok(watcher::Event::Apply(obj)) => {
                if let Some(t) = convert(&obj) {
                    out.push(wrap(Change::Upsert(t)));
                }
                Some(WatchState::Live)
            }
            Ok(watcher::Event::Delete(obj)) => {
                out.push(wrap(Change::Remove(key(&obj))));
                Some(WatchState::Live)
            }
            Err(e) => {
                let next = classify(&e);
                tracing::warn!(kind = kind.label(), error = %e, "watch failed; retrying");
                Some(next)
            }
        };
        if let Some(next) = next_state
            && next != state
        {
            state = next;
            out.push(Msg::Watch {
                kind,
                state: state.clone(),
            });
        }
        for msg in out {
            if tx.send(msg).await.is_err() {
                return;
            }
        }
    }
}

/// Watch failures in the words the status bar shows.
pub fn classify(e: &watcher::Error) -> WatchState {
    let code = match e {
        watcher::Error::InitialListFailed(err)
        | watcher::Error::WatchStartFailed(err)
        | watcher::Error::WatchFailed(err) => match err {
            kube::Error::Api(status) => Some(status.code),
            _ => None,
        },
        watcher::Error::WatchError(status) => Some(status.code),
        watcher::Error::NoResourceVersion => None,
    };
    match code {
        Some(403) => WatchState::Forbidden,
        Some(404) => WatchState::NotInstalled,
        Some(401) => {
            WatchState::Reconnecting("unauthorized: credentials rejected or expired".into())
        }
        Some(code) => WatchState::Reconnecting(format!("server answered {code}")),
        None => WatchState::Reconnecting(short_reason(e)),
    }
}

fn short_reason(e: &watcher::Error) -> String {
    let text = match e {
        watcher::Error::InitialListFailed(err)
        | watcher::Error::WatchStartFailed(err)
        | watcher::Error::WatchFailed(err) => err.to_string(),
        other => other.to_string(),
    };
    let mut text = super::connect::redact(&text);
    if text.chars().count() > 80 {
        text = text.chars().take(79).collect::<String>() + "…";
    }
    text
}
