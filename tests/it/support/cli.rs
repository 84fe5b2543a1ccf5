//! Running the built `secretdeck` binary: its directories, kubeconfig and
//! AWS endpoint passed in the child's environment (never this process's),
//! no terminal on stdin unless one is given.

use secretdeck::settings::Paths;
use secretdeck_sim::SimEnv;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What a run printed and how it ended.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The state dir `state` with the logs and config inside it (the layout
/// most CLI tests read back: `state/audit.jsonl`, `state/logs`).
pub fn state_paths(state: &Path) -> Paths {
    Paths {
        config_dir: Some(state.join("config")),
        state_dir: Some(state.to_path_buf()),
        log_dir: Some(state.join("logs")),
    }
}

/// The built binary with the directories of `paths`, stdin empty.
pub fn command(paths: &Paths) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_secretdeck"));
    for (var, dir) in [
        ("SECRETDECK_CONFIG_DIR", &paths.config_dir),
        ("SECRETDECK_STATE_DIR", &paths.state_dir),
        ("SECRETDECK_LOG_DIR", &paths.log_dir),
    ] {
        match dir {
            Some(d) => cmd.env(var, d),
            None => cmd.env_remove(var),
        };
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// `command` on the sim: its kubeconfig and its Secrets Manager.
pub fn on_sim(env: &SimEnv, paths: &Paths) -> Command {
    let mut cmd = command(paths);
    cmd.env("KUBECONFIG", &env.kubeconfig)
        .env("AWS_ENDPOINT_URL", &env.sm_endpoint)
        .env("AWS_ENDPOINT_URL_SECRETS_MANAGER", &env.sm_endpoint)
        .env("AWS_REGION", &env.region)
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "test");
    cmd
}

fn ran(out: std::process::Output) -> Run {
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run `cmd` with `args` to the end, off the async threads (killed if
/// the test stops waiting).
pub async fn run(mut cmd: Command, args: &[&str]) -> Run {
    cmd.args(args);
    let mut cmd = tokio::process::Command::from(cmd);
    cmd.kill_on_drop(true);
    ran(cmd.output().await.expect("run secretdeck"))
}

/// `run` for a test without a runtime.
pub fn run_blocking(mut cmd: Command, args: &[&str]) -> Run {
    ran(cmd.args(args).output().expect("run secretdeck"))
}

/// Run `cmd` with `args`, `input` on its stdin (a pipe, not a terminal).
pub fn run_with_input(mut cmd: Command, args: &[&str], input: &str) -> Run {
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run secretdeck");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("write stdin");
    drop(stdin);
    ran(child.wait_with_output().expect("wait"))
}

/// `secretdeck ARGS` on a kubeconfig, files in the state dir `state` (see
/// `state_paths`).
pub async fn secretdeck(kubeconfig: &Path, state: &Path, args: &[&str]) -> Run {
    let mut cmd = command(&state_paths(state));
    cmd.env("KUBECONFIG", kubeconfig);
    run(cmd, args).await
}

/// Every file under `dir`, binary ones too, as text, joined (for "the
/// value is nowhere").
pub fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out += &all_text(&p);
        } else if let Ok(b) = std::fs::read(&p) {
            out += &String::from_utf8_lossy(&b);
            out.push('\n');
        }
    }
    out
}
