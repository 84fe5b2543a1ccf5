//! Shared setup for the rotation tests: a SimEnv, an `OpsEnv` on it with
//! its own journal and audit log, and readers of what the sim holds.
#![allow(dead_code)]

use base64::Engine;
use secretdeck::audit::AuditLog;
use secretdeck::backend::aws::Aws;
use secretdeck::backend::{AwsOptions, ConnectOptions};
use secretdeck::domain::Inventory;
use secretdeck::domain::rotation::Progress;
use secretdeck::ops::rotation::setup::prepare;
use secretdeck::ops::rotation::{JournalStore, OpsEnv, Report};
use secretdeck_sim::{SimEnv, SimOptions};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SECRET: &str = "onthetop/backend/secrets-properties";
pub const NS: &str = "onthetop-backend";
pub const KEY: &str = "spring.datasource.password";

pub fn aws_options(env: &SimEnv) -> AwsOptions {
    AwsOptions {
        endpoint: Some(env.sm_endpoint.clone()),
        region: Some(env.region.clone()),
        test_credentials: true,
    }
}

pub async fn sim(dir: &Path) -> SimEnv {
    SimEnv::start(
        SimOptions {
            apps: 1,
            ..SimOptions::default()
        },
        &dir.join("sim"),
    )
    .await
    .expect("sim")
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

/// Every file under `dir`, read as text (lossy), concatenated.
pub fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out += &all_text(&p);
            } else if let Ok(b) = std::fs::read(&p) {
                out += &String::from_utf8_lossy(&b);
            }
        }
    }
    out
}
