//! `secretdeck sim`: its arguments. The simulated environment itself, and
//! its `run`, are `crate::sim`'s (`main` calls it before any runtime
//! starts: it runs its own). May import clap and std only.

use clap::Args;
use std::path::PathBuf;

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
