//! `secretdeck status`: the built binary against the simulated environment
//! (through the kubeconfig it writes), its JSON checked against the sim's
//! state, its exit codes; and the collection step on a scripted cluster.

#[path = "../support/mod.rs"]
mod support;

mod collect;
mod errors;
mod sim;

use serde_json::Value;
use std::path::Path;

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
        .env("SECRETDECK_CONFIG_DIR", logs.path().join("config"))
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
