//! Build a kube client from a kubeconfig (a given path, or the usual
//! `KUBECONFIG` / `~/.kube/config`, or in-cluster), with errors in words.

use crate::state::ClusterInfo;
use kube::Client;
use kube::config::{Config, KubeConfigOptions, Kubeconfig, KubeconfigError};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// A kubeconfig file; `None` = `KUBECONFIG`, `~/.kube/config`, or in-cluster.
    pub kubeconfig: Option<PathBuf>,
    /// Context to use instead of the kubeconfig's current context.
    pub context: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot read the kubeconfig{}: {reason}", path_suffix(.path))]
    Kubeconfig {
        path: Option<PathBuf>,
        reason: String,
    },
    #[error("no kubeconfig found (looked at {looked_at}) and not running in a cluster: {reason}")]
    NoConfig { looked_at: String, reason: String },
    #[error("cannot reach the Kubernetes API server at {server}: {reason}")]
    Unreachable { server: String, reason: String },
    #[error("cannot create the Kubernetes client: {0}")]
    Client(String),
}

fn path_suffix(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| format!(" {}", p.display()))
        .unwrap_or_default()
}

/// A client and where it points.
#[derive(Clone)]
pub struct Connection {
    pub client: Client,
    pub info: ClusterInfo,
}

pub async fn connect(opts: &ConnectOptions) -> Result<Connection, ConnectError> {
    let kubeconfig = match &opts.kubeconfig {
        Some(path) => Some(
            Kubeconfig::read_from(path).map_err(|e| kubeconfig_error(Some(path.clone()), &e))?,
        ),
        None => match Kubeconfig::read() {
            Ok(kc) => Some(kc),
            Err(e) if is_missing(&e) && opts.context.is_none() => None,
            Err(e) => return Err(kubeconfig_error(None, &e)),
        },
    };
    let (config, context) = match kubeconfig {
        Some(kc) => {
            let context = opts
                .context
                .clone()
                .or_else(|| kc.current_context.clone())
                .unwrap_or_default();
            let options = KubeConfigOptions {
                context: opts.context.clone(),
                ..Default::default()
            };
            let config = Config::from_custom_kubeconfig(kc, &options)
                .await
                .map_err(|e| kubeconfig_error(opts.kubeconfig.clone(), &e))?;
            (config, context)
        }
        None => {
            let config = Config::incluster().map_err(|e| ConnectError::NoConfig {
                looked_at: kubeconfig_paths(),
                reason: redact(&e.to_string()),
            })?;
            (config, String::new())
        }
    };
    let server = config.cluster_url.to_string();
    // A server that accepts and never answers must not hang a request
    // forever; longer than any watch the server holds open.
    let mut config = config;
    config.read_timeout = Some(super::watch::READ_TIMEOUT);
    config.reset_reader_on_write = true;
    let client =
        Client::try_from(config).map_err(|e| ConnectError::Client(redact(&e.to_string())))?;
    tracing::info!(%context, %server, "connected");
    Ok(Connection {
        client,
        info: ClusterInfo { context, server },
    })
}

/// How long `probe` waits for the API server's answer.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Ask the API server for its version, so that an unreachable server is a
/// clear error at once rather than watches retrying until a timeout. An
/// answer, or 401/403, means the server is there; another HTTP error means
/// something that is not an API server answered.
pub async fn probe(conn: &Connection) -> Result<(), ConnectError> {
    probe_within(conn, PROBE_TIMEOUT).await
}

pub async fn probe_within(conn: &Connection, timeout: Duration) -> Result<(), ConnectError> {
    let unreachable = |reason: String| ConnectError::Unreachable {
        server: conn.info.server.clone(),
        reason,
    };
    match tokio::time::timeout(timeout, conn.client.apiserver_version()).await {
        Err(_) => Err(unreachable(format!(
            "no answer within {}s",
            timeout.as_secs()
        ))),
        Ok(Ok(_)) => Ok(()),
        // Authentication or RBAC: the server is there.
        Ok(Err(kube::Error::Api(s))) if matches!(s.code, 401 | 403) => Ok(()),
        Ok(Err(kube::Error::Api(s))) => Err(unreachable(format!(
            "GET /version answered HTTP {}: not a Kubernetes API server (or a proxy in between)",
            s.code
        ))),
        Ok(Err(e)) => Err(unreachable(redact(&root_cause(&e)))),
    }
}

/// The innermost cause (e.g. "Connection refused (os error 111)").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Where a kubeconfig was looked for: `KUBECONFIG`'s files, else `~/.kube/config`.
fn kubeconfig_paths() -> String {
    match std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        Some(v) => {
            std::env::split_paths(&v)
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
                + " (KUBECONFIG)"
        }
        None => directories::BaseDirs::new()
            .map(|d| d.home_dir().join(".kube").join("config"))
            .map_or("~/.kube/config".to_string(), |p| p.display().to_string()),
    }
}

fn is_missing(e: &KubeconfigError) -> bool {
    match e {
        KubeconfigError::FindPath => true,
        KubeconfigError::ReadConfig(io, _) => io.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

fn kubeconfig_error(path: Option<PathBuf>, e: &KubeconfigError) -> ConnectError {
    let reason = match e {
        KubeconfigError::ReadConfig(io, _) => io.to_string(),
        KubeconfigError::LoadContext(name) => format!("it has no context named {name:?}"),
        KubeconfigError::LoadClusterOfContext(name) => {
            format!("the context's cluster {name:?} is not defined")
        }
        KubeconfigError::CurrentContextNotSet => {
            "it sets no current-context; pass --context".to_string()
        }
        KubeconfigError::Parse(_) => format!("malformed YAML ({})", redact(&e.to_string())),
        other => redact(&other.to_string()),
    };
    ConnectError::Kubeconfig { path, reason }
}

/// Parser messages may quote the offending text, which in a kubeconfig can
/// be a token or a key: keep the message, drop anything quoted.
pub fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if c == '"' || c == '`' {
                    quote = Some(c);
                }
            }
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out.lines().next().unwrap_or_default().to_string()
}
