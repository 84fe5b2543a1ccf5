//! Console entry points: the console on the user's kubeconfig, the demo on
//! the in-process simulated environment, and a `Session` that drives the
//! same model/update/view without a real terminal (for end-to-end tests).

use crate::backend::{AwsOptions, BackendHandle, Cluster, ConnectOptions, KubeCluster, connect};
use crate::cli::ConsoleArgs;
use crate::state::{Cmd, Key, Model, Msg, update};
use crate::terminal::{TerminalGuard, event_loop_with, forward_signals};
use crate::view::{Theme, view};
use anyhow::Context;
use crossterm::event::EventStream;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tokio::sync::mpsc;

/// Messages buffered between the backend and the UI.
const CHANNEL_CAPACITY: usize = 1024;
const TICK: Duration = Duration::from_secs(1);

/// `secretdeck`: the console on the current kube context (`KUBECONFIG` or
/// `~/.kube/config`, `--context`), or in-cluster.
pub fn run(args: ConsoleArgs) -> anyhow::Result<ExitCode> {
    init_logging();
    runtime()?.block_on(run_with_kubeconfig(&args, None))
}

/// `secretdeck demo`: start the simulated environment in-process and run
/// the console on it through the kubeconfig it writes.
#[cfg(feature = "demo")]
pub fn run_demo(args: ConsoleArgs, demo: crate::cli::DemoArgs) -> anyhow::Result<ExitCode> {
    use secretdeck_sim::{SimEnv, SimOptions};
    init_logging();
    runtime()?.block_on(async {
        let dir = tempfile::tempdir().context("cannot create a directory for the demo")?;
        let opts = SimOptions {
            apps: demo.apps,
            ..Default::default()
        };
        let env = SimEnv::start(opts, dir.path())
            .await
            .context("cannot start the demo environment")?;
        let aws = AwsOptions {
            endpoint: Some(env.sm_endpoint.clone()),
            region: Some(env.region.clone()),
            test_credentials: true,
        };
        let result = run_with(&args, Some(env.kubeconfig.clone()), aws).await;
        env.shutdown().await;
        result
    })
}

/// Run the interactive console against a kubeconfig file (`None` = the
/// usual lookup).
pub async fn run_with_kubeconfig(
    args: &ConsoleArgs,
    kubeconfig: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    run_with(args, kubeconfig, AwsOptions::default()).await
}

/// `run_with_kubeconfig` with explicit AWS options (the demo's endpoint).
pub async fn run_with(
    args: &ConsoleArgs,
    kubeconfig: Option<PathBuf>,
    aws: AwsOptions,
) -> anyhow::Result<ExitCode> {
    let theme = theme_for(args.theme.as_deref())?;
    let opts = ConnectOptions {
        kubeconfig,
        context: args.context.clone(),
    };
    let conn = connect(&opts).await?;
    let cluster = KubeCluster::new(conn, args.namespace.clone())
        .with_connect_options(opts)
        .with_aws(aws);
    run_interactive(cluster, args, theme).await
}

