//! Force-sync failure detection against a scripted API server (the sim's
//! API server with no controllers: this test plays ESO). Real event
//! recorders merge a repeated failure into the existing Event — a higher
//! `count` and a newer `lastTimestamp`, no new Event — and a failure may
//! show only as the Ready condition's transition. Both must end the
//! follow as a failure with ESO's message, not as a timeout.

use crate::support;

use k8s_openapi::api::core::v1::{Event, Namespace};
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use secretdeck::domain::ops::outcome::Outcome;
use secretdeck::ops::refresh;
use secretdeck_sim::kube::Store;
use secretdeck_sim::kube::http::{HttpOptions, serve};
use secretdeck_sim::kube::resources::{EsoVersion, Registry};
use std::time::Duration;

const NS: &str = "payments-api";
const NAME: &str = "payments-api-secrets";
const MESSAGE: &str = "could not get secret data from provider: key webhook-signing-key not found";

async fn server() -> (kube::Client, tokio::task::JoinHandle<()>) {
    let store = Store::new(Registry::new(EsoVersion::V1, false));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = serve(listener, store, HttpOptions::default()).await;
    });
    let config = kube::Config::new(url.parse().unwrap());
    (kube::Client::try_from(config).unwrap(), task)
}

/// A failing ExternalSecret (Ready=False since `since`) and, when `event`,
/// its UpdateFailed Event seen once.
async fn failing_es(client: &kube::Client, ready: &str, event: bool) -> Api<DynamicObject> {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let ns: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": NS}})).unwrap();
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .unwrap();
    let ar = refresh::es_resource(client).await.unwrap();
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), NS, &ar);
    let obj: DynamicObject = serde_json::from_value(serde_json::json!({
        "apiVersion": format!("external-secrets.io/{}", ar.version),
        "kind": "ExternalSecret",
        "metadata": {"name": NAME, "namespace": NS},
        "spec": {
            "refreshInterval": "1h",
            "secretStoreRef": {"name": "aws", "kind": "ClusterSecretStore"},
            "target": {"name": NAME},
            "data": [{"secretKey": "k", "remoteRef": {"key": "payments/api"}}]
        }
    }))
    .unwrap();
    api.create(&PostParams::default(), &obj).await.unwrap();
    let status = serde_json::json!({"status": {"conditions": [{
        "type": "Ready", "status": ready,
        "reason": if ready == "True" { "SecretSynced" } else { "SecretSyncedError" },
        "message": if ready == "True" { "secret synced" } else { MESSAGE },
        "lastTransitionTime": "2026-11-30T10:00:00Z"
    }], "refreshTime": "2026-11-30T10:00:00Z"}});
    api.patch_status(NAME, &PatchParams::default(), &Patch::Merge(&status))
        .await
        .unwrap();
    if event {
        let events: Api<Event> = Api::namespaced(client.clone(), NS);
        let e: Event = serde_json::from_value(serde_json::json!({
            "metadata": {"name": format!("{NAME}.1"), "namespace": NS},
            "involvedObject": {"kind": "ExternalSecret", "name": NAME, "namespace": NS,
                "apiVersion": format!("external-secrets.io/{}", ar.version)},
            "reason": "UpdateFailed", "type": "Warning", "message": MESSAGE,
            "count": 1,
            "firstTimestamp": "2026-11-30T10:00:00Z",
            "lastTimestamp": "2026-11-30T10:00:00Z",
            "source": {"component": "external-secrets"}
        }))
        .unwrap();
        events.create(&PostParams::default(), &e).await.unwrap();
    }
    api
}

