//! The real backend (kubeconfig -> kube client -> discovery -> watchers)
//! against a small fake Kubernetes API on loopback: ESO served only at
//! v1beta1, Argo CD missing, and a 403 all become what the console shows.

use axum::body::Body;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::backend::{ConnectOptions, KubeCluster, connect};
use secretdeck::cli::ConsoleArgs;
use secretdeck::console::Session;
use secretdeck::state::{WatchKind, WatchState};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// What the fake server serves.
#[derive(Clone)]
struct Fake {
    eso_version: &'static str,
    argo: bool,
    forbid_external_secrets: bool,
}

fn json_response(status: StatusCode, body: Value) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("response")
}

fn status_404() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404, "message": "not found"}),
    )
}

fn app(name: &str, sync: &str, health: &str) -> Value {
    json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
           "metadata": {"name": name, "namespace": "argocd", "resourceVersion": "5"},
           "spec": {"destination": {"namespace": name}},
           "status": {"sync": {"status": sync}, "health": {"status": health}}})
}

async fn handle(fake: Arc<Fake>, uri: Uri) -> Response {
    let path = uri.path();
    let watching = uri.query().unwrap_or("").contains("watch=true");
    let eso_gv = format!("external-secrets.io/{}", fake.eso_version);
    match path {
        "/apis" => {
            let mut groups = vec![json!({"name": "external-secrets.io",
                "versions": [{"groupVersion": eso_gv, "version": fake.eso_version}],
                "preferredVersion": {"groupVersion": eso_gv, "version": fake.eso_version}})];
            if fake.argo {
                groups.push(json!({"name": "argoproj.io",
                    "versions": [{"groupVersion": "argoproj.io/v1alpha1", "version": "v1alpha1"}],
                    "preferredVersion": {"groupVersion": "argoproj.io/v1alpha1", "version": "v1alpha1"}}));
            }
            json_response(
                StatusCode::OK,
                json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
            )
        }
        p if p == format!("/apis/{eso_gv}") => json_response(
            StatusCode::OK,
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": eso_gv, "resources": [
                {"name": "externalsecrets", "singularName": "externalsecret", "namespaced": true,
                 "kind": "ExternalSecret", "verbs": ["get", "list", "watch"]}]}),
        ),
        "/apis/argoproj.io/v1alpha1" if fake.argo => json_response(
            StatusCode::OK,
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "argoproj.io/v1alpha1", "resources": [
                {"name": "applications", "singularName": "application", "namespaced": true,
                 "kind": "Application", "verbs": ["get", "list", "watch"]}]}),
        ),
        p if p == format!("/apis/{eso_gv}/externalsecrets") => {
            if fake.forbid_external_secrets {
                return json_response(
                    StatusCode::FORBIDDEN,
                    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden", "code": 403,
                           "message": "externalsecrets.external-secrets.io is forbidden"}),
                );
            }
            if watching {
                return never_ending(vec![]);
            }
            json_response(
                StatusCode::OK,
                json!({"kind": "ExternalSecretList", "apiVersion": eso_gv, "metadata": {"resourceVersion": "7"},
                       "items": [{"apiVersion": eso_gv, "kind": "ExternalSecret",
                         "metadata": {"name": "payments-secrets", "namespace": "payments", "resourceVersion": "6",
                            "annotations": {"argocd.argoproj.io/tracking-id":
                                "payments:external-secrets.io/ExternalSecret:payments/payments-secrets"}},
                         "spec": {"secretStoreRef": {"name": "s", "kind": "ClusterSecretStore"}},
                         "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "SecretSyncedError"}]}}]}),
            )
        }
        "/apis/argoproj.io/v1alpha1/applications" if fake.argo => {
            if watching {
                let added = json!({"type": "ADDED", "object": app("zeta", "Synced", "Healthy")});
                return never_ending(vec![added]);
            }
            json_response(
                StatusCode::OK,
                json!({"kind": "ApplicationList", "apiVersion": "argoproj.io/v1alpha1", "metadata": {"resourceVersion": "7"},
                       "items": [app("onthetop-backend", "Synced", "Healthy"), app("payments", "OutOfSync", "Degraded")]}),
            )
        }
        _ => status_404(),
    }
}

/// A watch response: the given events, then an open connection.
fn never_ending(events: Vec<Value>) -> Response {
    let lines = events
        .into_iter()
        .map(|e| Ok::<_, std::io::Error>(format!("{e}\n")));
    let stream =
        futures::StreamExt::chain(futures::stream::iter(lines), futures::stream::pending());
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .body(Body::from_stream(stream))
        .expect("response")
}

async fn serve(fake: Fake) -> (String, tokio::task::JoinHandle<()>) {
    let fake = Arc::new(fake);
    let router = axum::Router::new().fallback(move |uri: Uri| handle(fake.clone(), uri));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, task)
}

