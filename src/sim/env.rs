//! The whole simulated environment: API server, Secrets Manager endpoint,
//! controllers and scenario, started together on loopback.

use super::kube::resources::EsoVersion;
use std::path::PathBuf;

/// What to start.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Generated apps besides onthetop.
    pub apps: usize,
    /// Kubernetes API port (0 = any free port).
    pub kube_port: u16,
    pub eso_version: EsoVersion,
    /// Serve the Argo CD API group and run the Argo CD sim.
    pub serve_argo: bool,
    /// Resources answered with 403 Forbidden (plural names).
    pub forbid: Vec<String>,
    /// Controllers' clock speed-up.
    pub clock_factor: f64,
    /// No scenario objects (controllers still run).
    pub bare: bool,
    /// Secrets Manager endpoint the ESO sim reads from instead of the built-in one.
    pub eso_aws_endpoint: Option<String>,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            apps: 12,
            kube_port: 0,
            eso_version: EsoVersion::V1,
            serve_argo: true,
            forbid: Vec::new(),
            clock_factor: 60.0,
            bare: false,
            eso_aws_endpoint: None,
        }
    }
}

/// A running simulated environment.
pub struct SimEnv {
    /// e.g. `http://127.0.0.1:41234`
    pub kube_url: String,
    /// Secrets Manager endpoint, e.g. `http://127.0.0.1:41235`
    pub sm_endpoint: String,
    pub region: String,
    /// A kubeconfig file whose current context points at `kube_url`.
    pub kubeconfig: PathBuf,
}

impl SimEnv {
    /// Start everything; files (kubeconfig) go under `dir`.
    pub async fn start(_opts: SimOptions, _dir: &std::path::Path) -> anyhow::Result<SimEnv> {
        anyhow::bail!("the simulated environment is not wired yet")
    }

    /// Stop every server and controller.
    pub async fn shutdown(self) {}
}
