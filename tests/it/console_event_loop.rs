//! The event loop on a TestBackend: backend messages and key events are
//! applied, the screen is drawn, and `q`, a shutdown signal or the end of
//! input all end the loop.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secretdeck::domain::{Application, from_value};
use secretdeck::state::{Change, Model, Msg};
use secretdeck::terminal::{event_loop, event_to_msg};
use secretdeck::view::Theme;
use serde_json::json;
use std::io;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

const LIMIT: Duration = Duration::from_secs(10);

fn app(name: &str) -> Application {
    from_value(json!({"metadata": {"name": name, "namespace": "argocd"},
                      "spec": {"destination": {"namespace": name}}}))
    .expect("app")
}

fn key(c: char) -> io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

/// `events` become available once `gate` fires, then input stays open.
fn gated(
    gate: oneshot::Receiver<()>,
    events: Vec<io::Result<Event>>,
) -> impl Stream<Item = io::Result<Event>> + Unpin {
    Box::pin(
        futures::stream::once(async move {
            let _ = gate.await;
            futures::stream::iter(events)
        })
        .flatten()
        .chain(futures::stream::pending()),
    )
}

/// Send `msgs`, wait until the loop has taken them all, then open the gate.
fn feed(tx: mpsc::Sender<Msg>, msgs: Vec<Msg>, gate: oneshot::Sender<()>) {
    tokio::spawn(async move {
        for m in msgs {
            tx.send(m).await.expect("loop alive");
        }
        while tx.capacity() < tx.max_capacity() {
            tokio::task::yield_now().await;
        }
        let _ = gate.send(());
        // Keep the channel open so the loop does not see the backend end.
        std::future::pending::<()>().await;
    });
}

fn text(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn data_then_keys_then_quit() {
    let mut terminal = Terminal::new(TestBackend::new(90, 10)).expect("terminal");
    let mut model = Model::new(false, None);
    let (tx, mut rx) = mpsc::channel(16);
    let (gate_tx, gate_rx) = oneshot::channel();
    feed(
        tx,
        vec![Msg::Apps(Change::Reset(vec![app("a"), app("b"), app("c")]))],
        gate_tx,
    );
    let events = gated(gate_rx, vec![key('j'), key('j'), key('q'), key('k')]);

    tokio::time::timeout(
        LIMIT,
        event_loop(
            &mut terminal,
            &mut model,
            &Theme::dark(),
            events,
            &mut rx,
            Duration::from_secs(3600),
        ),
    )
    .await
    .expect("the loop ends on q")
    .expect("no error");

    assert!(model.quitting);
    assert_eq!(model.apps.table.selected, 2, "keys after q are not applied");
    assert_eq!(model.size, (90, 10), "the terminal size was read at start");
    let screen = text(&terminal);
    assert!(
        screen.contains("▶ c"),
        "the last frame shows the selection:\n{screen}"
    );
}

#[tokio::test]
async fn a_shutdown_signal_ends_the_loop() {
    let mut terminal = Terminal::new(TestBackend::new(60, 8)).expect("terminal");
    let mut model = Model::new(false, None);
    let (tx, mut rx) = mpsc::channel(4);
    tx.send(Msg::Shutdown).await.expect("send");
    let events = futures::stream::pending();
    tokio::time::timeout(
        LIMIT,
        event_loop(
            &mut terminal,
            &mut model,
            &Theme::dark(),
            events,
            &mut rx,
            Duration::from_secs(3600),
        ),
    )
    .await
    .expect("the loop ends on shutdown")
    .expect("no error");
    assert!(model.quitting);
}

#[tokio::test]
async fn end_of_input_ends_the_loop_and_input_errors_are_reported() {
    let mut terminal = Terminal::new(TestBackend::new(60, 8)).expect("terminal");
    let mut model = Model::new(false, None);
    let (_tx, mut rx) = mpsc::channel::<Msg>(4);
    let theme = Theme::dark();
    let ended = futures::stream::empty();
    tokio::time::timeout(
        LIMIT,
        event_loop(
            &mut terminal,
            &mut model,
            &theme,
            ended,
            &mut rx,
            Duration::from_secs(3600),
        ),
    )
    .await
    .expect("ends")
    .expect("no error");
    assert!(model.quitting);

    let mut model = Model::new(false, None);
    let failing = futures::stream::iter(vec![Err(io::Error::other("tty gone"))]);
    let err = tokio::time::timeout(
        LIMIT,
        event_loop(
            &mut terminal,
            &mut model,
            &theme,
            failing,
            &mut rx,
            Duration::from_secs(3600),
        ),
    )
    .await
    .expect("ends")
    .expect_err("input error");
    assert!(format!("{err:#}").contains("tty gone"), "{err:#}");
}

#[test]
fn crossterm_events_become_messages() {
    use secretdeck::state::{Key, KeyCode as K};
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(event_to_msg(ctrl_c), Some(Msg::Key(Key::ctrl('c'))));
    let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert_eq!(event_to_msg(Event::Key(release)), None);
    assert_eq!(
        event_to_msg(Event::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE))),
        Some(Msg::Key(Key::new(K::Down)))
    );
    assert_eq!(
        event_to_msg(Event::Resize(80, 24)),
        Some(Msg::Resize {
            width: 80,
            height: 24
        })
    );
    assert_eq!(event_to_msg(Event::FocusGained), None);
}

/// What the test sees of the loop: the last frame flushed, and how often
/// input was polled and found empty (before and after that frame).
#[derive(Default)]
struct Probe {
    state: std::sync::Mutex<Seen>,
    changed: std::sync::Condvar,
}

