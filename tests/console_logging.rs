//! Logs go to a file under $SECRETDECK_LOG_DIR (never to the terminal), at
//! the level from $SECRETDECK_LOG.

use secretdeck::logging;

#[test]
fn logs_are_written_to_the_file_in_the_log_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nested = dir.path().join("state").join("secretdeck");
    // This test binary has a single test: changing the environment is safe.
    unsafe {
        std::env::set_var(logging::LOG_DIR_ENV, &nested);
        std::env::set_var(logging::LOG_LEVEL_ENV, "debug");
    }
    assert_eq!(logging::log_dir().expect("dir"), nested);
    let path = logging::init().expect("init");
    assert_eq!(path, nested.join(logging::LOG_FILE));

    tracing::debug!(app = "onthetop-backend", "a debug line");
    tracing::trace!("a trace line");
    // A second init keeps the first subscriber and does not fail.
    logging::init().expect("second init");

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

    unsafe { std::env::set_var(logging::LOG_LEVEL_ENV, "info,=[") };
    let err = logging::filter_from_env().expect_err("invalid filter");
    assert!(
        format!("{err:#}").contains(logging::LOG_LEVEL_ENV),
        "{err:#}"
    );
}
