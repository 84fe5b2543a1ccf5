//! Staging-label and version rules of [`super::state`], and the seeding API.

use super::SmState;
use super::state::{AWSCURRENT, AWSPREVIOUS, PutOutcome, Secret, SecretValue};

fn s(v: &str) -> SecretValue {
    SecretValue::String(v.to_string())
}

fn tok(n: u32) -> String {
    format!("{n:032}")
}

fn secret() -> Secret {
    Secret::new(
        "arn:aws:secretsmanager:r:1:secret:a-AbCdEf".into(),
        "a".into(),
        1.0,
        1,
    )
}

fn stages(sec: &Secret) -> Vec<Vec<&str>> {
    sec.versions
        .iter()
        .map(|v| v.stages.iter().map(String::as_str).collect())
        .collect()
}

#[test]
fn put_moves_current_and_previous() {
    let mut sec = secret();
    sec.put_version(&tok(1), s("one"), None, 1.0).unwrap();
    assert_eq!(stages(&sec), vec![vec![AWSCURRENT]]);
    sec.put_version(&tok(2), s("two"), None, 2.0).unwrap();
    assert_eq!(stages(&sec), vec![vec![AWSPREVIOUS], vec![AWSCURRENT]]);
    sec.put_version(&tok(3), s("three"), None, 3.0).unwrap();
    // The oldest version loses every label but is kept.
    assert_eq!(
        stages(&sec),
        vec![vec![], vec![AWSPREVIOUS], vec![AWSCURRENT]]
    );
    assert_eq!(sec.labelled_versions().count(), 2);
    assert_eq!(sec.last_changed, 3.0);
}

#[test]
fn put_with_explicit_stages_leaves_current_alone() {
    let mut sec = secret();
    sec.put_version(&tok(1), s("one"), None, 1.0).unwrap();
    sec.put_version(&tok(2), s("two"), Some(vec!["AWSPENDING".into()]), 2.0)
        .unwrap();
    assert_eq!(stages(&sec), vec![vec![AWSCURRENT], vec!["AWSPENDING"]]);
    // A label moves from the version holding it.
    sec.put_version(&tok(3), s("three"), Some(vec!["AWSPENDING".into()]), 3.0)
        .unwrap();
    assert_eq!(
        stages(&sec),
        vec![vec![AWSCURRENT], vec![], vec!["AWSPENDING"]]
    );
}

#[test]
fn first_version_always_gets_current() {
    let mut sec = secret();
    sec.put_version(&tok(1), s("one"), Some(vec!["blue".into()]), 1.0)
        .unwrap();
    assert_eq!(stages(&sec), vec![vec!["blue", AWSCURRENT]]);
}

#[test]
fn token_idempotency() {
    let mut sec = secret();
    assert_eq!(
        sec.put_version(&tok(1), s("one"), None, 1.0).unwrap(),
        PutOutcome::Created
    );
    assert_eq!(
        sec.put_version(&tok(1), s("one"), None, 2.0).unwrap(),
        PutOutcome::Unchanged
    );
    assert_eq!(sec.versions.len(), 1);
    let err = sec
        .put_version(&tok(1), s("other-secret-text"), None, 3.0)
        .unwrap_err();
    assert_eq!(err.code, "ResourceExistsException");
    assert!(!err.message.contains("other-secret-text"));
    assert_eq!(sec.versions.len(), 1);
}

#[test]
fn rollback_moves_current_back_and_swaps_previous() {
    let mut sec = secret();
    sec.put_version(&tok(1), s("one"), None, 1.0).unwrap();
    sec.put_version(&tok(2), s("two"), None, 2.0).unwrap();
    sec.update_stage(AWSCURRENT, Some(&tok(2)), Some(&tok(1)), 3.0)
        .unwrap();
    assert_eq!(stages(&sec), vec![vec![AWSCURRENT], vec![AWSPREVIOUS]]);
    assert_eq!(sec.select_version(None, None).unwrap().id, tok(1));
    // A later put makes the rolled-back-to version AWSPREVIOUS; only one AWSCURRENT.
    sec.put_version(&tok(3), s("three"), None, 4.0).unwrap();
    assert_eq!(
        stages(&sec),
        vec![vec![AWSPREVIOUS], vec![], vec![AWSCURRENT]]
    );
}

#[test]
fn moving_an_attached_label_needs_remove_from() {
    let mut sec = secret();
    sec.put_version(&tok(1), s("one"), None, 1.0).unwrap();
    sec.put_version(&tok(2), s("two"), None, 2.0).unwrap();
    let err = sec
        .update_stage(AWSCURRENT, None, Some(&tok(1)), 3.0)
        .unwrap_err();
    assert_eq!(err.code, "InvalidParameterException");
    assert!(err.message.contains(&tok(2)));
    let err = sec
        .update_stage(AWSCURRENT, Some(&tok(1)), Some(&tok(1)), 3.0)
        .unwrap_err();
    assert_eq!(err.code, "InvalidParameterException");
    let err = sec
        .update_stage(AWSCURRENT, Some(&tok(2)), None, 3.0)
        .unwrap_err();
    assert_eq!(err.code, "InvalidParameterException");
    let err = sec
        .update_stage(AWSCURRENT, Some(&tok(2)), Some(&tok(9)), 3.0)
        .unwrap_err();
    assert_eq!(err.code, "InvalidParameterException");
    // Nothing changed.
    assert_eq!(stages(&sec), vec![vec![AWSPREVIOUS], vec![AWSCURRENT]]);
    // A custom label can be attached freely and removed.
    sec.update_stage("blue", None, Some(&tok(1)), 4.0).unwrap();
    assert_eq!(sec.select_version(None, Some("blue")).unwrap().id, tok(1));
    sec.update_stage("blue", Some(&tok(1)), None, 5.0).unwrap();
    assert!(sec.select_version(None, Some("blue")).is_err());
}

