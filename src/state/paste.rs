//! Pasted text (bracketed paste). A paste goes into the input that has the
//! focus (the top overlay's: the rotation value, the ConfigMap editor's key
//! or value, the `:` palette; else a `/` filter) as text and is never read
//! as keys: a pasted line break is not Enter and pasted letters are not
//! commands, so a paste can never confirm anything. Every input here is one
//! line: a single trailing line break (copying a whole line) is dropped
//! with a note; other line breaks or control characters refuse the whole
//! paste with a note. Notes never repeat the pasted text (it may be a
//! secret).

use super::config_edit::Stage;
use super::model::Model;
use super::overlay::Overlay;
use super::rotation::Phase;

/// Why a paste was refused or changed: shown where the input is.
pub const DROPPED_NEWLINE: &str =
    "the pasted text ended with a line break; it was left out (press enter yourself to go on)";

/// The text to insert into a one-line input, and a note for the user.
pub fn one_line(text: &str) -> Result<(String, Option<&'static str>), String> {
    let trimmed = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .or_else(|| text.strip_suffix('\r'));
    let (body, note) = match trimmed {
        Some(body) => (body, Some(DROPPED_NEWLINE)),
        None => (text, None),
    };
    let lines = body.replace("\r\n", "\n").split(['\n', '\r']).count();
    if lines > 1 {
        return Err(format!(
            "nothing pasted: the text has {lines} lines and this input takes one line"
        ));
    }
    if body.chars().any(char::is_control) {
        return Err(
            "nothing pasted: the text holds control characters (tab, escape, …) this input does not take"
                .to_string(),
        );
    }
    Ok((body.to_string(), note))
}

/// Put `text` into the focused input, or say why not. Never a command.
/// The top overlay has the focus; without one, a filter being typed.
pub fn on_paste(model: &mut Model, text: &str) {
    let result = one_line(text);
    if let Some(overlay) = model.overlays.focused_mut() {
        match overlay {
            Overlay::ConfigEditor(ed) => {
                let input = match &mut ed.stage {
                    Stage::KeyName { input } | Stage::Value { input, .. } => input,
                    _ => {
                        ed.error = Some(NO_FIELD.into());
                        return;
                    }
                };
                ed.error = insert(input, result);
            }
            Overlay::Rotation(s) => {
                if s.phase != Phase::Input {
                    s.error = Some(NO_FIELD.into());
                    return;
                }
                let mut value = s.input.expose().to_string();
                s.error = insert(&mut value, result);
                s.input = crate::domain::rotation::Sensitive::new(value);
            }
            Overlay::Help => {}
            Overlay::Palette(p) => model.message = insert(&mut p.input, result),
            Overlay::Confirm(_) | Overlay::Audit(_) | Overlay::Operations => {
                model.message = Some(NO_FOCUS.into());
            }
        }
        return;
    }
    let page = model.page_rows();
    if let Some(table) = super::navigate::current_table(model)
        && table.filter().editing
    {
        let mut typed = String::new();
        let note = insert(&mut typed, result);
        for c in typed.chars() {
            table.on_filter_key(super::keys::Key::char(c), page);
        }
        model.message = note;
        return;
    }
    model.message = Some(NO_FOCUS.into());
}

const NO_FIELD: &str = "nothing pasted: no text field is open here";
const NO_FOCUS: &str = "nothing pasted: no text field has the focus (paste goes into inputs only)";

/// Append an accepted paste to `input`; the note (or refusal) to show.
fn insert(input: &mut String, result: Result<(String, Option<&str>), String>) -> Option<String> {
    match result {
        Ok((text, note)) => {
            input.push_str(&text);
            note.map(str::to_string)
        }
        Err(e) => Some(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_drops_a_final_line_break_and_refuses_more() {
        assert_eq!(one_line("abc"), Ok(("abc".into(), None)));
        assert_eq!(
            one_line("abc\r\n"),
            Ok(("abc".into(), Some(DROPPED_NEWLINE)))
        );
        let e = one_line("new-pass\ny").expect_err("two lines");
        assert!(e.contains("2 lines"), "{e}");
        assert!(!e.contains("new-pass"), "the text is not repeated: {e}");
        let e = one_line("a\r\nb\r\n").expect_err("two lines");
        assert!(e.contains("2 lines"), "{e}");
        assert!(one_line("a\tb").is_err());
        assert!(one_line("a\x1b[201~").is_err());
        assert_eq!(one_line("\n"), Ok((String::new(), Some(DROPPED_NEWLINE))));
    }
}
