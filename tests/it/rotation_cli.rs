//! `secretdeck rotate` / `secretdeck rollback` as a runbook would run them,
//! against the simulated environment; and read-only mode refusing both the
//! CLI and the console's key.

use crate::rotation_support;

use crate::support;
use rotation_support::*;
use support::cli::Run;

const VALUE: &str = "Cli-Rotated-Pw-93kd";

/// `secretdeck ARGS` on the sim, files in the state dir `state`, `stdin`
/// piped in when given.
fn run(
    env: &secretdeck_sim::SimEnv,
    state: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> Run {
    let cmd = support::cli::on_sim(env, &support::cli::state_paths(state));
    match stdin {
        Some(input) => support::cli::run_with_input(cmd, args, input),
        None => support::cli::run_blocking(cmd, args),
    }
}

async fn ready(env: &secretdeck_sim::SimEnv) {
    support_wait(env).await;
}

async fn support_wait(env: &secretdeck_sim::SimEnv) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while secret_data(env, NS, "onthetop-backend-secrets", "secrets.properties").is_none() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the onthetop Secret never appeared"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

const ES: &str = "onthetop-backend/onthetop-backend-secrets";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_and_roll_back_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let env = sim(dir.path()).await;
    ready(&env).await;
    let state = dir.path().join("state");
    let old = env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap();
    let versions = env.sm.version_stages(SECRET).len();

    // Without --yes and without a terminal: refused, nothing changed.
    let out = run(
        &env,
        &state,
        &["rotate", ES, "--key", KEY, "--value-stdin"],
        Some(VALUE),
    );
    assert_eq!(out.code, Some(3), "not confirmed: refused");
    assert!(out.stderr.contains("refusing without --yes"));
    assert_eq!(env.sm.version_stages(SECRET).len(), versions);

    let out = run(
        &env,
        &state,
        &[
            "rotate",
            ES,
            "--key",
            KEY,
            "--value-stdin",
            "--restart",
            "--yes",
            "-o",
            "json",
        ],
        Some(&format!("{VALUE}\n")),
    );
    let stderr = out.stderr;
    assert!(out.code == Some(0), "{stderr}\n{}", out.stdout);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(
        json["restarted"][0],
        "Deployment onthetop-backend/onthetop-backend"
    );
    assert!(
        stderr.contains("kube context") && stderr.contains("value changes (length"),
        "{stderr}"
    );
    let new = env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap();
    assert_eq!(
        new,
        old.replace(
            &format!(
                "{KEY}={}",
                secretdeck::domain::rotation::properties::get(&old, KEY).unwrap()
            ),
            &format!("{KEY}={VALUE}")
        )
    );
    assert_eq!(env.sm.version_stages(SECRET).len(), versions + 1);
    assert_eq!(
        secret_data(&env, NS, "onthetop-backend-secrets", "secrets.properties").unwrap(),
        new
    );

    let out = run(&env, &state, &["rollback", ES, "--yes", "-o", "json"], None);
    assert!(out.code == Some(0), "{}", out.stderr);
    assert_eq!(env.sm.value_at_stage(SECRET, "AWSCURRENT").unwrap(), old);
    assert_eq!(
        secret_data(&env, NS, "onthetop-backend-secrets", "secrets.properties").unwrap(),
        old
    );

    // A failed step exits non-zero.
    env.sm
        .inject_fault("PutSecretValue", "AccessDeniedException", 1);
    let out = run(
        &env,
        &state,
        &["rotate", ES, "--key", KEY, "--generate", "24", "--yes"],
        None,
    );
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("AccessDeniedException"));

    let text = all_text(&state);
    assert!(text.contains("\"action\":\"rotate\"") && text.contains("\"action\":\"rollback\""));
    assert!(
        !text.contains(VALUE),
        "the value leaked into the state or log dir"
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_the_cli_and_the_console_key() {
    let dir = tempfile::tempdir().unwrap();
    let env = sim(dir.path()).await;
    ready(&env).await;
    let state = dir.path().join("state");
    let versions = env.sm.version_stages(SECRET);
    let out = run(
        &env,
        &state,
        &[
            "--readonly",
            "rotate",
            ES,
            "--key",
            KEY,
            "--generate",
            "20",
            "--yes",
        ],
        None,
    );
    assert_eq!(out.code, Some(3));
    assert!(out.stderr.contains("read-only mode"));
    let out = run(&env, &state, &["--readonly", "rollback", ES, "--yes"], None);
    assert_eq!(out.code, Some(3));
    assert!(out.stderr.contains("read-only mode"));
    assert_eq!(env.sm.version_stages(SECRET), versions);

    // The console: `w` and `W` are refused with the reason, nothing opens.
    let (_, inv) = ops(&env, &state, true).await;
    let mut model = secretdeck::state::Model::new(true, None);
    model.data.inventory = inv;
    let es = secretdeck::domain::ObjKey::new(NS, "onthetop-backend-secrets");
    for mode in [
        secretdeck::state::rotation::Mode::Rotate,
        secretdeck::state::rotation::Mode::Rollback,
    ] {
        let cmds = secretdeck::state::rotation::open(&mut model, es.clone(), mode);
        // Only the refusal, for the audit log.
        assert!(
            matches!(
                cmds.as_slice(),
                [secretdeck::state::Cmd::AuditRefusal { .. }]
            ),
            "{cmds:?}"
        );
        assert!(model.rotation().is_none());
        assert!(
            model
                .message
                .as_deref()
                .is_some_and(|m| m.contains("read-only mode")),
            "{:?}",
            model.message
        );
    }
    env.shutdown().await;
}
