use clap::Parser;
use secretdeck::cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Sim(args)) => secretdeck::sim::cli::run(args),
        Some(Command::Status(args)) => secretdeck::status::run(cli.console, args),
        // CONFIG part
        Some(Command::Config(args)) => secretdeck::cli_config::run(cli.console, args),
        Some(Command::Rotate(args)) => secretdeck::cli_rotate::run_rotate(cli.console, args),
        Some(Command::Rollback(args)) => secretdeck::cli_rotate::run_rollback(cli.console, args),
        Some(Command::Demo(args)) => secretdeck::console::run_demo(cli.console, args),
        // REFRESH part
        Some(Command::Refresh(args)) => secretdeck::cli_ops::run_refresh(cli.console, args),
        Some(Command::Restart(args)) => secretdeck::cli_ops::run_restart(cli.console, args),
        None => secretdeck::console::run(cli.console),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("secretdeck: {e:#}");
            ExitCode::from(2)
        }
    }
}
