//! Read-only cannot be bypassed: every mutating subcommand, listed from the
//! clap definition, × {`--readonly`, a `readonly_contexts` pattern in
//! `config.toml`}, each with its own config and state dir, run as the real
//! binary against a simulated environment. Each must exit 3 (refused),
//! write the refusal to the audit log, create no AWS secret version and
//! change no Kubernetes object.
//!
//! A new subcommand that is not classified below fails this test.

use crate::support;

use clap::CommandFactory;
use kube::api::{Api, ApiResource, DynamicObject};
use secretdeck::cli::Cli;
use secretdeck_sim::{SimEnv, SimOptions};
use std::collections::BTreeMap;
use std::path::Path;
use support::{eventually, kube_client, sm_client};

const NS: &str = "onthetop-backend";
const ES: &str = "onthetop-backend/onthetop-backend-secrets";
/// A target that does not exist: read-only refuses it all the same.
const MISSING: &str = "onthetop-backend/does-not-exist";
const SECRET: &str = "onthetop/backend/secrets-properties";
const EXIT_REFUSED: i32 = 3;

/// Subcommands that change nothing on the target cluster or AWS account.
const NOT_MUTATING: &[&str] = &[
    "status", // reads
    "sim",    // serves its own simulated environment
    "demo",   // the console on its own simulated environment
    "bench",  // measures the console on its own simulated environment
];

/// Every mutating subcommand (by its path) and the ways to run it.
fn mutating() -> BTreeMap<&'static str, Vec<Vec<&'static str>>> {
    BTreeMap::from([
        (
            "refresh es",
            vec![
                vec!["refresh", "es", ES, "--yes"],
                // Refused before the target is looked up.
                vec!["refresh", "es", MISSING, "--yes"],
            ],
        ),
        (
            "refresh app",
            vec![
                vec!["refresh", "app", "onthetop-backend", "--hard", "--yes"],
                vec!["refresh", "app", "onthetop-backend", "--es", "--yes"],
                vec!["refresh", "app", "no-such-app", "--yes"],
            ],
        ),
        (
            "refresh sync",
            vec![
                vec!["refresh", "sync", "onthetop-backend", "--yes"],
                vec!["refresh", "sync", "no-such-app", "--yes"],
            ],
        ),
        (
            "restart",
            vec![
                vec!["restart", "onthetop-backend/onthetop-backend", "--yes"],
                vec!["restart", MISSING, "--yes"],
            ],
        ),
        (
            "config set",
            vec![
                vec![
                    "config",
                    "set",
                    "onthetop-backend/onthetop-backend-config",
                    "PORT=9191",
                    "--yes",
                ],
                vec!["config", "set", MISSING, "PORT=9191", "--yes"],
            ],
        ),
        (
            "rotate",
            vec![
                vec!["rotate", ES, "--generate", "24", "--restart", "--yes"],
                vec!["rotate", MISSING, "--generate", "24", "--yes"],
            ],
        ),
        (
            "rollback",
            vec![
                vec!["rollback", ES, "--yes"],
                vec!["rollback", MISSING, "--yes"],
            ],
        ),
    ])
}

