//! `secretdeck status`: the built binary against the simulated environment
//! (through the kubeconfig it writes), its JSON checked against the sim's
//! state, its exit codes; and the collection step on a scripted cluster.

mod support;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, PostParams};
use secretdeck::backend::{BackendHandle, Cluster};
use secretdeck::sim::{SimEnv, SimOptions};
use secretdeck::state::{ClusterInfo, Msg, WatchKind, WatchState};
use secretdeck::status::{collect, report, table};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;
use support::{eventually, kube_client, sm_client};
use tokio::sync::mpsc;

const ONTHETOP_NS: &str = "onthetop-backend";
const ONTHETOP_ES: &str = "onthetop-backend-secrets";

fn api(client: &kube::Client, group: &str, version: &str, kind: &str) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk(group, version, kind);
    Api::all_with(client.clone(), &ApiResource::from_gvk(&gvk))
}

fn ns_api(
    client: &kube::Client,
    ns: &str,
    group: &str,
    version: &str,
    kind: &str,
) -> Api<DynamicObject> {
    let gvk = GroupVersionKind::gvk(group, version, kind);
    Api::namespaced_with(client.clone(), ns, &ApiResource::from_gvk(&gvk))
}

/// The Ready condition of an ExternalSecret: (status, reason).
async fn es_ready(client: &kube::Client, ns: &str, name: &str) -> Option<(String, String)> {
    let es = ns_api(client, ns, "external-secrets.io", "v1", "ExternalSecret");
    let o = es.get(name).await.ok()?;
    let conds = o.data.pointer("/status/conditions")?.as_array()?.clone();
    let c = conds.iter().find(|c| c["type"] == "Ready")?;
    Some((c["status"].as_str()?.into(), c["reason"].as_str()?.into()))
}

