//! Shared test helpers: waiting on a condition, CI's tool checks; in
//! submodules, clients for a SimEnv (`clients`), a console session on one
//! (`console`), reading its screen (`screen`), running the built binary
//! (`cli`) and the one log subscriber of this test binary (`logs`).
#![allow(dead_code)]

pub mod cli;
pub mod clients;
pub mod console;
pub mod logs;
pub mod screen;

pub use clients::{kube_client, sm_client};
pub use screen::{row, screen, until_screen};

use std::future::Future;
use std::time::Duration;

/// Poll `f` until it returns `Some`, or fail after `secs` seconds with `what`.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {secs}s waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// True when the environment variable CI is set to anything non-empty
/// (`true`, `1`, `yes`: CI systems differ): missing tools fail then.
pub fn in_ci() -> bool {
    ci_value(std::env::var_os("CI").as_deref())
}

/// Whether a value of `CI` means "running in CI".
pub fn ci_value(v: Option<&std::ffi::OsStr>) -> bool {
    v.is_some_and(|v| !v.is_empty())
}

/// Whether `tool` can be run; in CI a missing tool fails the test.
pub fn tool_available(tool: &str, version_arg: &str) -> bool {
    let ok = std::process::Command::new(tool)
        .arg(version_arg)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(!in_ci(), "{tool} is required in CI but was not found");
        eprintln!("NOTICE: {tool} not found; skipping this test outside CI");
    }
    ok
}

/// The simulated environment with `apps` generated apps beside onthetop,
/// its files in `dir`.
pub async fn sim_with_apps(apps: usize, dir: &std::path::Path) -> secretdeck_sim::SimEnv {
    secretdeck_sim::SimEnv::start(
        secretdeck_sim::SimOptions {
            apps,
            ..secretdeck_sim::SimOptions::default()
        },
        dir,
    )
    .await
    .expect("sim")
}