#[derive(Default)]
struct Seen {
    screen: String,
    empty_polls: u64,
    empty_polls_at_flush: u64,
}

impl Probe {
    /// Block until a frame shows `what` and, after that frame, the loop
    /// polled input again (it waits for the next key). Err after `LIMIT`.
    fn wait_shown_then_idle(&self, what: &str) -> Result<(), String> {
        let guard = self.state.lock().unwrap();
        let (guard, timeout) = self
            .changed
            .wait_timeout_while(guard, LIMIT, |s| {
                !(s.screen.contains(what) && s.empty_polls > s.empty_polls_at_flush)
            })
            .unwrap();
        if timeout.timed_out() {
            Err(format!(
                "never shown: {what:?}; last screen:\n{}",
                guard.screen
            ))
        } else {
            Ok(())
        }
    }
}

/// Input that behaves like crossterm's `EventStream`: a poll that finds
/// nothing hands its waker to a wake thread only when none is waiting
/// already (later wakers are dropped until that one fires); keys arrive one
/// at a time from another thread, which wakes that one waker.
#[derive(Clone)]
struct CrosstermLike {
    inner: std::sync::Arc<std::sync::Mutex<Input>>,
    probe: std::sync::Arc<Probe>,
}

#[derive(Default)]
struct Input {
    queue: std::collections::VecDeque<io::Result<Event>>,
    waker: Option<std::task::Waker>,
}

impl CrosstermLike {
    fn push(&self, ev: io::Result<Event>) {
        let waker = {
            let mut i = self.inner.lock().unwrap();
            i.queue.push_back(ev);
            i.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl Stream for CrosstermLike {
    type Item = io::Result<Event>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let mut i = self.inner.lock().unwrap();
        if let Some(ev) = i.queue.pop_front() {
            return std::task::Poll::Ready(Some(ev));
        }
        if i.waker.is_none() {
            i.waker = Some(cx.waker().clone());
        }
        drop(i);
        self.probe.state.lock().unwrap().empty_polls += 1;
        self.probe.changed.notify_all();
        std::task::Poll::Pending
    }
}

/// A TestBackend whose flushed frames the test can wait on.
struct Watched {
    inner: TestBackend,
    probe: std::sync::Arc<Probe>,
}

impl ratatui::backend::Backend for Watched {
    type Error = <TestBackend as ratatui::backend::Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()?;
        let screen = text_of(self.inner.buffer());
        let mut seen = self.probe.state.lock().unwrap();
        seen.screen = screen;
        seen.empty_polls_at_flush = seen.empty_polls;
        drop(seen);
        self.probe.changed.notify_all();
        Ok(())
    }
}

fn text_of(buf: &ratatui::buffer::Buffer) -> String {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_key_is_answered_without_waiting_for_the_tick() {
    let probe = std::sync::Arc::new(Probe::default());
    let mut terminal = Terminal::new(Watched {
        inner: TestBackend::new(90, 10),
        probe: probe.clone(),
    })
    .expect("terminal");
    let mut model = Model::new(false, None);
    let (tx, mut rx) = mpsc::channel(16);
    tx.send(Msg::Apps(Change::Reset(vec![app("a"), app("b"), app("c")])))
        .await
        .expect("send");
    let input = CrosstermLike {
        inner: Default::default(),
        probe: probe.clone(),
    };
    let keys = input.clone();
    // Each key is typed once the previous one's effect is on the screen
    // and the loop waits for input again, as a person types.
    let typist = std::thread::spawn(move || -> Result<(), String> {
        probe.wait_shown_then_idle("▶ a")?;
        for (c, expect) in [('j', "▶ b"), ('j', "▶ c"), ('k', "▶ b"), ('g', "▶ a")] {
            keys.push(key(c));
            probe.wait_shown_then_idle(expect)?;
        }
        keys.push(key('q'));
        Ok(())
    });
    // The tick is an hour: only the key itself can wake the loop.
    let result = tokio::time::timeout(
        LIMIT * 2,
        event_loop(
            &mut terminal,
            &mut model,
            &Theme::dark(),
            input,
            &mut rx,
            Duration::from_secs(3600),
        ),
    )
    .await;
    let typed = tokio::task::spawn_blocking(move || typist.join().expect("typist"))
        .await
        .expect("join");
    typed.expect("every key's effect was shown at once");
    result.expect("the loop ends on q").expect("no error");
    assert!(model.quitting);
    drop(tx);
}

#[tokio::test]
async fn a_paste_reaches_the_palette_as_text_and_writes_nothing() {
    let mut terminal = Terminal::new(TestBackend::new(90, 10)).expect("terminal");
    let mut model = Model::new(false, None);
    let (_tx, mut rx) = mpsc::channel::<Msg>(4);
    let events = futures::stream::iter(vec![
        key(':'),
        Ok(Event::Paste("audit\nq".into())),
        Ok(Event::Paste("audit\n".into())),
    ]);
    let mut cmds = Vec::new();
    tokio::time::timeout(
        LIMIT,
        secretdeck::terminal::event_loop_with(
            &mut terminal,
            &mut model,
            &Theme::dark(),
            events,
            &mut rx,
            Duration::from_secs(3600),
            &mut |c| cmds.push(c),
        ),
    )
    .await
    .expect("ends with the input")
    .expect("no error");
    assert!(cmds.is_empty(), "a paste asks for nothing: {cmds:?}");
    assert_eq!(
        model.palette().map(|p| p.input.as_str()),
        Some("audit"),
        "the text is in the palette and Enter was never pressed"
    );
    assert_eq!(
        event_to_msg(Event::Paste("x\ny".into())),
        Some(Msg::Paste("x\ny".into()))
    );
}
