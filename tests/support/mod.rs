//! Shared test helpers: waiting on a condition, clients for a SimEnv.
#![allow(dead_code)]

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

/// A kube client built from the sim's kubeconfig, as the console builds one.
pub async fn kube_client(kubeconfig: &std::path::Path) -> kube::Client {
    let kc = kube::config::Kubeconfig::read_from(kubeconfig).expect("kubeconfig");
    let cfg = kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

/// A Secrets Manager client for an endpoint, with dummy credentials.
pub fn sm_client(endpoint: &str, region: &str) -> aws_sdk_secretsmanager::Client {
    use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
    let conf = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDTEST", "test", None, None, "test"))
        .build();
    aws_sdk_secretsmanager::Client::from_conf(conf)
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

/// The text of a TestBackend screen, one line per row.
pub fn screen(session: &secretdeck::console::Session<ratatui::backend::TestBackend>) -> String {
    let buf = session.terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen line of a table row whose cells include `name`.
pub fn row<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == name))
}

/// Let the backend's messages in until the drawn screen satisfies `cond`;
/// fail with `what` and the last screen after 40 s.
pub async fn until_screen(
    session: &mut secretdeck::console::Session<ratatui::backend::TestBackend>,
    what: &str,
    cond: impl Fn(&str) -> bool,
) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        let _ = session
            .wait_for(Duration::from_millis(200), |_| false)
            .await;
        let s = screen(session);
        if cond(&s) {
            return s;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never saw {what}:\n{s}"
        );
    }
}
