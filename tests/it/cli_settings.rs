//! Every command reads the same settings (`config.toml`) and refuses a
//! broken or misspelt one before touching anything; each subcommand's
//! `--help` lists only its own options, each described; a kubeconfig that
//! is not there is named.

use crate::support;

use clap::CommandFactory;
use secretdeck::cli::Cli;
use std::path::Path;
use support::cli::Run;

/// `secretdeck ARGS` with the config dir `config_dir` (state and logs
/// inside it).
fn run(config_dir: &Path, kubeconfig: &Path, args: &[&str]) -> Run {
    let paths = secretdeck::settings::Paths {
        config_dir: Some(config_dir.to_path_buf()),
        state_dir: Some(config_dir.join("state")),
        log_dir: Some(config_dir.join("logs")),
    };
    let mut cmd = support::cli::command(&paths);
    cmd.env("KUBECONFIG", kubeconfig);
    support::cli::run_blocking(cmd, args)
}

/// Every command that talks to a cluster, with valid arguments.
const COMMANDS: &[&[&str]] = &[
    &["status"],
    &["refresh", "es", "ns/es", "--yes"],
    &["refresh", "app", "app", "--yes"],
    &["refresh", "sync", "app", "--yes"],
    &["restart", "ns/deploy", "--yes"],
    &["config", "set", "ns/cm", "K=V", "--yes"],
    &["rotate", "ns/es", "--generate", "20", "--yes"],
    &["rollback", "ns/es", "--yes"],
];

#[test]
fn every_command_refuses_a_misspelt_or_broken_config_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    // No cluster is needed: the settings are read first.
    let kubeconfig = dir.path().join("no-such-kubeconfig");
    for (text, expect) in [
        (
            "readonly_context = [\"*prod*\"]\n",
            format!(
                "unknown key `readonly_context` in {}; did you mean `readonly_contexts`?",
                file.display()
            ),
        ),
        (
            "[gitops.repo]\n\"https://x\" = \"/x\"\n",
            "did you mean `gitops.repos`?".to_string(),
        ),
        (
            "readonly_contexts = [",
            format!("invalid {}", file.display()),
        ),
    ] {
        std::fs::write(&file, text).unwrap();
        for args in COMMANDS {
            let r = run(dir.path(), &kubeconfig, args);
            assert_eq!(r.code, Some(2), "{args:?} with {text:?}: {}", r.stderr);
            assert!(r.stderr.contains(&expect), "{args:?}: {}", r.stderr);
            assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        }
    }
}

#[test]
fn a_missing_kubeconfig_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("nowhere/kubeconfig");
    for args in [&["status"][..], &["restart", "ns/deploy", "--yes"][..]] {
        let r = run(dir.path(), &kubeconfig, args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "no kubeconfig found (looked at {}",
                kubeconfig.display()
            )),
            "{args:?}: {}",
            r.stderr
        );
    }
}

/// The console's options a subcommand may take.
fn allowed(path: &str) -> &'static [&'static str] {
    match path {
        "status" => &["context", "namespace"],
        "demo" => &["namespace", "readonly", "theme", "gitops_repo"],
        "sim" => &[],
        _ => &["context", "readonly"],
    }
}

fn check_help(cmd: &clap::Command, path: &str) {
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        assert!(
            arg.get_help()
                .is_some_and(|h| !h.to_string().trim().is_empty()),
            "`secretdeck {path}`: option or argument `{id}` has no description"
        );
        let console_only = ["context", "namespace", "readonly", "theme", "gitops_repo"];
        let top = path.split(' ').next().unwrap_or_default();
        assert!(
            !console_only.contains(&id) || allowed(top).contains(&id),
            "`secretdeck {path} --help` lists `{id}`, which it does not use"
        );
    }
    for sub in cmd.get_subcommands() {
        check_help(sub, format!("{path} {}", sub.get_name()).trim());
    }
}

#[test]
fn each_subcommand_lists_only_its_own_options_each_described() {
    let mut cli = Cli::command();
    cli.build();
    for sub in cli.get_subcommands() {
        if sub.get_name() != "help" {
            check_help(sub, sub.get_name());
        }
    }
    // And as printed.
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &dir.path().join("kc"), &["status", "--help"]);
    assert_eq!(r.code, Some(0));
    for absent in ["--theme", "--gitops-repo", "--readonly"] {
        assert!(!r.stdout.contains(absent), "{absent} in:\n{}", r.stdout);
    }
    assert!(r.stdout.contains("--namespace"), "{}", r.stdout);
    let r = run(dir.path(), &dir.path().join("kc"), &["rotate", "--help"]);
    assert!(r.stdout.contains("--readonly") && !r.stdout.contains("--theme"));
}

#[test]
fn a_console_option_before_a_subcommand_that_does_not_use_it_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        &dir.path().join("kc"),
        &["--theme", "dark", "status"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--theme is not an option of `secretdeck status`"),
        "{}",
        r.stderr
    );
}

#[test]
fn any_non_empty_ci_value_means_ci_and_no_test_reads_ci_on_its_own() {
    use std::ffi::OsStr;
    for v in ["true", "1", "yes", "TRUE", "woodpecker"] {
        assert!(support::ci_value(Some(OsStr::new(v))), "CI={v}");
    }
    assert!(!support::ci_value(Some(OsStr::new(""))));
    assert!(!support::ci_value(None));
    // The tests that need a tool ask support::in_ci, not a copy of it.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs")
            && path.file_name() != Some(OsStr::new("cli_settings.rs"))
        {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("var(\"CI\")"),
                "{} reads CI itself: use support::in_ci",
                path.display()
            );
        }
    }
}