/// The Application's (sync, health).
async fn app_status(client: &kube::Client, name: &str) -> Option<(String, String)> {
    let apps = ns_api(client, "argocd", "argoproj.io", "v1alpha1", "Application");
    let o = apps.get(name).await.ok()?;
    let sync = o.data.pointer("/status/sync/status")?.as_str()?.to_string();
    let health = o
        .data
        .pointer("/status/health/status")?
        .as_str()?
        .to_string();
    Some((sync, health))
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn status(kubeconfig: &Path, args: &[&str]) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_secretdeck"))
        .arg("status")
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("SECRETDECK_LOG_DIR", logs.path())
        .output()
        .await
        .expect("run secretdeck status");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn app<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["apps"]
        .as_array()
        .expect("apps array")
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no app {name} in {json:#}"))
}

async fn create_unowned_es(client: &kube::Client) {
    let namespaces = api(client, "", "v1", "Namespace");
    let ns: DynamicObject = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "scratch"}
    }))
    .unwrap();
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .expect("namespace");
    let es: DynamicObject = serde_json::from_value(serde_json::json!({
        "apiVersion": "external-secrets.io/v1",
        "kind": "ExternalSecret",
        "metadata": {"name": "orphan", "namespace": "scratch"},
        "spec": {
            "refreshInterval": "1h",
            "secretStoreRef": {"kind": "ClusterSecretStore", "name": "aws-secrets-manager-cluster-store"},
            "target": {"name": "orphan"},
            "data": [{"secretKey": "file", "remoteRef": {"key": "onthetop/backend/secrets-properties"}}]
        }
    }))
    .unwrap();
    ns_api(
        client,
        "scratch",
        "external-secrets.io",
        "v1",
        "ExternalSecret",
    )
    .create(&PostParams::default(), &es)
    .await
    .expect("unowned ExternalSecret");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_json_reports_the_sim_and_exits_1_on_trouble() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SimOptions {
        apps: 2,
        ..SimOptions::default()
    };
    let env = SimEnv::start(opts, dir.path()).await.expect("sim starts");
    let client = kube_client(&env.kubeconfig).await;
    create_unowned_es(&client).await;
    eventually(30, "the sim settles", || async {
        let ok = es_ready(&client, ONTHETOP_NS, ONTHETOP_ES).await?
            == ("True".into(), "SecretSynced".into())
            && es_ready(&client, "payments-api", "payments-api-secrets")
                .await?
                .1
                == "SecretSyncedError"
            && es_ready(&client, "scratch", "orphan").await?.0 == "True"
            && app_status(&client, "onthetop-backend").await?
                == ("Synced".into(), "Healthy".into());
        ok.then_some(())
    })
    .await;

    let run = status(&env.kubeconfig, &["-o", "json", "--timeout", "30"]).await;
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", run.stdout, run.stderr));
    assert_eq!(
        run.code,
        Some(1),
        "trouble apps mean exit 1; stderr: {}",
        run.stderr
    );
    assert_eq!(json["context"], "secretdeck-sim");
    assert!(
        json["server"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    for (kind, state) in json["watches"].as_object().unwrap() {
        assert_eq!(state, "live", "watch {kind}");
    }

    let ot = app(&json, "onthetop-backend");
    assert_eq!(ot["namespace"], ONTHETOP_NS);
    assert_eq!(ot["sync"], "Synced");
    assert_eq!(ot["health"], "Healthy");
    let es = &ot["external_secrets"][0];
    assert_eq!(es["name"], ONTHETOP_ES);
    assert_eq!(es["namespace"], ONTHETOP_NS);
    assert_eq!(es["ready"], true);
    assert_eq!(es["reason"], "SecretSynced");
    assert_eq!(
        es["store"],
        "ClusterSecretStore/aws-secrets-manager-cluster-store"
    );
    assert_eq!(es["target_secret"], ONTHETOP_ES);
    assert!(
        es["last_refresh"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{es}"
    );

    let pay = app(&json, "payments-api");
    assert_eq!(pay["severity"], "error");
    let problems = pay["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.as_str().unwrap().contains("SecretSyncedError")),
        "{problems:?}"
    );
    let pes = &pay["external_secrets"][0];
    assert_eq!(
        (&pes["ready"], &pes["reason"]),
        (&Value::Bool(false), &Value::from("SecretSyncedError"))
    );
    assert!(
        pes["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{pes}"
    );
    // Worst first.
    assert_eq!(json["apps"][0]["severity"], "error");

    let unowned = json["unowned_external_secrets"].as_array().unwrap();
    assert_eq!(unowned.len(), 1, "{unowned:?}");
    assert_eq!(
        (&unowned[0]["namespace"], &unowned[0]["name"]),
        (&Value::from("scratch"), &Value::from("orphan"))
    );
    assert_eq!(unowned[0]["ready"], true);

    // Never a secret value.
    let sm = sm_client(&env.sm_endpoint, &env.region);
    let value = sm
        .get_secret_value()
        .secret_id("onthetop/backend/secrets-properties")
        .send()
        .await
        .unwrap();
    for line in value.secret_string().unwrap().lines() {
        let secret = line.split_once('=').map_or(line, |(_, v)| v).trim();
        if secret.len() >= 6 {
            assert!(
                !run.stdout.contains(secret),
                "a secret value leaked into status output"
            );
        }
    }

    // The same data as a table and as YAML.
    let table = status(&env.kubeconfig, &["--timeout", "30"]).await;
    assert_eq!(table.code, Some(1));
    let header = table.stdout.lines().nth(1).unwrap_or_default();
    for col in [
        "APP",
        "NAMESPACE",
        "SYNC",
        "HEALTH",
        "SECRETS",
        "STALE PODS",
        "PROBLEMS",
    ] {
        assert!(header.contains(col), "{header}");
    }
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("payments-api "))
        .unwrap();
    assert!(
        row.contains("0/1") && row.contains("SecretSyncedError"),
        "{row}"
    );
    assert!(
        table
            .stdout
            .contains("ExternalSecrets that belong to no app")
    );
    let yaml = status(&env.kubeconfig, &["-o", "yaml", "--timeout", "30"]).await;
    let parsed: Value = serde_yaml::from_str(&yaml.stdout).expect("YAML");
    assert_eq!(app(&parsed, "onthetop-backend")["health"], "Healthy");

    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_exits_0_when_everything_is_healthy() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SimOptions {
        apps: 0,
        ..SimOptions::default()
    };
    let env = SimEnv::start(opts, dir.path()).await.expect("sim starts");
    let client = kube_client(&env.kubeconfig).await;
    eventually(30, "onthetop Synced and Healthy", || async {
        (app_status(&client, "onthetop-backend").await? == ("Synced".into(), "Healthy".into()))
            .then_some(())
    })
    .await;
    let run = status(&env.kubeconfig, &["-o", "json", "--timeout", "30"]).await;
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(run.code, Some(0), "{json:#}\nstderr: {}", run.stderr);
    assert_eq!(json["apps"].as_array().unwrap().len(), 1);
    assert_eq!(app(&json, "onthetop-backend")["severity"], "ok");
    assert!(
        json["unowned_external_secrets"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    env.shutdown().await;
}

#[tokio::test]
async fn a_malformed_kubeconfig_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(
        &path,
        "apiVersion: v1\nclusters: [ {\n  token: hunter2secret\n",
    )
    .unwrap();
    let run = status(&path, &["-o", "json"]).await;
    assert_eq!(run.code, Some(2), "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("cannot read the kubeconfig"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("malformed YAML"), "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2secret"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[tokio::test]
async fn an_unreachable_cluster_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let path = dir.path().join("config");
    std::fs::write(
        &path,
        secretdeck::sim::env::kubeconfig_yaml(&format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    let run = status(&path, &["--timeout", "2"]).await;
    assert_eq!(
        run.code,
        Some(2),
        "stdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr
            .contains("cannot read the cluster at http://127.0.0.1:"),
        "{}",
        run.stderr
    );
}

/// Sends its messages, then keeps the channel open (like live watches).
struct Held(Vec<Msg>);

impl Cluster for Held {
    fn start(self, tx: mpsc::Sender<Msg>) -> BackendHandle {
        BackendHandle::new(vec![tokio::spawn(async move {
            for m in self.0 {
                if tx.send(m).await.is_err() {
                    return;
                }
            }
            std::future::pending::<()>().await;
            drop(tx);
        })])
    }
}

fn all_watches(state: WatchState) -> Vec<Msg> {
    WatchKind::ALL
        .iter()
        .map(|kind| Msg::Watch {
            kind: *kind,
            state: state.clone(),
        })
        .collect()
}

#[tokio::test]
async fn collect_stops_once_every_watch_is_settled() {
    let mut msgs = vec![Msg::Cluster(ClusterInfo {
        context: "ctx".into(),
        server: "https://example".into(),
    })];
    msgs.extend(all_watches(WatchState::Live));
    msgs.push(Msg::Watch {
        kind: WatchKind::Applications,
        state: WatchState::NotInstalled,
    });
    msgs.push(Msg::Watch {
        kind: WatchKind::Secrets,
        state: WatchState::Forbidden,
    });
    // The backend keeps running and the deadline is far: returning at all
    // proves it stopped on the states.
    let c = collect(Held(msgs), Duration::from_secs(600)).await;
    assert!(c.unsettled().is_empty());
    let r = report(&c, None, chrono::Utc::now());
    assert_eq!(
        (r.context.as_str(), r.server.as_str()),
        ("ctx", "https://example")
    );
    assert_eq!(r.watches["applications"], "not installed");
    assert_eq!(r.watches["secrets"], "forbidden");
    assert_eq!(r.exit_code(), 0, "nothing wrong was found");
    let text = table::render(&r);
    assert!(text.contains("No Argo CD Applications"), "{text}");
    assert!(text.contains("applications: not installed"), "{text}");
    assert!(text.contains("secrets: forbidden"), "{text}");
}

#[tokio::test]
async fn collect_gives_up_at_the_deadline_and_says_what_is_missing() {
    let mut msgs = all_watches(WatchState::Live);
    msgs.push(Msg::Watch {
        kind: WatchKind::Pods,
        state: WatchState::Reconnecting("server answered 500".into()),
    });
    let c = collect(Held(msgs), Duration::from_millis(300)).await;
    assert_eq!(
        c.unsettled(),
        vec![(
            WatchKind::Pods,
            WatchState::Reconnecting("server answered 500".into())
        )]
    );
    let r = report(&c, None, chrono::Utc::now());
    assert_eq!(r.watches["pods"], "reconnecting: server answered 500");
    assert_eq!(
        r.exit_code(),
        1,
        "incomplete data is not a clean bill of health"
    );
}
