//! `secretdeck bench`: the console measured against kubectl on the same
//! simulated cluster, at `--scale small` and `--scale large` in one run.
//! Per scale: the sim (a child process) is started and waited for; then
//! `kubectl get <every kind> -A -o json` is timed (the reference), the
//! console (in this process, on a `TestBackend`) is timed to its first
//! partial and complete frame, left idle for a minute while the sim counts
//! its requests, timed drawing; the console on a real pty is timed from
//! keystroke to screen, quiet and under `--churn`; under churn the
//! console's CPU is set against `kubectl get -w` of the same kinds. Then
//! drawing and filtering a 20k / 10k-row list. A table, `--out` (JSON),
//! and a last line of the headline figures.

mod kubectl;
mod probe;
mod pty;
mod sim_child;
mod stats;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use stats::Spread;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How long the kubectl watchers may take to list before they watch.
const KUBECTL_LIST_LIMIT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchScale {
    Small,
    Large,
}

impl BenchScale {
    fn name(self) -> &'static str {
        match self {
            BenchScale::Small => "small",
            BenchScale::Large => "large",
        }
    }
}

#[derive(Debug, Args, Clone)]
pub struct BenchArgs {
    /// The sim scales to measure, in this order.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [BenchScale::Small, BenchScale::Large])]
    pub scales: Vec<BenchScale>,
    /// Updates a second the sim makes while "under churn".
    #[arg(long, default_value_t = 1000)]
    pub churn: u32,
    /// Seconds of churn over which CPU is compared with kubectl.
    #[arg(long, default_value_t = 30)]
    pub churn_secs: u64,
    /// Seconds the console is left idle while its requests are counted.
    #[arg(long, default_value_t = 60)]
    pub idle_secs: u64,
    /// Keys timed under churn (the quiet plan has 110).
    #[arg(long, default_value_t = 100)]
    pub keys: usize,
    /// Where the figures are written as JSON.
    #[arg(long, default_value = "target/bench/scale.json")]
    pub out: PathBuf,
}

/// The figures of one scale.
#[derive(Debug, Default, serde::Serialize)]
struct ScaleFigures {
    scale: String,
    sim: String,
    sim_converged_s: f64,
    kubectl_get_all_s: f64,
    kubectl_get_all_mib: f64,
    first_partial_frame_s: f64,
    first_complete_frame_s: f64,
    first_frame_ratio: f64,
    pty_ready_s: f64,
    keys_quiet: Spread,
    keys_quiet_lost: usize,
    keys_churn: Spread,
    keys_churn_lost: usize,
    apps_table_draw: Spread,
    churn_window_s: u64,
    /// How long the kubectl watchers took to list and start watching.
    kubectl_watch_start_s: f64,
    /// kubectl watchers that ended during the window (the comparison is
    /// then not one of the same events).
    kubectl_watches_ended: usize,
    console_events: u64,
    console_cpu_s: f64,
    kubectl_watch_events: u64,
    kubectl_watch_cpu_s: f64,
    console_cpu_per_1k_events_ms: f64,
    kubectl_cpu_per_1k_events_ms: f64,
    churn_cpu_ratio: f64,
    console_peak_rss_mib: f64,
    /// The console on the pty (the binary as run), over its whole run.
    pty_console_peak_rss_mib: f64,
    idle_kube_requests: BTreeMap<String, u64>,
    idle_aws_calls: BTreeMap<String, u64>,
    idle_list_get: u64,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let dir = tempfile::tempdir().context("cannot create a directory for the benchmark")?;
    let mut scales = Vec::new();
    for scale in &args.scales {
        eprintln!("bench: --scale {} …", scale.name());
        let figures = measure(&args, &exe, *scale, &dir.path().join(scale.name())).await?;
        print_scale(&figures);
        scales.push(figures);
    }
    eprintln!("bench: lists …");
    let lists = lists()?;
    let report = json!({
        "machine": machine(),
        "scales": scales,
        "lists": lists,
    });
    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&report)?)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "lists: draw 20k rows p50 {:.2} ms p99 {:.2} ms; filter keystroke at 10k rows p50 {:.2} ms p99 {:.2} ms",
        lists["draw_20k"]["p50_ms"].as_f64().unwrap_or(0.0),
        lists["draw_20k"]["p99_ms"].as_f64().unwrap_or(0.0),
        lists["filter_10k"]["p50_ms"].as_f64().unwrap_or(0.0),
        lists["filter_10k"]["p99_ms"].as_f64().unwrap_or(0.0),
    );
    println!("written: {}", args.out.display());
    if let Some(last) = scales.last() {
        println!("{}", headline(last));
    }
    Ok(ExitCode::SUCCESS)
}

