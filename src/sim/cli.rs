//! `secretdeck sim`: the simulated environment, headless, until interrupted.

use super::env::{SimEnv, SimOptions, kubeconfig_yaml};
use crate::cli::SimArgs;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(args: SimArgs) -> anyhow::Result<ExitCode> {
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
    let log = crate::logging::init();
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
