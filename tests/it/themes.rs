//! Theme files: the shipped themes, `--theme NAME|PATH`, the user's
//! partial override, and errors that name the file and the key.

use ratatui::style::{Color, Modifier, Style};
use secretdeck::domain::{HealthStatus, SyncStatus};
use secretdeck::settings::theme;
use secretdeck::view::Theme;
use secretdeck::view::theme_file::{PALETTE_KEYS, SHIPPED, STYLE_KEYS, ThemeSpec};
use std::path::Path;
use std::process::Command;

fn write(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write theme file");
    path
}

fn load_err(body: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "x.toml", body);
    let err = theme::load(Some(path.to_str().unwrap()), None).expect_err("invalid theme");
    err.to_string()
        .replace(&dir.path().display().to_string(), "DIR")
}

#[test]
fn every_shipped_theme_parses_and_sets_every_key() {
    let names: Vec<_> = SHIPPED.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["dark", "light", "high-contrast", "colorblind"]);
    for (name, source) in SHIPPED {
        let spec = ThemeSpec::parse(source, name).unwrap_or_else(|e| panic!("{e}"));
        let keys = spec.keys();
        // dark is the base of every other theme, so it must be complete;
        // the others set every style key too (they may leave extra palette
        // names to dark).
        for (section, style_keys) in STYLE_KEYS {
            for key in *style_keys {
                let full = format!("{section}.{key}");
                assert!(keys.contains(&full), "{name} does not set {full}");
            }
        }
        for key in PALETTE_KEYS {
            let full = format!("palette.{key}");
            assert!(keys.contains(&full), "{name} does not set {full}");
        }
        spec.resolve()
            .unwrap_or_else(|e| panic!("{name} alone: {e}"));
        let theme = Theme::shipped(name).expect("shipped theme resolves");
        assert_eq!(theme::load(Some(name), None), Ok(theme));
    }
}

#[test]
fn the_shipped_files_on_disk_are_the_embedded_ones() {
    for (name, source) in SHIPPED {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/{name}.toml"));
        assert_eq!(std::fs::read_to_string(path).unwrap(), *source);
    }
}

#[test]
fn dark_is_the_default_and_keeps_the_code_defaults() {
    let dark = Theme::dark();
    assert_eq!(Theme::default(), dark);
    assert_eq!(theme::load(None, None), Ok(dark.clone()));
    let code = Theme::from_palette(dark.palette);
    let old = |t: &Theme| {
        [
            t.text,
            t.muted,
            t.title,
            t.header,
            t.selected,
            t.status_bar,
            t.key_hint,
            t.ok,
            t.warn,
            t.error,
            t.readonly,
        ]
    };
    assert_eq!(old(&dark), old(&code));
    assert_eq!(dark.health(HealthStatus::Degraded).fg, Some(Color::Red));
    assert_eq!(dark.sync(SyncStatus::OutOfSync).fg, Some(Color::Yellow));
    assert_eq!(dark.table_alt_row.bg, Some(Color::Indexed(234)));
    assert!(dark.highlight.add_modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn themes_differ_where_they_should() {
    let dark = Theme::dark();
    for name in ["light", "high-contrast", "colorblind"] {
        let t = Theme::shipped(name).unwrap();
        assert_ne!(t, dark, "{name} equals dark");
        assert_ne!(t.palette, dark.palette, "{name} has dark's palette");
    }
    let light = Theme::shipped("light").unwrap();
    assert_eq!(light.text.fg, Some(Color::Black));

    // Colour-blind safe: good and bad are never green against red.
    let cb = Theme::shipped("colorblind").unwrap();
    let fg = |s: Style| s.fg.unwrap();
    let good = fg(cb.health(HealthStatus::Healthy));
    let bad = fg(cb.health(HealthStatus::Degraded));
    for c in [good, bad, fg(cb.ok), fg(cb.error)] {
        assert!(!matches!(
            c,
            Color::Green | Color::Red | Color::LightGreen | Color::LightRed
        ));
    }
    assert_ne!(good, bad);
    assert_eq!(good, Color::Rgb(0x56, 0xb4, 0xe9));

    // High contrast: problems are bold, the selection has its own fg.
    let hc = Theme::shipped("high-contrast").unwrap();
    assert!(hc.error.add_modifier.contains(Modifier::BOLD));
    assert!(
        hc.health(HealthStatus::Degraded)
            .add_modifier
            .contains(Modifier::BOLD)
    );
    assert_eq!(hc.selected.fg, Some(Color::Black));
    assert_eq!(hc.table_alt_row, Style::new());
}

#[test]
fn a_partial_override_changes_only_what_it_sets() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "theme.toml",
        "[health]\ndegraded = { fg = \"magenta\", bold = true }\n",
    );
    let mut expected = Theme::dark();
    let got = theme::load(None, Some(dir.path())).unwrap();
    assert_eq!(
        got.health(HealthStatus::Degraded),
        Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
    );
    expected.health_styles.degraded = got.health_styles.degraded;
    assert_eq!(got, expected, "only health.degraded changed");

    // On top of another theme, the override wins and the rest is that theme's.
    let hc = theme::load(Some("high-contrast"), Some(dir.path())).unwrap();
    let mut expected = Theme::shipped("high-contrast").unwrap();
    expected.health_styles.degraded = hc.health_styles.degraded;
    assert_eq!(hc, expected);
}

