//! The console in this process on a `TestBackend` terminal, as the event
//! loop drives it (apply what arrived, settle, draw): its first frames,
//! its CPU and memory while the cluster churns, what it asks the servers
//! for while idle, and the time to draw and to filter.

use super::sim_child::SimChild;
use super::stats::Spread;
use crate::backend::{AwsOptions, ConnectOptions, KubeCluster, connect};
use crate::cli::ConsoleArgs;
use crate::console::Session;
use crate::domain::{SecretMeta, from_value};
use crate::settings::Paths;
use crate::state::{Change, Key, KeyCode, Model, Msg, WatchKind, WatchState, update, update_all};
use crate::view::{Theme, view};
use anyhow::Context;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

pub const WIDTH: u16 = 160;
pub const HEIGHT: u16 = 50;
/// How long the first frames may take before the benchmark gives up.
const FRAME_TIMEOUT: Duration = Duration::from_secs(600);

pub struct Console {
    pub session: Session<TestBackend>,
    pub first_partial: Duration,
    pub first_complete: Duration,
}

fn settled(m: &Model) -> bool {
    WatchKind::ALL.iter().all(|k| {
        matches!(
            m.cluster.watch(*k),
            WatchState::Live | WatchState::NotInstalled | WatchState::Forbidden
        )
    })
}

/// Start the console on `sim` and wait for its first frame with apps
/// (partial) and its first with every watch synced and every app
/// (complete), both timed from the start.
pub async fn start(sim: &SimChild, dir: &Path) -> anyhow::Result<Console> {
    let start = Instant::now();
    let paths = Paths::under(dir);
    let opts = ConnectOptions {
        kubeconfig: Some(sim.kubeconfig.clone()),
        context: None,
    };
    let var = |k: &str| sim.env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let aws = AwsOptions {
        endpoint: var("AWS_ENDPOINT_URL_SECRETS_MANAGER"),
        region: var("AWS_REGION"),
        test_credentials: true,
    };
    let cluster = KubeCluster::new(connect(&opts).await?, None, paths.clone())
        .with_connect_options(opts)
        .with_aws(aws);
    let terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
    let mut session = Session::start(cluster, &ConsoleArgs::default(), &paths, terminal)?.paced();
    let partial = session
        .wait_for(FRAME_TIMEOUT, |m| !m.apps.table.is_empty())
        .await?;
    anyhow::ensure!(partial, "no app on screen within {FRAME_TIMEOUT:?}");
    let first_partial = start.elapsed();
    let apps = sim.applications;
    let complete = session
        .wait_for(FRAME_TIMEOUT, |m| {
            settled(m) && m.apps.table.all().len() >= apps
        })
        .await?;
    anyhow::ensure!(complete, "not every watch synced within {FRAME_TIMEOUT:?}");
    Ok(Console {
        session,
        first_partial,
        first_complete: start.elapsed(),
    })
}

impl Console {
    /// Go on applying what arrives for `d`.
    pub async fn run_for(&mut self, d: Duration) -> anyhow::Result<()> {
        self.session.wait_for(d, |_| false).await?;
        Ok(())
    }

    /// Time to draw the current screen, `n` times.
    pub fn draw_times(&mut self, n: usize) -> anyhow::Result<Spread> {
        let mut samples = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            self.session.draw()?;
            samples.push(t.elapsed());
        }
        Ok(Spread::of(&samples))
    }
}

/// A model holding `n` Secrets with the `:secrets` list open.
pub fn secrets_list(n: usize) -> anyhow::Result<Model> {
    let secrets: Vec<SecretMeta> = (0..n)
        .map(|i| {
            from_value(json!({
                "apiVersion": "v1", "kind": "Secret",
                "metadata": {"name": format!("svc-{i:05}-credentials"),
                             "namespace": format!("team-{:03}", i % 400),
                             "creationTimestamp": "2026-01-01T09:00:00Z"},
                "type": "Opaque"
            }))
        })
        .collect::<Result<_, _>>()
        .context("a generated Secret")?;
    let mut model = Model::new(false, None);
    let mut msgs = vec![
        Msg::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
        Msg::Now(chrono::Utc::now()),
        Msg::Secrets(Change::Reset(secrets)),
    ];
    msgs.extend(WatchKind::ALL.iter().map(|&kind| Msg::Watch {
        kind,
        state: WatchState::Live,
    }));
    update_all(&mut model, msgs);
    let keys = std::iter::once(Key::char(':'))
        .chain("secrets".chars().map(Key::char))
        .chain(std::iter::once(Key::new(KeyCode::Enter)));
    update_all(&mut model, keys.map(Msg::Key));
    anyhow::ensure!(
        model.lists.secrets.len() == n,
        "the :secrets list shows {} rows, not {n}",
        model.lists.secrets.len()
    );
    Ok(model)
}

/// Time to draw `model`, `n` times.
pub fn draw_times(model: &Model, n: usize) -> anyhow::Result<Spread> {
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        terminal.draw(|f| view(model, &theme, f))?;
        samples.push(t.elapsed());
    }
    Ok(Spread::of(&samples))
}

/// Keystroke → filtered rows on `model`'s list: `/`, then each query typed
/// a key at a time (each timed), then cleared.
pub fn filter_times(model: &mut Model, queries: &[&str]) -> Spread {
    let mut samples = Vec::new();
    for q in queries {
        update_all(model, [Msg::Key(Key::char('/'))]);
        for c in q.chars() {
            let t = Instant::now();
            update(model, Msg::Key(Key::char(c)));
            model.settle();
            samples.push(t.elapsed());
        }
        update_all(model, [Msg::Key(Key::new(KeyCode::Esc))]);
    }
    Spread::of(&samples)
}
