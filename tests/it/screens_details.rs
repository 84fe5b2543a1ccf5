//! Snapshots of the app detail sections and the ExternalSecret detail
//! (masked only: a revealed value is asserted, never snapshotted).

use crate::screens_fixture;
use screens_fixture::*;
use secretdeck::domain::{AwsSecretMeta, SecretValue};
use secretdeck::state::{Cmd, Key, KeyCode, Model, Msg, update_all};

fn open_onthetop(model: &mut Model) {
    let row = model
        .apps
        .table
        .all()
        .iter()
        .position(|a| a.name == "onthetop-backend")
        .expect("app");
    model.apps.table.select(row, 10);
    press(model, Key::new(KeyCode::Enter));
}

#[test]
fn app_detail_sections() {
    let mut model = model();
    open_onthetop(&mut model);
    let es = screen(&model);
    assert!(es.contains("apps › onthetop-backend"), "{es}");
    insta::assert_snapshot!("app_detail_external_secrets", es);

    press(&mut model, Key::new(KeyCode::Tab));
    press(&mut model, Key::char(' '));
    let cm = screen(&model);
    assert!(
        cm.contains("PORT") && cm.contains("8080"),
        "values shown:\n{cm}"
    );
    insta::assert_snapshot!("app_detail_config_maps_expanded", cm);

    press(&mut model, Key::char('3'));
    let w = screen(&model);
    assert!(w.contains("subPath mount): restart needed"), "{w}");
    insta::assert_snapshot!("app_detail_workloads", w);

    press(&mut model, Key::new(KeyCode::BackTab));
    press(&mut model, Key::new(KeyCode::BackTab));
    assert!(screen(&model).contains("▶onthetop-backend-secrets"));

    press(&mut model, Key::char('5'));
    let argo = screen(&model);
    assert!(
        argo.contains("Succeeded") && argo.contains("abc1234"),
        "{argo}"
    );
    insta::assert_snapshot!("app_detail_argo", argo);
}

const ROTATED_VALUE: &str = "db.password=rotated-FAKE\napi.token=tok-FAKE-123\n";

fn described() -> AwsSecretMeta {
    AwsSecretMeta {
        name: AWS_SECRET.into(),
        arn: format!("arn:aws:secretsmanager:eu-west-1:123456789012:secret:{AWS_SECRET}-AbCdEf"),
        region: "eu-west-1".into(),
        versions: vec![
            (
                "v2-uuid".into(),
                vec!["AWSCURRENT".into()],
                Some(now() - chrono::TimeDelta::minutes(31)),
            ),
            (
                "v1-uuid".into(),
                vec!["AWSPREVIOUS".into()],
                Some(now() - chrono::TimeDelta::days(3)),
            ),
        ],
        last_changed: Some(now() - chrono::TimeDelta::minutes(31)),
        read_at: Some(now() - chrono::TimeDelta::seconds(12)),
    }
}

#[test]
fn es_detail_masked_then_revealed_then_masked_again() {
    let mut model = model();
    open_onthetop(&mut model);
    press(&mut model, Key::new(KeyCode::Enter));
    let loading = screen(&model);
    assert!(loading.contains("loading…"), "{loading}");
    update_all(
        &mut model,
        [
            Msg::AwsDescribed {
                name: AWS_SECRET.into(),
                result: Ok(described()),
            },
            Msg::AwsValue {
                name: AWS_SECRET.into(),
                result: Ok(SecretValue::new(FAKE_VALUE, Some("v2-uuid".into()))),
            },
        ],
    );
    let masked = screen(&model);
    assert!(
        !masked.contains("hunter2") && !masked.contains("tok-FAKE"),
        "{masked}"
    );
    assert!(
        masked.contains("••••••") && masked.contains("keys: db.password, api.token"),
        "{masked}"
    );
    assert!(masked.contains("v2-uuid  [AWSCURRENT]"), "{masked}");
    insta::assert_snapshot!("es_detail_masked", masked);

    // x reads AWSCURRENT again: never the value read at opening (it may
    // have been rotated since).
    let cmds = press(&mut model, Key::char('x'));
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Cmd::FetchAwsSecretValue { name, .. } if name == AWS_SECRET
        )),
        "{cmds:?}"
    );
    let fetching = screen(&model);
    assert!(
        !fetching.contains("hunter2") && fetching.contains("reading AWSCURRENT"),
        "{fetching}"
    );
    update_all(
        &mut model,
        [Msg::AwsValue {
            name: AWS_SECRET.into(),
            result: Ok(SecretValue::new(ROTATED_VALUE, Some("v3-uuid".into()))),
        }],
    );
    let revealed = screen(&model);
    assert!(revealed.contains("db.password=rotated-FAKE"), "{revealed}");
    assert!(!revealed.contains("hunter2"), "{revealed}");
    assert!(revealed.contains("masks again in 30s"), "{revealed}");

    update_all(
        &mut model,
        [Msg::Now(now() + chrono::TimeDelta::seconds(29))],
    );
    assert!(
        screen(&model).contains("rotated-FAKE"),
        "still revealed at 29 s"
    );
    update_all(
        &mut model,
        [Msg::Now(now() + chrono::TimeDelta::seconds(30))],
    );
    let again = screen(&model);
    assert!(
        !again.contains("rotated-FAKE") && again.contains("••••••"),
        "{again}"
    );
}

