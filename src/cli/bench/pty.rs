//! Keystroke → first screen bytes on a real pseudo-terminal: the console
//! runs as a child process on a pty (as in a terminal emulator, no tmux in
//! between); each key is written to the master side and timed until the
//! console's answer is read back.

use anyhow::{Context, bail};
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long one key may take to be answered before it counts as lost.
const KEY_TIMEOUT: Duration = Duration::from_secs(2);
/// How long the console may take to show every watch synced.
const READY_TIMEOUT: Duration = Duration::from_secs(600);

/// One key to send, and how its answer is recognised.
#[derive(Debug, Clone)]
pub struct Step {
    pub bytes: Vec<u8>,
    /// Timed (else only sent, its answer drained).
    pub timed: bool,
    /// The answer is the first output holding this byte (under churn other
    /// output keeps coming); `None`: the first output at all.
    pub expect: Option<u8>,
}

fn step(bytes: &[u8], timed: bool, expect: Option<u8>) -> Step {
    Step {
        bytes: bytes.to_vec(),
        timed,
        expect,
    }
}

/// On a quiet cluster: `j`×40, `k`×40, ten `enter`/`esc` pairs and filter
/// typing, each answered by the first output after it.
pub fn quiet_plan() -> Vec<Step> {
    let mut plan = Vec::new();
    plan.extend((0..40).map(|_| step(b"j", true, None)));
    plan.extend((0..40).map(|_| step(b"k", true, None)));
    for _ in 0..10 {
        plan.push(step(b"\r", true, None));
        plan.push(step(b"\x1b", true, None));
    }
    for query in ["onthetop", "payments"] {
        plan.push(step(b"/", true, None));
        plan.extend(query.bytes().map(|b| step(&[b], true, None)));
        plan.push(step(b"\x1b", true, None));
    }
    plan
}

/// Under churn: filter typing that matches no row, so the rows stop
/// changing and each key's answer is the typed character appearing.
pub fn churn_plan(keys: usize) -> Vec<Step> {
    let mut plan = Vec::new();
    // Nothing the filter could match; none of them quits should the
    // filter not be open.
    let chars = b"zxwv";
    let mut typed = 0;
    while typed < keys {
        plan.push(step(b"/", false, None));
        for i in 0..20 {
            let c = chars[(typed + i) % chars.len()];
            plan.push(step(&[c], true, Some(c)));
        }
        typed += 20;
        plan.push(step(b"\x1b", false, None));
        plan.push(step(b"\x1b", false, None));
    }
    plan
}

pub struct PtyConsole {
    child: Child,
    master: std::fs::File,
    out: Receiver<(Instant, Vec<u8>)>,
}

impl PtyConsole {
    /// Start `exe` (the console) on a new pty of `cols`×`rows` with `env`.
    pub fn start(
        exe: &Path,
        env: &[(String, String)],
        dirs: &[(&'static str, std::path::PathBuf)],
        cols: u16,
        rows: u16,
    ) -> anyhow::Result<PtyConsole> {
        let (mut master_fd, mut slave_fd) = (-1, -1);
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two descriptors; the other pointers may be null.
        let rc = unsafe {
            libc::openpty(
                &mut master_fd,
                &mut slave_fd,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        if rc != 0 {
            bail!("cannot open a pty: {}", std::io::Error::last_os_error());
        }
        // SAFETY: both descriptors were just opened and are owned here.
        let (master, slave) = unsafe {
            (
                OwnedFd::from_raw_fd(master_fd),
                OwnedFd::from_raw_fd(slave_fd),
            )
        };
        let mut cmd = Command::new(exe);
        cmd.env("TERM", "xterm-256color")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(dirs.iter().map(|(k, v)| (*k, v.as_os_str())))
            .stdin(Stdio::from(slave.try_clone()?))
            .stdout(Stdio::from(slave.try_clone()?))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().context("cannot start the console on a pty")?;
        let master = std::fs::File::from(master);
        let mut reader = master.try_clone()?;
        let (tx, out) = channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        });
        Ok(PtyConsole { child, master, out })
    }

    /// Wait until the screen shows every watch synced.
    pub fn wait_ready(&mut self) -> anyhow::Result<Duration> {
        let start = Instant::now();
        let mut seen: Vec<u8> = Vec::new();
        let marker = b"watches: ";
        while start.elapsed() < READY_TIMEOUT {
            match self.out.recv_timeout(Duration::from_millis(200)) {
                Ok((_, bytes)) => {
                    seen.extend_from_slice(&bytes);
                    if seen.windows(marker.len()).any(|w| w == marker) {
                        self.drain_quiet(Duration::from_millis(500), Duration::from_secs(5));
                        return Ok(start.elapsed());
                    }
                    // Keep only the tail (a marker split across reads, or
                    // what to show if it exits).
                    let keep = seen.len().saturating_sub(2048);
                    seen.drain(..keep);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self.child.try_wait().ok().flatten();
                    bail!(
                        "the console exited ({status:?}) before it was ready; its last output: {}",
                        String::from_utf8_lossy(&seen)
                    )
                }
            }
        }
        bail!("the console did not show every watch synced within {READY_TIMEOUT:?}")
    }

    /// Read until nothing came for `quiet` (at most `max`).
    fn drain_quiet(&self, quiet: Duration, max: Duration) {
        let start = Instant::now();
        while start.elapsed() < max {
            if self.out.recv_timeout(quiet).is_err() {
                return;
            }
        }
    }

    /// Send each step; the timed ones' latencies (a lost answer counts as
    /// [`KEY_TIMEOUT`]) and how many were lost.
    pub fn run(&mut self, plan: &[Step], quiet: bool) -> anyhow::Result<(Vec<Duration>, usize)> {
        let mut samples = Vec::new();
        let mut lost = 0;
        for s in plan {
            while self.out.try_recv().is_ok() {}
            let sent = Instant::now();
            self.master.write_all(&s.bytes)?;
            self.master.flush()?;
            let answered = loop {
                let left = KEY_TIMEOUT.saturating_sub(sent.elapsed());
                match self.out.recv_timeout(left) {
                    Ok((at, bytes)) => {
                        if s.expect.is_none_or(|b| bytes.contains(&b)) {
                            break Some(at.duration_since(sent));
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => break None,
                    Err(RecvTimeoutError::Disconnected) => {
                        bail!("the console exited after {:?}", s.bytes)
                    }
                }
            };
            if s.timed {
                match answered {
                    Some(d) => samples.push(d),
                    None => {
                        lost += 1;
                        samples.push(KEY_TIMEOUT);
                    }
                }
            }
            if quiet {
                self.drain_quiet(Duration::from_millis(40), Duration::from_millis(600));
            }
            if s.bytes == b"\x1b" {
                // A lone ESC read together with the next key is Alt+key.
                std::thread::sleep(Duration::from_millis(60));
            }
        }
        Ok((samples, lost))
    }

    /// The console's peak resident set so far, in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        super::stats::peak_rss_mib_of(self.child.id())
    }

    pub fn stop(mut self) {
        // SAFETY: a signal to our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
