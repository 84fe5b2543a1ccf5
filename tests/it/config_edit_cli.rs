//! `secretdeck config set`: the built binary against the simulated
//! environment — live with `--yes -o json`, refusals (no terminal,
//! read-only, bad key) that write nothing, and the Git-side
//! edit in a real local clone made from the fixture repo.

use crate::support;
use support::cli::secretdeck;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::Api;
use std::path::{Path, PathBuf};
use std::process::Command;

const NS: &str = "onthetop-backend";
const CM: &str = "onthetop-backend-config";
const FIXTURE: &str = "tests/fixtures/onthetop/application-gitops-repo";

fn audit_lines(state: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(state.join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

async fn cm_data(client: &kube::Client) -> (std::collections::BTreeMap<String, String>, String) {
    let cm = Api::<ConfigMap>::namespaced(client.clone(), NS)
        .get(CM)
        .await
        .unwrap();
    (
        cm.data.unwrap_or_default(),
        cm.metadata.resource_version.unwrap(),
    )
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A local clone: the fixture repo's files, committed.
fn fixture_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    let copy = Command::new("cp")
        .arg("-r")
        .arg(FIXTURE)
        .arg(&repo)
        .status()
        .unwrap();
    assert!(copy.success());
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.email", "ops@example.com"]);
    git(&repo, &["config", "user.name", "Ops"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "initial"]);
    repo
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_set_live_refusals_and_git() {
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(0, dir.path()).await;
    let client = support::kube_client(&env.kubeconfig).await;
    let state = dir.path().join("state");
    let target = format!("{NS}/{CM}");
    let (before, _) = cm_data(&client).await;

    // No terminal, no --yes: refused (the Git edit asks first).
    let repo = fixture_repo(dir.path());
    let repo_s = repo.to_str().unwrap();
    let r = secretdeck(
        &env.kubeconfig,
        &state,
        &["config", "set", &target, "PORT=9090", "--git", repo_s],
    )
    .await;
    assert_eq!(r.code, Some(3), "{}", r.stderr);
    assert!(r.stderr.contains("stdin is not a terminal"), "{}", r.stderr);
    // Live under selfHeal without --yes: refused, saying why.
    let r = secretdeck(
        &env.kubeconfig,
        &state,
        &["config", "set", &target, "PORT=9090"],
    )
    .await;
    assert_eq!(r.code, Some(3));
    assert!(
        r.stderr.contains("reverted by Argo CD within seconds"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    // Read-only and a bad key name: refused.
    let r = secretdeck(
        &env.kubeconfig,
        &state,
        &["--readonly", "config", "set", &target, "PORT=9090", "--yes"],
    )
    .await;
    assert_eq!(r.code, Some(3));
    assert!(r.stderr.contains("read-only mode"), "{}", r.stderr);
    let r = secretdeck(
        &env.kubeconfig,
        &state,
        &["config", "set", &target, "BAD KEY=1", "--yes"],
    )
    .await;
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("is not valid"), "{}", r.stderr);
    assert_eq!(cm_data(&client).await.0, before, "nothing written");
    assert_eq!(git(&repo, &["branch", "--list"]).trim(), "* main");

    // Live with --yes -o json.
    let r = secretdeck(
        &env.kubeconfig,
        &state,
        &["config", "set", &target, "PORT=9090", "--yes", "-o", "json"],
    )
    .await;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect(&r.stdout);
    assert_eq!(json["change"], "change");
    assert_eq!(json["mode"], "live");
    assert!(json["warning"].as_str().unwrap().contains("reverted"));
    assert!(json["diff"].as_str().unwrap().contains("+PORT: 9090"));
    assert!(json["resource_version"].is_string());
    let audit = audit_lines(&state);
    let last = audit.last().unwrap();
    assert_eq!(last["action"], "config-edit");
    assert_eq!(last["outcome"], "ok");
    assert!(audit.iter().any(|a| a["outcome"] == "refused-readonly"
        && a["error"].as_str().unwrap().contains("read-only")));
    let text = std::fs::read_to_string(state.join("audit.jsonl")).unwrap();
    assert!(!text.contains("9090"), "no values in the audit log");
    for entry in std::fs::read_dir(state.join("logs"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let log = std::fs::read_to_string(entry.path()).unwrap_or_default();
        // As a value (a bare "9090" may be part of a port or a version).
        assert!(
            !["=9090", ": 9090", "\"9090\"", "PORT 9090"]
                .iter()
                .any(|v| log.contains(v)),
            "no values in {}",
            entry.path().display()
        );
    }

    // The Git-side edit: exactly one line changes, on a new branch, not pushed.
    let file = repo.join("kubernetes/onthetop-backend/configmap.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let r = secretdeck(
        &env.kubeconfig,
        &state,
        &[
            "config",
            "set",
            &target,
            "PORT=9191",
            "--git",
            repo_s,
            "--yes",
        ],
    )
    .await;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("push -u origin secretdeck/"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("not pushed"), "{}", r.stdout);
    let edited = std::fs::read_to_string(&file).unwrap();
    assert_eq!(edited, original.replace("PORT: \"8080\"", "PORT: \"9191\""));
    let (old_lines, new_lines): (Vec<_>, Vec<_>) =
        (original.lines().collect(), edited.lines().collect());
    assert_eq!(old_lines.len(), new_lines.len());
    assert_eq!(
        old_lines
            .iter()
            .zip(&new_lines)
            .filter(|(a, b)| a != b)
            .count(),
        1
    );
    let branch = git(&repo, &["rev-parse", "--abbrev-ref", "HEAD"]);
    assert!(
        branch.trim().starts_with(&format!("secretdeck/{CM}-PORT-")),
        "{branch}"
    );
    let diff = git(&repo, &["diff", "main", "HEAD"]);
    assert!(
        diff.contains("-  PORT: \"8080\"") && diff.contains("+  PORT: \"9191\""),
        "{diff}"
    );
    assert_eq!(
        git(&repo, &["diff", "--stat", "main", "HEAD"])
            .lines()
            .count(),
        2
    );
    assert!(git(&repo, &["status", "--porcelain"]).trim().is_empty());
    assert!(
        git(&repo, &["remote"]).trim().is_empty(),
        "nothing pushed, no remote touched"
    );
    assert_eq!(
        audit_lines(&state).last().unwrap()["action"],
        "config-edit-git"
    );
    env.shutdown().await;
}
