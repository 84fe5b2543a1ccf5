//! The whole simulated environment: API server, Secrets Manager endpoint,
//! controllers and scenario, started together on loopback.

use super::clock::SimClock;
use super::controllers::{argo, churn, deployments, eso};
use super::convergence::Convergence;
use super::kube::KubeFaults;
use super::kube::http::{self as kube_http, HttpOptions};
use super::kube::resources::{EsoVersion, Registry};
use super::kube::store::{Store, Writer};
use super::scenario::{self, REGION, Scenario, Shape};
use super::sm::{self, SmState};
use anyhow::Context as _;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The account id the simulated Secrets Manager puts in ARNs.
pub const ACCOUNT_ID: &str = "123456789012";

/// What to start.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Generated apps besides onthetop.
    pub apps: usize,
    /// How many of each kind the generated apps hold in total.
    pub shape: Shape,
    /// Object updates per second made on top of the controllers' own
    /// (ExternalSecret status refreshes, pod restarts, Events): 0 = none.
    pub churn: u32,
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
    /// How often the API server sends watch bookmarks (tests shorten it).
    pub bookmark_every: std::time::Duration,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            apps: 12,
            shape: Shape::default(),
            churn: 0,
            kube_port: 0,
            eso_version: EsoVersion::V1,
            serve_argo: true,
            forbid: Vec::new(),
            clock_factor: 60.0,
            bare: false,
            eso_aws_endpoint: None,
            bookmark_every: std::time::Duration::from_secs(15),
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
    /// In-process handles, for tests that check the sim's own state.
    pub store: Arc<Store>,
    pub sm: Arc<SmState>,
    pub git: Option<Arc<argo::Git>>,
    /// The API server's fault switch (also `POST /_sim/faults` on `kube_url`).
    pub kube_faults: Arc<KubeFaults>,
    tasks: Vec<JoinHandle<()>>,
}

impl SimEnv {
    /// Start everything; files (kubeconfig) go under `dir`.
    pub async fn start(opts: SimOptions, dir: &Path) -> anyhow::Result<SimEnv> {
        let clock = SimClock::new(opts.clock_factor);
        let store = Store::new(Registry::new(opts.eso_version, opts.serve_argo));
        let sm = SmState::new(REGION, ACCOUNT_ID);
        let kube_listener = TcpListener::bind(("127.0.0.1", opts.kube_port))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{}", opts.kube_port))?;
        let sm_port = if opts.kube_port == 0 {
            0
        } else {
            opts.kube_port.saturating_add(1)
        };
        let sm_listener = TcpListener::bind(("127.0.0.1", sm_port))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{sm_port}"))?;
        let kube_url = format!("http://{}", kube_listener.local_addr()?);
        let sm_endpoint = format!("http://{}", sm_listener.local_addr()?);
        let mut tasks = Vec::new();
        let kube_faults = Arc::new(KubeFaults::default());
        let churn_rate = Arc::new(std::sync::atomic::AtomicU32::new(opts.churn));
        let http_opts = HttpOptions {
            forbid: opts.forbid.clone(),
            bookmark_every: opts.bookmark_every,
            faults: kube_faults.clone(),
            requests: Arc::default(),
            churn: churn_rate.clone(),
        };
        let (s, o) = (store.clone(), http_opts);
        tasks.push(tokio::spawn(async move {
            if let Err(e) = kube_http::serve(kube_listener, s, o).await {
                tracing::error!(%e, "simulated API server stopped");
            }
        }));
        let sm2 = sm.clone();
        tasks.push(tokio::spawn(async move {
            if let Err(e) = sm::serve(sm_listener, sm2).await {
                tracing::error!(%e, "simulated Secrets Manager stopped");
            }
        }));
        let eso_endpoint = opts
            .eso_aws_endpoint
            .clone()
            .unwrap_or_else(|| sm_endpoint.clone());
        let scenario = if opts.bare {
            None
        } else {
            Some(scenario::build(opts.apps, opts.shape, opts.eso_version))
        };
        if let Some(sc) = &scenario {
            seed_aws(&sm, sc)?;
            seed_cluster(&store, sc, opts.serve_argo)?;
        }
        let git = opts.serve_argo.then(argo::Git::new);
        if let (Some(git), Some(sc)) = (&git, &scenario) {
            for g in &sc.git {
                git.set_path(&g.repo, &g.path, g.manifests.clone());
            }
        }
        tasks.push(deployments::spawn(store.clone(), clock));
        tasks.push(churn::spawn(store.clone(), churn_rate));
        tasks.push(eso::spawn(store.clone(), eso_endpoint, clock));
        if let Some(git) = &git {
            tasks.push(argo::spawn(store.clone(), git.clone(), clock));
        }
        if let Some(sc) = scenario {
            for f in sc.follow_ups {
                tasks.push(tokio::spawn(super::follow_ups::run(
                    store.clone(),
                    sm.clone(),
                    git.clone(),
                    f,
                )));
            }
        }
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let kubeconfig = dir.join("kubeconfig");
        std::fs::write(&kubeconfig, kubeconfig_yaml(&kube_url))
            .with_context(|| format!("cannot write {}", kubeconfig.display()))?;
        tracing::info!(%kube_url, %sm_endpoint, "simulated environment started");
        Ok(SimEnv {
            kube_url,
            sm_endpoint,
            region: REGION.to_string(),
            kubeconfig,
            store,
            sm,
            git,
            kube_faults,
            tasks,
        })
    }

