//! A console session on a simulated environment, as `secretdeck demo`
//! runs one: the sim started in a temporary directory, the console
//! connected to it through the kubeconfig it wrote, its files (audit log,
//! journal, content log, config) under `Paths::under(dir)`.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::backend::{AwsOptions, ConnectOptions, Connection, KubeCluster, connect};
use secretdeck::cli::ConsoleArgs;
use secretdeck::console::Session;
use secretdeck::settings::Paths;
use secretdeck::state::{Cmd, Key};
use secretdeck_sim::{SimEnv, SimOptions};
use std::path::Path;
use std::time::Duration;

/// How to start the sim and the console.
pub struct Setup {
    pub sim: SimOptions,
    pub args: ConsoleArgs,
    pub width: u16,
    pub height: u16,
    /// A watch silent this long is stale (the console's default if None).
    pub watch_silence: Option<Duration>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            sim: SimOptions {
                apps: 0,
                ..SimOptions::default()
            },
            args: ConsoleArgs::default(),
            width: 160,
            height: 40,
            watch_silence: None,
        }
    }
}

impl Setup {
    /// The default setup with `apps` generated apps beside onthetop.
    pub fn apps(apps: usize) -> Self {
        let mut s = Setup::default();
        s.sim.apps = apps;
        s
    }
}

/// Start the sim in `dir/sim` and a console session on it, its files
/// under `Paths::under(dir)`.
pub async fn start(dir: &Path, setup: Setup) -> (Session<TestBackend>, SimEnv) {
    let env = SimEnv::start(setup.sim.clone(), &dir.join("sim"))
        .await
        .expect("sim");
    let session = session_on(&env, &Paths::under(dir), &setup).await;
    (session, env)
}

/// A console session on a running sim.
pub async fn session_on(env: &SimEnv, paths: &Paths, setup: &Setup) -> Session<TestBackend> {
    let mut cluster = KubeCluster::new(connection(env).await, None, paths.clone())
        .with_connect_options(connect_options(env))
        .with_aws(aws_options(env));
    if let Some(silence) = setup.watch_silence {
        cluster = cluster.with_watch_silence(silence);
    }
    let terminal = Terminal::new(TestBackend::new(setup.width, setup.height)).expect("terminal");
    Session::start(cluster, &setup.args, paths, terminal).expect("session")
}

/// How the console finds the sim's kube API.
pub fn connect_options(env: &SimEnv) -> ConnectOptions {
    ConnectOptions {
        kubeconfig: Some(env.kubeconfig.clone()),
        context: None,
    }
}

/// A connection to the sim's kube API.
pub async fn connection(env: &SimEnv) -> Connection {
    connect(&connect_options(env)).await.expect("connect")
}

/// The sim's Secrets Manager, with test credentials.
pub fn aws_options(env: &SimEnv) -> AwsOptions {
    AwsOptions {
        endpoint: Some(env.sm_endpoint.clone()),
        region: Some(env.region.clone()),
        test_credentials: true,
    }
}

/// Type `text` one key at a time.
pub fn type_text(session: &mut Session<TestBackend>, text: &str) {
    for c in text.chars() {
        session.press(Key::char(c)).expect("key");
    }
}

/// Press one key; the commands it produced.
pub fn press(session: &mut Session<TestBackend>, key: Key) -> Vec<Cmd> {
    session.press(key).expect("key")
}