/// Wait until the console's force-sync annotation is on the object.
async fn annotated(api: &Api<DynamicObject>) {
    support::eventually(20, "the force-sync annotation", || async {
        let o = api.get(NAME).await.ok()?;
        o.metadata
            .annotations
            .as_ref()?
            .contains_key(secretdeck::domain::ops::annotations::FORCE_SYNC)
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_shown_only_as_a_count_bump_is_reported() {
    let (client, server) = server().await;
    let api = failing_es(&client, "False", true).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let run = {
        let client = client.clone();
        tokio::spawn(async move {
            refresh::force_sync(
                &client,
                &ar,
                NS,
                NAME,
                chrono::Utc::now(),
                Duration::from_secs(30),
            )
            .await
        })
    };
    annotated(&api).await;
    // ESO fails again: the recorder bumps the existing Event; the status
    // (already Ready=False with the same message) does not move.
    let events: Api<Event> = Api::namespaced(client.clone(), NS);
    let bump = serde_json::json!({"count": 2, "lastTimestamp": "2026-11-30T10:05:00Z"});
    events
        .patch(
            &format!("{NAME}.1"),
            &PatchParams::default(),
            &Patch::Merge(&bump),
        )
        .await
        .unwrap();
    let r = run.await.unwrap();
    assert_eq!(r.outcome, Outcome::Failed, "{r:?}");
    assert_eq!(r.message, format!("SecretSyncedError: {MESSAGE}"), "{r:?}");
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_shown_only_as_the_ready_transition_is_reported() {
    let (client, server) = server().await;
    let api = failing_es(&client, "True", false).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let run = {
        let client = client.clone();
        tokio::spawn(async move {
            refresh::force_sync(
                &client,
                &ar,
                NS,
                NAME,
                chrono::Utc::now(),
                Duration::from_secs(30),
            )
            .await
        })
    };
    annotated(&api).await;
    // ESO fails: Ready goes False (refreshTime stays), and no new Event is
    // seen (the recorder's event may be rate-limited or filtered).
    let status = serde_json::json!({"status": {"conditions": [{
        "type": "Ready", "status": "False", "reason": "SecretSyncedError",
        "message": MESSAGE, "lastTransitionTime": "2026-11-30T10:05:00Z"
    }]}});
    api.patch_status(NAME, &PatchParams::default(), &Patch::Merge(&status))
        .await
        .unwrap();
    let r = run.await.unwrap();
    assert_eq!(r.outcome, Outcome::Failed, "{r:?}");
    assert_eq!(r.message, format!("SecretSyncedError: {MESSAGE}"), "{r:?}");
    server.abort();
}

/// The rotation's Sync step: a repeated failure that only bumps the
/// existing Event's count ends the step with ESO's message, not a timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rotation_sync_step_reports_a_failure_shown_only_as_a_count_bump() {
    use secretdeck::backend::aws::{Aws, AwsOptions};
    use secretdeck::domain::rotation::plan::Reader;
    use secretdeck::ops::rotation::{JournalStore, OpsEnv, steps};
    use std::collections::BTreeMap;
    use std::sync::Arc;
    let (client, server) = server().await;
    let api = failing_es(&client, "False", true).await;
    let state = tempfile::tempdir().unwrap();
    let env = OpsEnv {
        kube: client.clone(),
        kube_context: "scripted".into(),
        aws: Arc::new(Aws::new(AwsOptions::default())),
        aws_identity: None,
        readonly: false,
        journal: JournalStore::at(state.path()),
        audit: secretdeck::audit::AuditLog::at(state.path()),
        timeout: Duration::from_secs(30),
    };
    let run = tokio::spawn(async move {
        let readers = [Reader {
            namespace: NS.into(),
            name: NAME.into(),
            app: None,
            target: NAME.into(),
        }];
        let report: secretdeck::ops::rotation::Report = Arc::new(|_| {});
        steps::sync(&env, &readers, &BTreeMap::new(), true, &report).await
    });
    support::eventually(20, "the force-sync annotation", || async {
        let o = api.get(NAME).await.ok()?;
        o.metadata
            .annotations
            .as_ref()?
            .contains_key("force-sync")
            .then_some(())
    })
    .await;
    let events: Api<Event> = Api::namespaced(client.clone(), NS);
    let bump = serde_json::json!({"count": 2, "lastTimestamp": "2026-11-30T10:05:00Z"});
    events
        .patch(
            &format!("{NAME}.1"),
            &PatchParams::default(),
            &Patch::Merge(&bump),
        )
        .await
        .unwrap();
    let r = run.await.unwrap();
    assert_eq!(
        r,
        Err(format!(
            "ExternalSecret {NS}/{NAME}: UpdateFailed: {MESSAGE}"
        ))
    );
    server.abort();
}
