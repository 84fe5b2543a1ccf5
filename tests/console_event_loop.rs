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