#[test]
fn select_version_errors() {
    let mut sec = secret();
    let err = sec.select_version(None, None).unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    assert!(err.message.ends_with("staging label: AWSCURRENT"));
    sec.put_version(&tok(1), s("one"), None, 1.0).unwrap();
    let err = sec.select_version(Some(&tok(7)), None).unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    assert!(err.message.ends_with(&format!("VersionId: {}", tok(7))));
    let err = sec
        .select_version(Some(&tok(1)), Some(AWSPREVIOUS))
        .unwrap_err();
    assert_eq!(err.code, "InvalidRequestException");
    assert_eq!(
        sec.select_version(Some(&tok(1)), Some(AWSCURRENT))
            .unwrap()
            .id,
        tok(1)
    );
}

#[test]
fn size_limit() {
    let ok = s(&"x".repeat(65_536));
    assert!(ok.validate().is_ok());
    let err = s(&"x".repeat(65_537)).validate().unwrap_err();
    assert_eq!(err.code, "ValidationException");
    assert!(err.message.contains("65536"));
    assert!(!err.message.contains("xxxx"));
    let err = SecretValue::Binary(vec![0; 65_537]).validate().unwrap_err();
    assert!(err.message.contains("secretBinary"));
    assert_eq!(s("").validate().unwrap_err().code, "ValidationException");
}

#[test]
fn explicit_stage_list_limits() {
    let mut sec = secret();
    let err = sec
        .put_version(&tok(1), s("one"), Some(vec![]), 1.0)
        .unwrap_err();
    assert_eq!(err.code, "ValidationException");
    let many = (0..21).map(|i| format!("l{i}")).collect();
    let err = sec
        .put_version(&tok(1), s("one"), Some(many), 1.0)
        .unwrap_err();
    assert_eq!(err.code, "ValidationException");
    assert!(sec.versions.is_empty());
}

#[test]
fn old_unlabelled_versions_are_pruned_past_the_limit() {
    let mut sec = secret();
    for i in 0..105 {
        sec.put_version(&tok(i), s(&format!("v{i}")), None, f64::from(i))
            .unwrap();
    }
    assert_eq!(sec.versions.len(), 100);
    assert_eq!(sec.versions[0].id, tok(5));
    assert_eq!(sec.select_version(None, None).unwrap().id, tok(104));
}

#[test]
fn seeding_api_round_trip() {
    let sm = SmState::new("ap-northeast-2", "123456789012");
    let arn = sm.create_secret("app/db", "v1", Some("db creds")).unwrap();
    assert!(arn.starts_with("arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:app/db-"));
    assert_eq!(
        arn.len(),
        "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:app/db-".len() + 6
    );
    let err = sm.create_secret("app/db", "v1", None).unwrap_err();
    assert_eq!(err.code, "ResourceExistsException");
    assert_eq!(
        err.message,
        "The operation failed because the secret app/db already exists."
    );
    let v2 = sm.put_value("app/db", "v2").unwrap();
    assert_eq!(sm.current_value("app/db").as_deref(), Some("v2"));
    assert_eq!(sm.value_at_stage(&arn, AWSPREVIOUS).as_deref(), Some("v1"));
    let vs = sm.version_stages("app/db");
    assert_eq!(vs.len(), 2);
    assert_eq!(vs[1], (v2, vec![AWSCURRENT.to_string()]));
    assert_eq!(
        sm.put_value("missing", "x").unwrap_err().code,
        "ResourceNotFoundException"
    );
    assert!(sm.current_value("missing").is_none());
    assert!(sm.version_stages("missing").is_empty());
}

#[test]
fn faults_are_consumed_per_operation() {
    let sm = SmState::new("r", "1");
    sm.inject_fault("PutSecretValue", "AccessDeniedException", 2);
    sm.inject_fault("*", "ThrottlingException", 1);
    assert_eq!(
        sm.take_fault("GetSecretValue").as_deref(),
        Some("ThrottlingException")
    );
    assert_eq!(sm.take_fault("GetSecretValue"), None);
    assert_eq!(
        sm.take_fault("PutSecretValue").as_deref(),
        Some("AccessDeniedException")
    );
    assert_eq!(
        sm.take_fault("PutSecretValue").as_deref(),
        Some("AccessDeniedException")
    );
    assert_eq!(sm.take_fault("PutSecretValue"), None);
    sm.inject_fault("*", "ThrottlingException", 5);
    sm.clear_faults();
    assert_eq!(sm.take_fault("ListSecrets"), None);
}
