//! The README's key map is the console's own key map (one table serves
//! the help overlay, the footer hints and the README).

#[test]
fn readme_lists_the_key_map() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = secretdeck::state::keymap::markdown();
    if std::env::var("PRINT_KEYMAP").is_ok() {
        println!("{table}");
    }
    assert!(
        readme.contains(table.trim()),
        "README.md key map is out of date; it should contain:\n{table}"
    );
}
