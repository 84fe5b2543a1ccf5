//! A fixed set of cluster objects (timestamps fixed) fed to a `Model`
//! through the same messages the backend sends, and helpers to draw it.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use secretdeck::domain::from_value;
use secretdeck::state::{
    Change, ClusterInfo, Cmd, Key, KeyCode, Model, Msg, WatchKind, WatchState, update_all,
};
use secretdeck::view::{Theme, view};
use serde_json::{Value, json};

pub const WIDTH: u16 = 140;
pub const HEIGHT: u16 = 24;
/// A fake value: asserted absent whenever the screen is masked.
pub const FAKE_VALUE: &str = "db.password=hunter2-FAKE\napi.token=tok-FAKE-123\n";
pub const AWS_SECRET: &str = "onthetop/backend/secrets-properties";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

fn tracking(app: &str, group: &str, kind: &str, ns: &str, name: &str) -> Value {
    json!({"argocd.argoproj.io/tracking-id": format!("{app}:{group}/{kind}:{ns}/{name}")})
}

pub fn app(name: &str, sync: &str, health: &str) -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {"destination": {"namespace": name},
                 "source": {"repoURL": "https://git.example/apps.git", "path": format!("kubernetes/{name}")},
                 "syncPolicy": {"automated": {"prune": true, "selfHeal": true}}},
        "status": {
            "sync": {"status": sync, "revision": "abc1234"},
            "health": {"status": health},
            "reconciledAt": "2026-01-01T11:58:00Z",
            "operationState": {"phase": "Succeeded", "message": "successfully synced (all tasks run)",
                               "finishedAt": "2026-01-01T10:00:00Z"},
            "history": [{"id": 1, "revision": "abc1234", "deployedAt": "2026-01-01T10:00:00Z"}]
        }
    })
}

pub fn es(app: &str, key: &str, ready: bool) -> Value {
    let name = format!("{app}-secrets");
    let (status, reason, message) = if ready {
        ("True", "SecretSynced", "secret synced")
    } else {
        (
            "False",
            "SecretSyncedError",
            "could not get secret data from provider",
        )
    };
    let mut es = json!({
        "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
        "metadata": {"name": name, "namespace": app, "creationTimestamp": "2026-01-01T09:00:00Z",
                     "generation": 1,
                     "annotations": tracking(app, "external-secrets.io", "ExternalSecret", app, &name)},
        "spec": {
            "refreshInterval": "1h0m0s",
            "secretStoreRef": {"name": "aws-store", "kind": "ClusterSecretStore"},
            "target": {"name": name},
            "data": [{"secretKey": "secrets.properties", "remoteRef": {"key": key}}]
        },
        "status": {
            "conditions": [{"type": "Ready", "status": status, "reason": reason, "message": message,
                            "lastTransitionTime": "2026-01-01T11:00:00Z"}]
        }
    });
    // ESO sets refreshTime and syncedResourceVersion only on a successful
    // sync: a never-synced ExternalSecret has neither.
    if ready {
        es["status"]["refreshTime"] = json!("2026-01-01T11:57:00Z");
        es["status"]["syncedResourceVersion"] = json!("1-0f3c9e");
        es["status"]["binding"] = json!({"name": name});
    }
    es
}

pub fn store() -> Value {
    json!({
        "apiVersion": "external-secrets.io/v1", "kind": "ClusterSecretStore",
        "metadata": {"name": "aws-store"},
        "spec": {"provider": {"aws": {"service": "SecretsManager", "region": "eu-west-1",
                  "auth": {"jwt": {"serviceAccountRef": {"name": "eso", "namespace": "external-secrets"}}}}}},
        "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "Valid", "message": "store validated"}]}
    })
}

pub fn secret(app: &str) -> Value {
    let name = format!("{app}-secrets");
    json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": app,
                     "creationTimestamp": "2026-01-01T09:00:00Z",
                     "labels": {"reconcile.external-secrets.io/managed": "true"},
                     "annotations": {"reconcile.external-secrets.io/data-hash": "0f3c9e"},
                     "ownerReferences": [{"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
                                          "name": name, "uid": "u1", "controller": true}],
                     "managedFields": [{"manager": "external-secrets", "operation": "Update",
                                        "time": "2026-01-01T11:30:00Z",
                                        "fieldsV1": {"f:data": {"f:secrets.properties": {}}}}]},
        "type": "Opaque"
    })
}

pub fn config_map(app: &str) -> Value {
    let name = format!("{app}-config");
    json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": app, "creationTimestamp": "2026-01-01T09:00:00Z",
                     "annotations": tracking(app, "", "ConfigMap", app, &name)},
        "data": {"PORT": "8080", "BE_VERSION": "2.0.3"}
    })
}

