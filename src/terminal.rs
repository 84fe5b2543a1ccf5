//! The terminal: raw mode, the alternate screen and bracketed paste,
//! restored on every way out (normal exit, `q`, Ctrl-C, SIGTERM/SIGINT/
//! SIGHUP, panic), and the event loop: crossterm events, backend messages
//! and a tick; drain all pending input, then draw once, and only when
//! something changed.

use crate::state::{Cmd, Key, KeyCode, Model, Msg, update};
use crate::view::{Theme, view};
use crossterm::event::{Event, KeyEventKind, KeyModifiers};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

pub type CrosstermTerminal = Terminal<CrosstermBackend<Stdout>>;

/// The console owns the terminal (raw mode, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Raw mode + alternate screen for as long as it lives.
pub struct TerminalGuard {
    pub terminal: CrosstermTerminal,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        crossterm::terminal::enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut stdout = io::stdout();
        // Bracketed paste: a paste arrives as one `Event::Paste`, so a pasted
        // newline is text, never Enter, and pasted letters are never keys.
        if let Err(e) = crossterm::execute!(
            stdout,
            crossterm::terminal::EnterAlternateScreen,
            crossterm::event::EnableBracketedPaste
        ) {
            restore();
            return Err(e);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Stop bracketed paste, leave the alternate screen, show the cursor,
/// leave raw mode. Safe to call more than once.
pub fn restore() {
    ACTIVE.store(false, Ordering::SeqCst);
    let _ = crossterm::execute!(
        io::stdout(),
        crossterm::event::DisableBracketedPaste,
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
}

/// Restore the terminal before the panic is reported, so the report is
/// readable and the shell usable. While the console owns the terminal, a
/// panic on any thread (a backend task included) ends the process: the
/// screen is already gone. Panic messages are written by this program and
/// never carry secret values.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let was_active = ACTIVE.load(Ordering::SeqCst);
            if was_active {
                restore();
            }
            previous(info);
            if was_active {
                std::process::exit(101);
            }
        }));
    });
}

/// SIGTERM, SIGINT and SIGHUP become `Msg::Shutdown` on `tx`.
pub fn forward_signals(tx: mpsc::Sender<Msg>) -> io::Result<tokio::task::JoinHandle<()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut hup = signal(SignalKind::hangup())?;
    Ok(tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
            _ = hup.recv() => {}
        }
        tracing::info!("signal received; quitting");
        let _ = tx.send(Msg::Shutdown).await;
    }))
}

/// A crossterm event as a message (`None` for events the console ignores).
pub fn event_to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            use crossterm::event::KeyCode as C;
            let code = match k.code {
                C::Char(c) => KeyCode::Char(c),
                C::Up => KeyCode::Up,
                C::Down => KeyCode::Down,
                C::Left => KeyCode::Left,
                C::Right => KeyCode::Right,
                C::Home => KeyCode::Home,
                C::End => KeyCode::End,
                C::PageUp => KeyCode::PageUp,
                C::PageDown => KeyCode::PageDown,
                C::Enter => KeyCode::Enter,
                C::Esc => KeyCode::Esc,
                C::Tab => KeyCode::Tab,
                C::BackTab => KeyCode::BackTab,
                C::Backspace => KeyCode::Backspace,
                _ => KeyCode::Other,
            };
            Some(Msg::Key(Key {
                code,
                ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
                alt: k.modifiers.contains(KeyModifiers::ALT),
            }))
        }
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}

/// The shortest time between two frames drawn for watch events alone
/// (keys are answered at once): at most 30 frames a second. Watch events
/// are settled into the rows as they arrive; a frame only draws them.
pub const FRAME: Duration = Duration::from_millis(33);

