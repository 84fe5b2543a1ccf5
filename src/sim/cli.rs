//! `secretdeck sim`: the simulated environment, headless.

use crate::cli::SimArgs;
use std::process::ExitCode;

pub fn run(_args: SimArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the sim is not wired yet")
}