pub fn deployment(app: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": app, "namespace": app,
                     "annotations": tracking(app, "apps", "Deployment", app, app)},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": app}},
                 "template": {"metadata": {"labels": {"app": app}}, "spec": {
                     "containers": [{"name": app, "image": "example/app:1",
                         "env": [{"name": "PORT", "valueFrom": {"configMapKeyRef": {"name": format!("{app}-config"), "key": "PORT"}}}],
                         "volumeMounts": [{"name": "s", "mountPath": "/app/secrets.properties", "subPath": "secrets.properties"}]}],
                     "volumes": [{"name": "s", "secret": {"secretName": format!("{app}-secrets")}}]}}},
        "status": {"replicas": 1, "readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}
    })
}

pub fn pod(app: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("{app}-7d9f-abcde"), "namespace": app, "labels": {"app": app},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{app}-7d9f"), "uid": "rs1"}]},
        "spec": {"containers": [{"name": app}]},
        "status": {"phase": "Running", "startTime": "2026-01-01T10:00:00Z",
                   "conditions": [{"type": "Ready", "status": "True"}],
                   "containerStatuses": [{"name": app, "ready": true, "restartCount": 0,
                                          "state": {"running": {"startedAt": "2026-01-01T10:00:00Z"}}}]}
    })
}

pub fn event(
    ns: &str,
    kind: &str,
    name: &str,
    type_: &str,
    reason: &str,
    message: &str,
    at: &str,
) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": format!("{name}.{reason}"), "namespace": ns},
        "involvedObject": {"kind": kind, "name": name, "namespace": ns},
        "type": type_, "reason": reason, "message": message, "count": 1,
        "firstTimestamp": at, "lastTimestamp": at
    })
}

pub fn parse<T: serde::de::DeserializeOwned + secretdeck::domain::HasMeta>(v: Value) -> T {
    from_value(v).expect("fixture object")
}

/// Everything the backend would send for the fixture cluster.
pub fn cluster_msgs() -> Vec<Msg> {
    let mut msgs = vec![
        Msg::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
        Msg::Now(now()),
        Msg::Cluster(ClusterInfo {
            context: "sim".into(),
            server: "http://127.0.0.1:6443/".into(),
        }),
        Msg::Contexts {
            current: "sim".into(),
            all: vec!["prod-eks".into(), "sim".into()],
        },
        Msg::Apps(Change::Reset(vec![
            parse(app("onthetop-backend", "Synced", "Healthy")),
            parse(app("payments-api", "OutOfSync", "Degraded")),
        ])),
        Msg::ExternalSecrets(Change::Reset(vec![
            parse(es("onthetop-backend", AWS_SECRET, true)),
            parse(es("payments-api", "payments/api-missing", false)),
        ])),
        Msg::SecretStores(Change::Reset(vec![parse(store())])),
        Msg::Secrets(Change::Reset(vec![parse(secret("onthetop-backend"))])),
        Msg::ConfigMaps(Change::Reset(vec![
            parse(config_map("onthetop-backend")),
            parse(config_map("payments-api")),
        ])),
        Msg::Workloads(Change::Reset(vec![parse(deployment("onthetop-backend"))])),
        Msg::Pods(Change::Reset(vec![parse(pod("onthetop-backend"))])),
        Msg::Events(Change::Reset(vec![
            parse(event(
                "payments-api",
                "ExternalSecret",
                "payments-api-secrets",
                "Warning",
                "UpdateFailed",
                "error retrieving secret at .data[0], key: payments/api-missing, err: Secrets Manager can't find the specified secret.",
                "2026-01-01T11:59:00Z",
            )),
            parse(event(
                "onthetop-backend",
                "ExternalSecret",
                "onthetop-backend-secrets",
                "Normal",
                "Updated",
                "Updated Secret",
                "2026-01-01T11:30:00Z",
            )),
        ])),
    ];
    for kind in WatchKind::ALL {
        msgs.push(Msg::Watch {
            kind,
            state: WatchState::Live,
        });
    }
    msgs
}

pub fn model() -> Model {
    let mut model = Model::new(false, None);
    update_all(&mut model, cluster_msgs());
    model
}

pub fn press(model: &mut Model, key: Key) -> Vec<Cmd> {
    update_all(model, [Msg::Key(key)])
}

pub fn type_text(model: &mut Model, text: &str) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    for c in text.chars() {
        cmds.extend(press(model, Key::char(c)));
    }
    cmds
}

/// `:cmd` + enter.
pub fn command(model: &mut Model, cmd: &str) -> Vec<Cmd> {
    let mut cmds = press(model, Key::char(':'));
    cmds.extend(type_text(model, cmd));
    cmds.extend(press(model, Key::new(KeyCode::Enter)));
    cmds
}

pub fn draw(model: &Model) -> Buffer {
    draw_at(model, WIDTH, HEIGHT)
}

/// The screen drawn at another terminal size.
pub fn draw_at(model: &Model, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let theme = Theme::dark();
    terminal.draw(|f| view(model, &theme, f)).expect("draw");
    terminal.backend().buffer().clone()
}

pub fn text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn screen(model: &Model) -> String {
    text(&draw(model))
}
