//! Every screen flow as pure updates: feed keys and messages, check the
//! model and the commands it emits.

use crate::screens_fixture;
use chrono::TimeDelta;
use screens_fixture::*;
use secretdeck::domain::{ObjKey, SecretValue};
use secretdeck::state::{Cmd, Key, KeyCode, ListKind, Model, Msg, Route, update_all};

fn enter(model: &mut Model) -> Vec<Cmd> {
    press(model, Key::new(KeyCode::Enter))
}

fn esc(model: &mut Model) -> Vec<Cmd> {
    press(model, Key::new(KeyCode::Esc))
}

fn es_key() -> ObjKey {
    ObjKey::new("onthetop-backend", "onthetop-backend-secrets")
}

/// apps → onthetop-backend → its ExternalSecret; returns the commands.
fn open_es(model: &mut Model) -> Vec<Cmd> {
    press(model, Key::char('j'));
    assert!(enter(model).is_empty());
    enter(model)
}

#[test]
fn enter_opens_details_and_esc_goes_back() {
    let mut model = model();
    assert_eq!(model.route(), &Route::Apps);
    press(&mut model, Key::char('j'));
    enter(&mut model);
    assert_eq!(
        model.route(),
        &Route::AppDetail(ObjKey::new("argocd", "onthetop-backend"))
    );
    assert_eq!(model.nav.breadcrumbs(), "apps › onthetop-backend");
    let detail = model
        .app_detail
        .as_ref()
        .and_then(|s| s.detail.as_ref())
        .expect("detail");
    assert_eq!(detail.external_secrets.len(), 1);
    let cmds = enter(&mut model);
    assert_eq!(model.route(), &Route::EsDetail(es_key()));
    assert_eq!(
        model.nav.breadcrumbs(),
        "apps › onthetop-backend › es onthetop-backend-secrets"
    );
    assert_eq!(
        cmds,
        vec![
            Cmd::DescribeAwsSecret {
                name: AWS_SECRET.into(),
                region: Some("eu-west-1".into())
            },
            Cmd::FetchAwsSecretValue {
                name: AWS_SECRET.into(),
                region: Some("eu-west-1".into())
            },
        ]
    );
    esc(&mut model);
    assert!(model.es_detail.is_none());
    assert!(matches!(model.route(), Route::AppDetail(_)));
    esc(&mut model);
    assert_eq!(model.route(), &Route::Apps);
    assert!(model.app_detail.is_none());
    // esc on the home screen stays there.
    esc(&mut model);
    assert_eq!(model.route(), &Route::Apps);
}

#[test]
fn reveal_is_audited_allowed_read_only_and_re_masks_after_30_seconds() {
    let mut model = model();
    model.access.flag = true;
    open_es(&mut model);
    update_all(
        &mut model,
        [Msg::AwsValue {
            name: AWS_SECRET.into(),
            result: Ok(SecretValue::new(FAKE_VALUE, None)),
        }],
    );
    let cmds = press(&mut model, Key::char('x'));
    // The reveal reads AWSCURRENT now, and is audited.
    assert_eq!(
        cmds,
        vec![
            Cmd::FetchAwsSecretValue {
                name: AWS_SECRET.into(),
                region: Some("eu-west-1".into()),
            },
            Cmd::AuditReveal {
                target: "ExternalSecret onthetop-backend/onthetop-backend-secrets".into(),
                aws_secret: AWS_SECRET.into(),
            }
        ]
    );
    let screen_state = model.es_detail.as_ref().expect("screen");
    assert!(screen_state.revealed());
    // Debug output never holds the value.
    assert!(!format!("{model:?}").contains("hunter2"));
    for s in [10, 20, 29] {
        update_all(&mut model, [Msg::Now(now() + TimeDelta::seconds(s))]);
        assert!(
            model.es_detail.as_ref().expect("screen").revealed(),
            "at {s} s"
        );
    }
    update_all(&mut model, [Msg::Now(now() + TimeDelta::seconds(30))]);
    assert!(!model.es_detail.as_ref().expect("screen").revealed());
    // x again reveals again (and is audited again); x while revealed masks.
    assert_eq!(press(&mut model, Key::char('x')).len(), 2);
    assert!(press(&mut model, Key::char('x')).is_empty());
    assert!(!model.es_detail.as_ref().expect("screen").revealed());
}

