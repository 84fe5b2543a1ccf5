//! Shared setup for the rotation tests: a SimEnv, an `OpsEnv` on it with
//! its own journal and audit log, and readers of what the sim holds.
#![allow(dead_code)]

use crate::support;

use base64::Engine;
use secretdeck::audit::AuditLog;
use secretdeck::backend::ConnectOptions;
use secretdeck::backend::aws::Aws;
use secretdeck::domain::Inventory;
use secretdeck::domain::rotation::Progress;
use secretdeck::ops::rotation::setup::prepare;
use secretdeck::ops::rotation::{JournalStore, OpsEnv, Report};
use secretdeck_sim::SimEnv;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SECRET: &str = "onthetop/backend/secrets-properties";
pub const NS: &str = "onthetop-backend";
pub const KEY: &str = "spring.datasource.password";

pub use crate::support::cli::all_text;
pub use crate::support::console::aws_options;

pub async fn sim(dir: &Path) -> SimEnv {
    support::sim_with_apps(1, &dir.join("sim")).await
}

/// An `OpsEnv` with its journal and audit log in `state`, and the inventory.
pub async fn ops(env: &SimEnv, state: &Path, readonly: bool) -> (OpsEnv, Inventory) {
    let p = prepare(
        ConnectOptions {
            kubeconfig: Some(env.kubeconfig.clone()),
            context: None,
        },
        aws_options(env),
        readonly,
        Duration::from_secs(60),
        &secretdeck::settings::Paths::under(state),
    )
    .await
    .expect("prepare");
    let mut ops = p.env;
    ops.aws = Arc::new(Aws::new(aws_options(env)));
    ops.journal = JournalStore::at(state);
    ops.audit = AuditLog::at(state);
    (ops, p.inventory)
}

/// A report that keeps every progress line.
pub fn recorder() -> (Report, Arc<Mutex<Vec<Progress>>>) {
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let s = seen.clone();
    (Arc::new(move |p| s.lock().unwrap().push(p)), seen)
}

/// The decoded `key` of a Secret in the sim.
pub fn secret_data(env: &SimEnv, ns: &str, name: &str, key: &str) -> Option<String> {
    let rt = env.store.resource("", "secrets").ok()?.clone();
    let s = env.store.get(&rt, ns, name).ok()?;
    let b = s["data"][key].as_str()?;
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).ok()?).ok()
}

/// Pod names and start times in a namespace.
pub fn pods(env: &SimEnv, ns: &str) -> Vec<(String, String)> {
    let rt = env.store.resource("", "pods").unwrap().clone();
    let (list, _) = env.store.list(
        &rt,
        Some(ns),
        &secretdeck_sim::kube::selectors::Selectors::default(),
    );
    list.iter()
        .map(|p| {
            (
                p["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                p["status"]["startTime"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}