/// The last line: the headline figures of the largest scale run (RSS: the
/// higher of the console in process and on the pty).
fn headline(f: &ScaleFigures) -> String {
    format!(
        "first_frame_ratio={:.2} key_p99_ms={:.1} churn_cpu_ratio={:.2} rss_mib={:.0} idle_list={}",
        f.first_frame_ratio,
        f.keys_quiet.p99_ms.max(f.keys_churn.p99_ms),
        f.churn_cpu_ratio,
        f.console_peak_rss_mib.max(f.pty_console_peak_rss_mib),
        f.idle_list_get
    )
}

async fn measure(
    args: &BenchArgs,
    exe: &Path,
    scale: BenchScale,
    dir: &Path,
) -> anyhow::Result<ScaleFigures> {
    let sim = sim_child::start(exe, scale.name(), &dir.join("sim")).await?;
    let mut f = ScaleFigures {
        scale: scale.name().into(),
        sim: sim.converged.clone(),
        sim_converged_s: sim.converged_secs,
        churn_window_s: args.churn_secs,
        ..Default::default()
    };
    let (t, bytes) = kubectl::get_all(&sim.kubeconfig).await?;
    f.kubectl_get_all_s = t.as_secs_f64();
    f.kubectl_get_all_mib = bytes as f64 / (1024.0 * 1024.0);

    stats::reset_peak_rss();
    let mut console = probe::start(&sim, &dir.join("console")).await?;
    f.first_partial_frame_s = console.first_partial.as_secs_f64();
    f.first_complete_frame_s = console.first_complete.as_secs_f64();
    f.first_frame_ratio = f.first_complete_frame_s / f.kubectl_get_all_s.max(1e-9);

    // An idle minute after the sync: what the console asks for.
    let (k0, a0) = (sim.kube_requests().await?, sim.aws_requests().await?);
    console.run_for(Duration::from_secs(args.idle_secs)).await?;
    let (k1, a1) = (sim.kube_requests().await?, sim.aws_requests().await?);
    f.idle_kube_requests = delta(&k0, &k1);
    f.idle_aws_calls = delta(&a0, &a1);
    f.idle_list_get = ["list", "get"]
        .iter()
        .filter_map(|v| f.idle_kube_requests.get(*v))
        .sum();
    f.apps_table_draw = console.draw_times(200)?;

    // The console on a pty, quiet.
    let env: Vec<(String, String)> = sim.env.clone();
    let dirs = sim_child::dirs_under(&dir.join("pty"));
    let mut pty = pty::PtyConsole::start(exe, &env, &dirs, probe::WIDTH, probe::HEIGHT)?;
    let (mut pty, ready, quiet) = tokio::task::spawn_blocking(move || {
        let ready = pty.wait_ready()?;
        let quiet = pty.run(&pty::quiet_plan(), true)?;
        anyhow::Ok((pty, ready, quiet))
    })
    .await??;
    f.pty_ready_s = ready.as_secs_f64();
    f.keys_quiet = Spread::of(&quiet.0);
    f.keys_quiet_lost = quiet.1;

    // Under churn: CPU against kubectl get -w of the same kinds, started
    // before the churn (a kubectl still listing 20,000 pods under churn
    // watches from a version the server no longer holds, and ends) and
    // measured from when every kubectl is past its lists and watching, as
    // the console's watches long are; the console goes on applying what
    // arrives meanwhile.
    let mut watchers = kubectl::Watchers::start(&sim.kubeconfig)?;
    let listing = Instant::now();
    loop {
        let (n, all) = watchers.watching();
        if n == all {
            break;
        }
        anyhow::ensure!(
            listing.elapsed() < KUBECTL_LIST_LIMIT,
            "kubectl get -w: {n} of {all} watching after {KUBECTL_LIST_LIMIT:?}"
        );
        console.run_for(Duration::from_millis(200)).await?;
    }
    f.kubectl_watch_start_s = listing.elapsed().as_secs_f64();
    sim.set_churn(args.churn).await?;
    console.run_for(Duration::from_secs(2)).await?;
    let (c0, w0) = (stats::own_cpu(), watchers.cpu());
    let (e0, l0) = (console.session.applied(), watchers.events());
    console
        .run_for(Duration::from_secs(args.churn_secs))
        .await?;
    let console_cpu = stats::own_cpu().saturating_sub(c0);
    let kubectl_cpu = watchers.cpu().saturating_sub(w0);
    f.console_events = console.session.applied() - e0;
    f.kubectl_watch_events = watchers.events() - l0;
    f.console_cpu_s = console_cpu.as_secs_f64();
    f.kubectl_watch_cpu_s = kubectl_cpu.as_secs_f64();
    f.console_cpu_per_1k_events_ms = per_1k(console_cpu, f.console_events);
    f.kubectl_cpu_per_1k_events_ms = per_1k(kubectl_cpu, f.kubectl_watch_events);
    f.churn_cpu_ratio = f.console_cpu_s / f.kubectl_watch_cpu_s.max(1e-9);
    f.kubectl_watches_ended = watchers.ended();
    f.console_peak_rss_mib = stats::peak_rss_mib();
    watchers.stop().await;
    drop(console);

    // The console on the pty, under churn.
    let keys = args.keys;
    let (pty2, churn) = tokio::task::spawn_blocking(move || {
        let churn = pty.run(&pty::churn_plan(keys), false)?;
        anyhow::Ok((pty, churn))
    })
    .await??;
    pty = pty2;
    f.keys_churn = Spread::of(&churn.0);
    f.keys_churn_lost = churn.1;
    f.pty_console_peak_rss_mib = pty.peak_rss_mib();
    sim.set_churn(0).await?;
    tokio::task::spawn_blocking(move || pty.stop()).await?;
    sim.stop().await;
    Ok(f)
}