    /// The env file: where the kubeconfig is, the AWS endpoint, region and
    /// dummy credentials, as shell `export` lines.
    pub fn env_file(&self) -> String {
        format!(
            "export KUBECONFIG={}\nexport AWS_ENDPOINT_URL_SECRETS_MANAGER={}\nexport AWS_ENDPOINT_URL_STS={}\nexport AWS_REGION={}\nexport AWS_DEFAULT_REGION={}\nexport AWS_ACCESS_KEY_ID=AKIDSECRETDECKSIM\nexport AWS_SECRET_ACCESS_KEY=secretdeck-sim\n",
            self.kubeconfig.display(),
            self.sm_endpoint,
            self.sm_endpoint,
            self.region,
            self.region
        )
    }

    /// How far the controllers have brought the scenario (see
    /// [`Convergence`]).
    pub fn convergence(&self) -> Convergence {
        super::convergence::of(&self.store)
    }

    /// Stop every server and controller.
    pub async fn shutdown(self) {
        for t in &self.tasks {
            t.abort();
        }
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

fn seed_aws(sm: &SmState, sc: &Scenario) -> anyhow::Result<()> {
    for (name, value, desc) in &sc.aws_secrets {
        sm.create_secret(name, value, Some(desc))
            .map_err(|e| anyhow::anyhow!("scenario secret {name}: {e}"))?;
    }
    Ok(())
}

fn seed_cluster(store: &Store, sc: &Scenario, argo: bool) -> anyhow::Result<()> {
    let mut objects: Vec<&Value> = sc.objects.iter().collect();
    if !argo {
        // Without Argo CD the manifests were applied by hand.
        objects.retain(|o| o["kind"] != "Application");
        objects.extend(sc.git.iter().flat_map(|g| g.manifests.iter()));
    }
    for obj in objects {
        let api = obj["apiVersion"].as_str().unwrap_or_default();
        let group = api.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
        let kind = obj["kind"].as_str().unwrap_or_default();
        let rt = store
            .registry()
            .by_kind(group, kind)
            .with_context(|| format!("scenario object of unknown kind {api} {kind}"))?
            .clone();
        let ns = obj["metadata"]["namespace"].as_str().unwrap_or_default();
        match store.create(
            &rt,
            ns,
            obj.clone(),
            Writer::update("kubectl-client-side-apply"),
        ) {
            Ok(_) => {}
            Err(e) if e.reason == "AlreadyExists" => {}
            Err(e) => anyhow::bail!(
                "scenario object {kind} {ns}/{}: {e}",
                obj["metadata"]["name"]
            ),
        }
    }
    Ok(())
}

/// A kubeconfig whose current context is the simulated cluster.
pub fn kubeconfig_yaml(server: &str) -> String {
    format!(
        "apiVersion: v1
kind: Config
clusters:
- name: secretdeck-sim
  cluster:
    server: {server}
contexts:
- name: secretdeck-sim
  context:
    cluster: secretdeck-sim
    user: secretdeck-sim
    namespace: default
current-context: secretdeck-sim
users:
- name: secretdeck-sim
  user:
    token: secretdeck-sim-token
"
    )
}
