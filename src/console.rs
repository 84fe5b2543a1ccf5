//! The console's pieces shared by the real terminal (`cli::console`) and
//! tests: a `Session` that drives the same model/update/view without a
//! real terminal (for end-to-end tests), and the notice printed when
//! leaving with work unfinished. The event loop itself is
//! `terminal`'s. May import `backend` (the `Cluster` trait), `state`,
//! `view` and `settings`.

use crate::backend::{BackendHandle, Cluster};
use crate::cli::ConsoleArgs;
use crate::settings::Paths;
use crate::state::{Cmd, Key, Model, Msg, update};
use crate::view::{Theme, view};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::time::Duration;
use tokio::sync::mpsc;

/// Messages buffered between the backend and the UI.
pub(crate) const CHANNEL_CAPACITY: usize = 1024;
/// How often the UI wakes up with nothing else to do.
pub(crate) const TICK: Duration = Duration::from_secs(1);

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

/// The model the console starts with: the flags, and the read-only
/// contexts of `config.toml` in the config dir of `paths` (a broken file
/// is an error naming the key).
pub fn initial_model(args: &ConsoleArgs, paths: &Paths) -> anyhow::Result<Model> {
    let mut model = Model::new(args.readonly, args.namespace.clone());
    // REFRESH part: contexts the user's config marks read-only.
    model.access.patterns = crate::settings::config::load_in(paths)?.readonly_contexts;
    // CONFIG part
    model.config.gitops_repo = args.gitops_repo.clone();
    Ok(model)
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
    applied: u64,
    /// Draw at most one frame per `terminal::FRAME` while messages keep
    /// coming, as the event loop does (off: one per batch, for tests that
    /// watch every step).
    paced: bool,
}

impl<B: Backend> Session<B>
where
    B::Error: Send + Sync + 'static,
{
    /// Start `cluster` feeding a fresh model, with the settings in the
    /// config dir of `paths` (theme, read-only contexts) as the console
    /// has them. Needs a tokio runtime.
    pub fn start(
        cluster: impl Cluster,
        args: &ConsoleArgs,
        paths: &Paths,
        terminal: Terminal<B>,
    ) -> anyhow::Result<Self> {
        let theme = crate::settings::theme::load_in(args.theme.as_deref(), paths)?;
        let mut model = initial_model(args, paths)?;
        let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
        let backend = cluster.start(tx);
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
            theme,
            rx,
            _backend: backend,
            applied: 0,
            paced: false,
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
            let drawn = tokio::time::Instant::now();
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
            if self.paced {
                // Gather what else comes until the next frame is due.
                let frame_at = (drawn + crate::terminal::FRAME).min(deadline);
                while let Ok(Some(msg)) = tokio::time::timeout_at(frame_at, self.rx.recv()).await {
                    self.apply(msg);
                }
            }
        }
    }

    /// A backend message, and the commands it produces handed to the
    /// backend, as the event loop does.
    fn apply(&mut self, msg: Msg) {
        self.applied += 1;
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

    /// Pace frames as the event loop does (see `terminal::FRAME`).
    pub fn paced(mut self) -> Self {
        self.paced = true;
        self
    }

    /// How many backend messages (watch events and the like) it has applied.
    pub fn applied(&self) -> u64 {
        self.applied
    }

    pub fn draw(&mut self) -> anyhow::Result<()> {
        let (model, theme) = (&self.model, &self.theme);
        self.terminal.draw(|f| view(model, theme, f))?;
        Ok(())
    }
}