#[test]
fn leaving_the_es_screen_drops_the_value() {
    let mut model = model();
    open_es(&mut model);
    update_all(
        &mut model,
        [Msg::AwsValue {
            name: AWS_SECRET.into(),
            result: Ok(SecretValue::new(FAKE_VALUE, None)),
        }],
    );
    assert!(
        model
            .es_detail
            .as_ref()
            .is_some_and(|s| !s.values.is_empty())
    );
    esc(&mut model);
    assert!(model.es_detail.is_none());
    // A value arriving after the screen closed is not kept anywhere.
    update_all(
        &mut model,
        [Msg::AwsValue {
            name: AWS_SECRET.into(),
            result: Ok(SecretValue::new(FAKE_VALUE, None)),
        }],
    );
    assert!(model.es_detail.is_none());
    assert!(!format!("{:?}", model.data).contains("SecretValue"));
    // Jumping away through the palette drops it too.
    esc(&mut model);
    open_es(&mut model);
    command(&mut model, "cm");
    assert!(model.es_detail.is_none() && model.app_detail.is_none());
}

#[test]
fn palette_commands() {
    let mut model = model();
    command(&mut model, "es");
    assert_eq!(model.route(), &Route::List(ListKind::ExternalSecrets));
    assert_eq!(model.lists.es.len(), 2);
    command(&mut model, "apps");
    assert_eq!(model.route(), &Route::Apps);

    // A production-looking context asks first.
    assert!(command(&mut model, "ctx prod-eks").is_empty());
    let c = model.confirm().expect("a confirmation");
    assert_eq!(c.context, "prod-eks");
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("looks like a production")),
        "{c:?}"
    );
    assert_eq!(
        press(&mut model, Key::char('y')),
        vec![Cmd::SwitchContext("prod-eks".into())]
    );
    assert_eq!(
        command(&mut model, "ns payments-api"),
        vec![Cmd::SetNamespace(Some("payments-api".into()))]
    );
    assert_eq!(model.namespace.as_deref(), Some("payments-api"));
    assert_eq!(model.apps.table.len(), 1, "scoped to the namespace");
    assert_eq!(command(&mut model, "ns all"), vec![Cmd::SetNamespace(None)]);
    assert_eq!(model.apps.table.len(), 2);

    assert!(command(&mut model, "bogus").is_empty());
    assert!(
        model
            .message
            .as_deref()
            .is_some_and(|m| m.contains("unknown command :bogus"))
    );
    assert!(screen(&model).contains("unknown command :bogus"));

    // Tab completes; esc closes without running; backspace on empty closes.
    press(&mut model, Key::char(':'));
    type_text(&mut model, "stor");
    press(&mut model, Key::new(KeyCode::Tab));
    assert_eq!(model.palette().map(|p| p.input.as_str()), Some("stores"));
    esc(&mut model);
    assert!(model.palette().is_none());
    assert_eq!(model.route(), &Route::Apps);
    press(&mut model, Key::char(':'));
    press(&mut model, Key::new(KeyCode::Backspace));
    assert!(model.palette().is_none());

    assert_eq!(command(&mut model, "q"), vec![Cmd::Quit]);
    assert!(model.quitting);
}

#[test]
fn context_and_namespace_lists_pick_with_enter() {
    let mut model = model();
    command(&mut model, "ctx");
    assert_eq!(model.lists.contexts.len(), 2);
    // Opens on the context in use: a plain enter changes nothing.
    assert_eq!(
        model.lists.contexts.selected_row().map(|r| r.name.as_str()),
        Some("sim")
    );
    assert!(enter(&mut model).is_empty());
    assert!(model.confirm().is_none());
    assert!(
        model
            .message
            .as_deref()
            .is_some_and(|m| m.contains("already on context sim"))
    );
    // Another cluster that looks like production: confirm first; n cancels.
    press(&mut model, Key::char('k'));
    assert!(enter(&mut model).is_empty());
    assert!(model.confirm().is_some());
    assert!(press(&mut model, Key::char('n')).is_empty());
    assert_eq!(model.route(), &Route::List(ListKind::Contexts));
    assert!(enter(&mut model).is_empty());
    assert_eq!(
        press(&mut model, Key::new(KeyCode::Enter)),
        vec![Cmd::SwitchContext("prod-eks".into())]
    );
    assert_eq!(model.route(), &Route::Apps);

    command(&mut model, "ns");
    press(&mut model, Key::char('/'));
    type_text(&mut model, "paym");
    press(&mut model, Key::new(KeyCode::Enter));
    assert_eq!(model.lists.namespaces.len(), 1);
    assert_eq!(
        enter(&mut model),
        vec![Cmd::SetNamespace(Some("payments-api".into()))]
    );
    assert_eq!(model.namespace.as_deref(), Some("payments-api"));
}

