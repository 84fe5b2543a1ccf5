//! The reference: kubectl against the same simulated cluster — one
//! `get … -A -o json` of every kind the console watches, and `get -w` of
//! each of those kinds while the cluster churns.

use anyhow::Context;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

/// The kinds the console watches, as kubectl names them.
pub const KINDS: [&str; 11] = [
    "applications",
    "externalsecrets",
    "secretstores",
    "clustersecretstores",
    "configmaps",
    "secrets",
    "deployments",
    "statefulsets",
    "daemonsets",
    "pods",
    "events",
];

/// `kubectl ARGS` on `kubeconfig`, its output piped (and its log, with
/// `log`).
fn kubectl(args: &[&str], kubeconfig: &Path, log: bool) -> anyhow::Result<Child> {
    Command::new("kubectl")
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .stdout(Stdio::piped())
        .stderr(if log { Stdio::piped() } else { Stdio::null() })
        .kill_on_drop(true)
        .spawn()
        .context("cannot run kubectl (is it installed?)")
}

/// Time to `kubectl get <KINDS> -A -o json`, and the bytes it printed.
pub async fn get_all(kubeconfig: &Path) -> anyhow::Result<(Duration, u64)> {
    let start = Instant::now();
    let mut child = kubectl(
        &["get", &KINDS.join(","), "-A", "-o", "json"],
        kubeconfig,
        false,
    )?;
    let mut out = child.stdout.take().context("no stdout")?;
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = out.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
    }
    let status = child.wait().await?;
    anyhow::ensure!(status.success(), "kubectl get failed: {status}");
    Ok((start.elapsed(), bytes))
}

/// One `kubectl get KIND -A -w --watch-only -o name` per kind, with the
/// lines (events) each has printed and how many have started watching.
pub struct Watchers {
    children: Vec<Child>,
    pub events: Arc<AtomicU64>,
    watching: Arc<AtomicU64>,
}

impl Watchers {
    pub fn start(kubeconfig: &Path) -> anyhow::Result<Watchers> {
        let events = Arc::new(AtomicU64::new(0));
        let watching = Arc::new(AtomicU64::new(0));
        let mut children = Vec::new();
        for kind in KINDS {
            // `-v=6` logs each request: the watch request says it is
            // past its list (kubectl lists every page first).
            let args = [
                "get",
                kind,
                "-A",
                "-w",
                "--watch-only",
                "-o",
                "name",
                "-v=6",
            ];
            let mut child = kubectl(&args, kubeconfig, true)?;
            let out = child.stdout.take().context("no stdout")?;
            let log = child.stderr.take().context("no stderr")?;
            let events = events.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(out).lines();
                while let Ok(Some(_)) = lines.next_line().await {
                    events.fetch_add(1, Ordering::Relaxed);
                }
            });
            let watching = watching.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(log).lines();
                let mut seen = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if !seen && line.contains("watch=true") {
                        seen = true;
                        watching.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            children.push(child);
        }
        Ok(Watchers {
            children,
            events,
            watching,
        })
    }

    /// How many kubectls are past their lists and watching, of how many.
    pub fn watching(&self) -> (u64, u64) {
        let n = self.watching.load(Ordering::Relaxed);
        (n, self.children.len() as u64)
    }

    /// How many have exited (a watch kubectl ends only on an error).
    pub fn ended(&mut self) -> usize {
        self.children
            .iter_mut()
            .map(|c| c.try_wait().ok().flatten().is_some())
            .filter(|ended| *ended)
            .count()
    }

    /// CPU time all of them have used so far.
    pub fn cpu(&self) -> Duration {
        self.children
            .iter()
            .filter_map(Child::id)
            .map(super::stats::cpu_of)
            .sum()
    }

    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }

    pub async fn stop(mut self) {
        for c in &mut self.children {
            let _ = c.kill().await;
        }
    }
}
