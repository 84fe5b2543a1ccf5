//! Drawing: reads `&Model` and a `Theme`, writes a ratatui `Frame`.
//! No I/O, no blocking, and only the visible rows are built.

pub mod apps_table;
pub mod status_bar;
pub mod symbols;
pub mod theme;
pub mod theme_file;

pub use theme::{Palette, Theme};

use crate::state::{Model, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};

/// Draw the whole screen.
pub fn view(model: &Model, theme: &Theme, frame: &mut Frame) {
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
    ])
    .areas(frame.area());
    match model.screen {
        Screen::Apps => {
            apps_table::render_title(model, theme, frame, title);
            apps_table::render(model, theme, frame, body);
        }
    }
    status_bar::render(model, theme, frame, status);
}
