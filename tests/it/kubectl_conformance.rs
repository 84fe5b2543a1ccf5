//! kubectl conformance: the real kubectl against the simulated API server,
//! over HTTP, through a kubeconfig. Everything is checked through kubectl
//! itself, so the server under test can be swapped for the `sim` binary, and
//! only what a real API server also does is asserted: defaults may be filled
//! in, other objects may exist, namespace deletion is asynchronous.

use crate::support;

use support::eventually;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// A running `secretdeck sim` and the kubeconfig it wrote.
struct Sim {
    dir: tempfile::TempDir,
    _process: tokio::process::Child,
}

/// Start `secretdeck sim --bare` (ESO served at v1beta1, as the fixtures
/// are written) on a free loopback port and wait until it says it is ready.
async fn start_sim() -> Sim {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_secretdeck"))
        .args(["sim", "--bare", "--eso-version", "v1beta1", "--env-file"])
        .arg(dir.path().join("sim.env"))
        .arg("--kubeconfig")
        .arg(dir.path().join("kubeconfig"))
        .env("SECRETDECK_LOG_DIR", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("secretdeck sim starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line == "ready" {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(ready, Ok(true), "secretdeck sim did not get ready");
    let env = std::fs::read_to_string(dir.path().join("sim.env")).unwrap();
    assert!(
        env.contains("export KUBECONFIG=")
            && env.contains("AWS_ENDPOINT_URL_SECRETS_MANAGER=http://127.0.0.1:")
    );
    Sim {
        dir,
        _process: child,
    }
}

const NS: &str = "onthetop-backend";

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/onthetop")
        .join(rel)
}

fn app_dir() -> PathBuf {
    fixture("application-gitops-repo/kubernetes/onthetop-backend")
}

/// Whether kubectl can run here; without it the test fails in CI and is
/// skipped (with a notice) elsewhere.
fn have_kubectl() -> bool {
    let found = std::process::Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(!support::in_ci(), "kubectl is required when CI is set");
        eprintln!("kubectl not found: skipping the kubectl conformance test");
    }
    found
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Sim {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("kubectl");
        cmd.arg("--kubeconfig")
            .arg(self.dir.path().join("kubeconfig"))
            .arg("--cache-dir")
            .arg(self.dir.path().join("cache"))
            .arg("--request-timeout=20s")
            .args(args)
            .env_remove("KUBECONFIG")
            .kill_on_drop(true);
        cmd
    }

    async fn run(&self, args: &[&str]) -> Out {
        let fut = self.command(args).output();
        let o = tokio::time::timeout(Duration::from_secs(60), fut)
            .await
            .unwrap_or_else(|_| panic!("kubectl {args:?} did not finish"))
            .unwrap();
        Out {
            ok: o.status.success(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Run kubectl, failing the test unless it succeeds.
    async fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args).await;
        assert!(o.ok, "kubectl {args:?} failed:\n{}\n{}", o.stdout, o.stderr);
        o.stdout
    }

    async fn get_json(&self, args: &[&str]) -> Value {
        let out = self.ok(&[&["get", "-o", "json"], args].concat()).await;
        serde_json::from_str(&out).unwrap()
    }

    async fn apply_onthetop(&self) -> String {
        let ns = fixture("application-gitops-repo/kubernetes/onthetop-backend/namespace.yaml");
        let mut out = self.ok(&["apply", "-f", ns.to_str().unwrap()]).await;
        out += &self.ok(&["apply", "-f", app_dir().to_str().unwrap()]).await;
        out += &self
            .ok(&["apply", "-f", fixture("cluster").to_str().unwrap()])
            .await;
        out
    }
}

/// Every field `want` sets has that value in `got`; a real API server
/// (and a CRD's or ESO's defaults) fills in more, which is fine. Lists
/// match element by element.
fn assert_contains(got: &Value, want: &Value, at: &str) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, v) in w {
                let here = format!("{at}.{k}");
                let sub = g
                    .get(k)
                    .unwrap_or_else(|| panic!("{here}: missing in {got}"));
                assert_contains(sub, v, &here);
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{at}: {got} vs {want}");
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                assert_contains(g, w, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(got, want, "{at}"),
    }
}

