//! kube-rs against the simulated API server over real HTTP: typed CRUD,
//! watcher + reflector, metadata-only watches, and discovery.

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use kube::core::PartialObjectMeta;
use kube::runtime::reflector::{self, ObjectRef};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Client, Config, Discovery};
use secretdeck_sim::kube::http::{HttpOptions, serve};
use secretdeck_sim::kube::resources::EsoVersion;
use secretdeck_sim::kube::store::Writer;
use secretdeck_sim::kube::{Registry, Store};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// Serve a fresh store (ESO at v1, Argo CD present, namespace `app`).
async fn start() -> (Arc<Store>, Client) {
    let store = Store::new(Registry::new(EsoVersion::V1, true));
    let ns = store
        .registry()
        .by_plural("", "namespaces")
        .unwrap()
        .clone();
    store
        .create(
            &ns,
            "",
            json!({"metadata": {"name": "app"}}),
            Writer::update("test"),
        )
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(serve(listener, store.clone(), HttpOptions::default()));
    let config = Config::new(format!("http://127.0.0.1:{port}").parse().unwrap());
    (store, Client::try_from(config).unwrap())
}

/// Poll `cond` every 20 ms until it holds, failing after 10 s.
async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn cm(name: &str, value: &str) -> ConfigMap {
    serde_json::from_value(json!({"metadata": {"name": name}, "data": {"k": value}})).unwrap()
}

#[tokio::test]
async fn typed_crud_round_trip() {
    let (_store, client) = start().await;
    let api: Api<ConfigMap> = Api::namespaced(client, "app");
    let created = api
        .create(&PostParams::default(), &cm("c", "1"))
        .await
        .unwrap();
    assert!(created.metadata.uid.is_some());
    let mut got = api.get("c").await.unwrap();
    assert_eq!(got.data.as_ref().unwrap()["k"], "1");
    got.data.as_mut().unwrap().insert("k".into(), "2".into());
    let replaced = api
        .replace("c", &PostParams::default(), &got)
        .await
        .unwrap();
    assert_eq!(replaced.data.as_ref().unwrap()["k"], "2");
    // Replacing with the now stale version is a conflict.
    let stale = api
        .replace("c", &PostParams::default(), &got)
        .await
        .unwrap_err();
    assert!(
        matches!(stale, kube::Error::Api(ref s) if s.code == 409),
        "{stale:?}"
    );

    let merged = api
        .patch(
            "c",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"m": "x"}})),
        )
        .await
        .unwrap();
    assert_eq!(merged.data.as_ref().unwrap()["m"], "x");
    let apply = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "applied"}});
    let applied = api
        .patch(
            "c",
            &PatchParams::apply("deck").force(),
            &Patch::Apply(apply),
        )
        .await
        .unwrap();
    assert_eq!(applied.data.as_ref().unwrap()["k"], "applied");
    let managers: Vec<_> = applied
        .metadata
        .managed_fields
        .unwrap()
        .into_iter()
        .filter_map(|m| m.manager)
        .collect();
    assert!(managers.contains(&"deck".to_string()), "{managers:?}");

    api.delete("c", &DeleteParams::background()).await.unwrap();
    let missing = api.get("c").await.unwrap_err();
    assert!(
        matches!(missing, kube::Error::Api(ref s) if s.code == 404),
        "{missing:?}"
    );
}

#[tokio::test]
async fn reflector_follows_changes_made_in_the_store() {
    let (store, client) = start().await;
    let api: Api<ConfigMap> = Api::namespaced(client, "app");
    let (reader, writer) = reflector::store();
    let stream = reflector::reflector(writer, watcher(api, watcher::Config::default()));
    tokio::spawn(stream.default_backoff().for_each(|_| async {}));
    tokio::time::timeout(Duration::from_secs(10), reader.wait_until_ready())
        .await
        .unwrap()
        .unwrap();

    let rt = store
        .registry()
        .by_plural("", "configmaps")
        .unwrap()
        .clone();
    store
        .create(
            &rt,
            "app",
            json!({"metadata": {"name": "live"}, "data": {"k": "1"}}),
            Writer::update("t"),
        )
        .unwrap();
    let key = ObjectRef::new("live").within("app");
    let value = |r: &reflector::Store<ConfigMap>| {
        r.get(&key).and_then(|c| c.data.as_ref()?.get("k").cloned())
    };
    wait_for("the created ConfigMap", || {
        value(&reader).as_deref() == Some("1")
    })
    .await;
    let patch = json!({"data": {"k": "2"}});
    let kind = secretdeck_sim::kube::patch::PatchKind::Merge;
    store
        .patch(&rt, "app", "live", kind, &patch, Writer::update("t"), false)
        .unwrap();
    wait_for("the changed ConfigMap", || {
        value(&reader).as_deref() == Some("2")
    })
    .await;
}

#[tokio::test]
async fn metadata_watcher_sees_secrets_without_values() {
    let (store, client) = start().await;
    let rt = store.registry().by_plural("", "secrets").unwrap().clone();
    let secret =
        json!({"metadata": {"name": "s", "labels": {"a": "b"}}, "stringData": {"pw": "hunter2"}});
    store
        .create(&rt, "app", secret, Writer::update("t"))
        .unwrap();
    let api: Api<Secret> = Api::namespaced(client.clone(), "app");
    let list = api.list_metadata(&Default::default()).await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].metadata.name.as_deref(), Some("s"));
    // The watcher over `PartialObjectMeta` asks for metadata-only lists and
    // watches (what the console uses so Secret values never reach it).
    let meta: Api<PartialObjectMeta<Secret>> = Api::namespaced(client, "app");
    let mut events = watcher(meta, watcher::Config::default())
        .applied_objects()
        .boxed();
    let next = async |events: &mut futures::stream::BoxStream<'_, _>| {
        let ev: Option<PartialObjectMeta<Secret>> =
            tokio::time::timeout(Duration::from_secs(10), events.try_next())
                .await
                .expect("an event")
                .expect("no error");
        ev.expect("the stream goes on")
    };
    let first = next(&mut events).await;
    assert_eq!(first.metadata.name.as_deref(), Some("s"));
    assert_eq!(first.metadata.labels.unwrap()["a"], "b");
    let later = json!({"metadata": {"name": "t"}, "data": {"pw": "c2VjcmV0"}});
    store
        .create(&rt, "app", later, Writer::update("t"))
        .unwrap();
    let second = next(&mut events).await;
    assert_eq!(second.metadata.name.as_deref(), Some("t"));
    assert_eq!(
        second.types.as_ref().map(|t| t.kind.as_str()),
        Some("PartialObjectMetadata")
    );
}

#[tokio::test]
async fn discovery_finds_the_served_groups() {
    let (_store, client) = start().await;
    let discovery = Discovery::new(client).run().await.unwrap();
    let eso = discovery
        .get("external-secrets.io")
        .expect("external-secrets.io is served");
    assert_eq!(eso.preferred_version_or_latest(), "v1");
    let kinds: Vec<String> = eso
        .recommended_resources()
        .into_iter()
        .map(|(r, _)| r.kind)
        .collect();
    assert!(
        kinds.contains(&"ExternalSecret".to_string())
            && kinds.contains(&"ClusterSecretStore".to_string()),
        "{kinds:?}"
    );
    assert!(discovery.has_group("argoproj.io"));
    let (cm, caps) = discovery
        .resolve_gvk(&kube::api::GroupVersionKind::gvk("", "v1", "ConfigMap"))
        .unwrap();
    assert_eq!(
        (cm.plural.as_str(), caps.scope),
        ("configmaps", kube::discovery::Scope::Namespaced)
    );
}
