//! `secretdeck sim`: the simulated environment, headless, until interrupted.

use super::env::{SimEnv, SimOptions, kubeconfig_yaml};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

// The options of `secretdeck sim` (the caller's clap parser takes them as
// a subcommand's arguments).
#[derive(Debug, Args, Clone)]
pub struct SimArgs {
    /// Port of the Kubernetes API (0 = any free port). Secrets Manager listens on the next free port.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Generated apps besides onthetop.
    #[arg(long, default_value_t = 12)]
    pub apps: usize,
    /// Where to write the env file (KUBECONFIG, AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_REGION, credentials).
    #[arg(long)]
    pub env_file: Option<PathBuf>,
    /// Where to write the kubeconfig (default: next to the env file, or in a temp dir).
    #[arg(long)]
    pub kubeconfig: Option<PathBuf>,
    /// Start an empty cluster: no scenario objects, controllers still running.
    #[arg(long)]
    pub bare: bool,
    /// ESO API version served: v1 (ESO >= 0.16) or v1beta1 (older ESO).
    #[arg(long, default_value = "v1")]
    pub eso_version: String,
    /// Do not serve the Argo CD API group (a cluster without Argo CD).
    #[arg(long)]
    pub no_argo: bool,
    /// Answer 403 Forbidden for these resources (plural names, comma-separated, e.g. secrets).
    #[arg(long, value_delimiter = ',')]
    pub forbid: Vec<String>,
    /// How much faster than real time the controllers' clocks run (refreshInterval, selfHeal delay, rollouts).
    #[arg(long, default_value_t = 60.0)]
    pub clock_factor: f64,
    /// Secrets Manager endpoint the ESO sim reads from (default: the built-in one), e.g. a moto_server URL.
    #[arg(long)]
    pub eso_aws_endpoint: Option<String>,
}

/// Run the environment until SIGINT, SIGTERM or SIGHUP. `init_log` is
/// called once the files are known to be free, before anything starts: it
/// installs the caller's log subscriber and returns the log file's path
/// (printed with the endpoints).
pub fn run(
    args: SimArgs,
    init_log: impl FnOnce() -> anyhow::Result<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let opts = SimOptions {
        apps: args.apps,
        kube_port: args.port,
        eso_version: args.eso_version.parse().map_err(anyhow::Error::msg)?,
        serve_argo: !args.no_argo,
        forbid: args.forbid.clone(),
        clock_factor: args.clock_factor,
        bare: args.bare,
        eso_aws_endpoint: args.eso_aws_endpoint.clone(),
        ..SimOptions::default()
    };
    // Files go next to the env file or the kubeconfig asked for, else in a
    // temporary folder removed on exit. The environment itself starts in a
    // private folder: files another live sim wrote are never touched.
    let tmp = tempfile::Builder::new()
        .prefix("secretdeck-sim-")
        .tempdir()?;
    let dir: PathBuf = match (&args.env_file, &args.kubeconfig) {
        (_, Some(k)) => k.parent().map(PathBuf::from).unwrap_or_default(),
        (Some(e), None) => e.parent().map(PathBuf::from).unwrap_or_default(),
        (None, None) => tmp.path().to_path_buf(),
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let kubeconfig = args
        .kubeconfig
        .clone()
        .unwrap_or_else(|| dir.join("kubeconfig"));
    let env_path = args.env_file.clone().unwrap_or_else(|| dir.join("sim.env"));
    // Refuse before starting anything.
    for path in [&kubeconfig, &env_path] {
        super::files::check_free(path)?;
    }
    let log = init_log();
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        let env = SimEnv::start(opts, &tmp.path().join("env")).await?;
        let mut written = super::files::Written::default();
        written.write(&kubeconfig, &kubeconfig_yaml(&env.kube_url))?;
        let env_text = env.env_file().replace(
            &env.kubeconfig.display().to_string(),
            &kubeconfig.display().to_string(),
        );
        written.write(&env_path, &env_text)?;
        println!("secretdeck sim: simulated cluster, Secrets Manager and controllers are running");
        println!("  Kubernetes API:   {}", env.kube_url);
        println!(
            "  Secrets Manager:  {} (region {})",
            env.sm_endpoint, env.region
        );
        println!("  kubeconfig:       {}", kubeconfig.display());
        println!(
            "  env file:         {}   (source it: . {})",
            env_path.display(),
            env_path.display()
        );
        match &log {
            Ok(path) => println!("  log:              {}", path.display()),
            Err(e) => println!("  log:              disabled ({e:#})"),
        }
        println!("ready");
        wait_for_signal().await;
        // stdout may be gone by now (a closed pipe): say it on stderr.
        eprintln!("secretdeck sim: stopping");
        env.shutdown().await;
        written.remove();
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).ok();
    let mut hup = signal(SignalKind::hangup()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match term.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending().await } } => {}
        _ = async { match hup.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending().await } } => {}
    }
}