fn write_kubeconfig(dir: &std::path::Path, server: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: fake-ctx\n\
         clusters:\n- name: fake\n  cluster:\n    server: {server}\n\
         users:\n- name: u\n  user:\n    token: dummy\n\
         contexts:\n- name: fake-ctx\n  context:\n    cluster: fake\n    user: u\n"
    );
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

fn screen(session: &Session<TestBackend>) -> String {
    let buf = session.terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn session_for(
    fake: Fake,
    dir: &std::path::Path,
) -> (Session<TestBackend>, tokio::task::JoinHandle<()>) {
    let (url, server) = serve(fake).await;
    let kubeconfig = write_kubeconfig(dir, &url);
    let conn = connect(&ConnectOptions {
        kubeconfig: Some(kubeconfig),
        context: None,
    })
    .await
    .expect("connect");
    assert_eq!(conn.info.context, "fake-ctx");
    let args = ConsoleArgs::default();
    let terminal = Terminal::new(TestBackend::new(110, 12)).expect("terminal");
    let session = Session::start(KubeCluster::new(conn, None), &args, terminal).expect("session");
    (session, server)
}

#[tokio::test]
async fn eso_v1beta1_and_argo_are_watched_live() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = Fake {
        eso_version: "v1beta1",
        argo: true,
        forbid_external_secrets: false,
    };
    let (mut session, server) = session_for(fake, dir.path()).await;

    let ok = session
        .wait_for(WAIT, |m| {
            m.apps.table.all().len() == 3
                && m.cluster.watch(WatchKind::ExternalSecrets) == WatchState::Live
                && m.cluster.watch(WatchKind::Applications) == WatchState::Live
        })
        .await
        .expect("draw");
    let s = screen(&session);
    assert!(ok, "listed apps, then the watched ADDED app:\n{s}");
    assert!(s.contains("ctx: fake-ctx"), "{s}");
    // Live watches are not spelled out; only the others are.
    assert!(!s.contains("apps: ") && !s.contains(" es: "), "{s}");
    let payments = s
        .lines()
        .find(|l| l.contains("payments"))
        .expect("payments row");
    assert!(
        payments.contains("OutOfSync") && payments.contains("Degraded") && payments.contains("0/1"),
        "{payments}"
    );
    assert!(
        s.contains("zeta"),
        "the app added by the watch is shown:\n{s}"
    );
    server.abort();
}

#[tokio::test]
async fn missing_argo_and_forbidden_external_secrets_are_shown_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = Fake {
        eso_version: "v1",
        argo: false,
        forbid_external_secrets: true,
    };
    let (mut session, server) = session_for(fake, dir.path()).await;

    let ok = session
        .wait_for(WAIT, |m| {
            m.cluster.watch(WatchKind::ExternalSecrets) == WatchState::Forbidden
                && m.cluster.watch(WatchKind::Applications) == WatchState::NotInstalled
        })
        .await
        .expect("draw");
    let s = screen(&session);
    assert!(ok, "{s}");
    assert!(s.contains("Argo CD is not installed"), "{s}");
    assert!(s.contains("es: ⊘ forbidden"), "{s}");
    assert!(s.contains("∅ not installed: apps"), "{s}");
    assert!(s.contains("no permission to list externalsecrets"), "{s}");
    server.abort();
}

#[tokio::test]
async fn kubeconfig_problems_are_clear_errors_without_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let err = connect(&ConnectOptions {
        kubeconfig: Some(missing.clone()),
        context: None,
    })
    .await
    .err()
    .expect("missing file fails");
    let msg = err.to_string();
    assert!(
        msg.contains("cannot read the kubeconfig") && msg.contains(&missing.display().to_string()),
        "{msg}"
    );

    let bad = dir.path().join("bad");
    std::fs::write(&bad, "users:\n- name: u\n  user:\n    token: SECRET-TOKEN-123\ncontexts: [\"SECRET-TOKEN-123\"\n")
        .expect("write");
    let msg = connect(&ConnectOptions {
        kubeconfig: Some(bad.clone()),
        context: None,
    })
    .await
    .err()
    .expect("malformed fails")
    .to_string();
    assert!(
        msg.contains("cannot read the kubeconfig") && msg.contains("bad"),
        "{msg}"
    );
    assert!(!msg.contains("SECRET-TOKEN-123"), "{msg}");

    let good = write_kubeconfig(dir.path(), "http://127.0.0.1:1");
    let msg = connect(&ConnectOptions {
        kubeconfig: Some(good),
        context: Some("other".into()),
    })
    .await
    .err()
    .expect("unknown context fails")
    .to_string();
    assert!(msg.contains("other"), "{msg}");
}

#[test]
fn eso_version_choice_prefers_v1() {
    use secretdeck::backend::pick_eso_version;
    assert_eq!(pick_eso_version(["v1", "v1beta1"]), Some("v1"));
    assert_eq!(pick_eso_version(["v1beta1"]), Some("v1beta1"));
    assert_eq!(pick_eso_version(["v1alpha1"]), None);
}