#[test]
fn es_detail_errors_are_shown_in_words() {
    let mut model = model();
    let key = secretdeck::domain::ObjKey::new("payments-api", "payments-api-secrets");
    command(&mut model, "es");
    let row = model
        .lists
        .es
        .all()
        .iter()
        .position(|e| e.key == key)
        .expect("es");
    model.lists.es.select(row, 10);
    press(&mut model, Key::new(KeyCode::Enter));
    update_all(
        &mut model,
        [
            Msg::AwsDescribed {
                name: "payments/api-missing".into(),
                result: Err(
                    "ResourceNotFoundException: Secrets Manager can't find the specified secret."
                        .into(),
                ),
            },
            Msg::AwsValue {
                name: "payments/api-missing".into(),
                result: Err("ResourceNotFoundException".into()),
            },
        ],
    );
    let s = screen(&model);
    assert!(s.contains("SecretSyncedError"), "{s}");
    assert!(s.contains("Last provider error (UpdateFailed)"), "{s}");
    assert!(
        s.contains("cannot describe: ResourceNotFoundException"),
        "{s}"
    );
    insta::assert_snapshot!("es_detail_failing", s);
}

/// A watch that is not live marks the detail screens read from it: the
/// first line says the data is stale and since when it was confirmed.
#[test]
fn detail_screens_say_when_their_data_is_not_confirmed() {
    use secretdeck::state::{WatchKind, WatchState};
    let mut model = model();
    open_onthetop(&mut model);
    assert!(!screen(&model).contains("⟳ stale"), "all live");
    let confirmed = now() - chrono::TimeDelta::seconds(125);
    update_all(
        &mut model,
        vec![
            Msg::WatchConfirmed {
                kind: WatchKind::Pods,
                at: confirmed,
            },
            Msg::Watch {
                kind: WatchKind::Pods,
                state: WatchState::Reconnecting("silent for 90s+".into()),
            },
            Msg::Now(now()),
        ],
    );
    let s = screen(&model);
    assert!(
        s.contains("⟳ stale 2m: not confirmed by a live watch"),
        "{s}"
    );
    // The ExternalSecret's detail does not read pods: not marked.
    press(&mut model, Key::new(KeyCode::Enter));
    let es = screen(&model);
    assert!(es.contains("onthetop-backend-secrets"), "{es}");
    assert!(!es.contains("⟳ stale"), "{es}");
    update_all(
        &mut model,
        vec![
            Msg::WatchConfirmed {
                kind: WatchKind::Secrets,
                at: confirmed,
            },
            Msg::Watch {
                kind: WatchKind::Secrets,
                state: WatchState::Reconnecting("HTTP 500".into()),
            },
        ],
    );
    let es = screen(&model);
    assert!(es.contains("⟳ stale 2m: not confirmed"), "{es}");
    // Live again: the mark goes.
    update_all(
        &mut model,
        vec![Msg::Watch {
            kind: WatchKind::Secrets,
            state: WatchState::Live,
        }],
    );
    assert!(!screen(&model).contains("⟳ stale"));
}