/// Run until the model asks to quit (or input ends). Time-based display
/// refreshes on `tick`. Commands other than `Quit` are dropped: see
/// `event_loop_with`.
pub async fn event_loop<B, E>(
    terminal: &mut Terminal<B>,
    model: &mut Model,
    theme: &Theme,
    events: E,
    rx: &mut mpsc::Receiver<Msg>,
    tick: Duration,
) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    E: Stream<Item = io::Result<Event>> + Unpin,
{
    event_loop_with(terminal, model, theme, events, rx, tick, &mut |_| {}).await
}

/// `event_loop`, handing every command but `Quit` to `on_cmd` (the backend).
pub async fn event_loop_with<B, E>(
    terminal: &mut Terminal<B>,
    model: &mut Model,
    theme: &Theme,
    mut events: E,
    rx: &mut mpsc::Receiver<Msg>,
    tick: Duration,
    on_cmd: &mut (dyn FnMut(Cmd) + Send),
) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    E: Stream<Item = io::Result<Event>> + Unpin,
{
    let size = terminal.size()?;
    update(
        model,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let mut ticker = tokio::time::interval(tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut backend_open = true;
    let mut dirty = true;
    // A key is answered by the next frame at once. Watch events are
    // settled into the rows as each batch arrives (a key then finds them
    // current and only draws), and start a frame only when the last one is
    // at least `FRAME` old: a storm of them costs a draw per frame, not per
    // event.
    let mut key_waiting = true;
    let mut last_frame: Option<tokio::time::Instant> = None;
    loop {
        let now = tokio::time::Instant::now();
        let frame_at = last_frame.map_or(now, |t| t + FRAME);
        if dirty && (key_waiting || frame_at <= now) {
            model.settle();
            terminal.draw(|f| view(model, theme, f))?;
            dirty = false;
            key_waiting = false;
            last_frame = Some(now);
        }
        if model.quitting {
            return Ok(());
        }
        let mut batch = Vec::new();
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => batch.extend(event_to_msg(ev)),
                Some(Err(e)) => return Err(anyhow::Error::new(e).context("reading terminal input")),
                None => batch.push(Msg::Shutdown),
            },
            msg = rx.recv(), if backend_open => match msg {
                Some(m) => batch.push(m),
                None => backend_open = false,
            },
            _ = ticker.tick() => batch.push(Msg::Tick),
            _ = tokio::time::sleep_until(frame_at), if dirty => {}
        }
        // Drain whatever else is already waiting, then draw once. The
        // stream is polled with this task's own waker: crossterm's
        // EventStream hands the waker of a pending poll to its wake thread
        // and ignores later ones until that fires, so a poll with a no-op
        // waker would leave the next key unnoticed until the next tick.
        while let Some(ev) = ready_now(&mut events).await {
            match ev {
                Some(ev) => batch.extend(event_to_msg(ev?)),
                None => {
                    batch.push(Msg::Shutdown);
                    break;
                }
            }
        }
        while let Ok(m) = rx.try_recv() {
            batch.push(m);
        }
        for msg in batch {
            if model.quitting {
                // Nothing after a quit is applied.
                break;
            }
            if !matches!(msg, Msg::Tick) {
                dirty = true;
            }
            if matches!(
                msg,
                Msg::Key(_) | Msg::Paste(_) | Msg::Resize { .. } | Msg::Shutdown
            ) {
                key_waiting = true;
            }
            for cmd in update(model, msg) {
                match cmd {
                    Cmd::Quit => model.quitting = true,
                    other => on_cmd(other),
                }
            }
        }
        // Settle what arrived between frames at once, so a key finds the
        // rows current and only draws.
        if !key_waiting {
            model.settle();
        }
    }
}

/// The stream's next item if it is ready now (`Some(None)`: it ended),
/// `None` if not; polled with the calling task's waker.
async fn ready_now<S: Stream + Unpin>(events: &mut S) -> Option<Option<S::Item>> {
    std::future::poll_fn(|cx| match events.poll_next_unpin(cx) {
        std::task::Poll::Ready(item) => std::task::Poll::Ready(Some(item)),
        std::task::Poll::Pending => std::task::Poll::Ready(None),
    })
    .await
}