/// Run the interactive console on any cluster source, in the real terminal.
pub async fn run_interactive(
    cluster: impl Cluster,
    args: &ConsoleArgs,
    theme: Theme,
) -> anyhow::Result<ExitCode> {
    let (tx, mut rx) = mpsc::channel(CHANNEL_CAPACITY);
    let signals = forward_signals(tx.clone()).context("cannot listen for signals")?;
    let backend = cluster.start(tx);
    let mut guard = TerminalGuard::enter().context("cannot set up the terminal")?;
    let mut model = Model::new(args.readonly, args.namespace.clone());
    // REFRESH part: contexts the user's config marks read-only.
    model.readonly_contexts = crate::config::load()?.readonly_contexts;
    // CONFIG part
    model.config.gitops_repo = args.gitops_repo.clone();
    let result = event_loop_with(
        &mut guard.terminal,
        &mut model,
        &theme,
        EventStream::new(),
        &mut rx,
        TICK,
        &mut |cmd| backend.send(cmd),
    )
    .await;
    // The terminal is restored before anything is said on it.
    drop(guard);
    drop(backend);
    signals.abort();
    result?;
    match exit_notice(&model) {
        Some(notice) => {
            eprintln!("{notice}");
            Ok(ExitCode::FAILURE)
        }
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Leaving (a signal, ctrl-c) while a rotation or an operation still runs:
/// what is left unfinished and how to go on. The process then exits 1.
pub fn exit_notice(model: &Model) -> Option<String> {
    if let Some(n) = crate::state::rotation::unfinished_notice(model) {
        return Some(n);
    }
    model.operations.busy().then(|| {
        "secretdeck: an operation was still running when the console stopped; \
         its outcome was not followed. Check it with `secretdeck status`."
            .to_string()
    })
}

/// The theme for `--theme NAME|PATH` (default dark), with the user's
/// `theme.toml` from the config dir laid on top. An invalid file is an
/// error naming the file and the key.
pub fn theme_for(name: Option<&str>) -> anyhow::Result<Theme> {
    let config_dir = crate::view::theme_file::user_config_dir();
    Ok(crate::view::theme_file::load(name, config_dir.as_deref())?)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn init_logging() {
    // The console works without a log file; say why there is none.
    if let Err(e) = crate::logging::init() {
        eprintln!("secretdeck: logging disabled: {e:#}");
    }
}

/// The console's model, update and view driven programmatically on any
/// ratatui backend (e.g. `TestBackend`): what the event loop does, one step
/// at a time.
pub struct Session<B: Backend> {
    pub terminal: Terminal<B>,
    pub model: Model,
    pub theme: Theme,
    rx: mpsc::Receiver<Msg>,
    _backend: BackendHandle,
}

impl<B: Backend> Session<B>
where
    B::Error: Send + Sync + 'static,
{
    /// Start `cluster` feeding a fresh model. Needs a tokio runtime.
    pub fn start(
        cluster: impl Cluster,
        args: &ConsoleArgs,
        terminal: Terminal<B>,
    ) -> anyhow::Result<Self> {
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        let backend = cluster.start(tx);
        let mut model = Model::new(args.readonly, args.namespace.clone());
        // CONFIG part
        model.config.gitops_repo = args.gitops_repo.clone();
        let size = terminal.size()?;
        update(
            &mut model,
            Msg::Resize {
                width: size.width,
                height: size.height,
            },
        );
        Ok(Session {
            terminal,
            model,
            theme: theme_for(args.theme.as_deref())?,
            rx,
            _backend: backend,
        })
    }

    /// Apply backend messages until `cond` holds (true) or `timeout` passes
    /// (false). Draws after each batch.
    pub async fn wait_for(
        &mut self,
        timeout: Duration,
        cond: impl Fn(&Model) -> bool,
    ) -> anyhow::Result<bool> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            self.model.settle();
            self.draw()?;
            if cond(&self.model) {
                return Ok(true);
            }
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Err(_) => return Ok(false),
                Ok(None) => return Ok(cond(&self.model)),
                Ok(Some(msg)) => {
                    self.apply(msg);
                    while let Ok(msg) = self.rx.try_recv() {
                        self.apply(msg);
                    }
                }
            }
        }
    }

    /// A backend message, and the commands it produces handed to the
    /// backend, as the event loop does.
    fn apply(&mut self, msg: Msg) {
        for cmd in update(&mut self.model, msg) {
            if cmd != Cmd::Quit {
                self._backend.send(cmd);
            }
        }
    }

    /// Press a key; returns the commands it produced (and hands them to the
    /// backend, as the event loop does). Draws afterwards.
    pub fn press(&mut self, key: Key) -> anyhow::Result<Vec<Cmd>> {
        let cmds = update(&mut self.model, Msg::Key(key));
        for cmd in &cmds {
            if *cmd != Cmd::Quit {
                self._backend.send(cmd.clone());
            }
        }
        self.model.settle();
        self.draw()?;
        Ok(cmds)
    }

    /// Paste text (as bracketed paste delivers it); returns the commands
    /// it produced (a paste never asks for any). Draws afterwards.
    pub fn paste(&mut self, text: &str) -> anyhow::Result<Vec<Cmd>> {
        let cmds = update(&mut self.model, Msg::Paste(text.to_string()));
        self.model.settle();
        self.draw()?;
        Ok(cmds)
    }

    pub fn draw(&mut self) -> anyhow::Result<()> {
        let (model, theme) = (&self.model, &self.theme);
        self.terminal.draw(|f| view(model, theme, f))?;
        Ok(())
    }
}
