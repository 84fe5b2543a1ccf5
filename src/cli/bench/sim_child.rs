//! The simulated cluster for a benchmark, in a child process (so its CPU
//! and memory are not the console's): `secretdeck sim --scale S`, waited
//! for until it says it has converged; its counters and churn switch at
//! `/_sim/requests` and `/_sim/churn`.

use anyhow::{Context, bail};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// How long a scale may take to converge before the benchmark gives up.
const CONVERGE_TIMEOUT: Duration = Duration::from_secs(900);

pub struct SimChild {
    child: Child,
    pub kubeconfig: PathBuf,
    /// The variables of the env file the sim wrote (AWS endpoint, keys).
    pub env: Vec<(String, String)>,
    pub kube_addr: String,
    pub sm_addr: String,
    /// Its own report: `converged in T s (…)`.
    pub converged: String,
    pub converged_secs: f64,
    pub applications: usize,
}

/// Start `exe sim --scale <scale>` with its files in `dir`; returns once
/// it has converged.
pub async fn start(exe: &Path, scale: &str, dir: &Path) -> anyhow::Result<SimChild> {
    std::fs::create_dir_all(dir)?;
    let kubeconfig = dir.join("kubeconfig");
    let env_file = dir.join("sim.env");
    let mut child = Command::new(exe)
        .args(["sim", "--scale", scale, "--env-file"])
        .arg(&env_file)
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .envs(dirs_under(dir))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start the simulator")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let converged = tokio::time::timeout(CONVERGE_TIMEOUT, async {
        while let Some(line) = lines.next_line().await? {
            if line.starts_with("converged in") {
                return Ok(line);
            }
        }
        bail!("the simulator stopped before it converged")
    })
    .await
    .with_context(|| format!("the simulator did not converge within {CONVERGE_TIMEOUT:?}"))??;
    // Keep reading what it prints, so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let env = read_env_file(&env_file)?;
    let sm_addr = env
        .iter()
        .find(|(k, _)| k == "AWS_ENDPOINT_URL_SECRETS_MANAGER")
        .map(|(_, v)| v.trim_start_matches("http://").to_string())
        .context("the env file names no Secrets Manager endpoint")?;
    let kube_addr = std::fs::read_to_string(&kubeconfig)?
        .lines()
        .find_map(|l| l.trim().strip_prefix("server:"))
        .map(|s| s.trim().trim_start_matches("http://").to_string())
        .context("the kubeconfig names no server")?;
    let converged_secs = converged
        .strip_prefix("converged in ")
        .and_then(|r| r.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    let applications = converged
        .split("Applications ")
        .nth(1)
        .and_then(|r| r.split('/').nth(1))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(SimChild {
        child,
        kubeconfig,
        env,
        kube_addr,
        sm_addr,
        converged,
        converged_secs,
        applications,
    })
}

/// The console's directories under `dir` (so nothing lands in `~`).
pub fn dirs_under(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    use crate::settings::dirs::{CONFIG_DIR_ENV, LOG_DIR_ENV, STATE_DIR_ENV};
    vec![
        (CONFIG_DIR_ENV, dir.join("config")),
        (STATE_DIR_ENV, dir.join("state")),
        (LOG_DIR_ENV, dir.join("logs")),
    ]
}

fn read_env_file(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("export "))
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

impl SimChild {
    /// Requests the API server answered, by verb.
    pub async fn kube_requests(&self) -> anyhow::Result<BTreeMap<String, u64>> {
        counts(&http(&self.kube_addr, "GET", "/_sim/requests", "").await?)
    }

    /// Secrets Manager calls by operation (the ESO sim's not included).
    pub async fn aws_requests(&self) -> anyhow::Result<BTreeMap<String, u64>> {
        counts(&http(&self.sm_addr, "GET", "/_sim/requests", "").await?)
    }

    /// Make it churn `rate` updates a second (0 stops).
    pub async fn set_churn(&self, rate: u32) -> anyhow::Result<()> {
        let body = serde_json::json!({ "rate": rate }).to_string();
        http(&self.kube_addr, "POST", "/_sim/churn", &body).await?;
        Ok(())
    }

    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            // SAFETY: a signal to our own child.
            unsafe { libc::kill(pid as i32, libc::SIGINT) };
        }
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

fn counts(v: &Value) -> anyhow::Result<BTreeMap<String, u64>> {
    serde_json::from_value(v["counts"].clone()).context("unexpected /_sim/requests answer")
}

/// One HTTP/1.0 request to the sim's admin routes; the JSON body.
async fn http(addr: &str, method: &str, path: &str, body: &str) -> anyhow::Result<Value> {
    let mut s = tokio::net::TcpStream::connect(addr)
        .await
        .with_context(|| format!("cannot reach the simulator at {addr}"))?;
    let req = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    let text = String::from_utf8_lossy(&out);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        bail!("{method} {path}: {}", head.lines().next().unwrap_or(""));
    }
    serde_json::from_str(body).with_context(|| format!("{method} {path}: not JSON"))
}
