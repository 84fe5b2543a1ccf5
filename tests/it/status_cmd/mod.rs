//! `secretdeck status`: the built binary against the simulated environment
//! (through the kubeconfig it writes), its JSON checked against the sim's
//! state, its exit codes; and the collection step on a scripted cluster.

use crate::support;
use support::cli::Run;

mod collect;
mod errors;
mod sim;

use serde_json::Value;
use std::path::Path;

/// `secretdeck status ARGS` on a kubeconfig, its files in a fresh
/// temporary directory.
async fn status(kubeconfig: &Path, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = support::cli::command(&secretdeck::settings::Paths::under(dir.path()));
    cmd.env("KUBECONFIG", kubeconfig).arg("status");
    support::cli::run(cmd, args).await
}

fn app<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["apps"]
        .as_array()
        .expect("apps array")
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no app {name} in {json:#}"))
}
