//! The console's "edit Git instead" (`g`) for onthetop's ConfigMap, whose
//! app syncs with selfHeal: the manifest in a local clone (`--gitops-repo`)
//! changes by exactly one line on a new branch, the push command is shown,
//! nothing is pushed and the live ConfigMap is untouched.

use crate::support;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::Api;
use secretdeck::state::{Key, KeyCode};
use std::path::Path;
use std::process::Command;
use support::console::{Setup, start, type_text};
use support::{kube_client, until_screen as until};

const CM: &str = "onthetop-backend-config";

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_git_instead_commits_one_line_on_a_new_branch() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let status = Command::new("cp")
        .arg("-r")
        .arg("tests/fixtures/onthetop/application-gitops-repo")
        .arg(&repo)
        .status()
        .unwrap();
    assert!(status.success());
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.email", "ops@example.com"]);
    git(&repo, &["config", "user.name", "Ops"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "initial"]);
    let file = repo.join("kubernetes/onthetop-backend/configmap.yaml");
    let original = std::fs::read_to_string(&file).unwrap();

    let mut setup = Setup {
        height: 45,
        ..Setup::default()
    };
    setup.args.gitops_repo = Some(repo.clone());
    let (mut session, env) = start(dir.path(), setup).await;
    until(&mut session, "onthetop", |s| s.contains("onthetop-backend")).await;
    type_text(&mut session, ":cm");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    until(&mut session, "the ConfigMap list", |s| s.contains(CM)).await;
    type_text(&mut session, "ejj");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    session.press(Key::ctrl('u')).unwrap();
    type_text(&mut session, "9292");
    session.press(Key::new(KeyCode::Enter)).unwrap();
    until(&mut session, "the selfHeal choices", |s| {
        s.contains("g edit Git instead")
    })
    .await;
    session.press(Key::char('g')).unwrap();
    let s = until(&mut session, "the commit", |s| s.contains("not pushed")).await;
    assert!(s.contains("push -u origin secretdeck/"), "{s}");
    assert!(s.contains("+  PORT: \"9292\""), "{s}");

    let edited = std::fs::read_to_string(&file).unwrap();
    assert_eq!(edited, original.replace("PORT: \"8080\"", "PORT: \"9292\""));
    let branch = git(&repo, &["rev-parse", "--abbrev-ref", "HEAD"]);
    assert!(
        branch.starts_with(&format!("secretdeck/{CM}-PORT-")),
        "{branch}"
    );
    assert_eq!(
        git(&repo, &["diff", "--name-only", "main", "HEAD"]).trim(),
        "kubernetes/onthetop-backend/configmap.yaml"
    );
    let client = kube_client(&env.kubeconfig).await;
    let live = Api::<ConfigMap>::namespaced(client, "onthetop-backend")
        .get(CM)
        .await
        .unwrap();
    assert_eq!(
        live.data.unwrap()["PORT"],
        "8080",
        "the live ConfigMap is untouched"
    );
    let audit = std::fs::read_to_string(dir.path().join("state/audit.jsonl")).unwrap();
    assert!(audit.contains("\"action\":\"config-edit-git\""), "{audit}");
    assert!(!audit.contains("9292"));
    env.shutdown().await;
}
