//! Console entry points: terminal setup/restore and the event loop wiring.

use crate::cli::{ConsoleArgs, DemoArgs};
use std::process::ExitCode;

pub fn run(_args: ConsoleArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the console is not wired yet")
}

pub fn run_demo(_args: ConsoleArgs, _demo: DemoArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the demo is not wired yet")
}