fn manifest(file: &str) -> Value {
    let text = std::fs::read_to_string(app_dir().join(file)).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[tokio::test]
async fn apply_round_trips_and_reapply_reports_unchanged_or_configured() {
    if !have_kubectl() {
        return;
    }
    let sim = start_sim().await;
    let out = sim.apply_onthetop().await;
    for line in [
        "namespace/onthetop-backend created",
        "configmap/onthetop-backend-config created",
        "deployment.apps/onthetop-backend created",
        "externalsecret.external-secrets.io/onthetop-backend-secrets created",
        "service/onthetop-backend created",
        "clustersecretstore.external-secrets.io/aws-secrets-manager-cluster-store created",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }

    let cm = sim
        .get_json(&["configmap", "onthetop-backend-config", "-n", NS])
        .await;
    assert_eq!(cm["data"], manifest("configmap.yaml")["data"]);
    assert!(
        cm["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
            .is_string()
    );
    let deploy = sim
        .get_json(&["deployment", "onthetop-backend", "-n", NS])
        .await;
    assert_contains(
        &deploy["spec"],
        &manifest("deployment.yaml")["spec"],
        "spec",
    );
    assert_eq!(deploy["apiVersion"], "apps/v1");
    let es = sim
        .get_json(&["externalsecret", "onthetop-backend-secrets", "-n", NS])
        .await;
    assert_contains(
        &es["spec"],
        &manifest("external-secret.yaml")["spec"],
        "spec",
    );
    // The server answers in its preferred version (v1 on ESO >= 0.16).
    assert!(
        es["apiVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("external-secrets.io/")),
        "{}",
        es["apiVersion"]
    );
    let css = sim
        .get_json(&["clustersecretstore", "aws-secrets-manager-cluster-store"])
        .await;
    assert_eq!(css["spec"]["provider"]["aws"]["region"], "ap-northeast-2");
    // A real cluster has more ConfigMaps (kube-root-ca.crt in every namespace).
    let all = sim.get_json(&["configmaps", "-A"]).await;
    assert!(
        all["items"].as_array().unwrap().iter().any(|i| {
            i["metadata"]["name"] == "onthetop-backend-config" && i["metadata"]["namespace"] == NS
        }),
        "{all}"
    );

    let again = sim.ok(&["apply", "-f", app_dir().to_str().unwrap()]).await;
    assert!(
        again.contains("configmap/onthetop-backend-config unchanged"),
        "{again}"
    );
    assert!(
        again.contains("externalsecret.external-secrets.io/onthetop-backend-secrets unchanged"),
        "{again}"
    );
    assert!(!again.contains("configured"), "{again}");

    let changed = std::fs::read_to_string(app_dir().join("configmap.yaml"))
        .unwrap()
        .replace("\"8080\"", "\"8181\"");
    let path = sim.dir.path().join("configmap.yaml");
    std::fs::write(&path, changed).unwrap();
    let out = sim.ok(&["apply", "-f", path.to_str().unwrap()]).await;
    assert!(
        out.contains("configmap/onthetop-backend-config configured"),
        "{out}"
    );
    let cm = sim
        .get_json(&["configmap", "onthetop-backend-config", "-n", NS])
        .await;
    assert_eq!(cm["data"]["PORT"], "8181");
}

#[tokio::test]
async fn annotate_patch_and_watch_see_changes() {
    if !have_kubectl() {
        return;
    }
    let sim = start_sim().await;
    sim.apply_onthetop().await;
    let template = "jsonpath={.metadata.name}={.data.PORT}{\"\\n\"}";
    let mut watch = sim
        .command(&[
            "get",
            "configmap",
            "onthetop-backend-config",
            "-n",
            NS,
            "-w",
            "-o",
            template,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    let mut next_line = async || {
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await;
        line.expect("kubectl get -w printed nothing within 20s")
            .unwrap()
            .expect("kubectl get -w ended")
    };
    assert_eq!(next_line().await, "onthetop-backend-config=8080");

    let es = ["externalsecret", "onthetop-backend-secrets", "-n", NS];
    let out = sim
        .ok(&[&["annotate"][..], &es, &["force-sync=1", "--overwrite"]].concat())
        .await;
    assert!(
        out.contains("externalsecret.external-secrets.io/onthetop-backend-secrets annotated"),
        "{out}"
    );
    let refused = sim
        .run(&[&["annotate"][..], &es, &["force-sync=2"]].concat())
        .await;
    assert!(
        !refused.ok && refused.stderr.contains("already has a value"),
        "{}",
        refused.stderr
    );
    sim.ok(&[&["annotate"][..], &es, &["force-sync=2", "--overwrite"]].concat())
        .await;
    let got = sim
        .get_json(&[&es[..], &["--show-managed-fields"]].concat())
        .await;
    assert_eq!(got["metadata"]["annotations"]["force-sync"], "2");
    let managers = got["metadata"]["managedFields"].to_string();
    assert!(managers.contains("kubectl-annotate"), "{managers}");

    let cm = ["configmap", "onthetop-backend-config", "-n", NS];
    let patch = r#"{"data":{"PORT":"9090"}}"#;
    let out = sim
        .ok(&[&["patch"][..], &cm, &["--type", "merge", "-p", patch]].concat())
        .await;
    assert!(
        out.contains("configmap/onthetop-backend-config patched"),
        "{out}"
    );
    assert_eq!(next_line().await, "onthetop-backend-config=9090");
    assert_eq!(sim.get_json(&cm).await["data"]["PORT"], "9090");
    watch.kill().await.unwrap();
}

#[tokio::test]
async fn rollout_restart_delete_and_not_found() {
    if !have_kubectl() {
        return;
    }
    let sim = start_sim().await;
    sim.apply_onthetop().await;
    let generation = sim
        .get_json(&["deployment", "onthetop-backend", "-n", NS])
        .await["metadata"]["generation"]
        .as_i64()
        .unwrap();
    let out = sim
        .ok(&[
            "rollout",
            "restart",
            "deployment/onthetop-backend",
            "-n",
            NS,
        ])
        .await;
    assert!(
        out.contains("deployment.apps/onthetop-backend restarted"),
        "{out}"
    );
    let deploy = sim
        .get_json(&["deployment", "onthetop-backend", "-n", NS])
        .await;
    let at =
        &deploy["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"];
    assert!(
        chrono::DateTime::parse_from_rfc3339(at.as_str().unwrap_or_default()).is_ok(),
        "{at}"
    );
    assert_eq!(deploy["metadata"]["generation"], generation + 1);

    let out = sim
        .ok(&["delete", "configmap", "onthetop-backend-config", "-n", NS])
        .await;
    assert!(
        out.contains("configmap \"onthetop-backend-config\" deleted"),
        "{out}"
    );
    let missing = sim
        .run(&["get", "configmap", "onthetop-backend-config", "-n", NS])
        .await;
    assert!(!missing.ok);
    assert!(
        missing.stderr.contains(
            "Error from server (NotFound): configmaps \"onthetop-backend-config\" not found"
        ),
        "{}",
        missing.stderr
    );
    let es = sim.run(&["get", "es", "nope", "-n", NS]).await;
    assert!(
        es.stderr
            .contains("externalsecrets.external-secrets.io \"nope\" not found"),
        "{}",
        es.stderr
    );

    // Namespace deletion is asynchronous: Terminating first, then gone
    // with everything in it. Other namespaces' objects stay.
    let out = sim.ok(&["delete", "namespace", NS, "--wait=false"]).await;
    assert!(
        out.contains("namespace \"onthetop-backend\" deleted"),
        "{out}"
    );
    eventually(60, "the namespace and its Deployment gone", || async {
        let ns = sim.run(&["get", "namespace", NS]).await;
        let deploy = sim
            .run(&["get", "deployment", "onthetop-backend", "-n", NS])
            .await;
        (!ns.ok && ns.stderr.contains("NotFound") && !deploy.ok).then_some(())
    })
    .await;
    let store = sim
        .run(&[
            "get",
            "clustersecretstore",
            "aws-secrets-manager-cluster-store",
        ])
        .await;
    assert!(store.ok, "a cluster-scoped object stays: {}", store.stderr);
}

#[tokio::test]
async fn server_side_apply_and_default_table_output() {
    if !have_kubectl() {
        return;
    }
    let sim = start_sim().await;
    let ns = fixture("application-gitops-repo/kubernetes/onthetop-backend/namespace.yaml");
    sim.ok(&["apply", "-f", ns.to_str().unwrap()]).await;
    let svc = app_dir().join("service.yaml");
    let out = sim
        .ok(&["apply", "--server-side", "-f", svc.to_str().unwrap()])
        .await;
    assert!(
        out.contains("service/onthetop-backend serverside-applied"),
        "{out}"
    );
    let got = sim
        .get_json(&[
            "service",
            "onthetop-backend",
            "-n",
            NS,
            "--show-managed-fields",
        ])
        .await;
    assert_contains(&got["spec"], &manifest("service.yaml")["spec"], "spec");
    let fields = got["metadata"]["managedFields"].as_array().unwrap();
    assert!(
        fields
            .iter()
            .any(|f| f["manager"] == "kubectl" && f["operation"] == "Apply"),
        "{fields:?}"
    );

    let cm = app_dir().join("configmap.yaml");
    let dry = sim
        .ok(&["apply", "--dry-run=server", "-f", cm.to_str().unwrap()])
        .await;
    assert!(
        dry.contains("configmap/onthetop-backend-config created (server dry run)"),
        "{dry}"
    );
    let absent = sim
        .run(&["get", "configmap", "onthetop-backend-config", "-n", NS])
        .await;
    assert!(
        !absent.ok && absent.stderr.contains("NotFound"),
        "{}",
        absent.stderr
    );

    let table = sim.ok(&["get", "services", "-n", NS]).await;
    assert!(table.starts_with("NAME"), "{table}");
    assert!(table.contains("onthetop-backend"), "{table}");
    let wide = sim.ok(&["get", "namespaces", "-A"]).await;
    assert!(wide.contains("onthetop-backend"), "{wide}");
}
