//! Read-only mode refuses every REFRESH-part mutation, from the CLI
//! (`--readonly`, or a context matching `readonly_contexts`) and from the
//! console's keys, and writes nothing.

use crate::support;

use kube::api::{Api, DynamicObject};
use secretdeck::ops::refresh;
use std::path::Path;
use support::kube_client;

async fn secretdeck(kubeconfig: &Path, state: &Path, args: &[&str]) -> (Option<i32>, String) {
    let run = support::cli::secretdeck(kubeconfig, state, args).await;
    (run.code, run.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_refuses_every_mutation_in_read_only_mode() {
    let dir = tempfile::tempdir().unwrap();
    let env = support::sim_with_apps(3, dir.path()).await;
    let client = kube_client(&env.kubeconfig).await;
    let ar = refresh::es_resource(&client).await.unwrap();
    let commands: [&[&str]; 5] = [
        &[
            "refresh",
            "es",
            "onthetop-backend/onthetop-backend-secrets",
            "--yes",
        ],
        &["refresh", "app", "onthetop-backend", "--hard", "--yes"],
        &["refresh", "app", "onthetop-backend", "--es", "--yes"],
        &["refresh", "sync", "billing-service", "--yes"],
        &["restart", "onthetop-backend/onthetop-backend", "--yes"],
    ];
    // By flag, and by a config pattern matching the context.
    let flagged = tempfile::tempdir().unwrap();
    let configured = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(configured.path().join("config")).unwrap();
    std::fs::write(
        configured.path().join("config/config.toml"),
        "readonly_contexts = [\"*-sim\"]\n",
    )
    .unwrap();
    for args in commands {
        let mut with_flag = vec!["--readonly"];
        with_flag.extend_from_slice(args);
        for (state, args) in [
            (flagged.path(), with_flag.as_slice()),
            (configured.path(), args),
        ] {
            let (code, stderr) = secretdeck(&env.kubeconfig, state, args).await;
            assert_eq!(code, Some(3), "{args:?}: {stderr}");
            assert!(stderr.contains("read-only mode"), "{args:?}: {stderr}");
        }
    }
    for state in [flagged.path(), configured.path()] {
        let audit = std::fs::read_to_string(state.join("audit.jsonl")).unwrap();
        assert_eq!(audit.lines().count(), commands.len(), "{audit}");
        assert!(
            audit
                .lines()
                .all(|l| l.contains("\"outcome\":\"refused-readonly\"")),
            "only refusals audited: {audit}"
        );
    }
    let es: Api<DynamicObject> = Api::namespaced_with(client.clone(), "onthetop-backend", &ar);
    let o = es.get("onthetop-backend-secrets").await.unwrap();
    assert!(
        !o.metadata
            .annotations
            .unwrap_or_default()
            .contains_key("force-sync")
    );
    let deploys: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(client.clone(), "onthetop-backend");
    let d = deploys.get("onthetop-backend").await.unwrap();
    let restarted = d
        .spec
        .template
        .metadata
        .and_then(|m| m.annotations)
        .is_some_and(|a| a.contains_key("kubectl.kubernetes.io/restartedAt"));
    assert!(!restarted);
    env.shutdown().await;
}

mod console {
    use super::support::{row, screen, until_screen as until};

    use ratatui::backend::TestBackend;

    use crate::support::console::{Setup, session_on};
    use secretdeck::cli::ConsoleArgs;
    use secretdeck::console::Session;
    use secretdeck::settings::Paths;
    use secretdeck::state::config_edit::Paused;
    use secretdeck::state::keymap::{BINDINGS, Place, key_name};
    use secretdeck::state::{Cmd, Key, KeyCode};
    use secretdeck_sim::SimEnv;

    async fn session(env: &SimEnv, args: &ConsoleArgs, paths: &Paths) -> Session<TestBackend> {
        let setup = Setup {
            args: args.clone(),
            ..Setup::default()
        };
        session_on(env, paths, &setup).await
    }

    /// A mutating key: refused in words, nothing asked or opened, and the
    /// refusal handed to the backend for the audit log.
    fn refused(s: &mut Session<TestBackend>, key: Key, place: Place, pressed: &mut Vec<String>) {
        let cmds = s.press(key).unwrap();
        let what = format!("{key:?} on {place:?}");
        match cmds.as_slice() {
            [Cmd::AuditRefusal { action, message }] => {
                assert!(message.contains("read-only mode"), "{what}: {message}");
                assert!(message.contains(action.as_str()), "{what}: {message}");
            }
            other => panic!("{what}: expected one audited refusal, got {other:?}"),
        }
        let msg = s.model.message.clone().unwrap_or_default();
        let in_dialog = s.model.config_editor().and_then(|e| e.error.clone());
        assert!(
            msg.contains("read-only mode")
                || in_dialog
                    .as_deref()
                    .is_some_and(|e| e.contains("read-only mode")),
            "{what}: {msg}"
        );
        assert!(
            s.model.confirm().is_none(),
            "{what}: a confirmation was asked"
        );
        assert!(
            s.model.rotation().is_none(),
            "{what}: a rotation was opened"
        );
        if s.model.config_editor().is_some() {
            s.press(Key::new(KeyCode::Esc)).unwrap();
            assert!(
                s.model.config_editor().is_none(),
                "{what}: the dialog stays"
            );
        }
        let key = match key.code {
            KeyCode::Char(c) if key.ctrl => format!("^{c}"),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        pressed.push(format!("{place:?} {key}"));
    }

    /// Every mutating key of the key table (`keymap::BINDINGS`), on every
    /// screen it is bound on: refused and audited, nothing asked.
    fn press_every_mutating_key(s: &mut Session<TestBackend>) {
        let mut pressed = Vec::new();
        for k in ['R', 'f', 'F', 'S'] {
            refused(s, Key::char(k), Place::Apps, &mut pressed);
        }
        s.press(Key::new(KeyCode::Enter)).unwrap();
        for k in ['r', 'R', 'f', 'F', 'S', 'w', 'W'] {
            refused(s, Key::char(k), Place::AppDetail, &mut pressed);
        }
        s.press(Key::char('2')).unwrap();
        // `U` answers only while an auto-sync is paused (e.g. the context
        // became read-only after an edit paused it).
        s.model.config.paused.push(Paused {
            app_namespace: "argocd".into(),
            app: "onthetop-backend".into(),
            previous: serde_json::json!({"prune": true, "selfHeal": true}),
        });
        for k in ['e', 'a', 'd'] {
            refused(s, Key::char(k), Place::ConfigMaps, &mut pressed);
        }
        refused(s, Key::char('U'), Place::Global, &mut pressed);
        s.press(Key::char('3')).unwrap();
        refused(s, Key::ctrl('r'), Place::AppDetail, &mut pressed);
        s.press(Key::char('1')).unwrap();
        s.press(Key::new(KeyCode::Enter)).unwrap();
        for k in ['r', 'w', 'W'] {
            refused(s, Key::char(k), Place::EsDetail, &mut pressed);
        }
        // The same ConfigMap keys on the `:cm` list.
        s.press(Key::char(':')).unwrap();
        for c in "cm".chars() {
            s.press(Key::char(c)).unwrap();
        }
        s.press(Key::new(KeyCode::Enter)).unwrap();
        let mut on_list = Vec::new();
        for k in ['e', 'a', 'd', 'U'] {
            refused(s, Key::char(k), Place::ConfigMaps, &mut on_list);
        }
        assert!(s.model.operations.list.is_empty());
        // Nothing in the key table was left out.
        let mut table: Vec<String> = BINDINGS
            .iter()
            .filter(|b| b.mutates)
            .flat_map(|b| {
                b.keys
                    .iter()
                    .map(|(k, _)| format!("{:?} {}", b.place, key_name(*k)))
                    .collect::<Vec<_>>()
            })
            .collect();
        table.sort();
        pressed.sort();
        assert_eq!(pressed, table, "every mutating key of the key table");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn console_keys_are_refused_and_hidden_with_readonly_and_by_config() {
        let dir = tempfile::tempdir().unwrap();
        let env = crate::support::sim_with_apps(0, dir.path()).await;
        // --readonly
        let args = ConsoleArgs {
            readonly: true,
            ..ConsoleArgs::default()
        };
        let plain = Paths::under(&dir.path().join("plain"));
        let mut s = session(&env, &args, &plain).await;
        let screen_text = until(&mut s, "onthetop synced", |t| {
            row(t, "onthetop-backend").is_some_and(|r| r.contains("1/1"))
        })
        .await;
        assert!(screen_text.contains("READ-ONLY"), "{screen_text}");
        assert!(
            !screen_text.contains("Argo CD sync"),
            "mutating hints hidden:\n{screen_text}"
        );
        s.press(Key::char('?')).unwrap();
        let help = screen(&s);
        assert!(
            !help.contains("force-sync") && !help.contains("Argo CD sync"),
            "{help}"
        );
        s.press(Key::new(KeyCode::Esc)).unwrap();
        s.press(Key::char('/')).unwrap();
        for c in "onthetop".chars() {
            s.press(Key::char(c)).unwrap();
        }
        s.press(Key::new(KeyCode::Enter)).unwrap();
        press_every_mutating_key(&mut s);
        drop(s);

        // A context matching readonly_contexts in config.toml, without the flag.
        let configured = Paths::under(&dir.path().join("configured"));
        let config_dir = configured.config_dir.as_ref().expect("config dir");
        std::fs::create_dir_all(config_dir).unwrap();
        std::fs::write(
            config_dir.join("config.toml"),
            "readonly_contexts = [\"*-sim\"]\n",
        )
        .unwrap();
        let mut s = session(&env, &ConsoleArgs::default(), &configured).await;
        let t = until(&mut s, "onthetop synced", |t| {
            row(t, "onthetop-backend").is_some_and(|r| r.contains("1/1"))
        })
        .await;
        assert!(s.model.is_readonly() && t.contains("READ-ONLY"), "{t}");
        s.press(Key::char('/')).unwrap();
        for c in "onthetop".chars() {
            s.press(Key::char(c)).unwrap();
        }
        s.press(Key::new(KeyCode::Enter)).unwrap();
        press_every_mutating_key(&mut s);

        // And without either, the same keys ask.
        let mut s = session(&env, &ConsoleArgs::default(), &plain).await;
        until(&mut s, "onthetop synced", |t| {
            row(t, "onthetop-backend").is_some_and(|r| r.contains("1/1"))
        })
        .await;
        assert!(!s.model.is_readonly());
        s.press(Key::char('/')).unwrap();
        for c in "onthetop".chars() {
            s.press(Key::char(c)).unwrap();
        }
        s.press(Key::new(KeyCode::Enter)).unwrap();
        s.press(Key::char('f')).unwrap();
        assert!(s.model.confirm().is_some());
        env.shutdown().await;
    }
}

/// `:ctx` to a context matching a pattern makes the console read-only; back
/// to another context lifts it, unless `--readonly` was given.
#[test]
fn read_only_follows_the_context() {
    use secretdeck::state::{ClusterInfo, Model, Msg, update};
    let cluster = |ctx: &str| {
        Msg::Cluster(ClusterInfo {
            context: ctx.into(),
            server: "https://k8s".into(),
        })
    };
    let mut model = Model::new(false, None);
    model.access.patterns = vec!["*prod*".into()];
    update(&mut model, cluster("staging"));
    assert!(!model.is_readonly());
    update(&mut model, cluster("eks-prod-eu"));
    assert!(model.is_readonly());
    update(&mut model, cluster("staging"));
    assert!(!model.is_readonly());
    let mut model = Model::new(true, None);
    model.access.patterns = vec!["*prod*".into()];
    update(&mut model, cluster("staging"));
    assert!(model.is_readonly(), "--readonly holds on every context");
}