/// The leaf subcommands of the CLI, as paths ("refresh es").
fn leaves(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let path = format!("{prefix}{}", sub.get_name());
        if sub.has_subcommands() {
            leaves(sub, &format!("{path} "), out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_subcommand_is_classified() {
    let mut all = Vec::new();
    leaves(&Cli::command(), "", &mut all);
    let classified = mutating();
    for path in &all {
        assert!(
            NOT_MUTATING.contains(&path.as_str()) || classified.contains_key(path.as_str()),
            "subcommand `{path}` is not classified: add it to `mutating()` (with its read-only cases) or to NOT_MUTATING"
        );
    }
    for path in classified.keys().chain(NOT_MUTATING) {
        assert!(all.iter().any(|p| p == path), "`{path}` is no subcommand");
    }
}

/// The resourceVersions of the objects the commands would change. Argo CD
/// itself keeps writing an Application's status (reconciledAt), so for it
/// what a command would write is compared: annotations, spec, operation.
async fn versions(client: &kube::Client) -> BTreeMap<String, String> {
    let es_ar = secretdeck::ops::refresh::es_resource(client).await.unwrap();
    let app_ar = secretdeck::ops::argo::app_resource(client).await.unwrap();
    let cm = ApiResource::erase::<k8s_openapi::api::core::v1::ConfigMap>(&());
    let secret = ApiResource::erase::<k8s_openapi::api::core::v1::Secret>(&());
    let deploy = ApiResource::erase::<k8s_openapi::api::apps::v1::Deployment>(&());
    let objects = [
        (es_ar, NS, "onthetop-backend-secrets"),
        (secret, NS, "onthetop-backend-secrets"),
        (cm, NS, "onthetop-backend-config"),
        (deploy, NS, "onthetop-backend"),
        (app_ar, "argocd", "onthetop-backend"),
    ];
    let mut out = BTreeMap::new();
    for (ar, ns, name) in objects {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &ar);
        let o = api.get(name).await.unwrap();
        let seen = if ar.kind == "Application" {
            serde_json::json!({
                "annotations": o.metadata.annotations,
                "spec": o.data.get("spec"),
                "operation": o.data.get("operation"),
            })
            .to_string()
        } else {
            o.metadata.resource_version.unwrap_or_default()
        };
        out.insert(format!("{} {ns}/{name}", ar.kind), seen);
    }
    out
}

async fn aws_versions(sm: &aws_sdk_secretsmanager::Client) -> Vec<String> {
    let out = sm
        .list_secret_version_ids()
        .secret_id(SECRET)
        .include_deprecated(true)
        .send()
        .await
        .unwrap();
    let mut ids: Vec<String> = out
        .versions()
        .iter()
        .filter_map(|v| v.version_id().map(str::to_string))
        .collect();
    ids.sort();
    ids
}

async fn run(env: &SimEnv, dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let paths = secretdeck::settings::Paths::under(dir);
    let r = crate::support::cli::run(crate::support::cli::on_sim(env, &paths), args).await;
    (r.code, r.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mutating_subcommand_is_refused_by_flag_and_by_config() {
    let dir = tempfile::tempdir().unwrap();
    // Real-time clocks: the controllers do not touch the objects on their
    // own while the commands run.
    let env = SimEnv::start(
        SimOptions {
            apps: 1,
            clock_factor: 1.0,
            ..SimOptions::default()
        },
        dir.path(),
    )
    .await
    .unwrap();
    let client = kube_client(&env.kubeconfig).await;
    let sm = sm_client(&env.sm_endpoint, &env.region);
    // Settled: the Secret is synced, so nothing is still in flight.
    let secrets: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(client.clone(), NS);
    eventually(60, "the onthetop Secret", || async {
        secrets
            .get_opt("onthetop-backend-secrets")
            .await
            .ok()
            .flatten()
    })
    .await;
    let before = versions(&client).await;
    let aws_before = aws_versions(&sm).await;
    assert!(!aws_before.is_empty());

    let mut n = 0;
    for (path, cases) in mutating() {
        for args in cases {
            for by_config in [false, true] {
                n += 1;
                let case = dir.path().join(format!("case-{n}"));
                std::fs::create_dir_all(case.join("config")).unwrap();
                let mut argv = args.clone();
                if by_config {
                    std::fs::write(
                        case.join("config/config.toml"),
                        "readonly_contexts = [\"*sim*\"]\n",
                    )
                    .unwrap();
                } else {
                    argv.push("--readonly");
                }
                let what = format!("{path} {argv:?} (config: {by_config})");
                let (code, stderr) = run(&env, &case, &argv).await;
                assert_eq!(code, Some(EXIT_REFUSED), "{what}: {stderr}");
                assert!(stderr.contains("read-only mode"), "{what}: {stderr}");
                let audit = std::fs::read_to_string(case.join("state/audit.jsonl"))
                    .unwrap_or_else(|e| panic!("{what}: no audit log: {e}"));
                let records: Vec<serde_json::Value> = audit
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect();
                assert_eq!(records.len(), 1, "{what}: {audit}");
                assert!(!audit.contains("9191"), "{what}: a value in the audit log");
                let r = &records[0];
                assert_eq!(r["action"], "refused", "{what}: {r}");
                assert_eq!(r["outcome"], "refused-readonly", "{what}: {r}");
                assert_eq!(r["kube_context"], "secretdeck-sim", "{what}: {r}");
                assert!(r["os_user"].as_str().is_some_and(|u| !u.is_empty()));
                assert!(r["time"].as_str().is_some());
                let why = if by_config {
                    "readonly_contexts"
                } else {
                    "--readonly"
                };
                assert!(
                    r["error"].as_str().unwrap_or("").contains(why),
                    "{what}: {r}"
                );
            }
        }
    }
    assert_eq!(aws_versions(&sm).await, aws_before, "no new AWS version");
    assert_eq!(
        versions(&client).await,
        before,
        "no Kubernetes object changed"
    );
    env.shutdown().await;
}
