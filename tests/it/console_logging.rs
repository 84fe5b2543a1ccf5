//! Logs go to a file in the log dir (never to the terminal), at the level
//! `$SECRETDECK_LOG` asks for; an invalid level is an error naming it.

use secretdeck::logging;
use secretdeck::settings::Paths;

#[test]
fn logs_are_written_to_the_file_in_the_log_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nested = dir.path().join("state").join("secretdeck");
    let paths = Paths {
        log_dir: Some(nested.clone()),
        ..Paths::default()
    };
    assert_eq!(logging::log_dir_in(&paths).expect("dir"), nested);
    let filter = logging::filter_from(Some("debug")).expect("filter");
    let (path, subscriber) = logging::file_subscriber(&nested, filter).expect("subscriber");
    assert_eq!(path, nested.join(logging::LOG_FILE));

    tracing::subscriber::with_default(subscriber, || {
        tracing::debug!(app = "onthetop-backend", "a debug line");
        tracing::trace!("a trace line");
    });

    let text = std::fs::read_to_string(&path).expect("log file");
    assert!(
        text.contains("a debug line") && text.contains("onthetop-backend"),
        "{text}"
    );
    assert!(!text.contains("a trace line"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no terminal colour codes in the file: {text:?}"
    );
}

#[test]
fn a_second_install_keeps_the_first_subscriber_and_does_not_fail() {
    let first = crate::support::logs::file();
    let dir = tempfile::tempdir().expect("tempdir");
    let filter = logging::filter_from(None).expect("filter");
    let second = logging::init_in(dir.path(), filter).expect("second init");
    assert_ne!(first, second);
    tracing::info!("goes to the first subscriber: marker-5531");
    assert!(crate::support::logs::text().contains("marker-5531"));
    let stray = std::fs::read_to_string(&second).unwrap_or_default();
    assert!(!stray.contains("marker-5531"), "{stray}");
}

#[test]
fn an_invalid_level_or_no_log_dir_is_an_error_in_words() {
    let err = logging::filter_from(Some("info,=[")).expect_err("invalid filter");
    assert!(
        format!("{err:#}").contains(logging::LOG_LEVEL_ENV),
        "{err:#}"
    );
    assert!(logging::filter_from(Some("  ")).is_ok(), "blank = info");
    let err = logging::log_dir_in(&Paths::default()).expect_err("no dir");
    assert!(format!("{err:#}").contains("SECRETDECK_LOG_DIR"), "{err:#}");
}
