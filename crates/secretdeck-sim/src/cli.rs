//! `secretdeck sim`: the simulated environment, headless, until interrupted.

use super::env::{SimEnv, SimOptions, kubeconfig_yaml};
use super::scenario::{Scale, Shape};
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
    /// Generated apps besides onthetop [default: 12, or the scale's].
    #[arg(long)]
    pub apps: Option<usize>,
    /// A named size: large = 2,000 apps, 5,000 ExternalSecrets, 10,000
    /// ConfigMaps, 10,000 Secrets, 20,000 pods; small = a tenth of it.
    /// The flags below change one count of it.
    #[arg(long, value_parser = parse_scale)]
    pub scale: Option<Scale>,
    /// ExternalSecrets of the generated apps, in total.
    #[arg(long)]
    pub external_secrets: Option<usize>,
    /// ConfigMaps of the generated apps, in total.
    #[arg(long)]
    pub config_maps: Option<usize>,
    /// Secrets of the generated apps, in total (ESO's targets included).
    #[arg(long)]
    pub secrets: Option<usize>,
    /// Pods of the generated apps, in total.
    #[arg(long)]
    pub pods: Option<usize>,
    /// Object updates per second on top of the controllers' own
    /// (ExternalSecret status refreshes, pod restarts, repeated Events).
    #[arg(long, default_value_t = 0)]
    pub churn: u32,
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
fn parse_scale(s: &str) -> Result<Scale, String> {
    s.parse()
}

impl SimArgs {
    /// The generated apps and their shape: the scale's, each count the
    /// flags give replacing its own.
    pub fn shape(&self) -> (usize, Shape) {
        let (apps, base) = match self.scale {
            Some(s) => (s.apps(), s.shape()),
            None => (12, Shape::default()),
        };
        let shape = Shape {
            external_secrets: self.external_secrets.or(base.external_secrets),
            config_maps: self.config_maps.or(base.config_maps),
            secrets: self.secrets.or(base.secrets),
            pods: self.pods.or(base.pods),
        };
        (self.apps.unwrap_or(apps), shape)
    }
}

pub fn run(
    args: SimArgs,
    init_log: impl FnOnce() -> anyhow::Result<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let (apps, shape) = args.shape();
    let opts = SimOptions {
        apps,
        shape,
        churn: args.churn,
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
    let started = std::time::Instant::now();
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
        let store = env.store.clone();
        let report = tokio::spawn(report_convergence(store, started));
        wait_for_signal().await;
        report.abort();
        // stdout may be gone by now (a closed pipe): say it on stderr.
        eprintln!("secretdeck sim: stopping");
        env.shutdown().await;
        written.remove();
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Once the scenario is at rest, say so on stdout with the time it took
/// from the start and the peak memory so far (`converged in 41.2 s …`);
/// until then, how far it got every 10 s on stderr.
async fn report_convergence(
    store: std::sync::Arc<super::kube::store::Store>,
    started: std::time::Instant,
) {
    use std::io::Write;
    let mut said = std::time::Instant::now();
    loop {
        let c = super::convergence::of(&store);
        if !c.done() && said.elapsed() >= std::time::Duration::from_secs(10) {
            said = std::time::Instant::now();
            eprintln!("converging: {:.0} s, {c}", started.elapsed().as_secs_f64());
        }
        if c.done() {
            let rss = peak_rss_mib()
                .map(|m| format!(", peak RSS {m} MiB"))
                .unwrap_or_default();
            // Whoever started the sim may have stopped reading its output
            // (a closed pipe): that is no reason to stop.
            let mut out = std::io::stdout();
            let _ = writeln!(
                out,
                "converged in {:.1} s ({c}{rss})",
                started.elapsed().as_secs_f64()
            );
            let _ = out.flush();
            return;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

/// This process's peak resident memory (`VmHWM`), in MiB.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cmd {
        #[command(flatten)]
        sim: SimArgs,
    }

    fn shape(args: &[&str]) -> Result<(usize, Shape), clap::Error> {
        let cmd = Cmd::try_parse_from(std::iter::once("sim").chain(args.iter().copied()))?;
        Ok(cmd.sim.shape())
    }

    #[test]
    fn a_scale_sets_every_count_and_a_flag_replaces_one() {
        assert_eq!(shape(&[]).unwrap(), (12, Shape::default()));
        let (apps, s) = shape(&["--scale", "large"]).unwrap();
        assert_eq!((apps, s), (2_000, Scale::Large.shape()));
        let (apps, s) = shape(&["--scale", "small", "--pods", "50", "--apps", "30"]).unwrap();
        assert_eq!(apps, 30);
        assert_eq!(s.pods, Some(50));
        assert_eq!(s.config_maps, Scale::Small.shape().config_maps);
        let e = shape(&["--scale", "huge"]).expect_err("unknown scale");
        assert!(e.to_string().contains("small or large"), "{e}");
    }
}