#[test]
fn lists_filter_sort_and_open_details() {
    let mut model = model();
    command(&mut model, "es");
    press(&mut model, Key::char('/'));
    type_text(&mut model, "pay");
    assert_eq!(model.lists.es.len(), 1);
    assert!(model.lists.es.filter.editing);
    press(&mut model, Key::new(KeyCode::Enter));
    assert!(!model.lists.es.filter.editing);
    // In the list, enter opens the ExternalSecret.
    let cmds = enter(&mut model);
    assert_eq!(cmds.len(), 2);
    assert_eq!(
        model.route(),
        &Route::EsDetail(ObjKey::new("payments-api", "payments-api-secrets"))
    );
    esc(&mut model);
    // esc clears the filter first, then goes back.
    esc(&mut model);
    assert_eq!(model.lists.es.len(), 2);
    assert_eq!(model.route(), &Route::List(ListKind::ExternalSecrets));

    command(&mut model, "events");
    assert!(screen(&model).contains("sort: newest"));
    press(&mut model, Key::char('s'));
    assert!(screen(&model).contains("sort: name"));
    let objects: Vec<&str> = model
        .lists
        .events
        .all()
        .iter()
        .map(|e| e.object.as_str())
        .collect();
    assert_eq!(
        objects,
        [
            "ExternalSecret/onthetop-backend-secrets",
            "ExternalSecret/payments-api-secrets"
        ]
    );
    // An event about an ExternalSecret opens it.
    assert_eq!(enter(&mut model).len(), 2);
    assert!(matches!(model.route(), Route::EsDetail(_)));
}

#[test]
fn help_and_keys_that_do_nothing_are_safe() {
    let mut model = model();
    press(&mut model, Key::char('?'));
    assert!(model.help());
    // q closes the help, it does not quit.
    assert!(press(&mut model, Key::char('q')).is_empty());
    assert!(!model.help() && !model.quitting);
    // Keys on empty screens do not panic.
    let mut empty = Model::new(false, None);
    for k in ['j', 'k', 'g', 'G', 's', 'x', '/', 'a'] {
        press(&mut empty, Key::char(k));
    }
    press(&mut empty, Key::new(KeyCode::Esc));
    enter(&mut empty);
    command(&mut empty, "secrets");
    enter(&mut empty);
    screen(&empty);
}

#[test]
fn switching_into_a_readonly_context_asks_first_even_in_readonly_mode() {
    let mut model = model();
    update_all(
        &mut model,
        [Msg::Contexts {
            current: "sim".into(),
            all: vec!["sim".into(), "staging-eu".into(), "dev".into()],
        }],
    );
    model.access.patterns = vec!["staging-*".into()];
    model.access.flag = true;
    assert!(command(&mut model, "ctx staging-eu").is_empty());
    let c = model.confirm().expect("a confirmation");
    assert!(c.notes.iter().any(|n| n.contains("read-only")), "{c:?}");
    assert!(screen(&model).contains("Switch kube context"));
    // Switching is not a change to a cluster: allowed read-only.
    assert_eq!(
        press(&mut model, Key::char('y')),
        vec![Cmd::SwitchContext("staging-eu".into())]
    );
    // An ordinary context switches at once.
    assert_eq!(
        command(&mut model, "ctx dev"),
        vec![Cmd::SwitchContext("dev".into())]
    );
}

#[test]
fn production_looking_context_names() {
    use secretdeck::state::looks_like_production as prod;
    for name in [
        "prod-eks",
        "eks-prd-1",
        "arn:aws:eks:eu-west-1:1:cluster/live",
        "Production",
        "euprod",
    ] {
        assert!(prod(name), "{name}");
    }
    for name in ["sim", "staging", "delivery-dev", "kind-local"] {
        assert!(!prod(name), "{name}");
    }
}
