use clap::Parser;
use secretdeck::cli::{Cli, Command, ConsoleArgs, TARGET_OPTIONS};
use secretdeck::ops::guard::exit_code_of;
use std::process::ExitCode;

/// Exit code of a usage, settings or connection error (clap's too).
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let top = cli.console;
    let result = match cli.command {
        #[cfg(feature = "demo")]
        Some(Command::Sim(args)) => top
            .for_subcommand("sim", ConsoleArgs::default(), &[])
            .and_then(|_| secretdeck_sim::cli::run(args, secretdeck::logging::init)),
        Some(Command::Status(args)) => {
            let own = ConsoleArgs {
                context: args.context.clone(),
                namespace: args.namespace.clone(),
                ..ConsoleArgs::default()
            };
            top.for_subcommand("status", own, &["--context", "--namespace"])
                .and_then(|c| secretdeck::status::run(c, args))
        }
        // CONFIG part
        Some(Command::Config(args)) => top
            .for_subcommand("config", args.guard.console(), TARGET_OPTIONS)
            .and_then(|c| secretdeck::cli_config::run(c, args)),
        Some(Command::Rotate(args)) => top
            .for_subcommand("rotate", args.guard.console(), TARGET_OPTIONS)
            .and_then(|c| secretdeck::cli_rotate::run_rotate(c, args)),
        Some(Command::Rollback(args)) => top
            .for_subcommand("rollback", args.guard.console(), TARGET_OPTIONS)
            .and_then(|c| secretdeck::cli_rotate::run_rollback(c, args)),
        #[cfg(feature = "demo")]
        Some(Command::Demo(args)) => {
            let own = ConsoleArgs {
                context: None,
                namespace: args.namespace.clone(),
                readonly: args.readonly,
                theme: args.theme.clone(),
                gitops_repo: args.gitops_repo.clone(),
            };
            let uses = ["--namespace", "--readonly", "--theme", "--gitops-repo"];
            top.for_subcommand("demo", own, &uses)
                .and_then(|c| secretdeck::console::run_demo(c, args))
        }
        // REFRESH part
        Some(Command::Refresh(args)) => top
            .for_subcommand("refresh", args.guard.console(), TARGET_OPTIONS)
            .and_then(|c| secretdeck::cli_ops::run_refresh(c, args)),
        Some(Command::Restart(args)) => top
            .for_subcommand("restart", args.guard.console(), TARGET_OPTIONS)
            .and_then(|c| secretdeck::cli_ops::run_restart(c, args)),
        None => secretdeck::console::run(top),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("secretdeck: {e:#}");
            ExitCode::from(exit_code_of(&e, EXIT_ERROR))
        }
    }
}