fn per_1k(cpu: Duration, events: u64) -> f64 {
    if events == 0 {
        return 0.0;
    }
    cpu.as_secs_f64() * 1e3 * 1000.0 / events as f64
}

fn delta(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    after
        .iter()
        .map(|(k, v)| (k.clone(), v - before.get(k).copied().unwrap_or(0).min(*v)))
        .filter(|(_, v)| *v > 0)
        .collect()
}

/// Drawing a 20k-row list and filtering a 10k-row one.
fn lists() -> anyhow::Result<Value> {
    let big = probe::secrets_list(20_000)?;
    let draw = probe::draw_times(&big, 200)?;
    let mut model = probe::secrets_list(10_000)?;
    let filter = probe::filter_times(&mut model, &["svc-01234", "team-07", "credentials", "zzz"]);
    Ok(json!({ "draw_20k": draw, "filter_10k": filter }))
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().map(str::to_string))
        .unwrap_or_default();
    json!({
        "cpus": std::thread::available_parallelism().map(usize::from).unwrap_or(0),
        "cpu": cpu,
        "memory": mem,
    })
}

fn print_scale(f: &ScaleFigures) {
    let row = |what: &str, value: String| println!("  {what:<44} {value}");
    println!("--scale {}: {}", f.scale, f.sim);
    row(
        "kubectl get <11 kinds> -A -o json",
        format!(
            "{:.2} s ({:.1} MiB)",
            f.kubectl_get_all_s, f.kubectl_get_all_mib
        ),
    );
    row(
        "console first partial / complete frame",
        format!(
            "{:.2} s / {:.2} s (ratio to kubectl {:.2})",
            f.first_partial_frame_s, f.first_complete_frame_s, f.first_frame_ratio
        ),
    );
    let keys = |s: &Spread, lost: usize| {
        format!(
            "p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms  ({} keys, {lost} unanswered)",
            s.p50_ms, s.p99_ms, s.max_ms, s.n
        )
    };
    row(
        "key → screen on a pty, quiet",
        keys(&f.keys_quiet, f.keys_quiet_lost),
    );
    row(
        "key → screen on a pty, under churn",
        keys(&f.keys_churn, f.keys_churn_lost),
    );
    row(
        "apps table draw (in process)",
        format!(
            "p50 {:.2} ms  p99 {:.2} ms",
            f.apps_table_draw.p50_ms, f.apps_table_draw.p99_ms
        ),
    );
    row(
        "CPU under churn: console vs kubectl get -w",
        format!(
            "{:.2} s ({} events, {:.1} ms/1k) vs {:.2} s ({} events, {:.1} ms/1k): ratio {:.2} (kubectl listed {:.0} s before; {} of its watches ended)",
            f.console_cpu_s,
            f.console_events,
            f.console_cpu_per_1k_events_ms,
            f.kubectl_watch_cpu_s,
            f.kubectl_watch_events,
            f.kubectl_cpu_per_1k_events_ms,
            f.churn_cpu_ratio,
            f.kubectl_watch_start_s,
            f.kubectl_watches_ended
        ),
    );
    row(
        "console peak RSS: in process / on the pty",
        format!(
            "{:.0} MiB / {:.0} MiB",
            f.console_peak_rss_mib, f.pty_console_peak_rss_mib
        ),
    );
    row(
        "idle minute: API requests / AWS calls",
        format!("{:?} / {:?}", f.idle_kube_requests, f.idle_aws_calls),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_line_has_the_headline_figures_in_order() {
        let f = ScaleFigures {
            first_frame_ratio: 0.4,
            keys_quiet: Spread {
                n: 100,
                p50_ms: 2.0,
                p99_ms: 9.5,
                max_ms: 12.0,
            },
            keys_churn: Spread {
                n: 100,
                p50_ms: 3.0,
                p99_ms: 21.25,
                max_ms: 30.0,
            },
            churn_cpu_ratio: 0.8,
            console_peak_rss_mib: 140.4,
            pty_console_peak_rss_mib: 131.0,
            idle_list_get: 0,
            ..Default::default()
        };
        assert_eq!(
            headline(&f),
            "first_frame_ratio=0.40 key_p99_ms=21.2 churn_cpu_ratio=0.80 rss_mib=140 idle_list=0"
        );
    }

    #[test]
    fn idle_deltas_keep_only_what_grew() {
        let before = BTreeMap::from([("watch".to_string(), 11), ("list".to_string(), 11)]);
        let after = BTreeMap::from([
            ("watch".to_string(), 13),
            ("list".to_string(), 11),
            ("get".to_string(), 1),
        ]);
        assert_eq!(
            delta(&before, &after),
            BTreeMap::from([("watch".to_string(), 2), ("get".to_string(), 1)])
        );
    }

    #[test]
    fn a_generated_list_is_filtered_and_drawn() {
        let mut model = probe::secrets_list(500).expect("model");
        let s = probe::filter_times(&mut model, &["svc-0042"]);
        assert_eq!(s.n, 8);
        assert!(probe::draw_times(&model, 3).expect("draw").n == 3);
    }
}