#[test]
fn overriding_a_palette_colour_recolours_every_style_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "theme.toml", "[palette]\nok = \"#00d7af\"\n");
    let t = theme::load(None, Some(dir.path())).unwrap();
    let teal = Some(Color::Rgb(0, 0xd7, 0xaf));
    assert_eq!(t.ok.fg, teal);
    assert_eq!(t.health(HealthStatus::Healthy).fg, teal);
    assert_eq!(t.sync(SyncStatus::Synced).fg, teal);
    assert_eq!(t.error, Theme::dark().error);
}

#[test]
fn no_override_file_means_the_theme_alone() {
    let dir = tempfile::tempdir().unwrap();
    let t = theme::load(Some("light"), Some(dir.path())).unwrap();
    assert_eq!(t, Theme::shipped("light").unwrap());
}

#[test]
fn a_theme_file_by_path_is_layered_on_dark() {
    let dir = tempfile::tempdir().unwrap();
    let body = "[palette]\nbrand = \"#ff8800\"\n[table]\nheader = { fg = \"brand\", underlined = true }\n[secret]\nmasked = \"blue\"\n";
    let path = write(dir.path(), "mine.toml", body);
    let t = theme::load(Some(path.to_str().unwrap()), None).unwrap();
    let header = Style::new()
        .fg(Color::Rgb(0xff, 0x88, 0))
        .add_modifier(Modifier::UNDERLINED);
    assert_eq!(t.header, header);
    assert_eq!(t.masked, Style::new().fg(Color::Blue));
    assert_eq!(t.text, Theme::dark().text);
}

#[test]
fn errors_name_the_file_and_the_key() {
    assert_eq!(
        load_err("[health]\ndegraded = { fg = \"redd\" }\n"),
        "DIR/x.toml: health.degraded.fg: unknown colour \"redd\" (a palette name, a colour name, 0-255 or #rrggbb)"
    );
    let e = load_err("[health]\ndegradd = { fg = \"red\" }\n");
    assert!(
        e.starts_with("DIR/x.toml: health.degradd: unknown key (expected one of: healthy, ")
            && e.ends_with("; did you mean `degraded`?"),
        "{e}"
    );
    let e = load_err("[colours]\nfg = \"red\"\n");
    assert!(
        e.starts_with("DIR/x.toml: colours: unknown key (expected one of: palette, general"),
        "{e}"
    );
    let e = load_err("[sync]\nsynced = { fg = \"ok\", blink = true }\n");
    assert!(
        e.starts_with("DIR/x.toml: sync.synced.blink: unknown key"),
        "{e}"
    );
    let e = load_err("[palette]\nok = \"#12345\"\n");
    assert!(
        e.starts_with("DIR/x.toml: palette.ok: unknown colour \"#12345\""),
        "{e}"
    );
    let e = load_err("[status]\nok = { bold = \"yes\" }\n");
    assert_eq!(e, "DIR/x.toml: status.ok.bold: expected true or false");
    let e = load_err("[status]\nok = 3\n");
    assert!(
        e.starts_with("DIR/x.toml: status.ok: expected a style"),
        "{e}"
    );
    let e = load_err("[status\nok = 3\n");
    assert!(e.starts_with("DIR/x.toml: invalid TOML: "), "{e}");
    let e = theme::load(Some("solarized"), None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown theme \"solarized\" (shipped: dark, light, high-contrast, colorblind"),
        "{e}"
    );
    let e = theme::load(Some("/nonexistent/t.toml"), None)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("/nonexistent/t.toml: cannot read: "), "{e}");
}

#[test]
fn an_invalid_override_names_the_override_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "theme.toml",
        "[filter]\nhighlight = { bg = \"nope\" }\n",
    );
    let err = theme::load(Some("light"), Some(dir.path())).unwrap_err();
    let expected = format!(
        "{}: filter.highlight.bg: unknown colour \"nope\"",
        path.display()
    );
    assert!(err.to_string().starts_with(&expected), "{err}");
}

/// The binary in `dir`, its files under `Paths::under(dir)`, no cluster.
fn secretdeck(dir: &Path) -> Command {
    let mut cmd = crate::support::cli::command(&secretdeck::settings::Paths::under(dir));
    cmd.current_dir(dir)
        .env("KUBECONFIG", dir.join("no-kubeconfig"));
    cmd
}

#[test]
fn the_console_refuses_to_start_with_an_invalid_theme_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "mine.toml",
        "[health]\ndegraded = { fg = \"redd\" }\n",
    );
    let out = secretdeck(dir.path())
        .args(["--theme", "./mine.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("./mine.toml: health.degraded.fg: unknown colour \"redd\""),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_console_refuses_to_start_with_an_invalid_override() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    write(
        &dir.path().join("config"),
        "theme.toml",
        "[table]\nzebra = \"red\"\n",
    );
    let out = secretdeck(dir.path())
        .args(["--theme", "colorblind"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("config/theme.toml: table.zebra: unknown key"),
        "{stderr}"
    );
}

#[test]
fn severity_uses_the_status_styles() {
    use secretdeck::domain::views::Severity;
    for (name, _) in SHIPPED {
        let t = Theme::shipped(name).unwrap();
        assert_eq!(t.severity(Severity::Ok), t.ok, "{name}");
        assert_eq!(t.severity(Severity::Warn), t.warn, "{name}");
        assert_eq!(t.severity(Severity::Error), t.error, "{name}");
        assert_ne!(
            t.severity(Severity::Ok),
            t.severity(Severity::Error),
            "{name}"
        );
    }
}
