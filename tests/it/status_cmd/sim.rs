//! `status` against the simulated environment: JSON/table/YAML checked
//! against the sim's state, exit codes 1 (trouble) and 0 (healthy).

use super::support::{eventually, kube_client, sm_client};
use super::{app, status};
use kube::api::{
    Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams, PostParams,
};
use secretdeck_sim::{SimEnv, SimOptions};
use serde_json::Value;

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

    // --namespace: only apps deploying there, only ExternalSecrets there.
    let scoped = status(
        &env.kubeconfig,
        &["-n", "payments-api", "-o", "json", "--timeout", "30"],
    )
    .await;
    let scoped: Value = serde_json::from_str(&scoped.stdout).expect("JSON");
    let names: Vec<&str> = scoped["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["payments-api"]);
    assert!(
        scoped["unowned_external_secrets"]
            .as_array()
            .unwrap()
            .is_empty()
    );

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
    eventually(30, "onthetop's ExternalSecret Ready", || async {
        (es_ready(&client, ONTHETOP_NS, ONTHETOP_ES).await?.0 == "True").then_some(())
    })
    .await;
    // Pods created before the Secret was written would be reported stale
    // (they started before its data changed): restart them, as an operator
    // would, so every pod starts after the Secret holds its value.
    let deployments = ns_api(&client, ONTHETOP_NS, "apps", "v1", "Deployment");
    let restart = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"}}}}});
    deployments
        .patch(
            "onthetop-backend",
            &PatchParams::default(),
            &Patch::Merge(&restart),
        )
        .await
        .expect("rollout restart");
    let pods = ns_api(&client, ONTHETOP_NS, "", "v1", "Pod");
    eventually(60, "onthetop restarted, Synced and Healthy", || async {
        let d = deployments.get("onthetop-backend").await.ok()?;
        let want = d.data.pointer("/spec/replicas")?.as_i64()?;
        let list = pods.list(&Default::default()).await.ok()?;
        let restarted = list.items.iter().all(|p| {
            p.metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key("kubectl.kubernetes.io/restartedAt"))
                && p.data
                    .pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .is_some_and(|cs| {
                        cs.iter()
                            .any(|c| c["type"] == "Ready" && c["status"] == "True")
                    })
        });
        let settled = restarted
            && list.items.len() as i64 == want
            && app_status(&client, "onthetop-backend").await?
                == ("Synced".into(), "Healthy".into());
        settled.then_some(())
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
