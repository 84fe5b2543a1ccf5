//! The binary: parse the command line, then set up the log and the async
//! runtime once, and run the command on them (`cli::Job::run`). The one
//! place that reads the directories from the environment
//! (`Paths::from_env`); everything below is handed them. Errors
//! are printed here, once, on stderr, with their exit code.

use anyhow::Context;
use clap::Parser;
use secretdeck::cli::{Cli, Invocation, Job};
use secretdeck::domain::ops::guard::exit_code_of;
use secretdeck::settings::Paths;
use std::process::ExitCode;

/// Exit code of a usage, settings or connection error (clap's too).
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let paths = Paths::from_env();
    let result = Cli::parse()
        .invocation()
        .and_then(|invocation| match invocation {
            // The simulator starts its own runtime and log.
            #[cfg(feature = "demo")]
            Invocation::Sim(args) => {
                secretdeck_sim::cli::run(args, || secretdeck::logging::init_with(&paths))
            }
            Invocation::Job(job) => run(job, &paths),
        });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("secretdeck: {e:#}");
            ExitCode::from(exit_code_of(&e, EXIT_ERROR))
        }
    }
}

/// The one log setup and the one runtime, then the command.
fn run(job: Job, paths: &Paths) -> anyhow::Result<ExitCode> {
    // Logs go to a file, never to the terminal; without one every command
    // still works. The console says why there is none; the others keep
    // stderr for their own messages.
    if let Err(e) = secretdeck::logging::init_with(paths)
        && job.says_why_no_log()
    {
        eprintln!("secretdeck: logging disabled: {e:#}");
    }
    few_malloc_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(job.run(paths))
}

/// glibc gives threads that allocate at once arenas of their own (up to
/// eight per core), and memory freed in one arena serves only that arena.
/// The first lists are decoded on every runtime thread while the UI thread
/// builds its views, which left tens of MiB of freed but unreturnable
/// memory at 20,000 pods. Two arenas are enough for the threads that
/// allocate much (the UI thread and the watches).
fn few_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a tuning parameter; called before the
    // runtime starts any thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
