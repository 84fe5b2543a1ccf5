//! The one table widget every list uses: header, only the visible rows,
//! the selection, alternate row shading, and the filter's matched
//! characters highlighted in the NAME column.

use super::format::highlighted;
use super::symbols;
use super::theme::Theme;
use crate::state::table::{Row as TableRow, Table};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use std::borrow::Cow;

/// A column: its header and width.
pub struct Column {
    pub title: &'static str,
    pub width: Constraint,
}

pub const fn col(title: &'static str, width: Constraint) -> Column {
    Column { title, width }
}

/// The shape of a table: its columns, which one is the NAME column (drawn
/// from the row's filter text with the matched characters highlighted), and
/// the words shown when there is no row.
pub struct Spec<'c> {
    pub columns: &'c [Column],
    pub name_col: usize,
    pub empty: (String, Style),
}

/// One cell of a row: its text and style (drawn left-aligned, clipped to
/// its column).
pub struct Cell<'a> {
    text: Cow<'a, str>,
    style: Style,
}

impl Cell<'_> {
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
}

impl<'a, T: Into<Cow<'a, str>>> From<T> for Cell<'a> {
    fn from(text: T) -> Self {
        Cell {
            text: text.into(),
            style: Style::new(),
        }
    }
}

/// Draw `table` in `area`; `cells` builds the cells of one row (the NAME
/// cell is replaced). Rows are written straight into the frame's buffer:
/// only the visible ones, each cell once.
pub fn render<'a, T: TableRow>(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    table: &'a Table<T>,
    spec: Spec<'_>,
    cells: impl Fn(&'a T) -> Vec<Cell<'a>>,
) {
    let Spec {
        columns,
        name_col,
        empty,
    } = spec;
    if area.is_empty() {
        return;
    }
    // The selection marker, then the columns, one space apart.
    let widths = std::iter::once(Constraint::Length(1)).chain(columns.iter().map(|c| c.width));
    let line = Rect { height: 1, ..area };
    let rects = Layout::horizontal(widths)
        .flex(Flex::Start)
        .spacing(1)
        .split(line);
    let (marker_rect, column_rects) = (rects[0], &rects[1..]);
    let buf = frame.buffer_mut();
    buf.set_style(line, theme.header);
    for (rect, column) in column_rects.iter().zip(columns) {
        put(buf, rect.x, line.y, rect.width, column.title);
    }
    let page = usize::from(area.height.saturating_sub(1));
    if table.is_empty() {
        if area.height > 2 {
            let text = if table.filter.is_active() {
                format!("  nothing matches /{}", table.filter.text)
            } else {
                format!("  {}", empty.0)
            };
            let y = area.y + 2;
            buf.set_style(Rect { y, ..line }, empty.1);
            put(buf, area.x, y, area.width, &text);
        }
        return;
    }
    let offset = visible_offset(table.offset, table.selected, page, table.len());
    for (k, (i, row, hits)) in table.window(offset, page).enumerate() {
        let y = area.y + 1 + k as u16;
        let selected = i == table.selected;
        let style = if selected {
            theme.selected
        } else if i % 2 == 1 {
            theme.table_alt_row
        } else {
            Style::new()
        };
        buf.set_style(Rect { y, ..line }, style);
        if selected {
            put(buf, marker_rect.x, y, marker_rect.width, symbols::SELECTED);
        }
        for (c, (cell, rect)) in cells(row).into_iter().zip(column_rects).enumerate() {
            if rect.width == 0 {
                continue;
            }
            if c == name_col {
                put_matched(buf, rect.x, y, rect.width, row.filter_text(), hits, theme);
                continue;
            }
            buf.set_style(Rect { y, ..*rect }, cell.style);
            put(buf, rect.x, y, rect.width, &cell.text);
        }
    }
}

/// Write `text` at (`x`, `y`), at most `width` columns, in the style the
/// cells already have.
fn put(buf: &mut Buffer, x: u16, y: u16, width: u16, text: &str) {
    if text.is_ascii() {
        put_ascii(buf, x, y, width, text, |_| Style::new());
    } else {
        buf.set_stringn(x, y, text, usize::from(width), Style::new());
    }
}

/// The NAME cell: the filter's matched characters highlighted.
fn put_matched(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    text: &str,
    hits: &[usize],
    theme: &Theme,
) {
    if text.is_ascii() {
        put_ascii(buf, x, y, width, text, |i| {
            if hits.contains(&i) {
                theme.highlight
            } else {
                theme.text
            }
        });
    } else {
        let line = highlighted(text, hits, theme.text, theme.highlight);
        buf.set_line(x, y, &line, width);
    }
}

/// Plain ASCII, what nearly every cell holds, a byte at a time (other text
/// goes by grapheme, as ratatui writes it); the style of the `i`th
/// character from `style_at`. Control characters are skipped, as ratatui
/// skips them.
fn put_ascii(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    text: &str,
    style_at: impl Fn(usize) -> Style,
) {
    let right = x.saturating_add(width).min(buf.area.right());
    let chars = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| !b.is_ascii_control());
    for (at, (i, b)) in (x..right).zip(chars) {
        buf[(at, y)].set_char(char::from(b)).set_style(style_at(i));
    }
}

/// The first visible row: the model's offset, corrected so the selection is
/// on screen even when the real table height differs from the model's guess.
fn visible_offset(offset: usize, selected: usize, page: usize, len: usize) -> usize {
    let page = page.max(1);
    let mut offset = offset;
    if selected < offset {
        offset = selected;
    } else if selected >= offset + page {
        offset = selected + 1 - page;
    }
    offset.min(len.saturating_sub(page))
}

/// Dim every drawn row of the table in `area` and end it with `marker`
/// (`⟳ stale 2m`): its data is no longer confirmed by a live watch.
pub fn mark_stale(frame: &mut Frame, area: Rect, marker: &str, theme: &Theme) {
    let text = format!(" {marker}");
    let width = text.chars().count() as u16;
    if area.width <= width {
        return;
    }
    let buf = frame.buffer_mut();
    for y in area.y + 1..area.bottom() {
        if (area.x..area.right()).all(|x| buf[(x, y)].symbol().trim().is_empty()) {
            continue;
        }
        for x in area.x..area.right() {
            let cell = &mut buf[(x, y)];
            cell.set_style(cell.style().add_modifier(Modifier::DIM));
        }
        buf.set_string(area.right() - width, y, &text, theme.warn);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::table::Row as TableRow;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    struct Named(&'static str, &'static str);

    impl TableRow for Named {
        fn filter_text(&self) -> &str {
            self.0
        }
        fn id(&self) -> String {
            self.0.to_string()
        }
    }

    /// Draw a two-column table (NAME, STATE) of `rows`, `width` wide.
    fn draw(table: &Table<Named>, width: u16) -> Buffer {
        let theme = Theme::default();
        let mut terminal = Terminal::new(TestBackend::new(width, 4)).unwrap();
        let columns = [
            col("NAME", Constraint::Length(6)),
            col("STATE", Constraint::Fill(1)),
        ];
        terminal
            .draw(|f| {
                let spec = Spec {
                    columns: &columns,
                    name_col: 0,
                    empty: ("nothing here".into(), theme.muted),
                };
                let cells = |r: &Named| vec![Cell::from(""), Cell::from(r.1).style(theme.error)];
                render(f, f.area(), &theme, table, spec, cells)
            })
            .unwrap();
        terminal.backend().buffer().clone()
    }

    fn line(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
    }

    fn rows() -> Table<Named> {
        let mut t = Table::default();
        t.set_rows(
            vec![
                Named("alpha", "ok\tthen\nmore"),
                Named("bravo-longer", "✔ ready"),
                Named("c", ""),
            ],
            3,
        );
        t
    }

    #[test]
    fn header_rows_and_selection_are_drawn_with_their_styles() {
        let theme = Theme::default();
        let buf = draw(&rows(), 24);
        assert_eq!(line(&buf, 0), "  NAME   STATE          ");
        // Control characters are skipped; the selected row is marked.
        assert_eq!(
            line(&buf, 1),
            format!("{} alpha  okthenmore     ", symbols::SELECTED)
        );
        // The name is clipped to its column; non-ASCII text is drawn by grapheme.
        assert_eq!(line(&buf, 2), "  bravo- ✔ ready        ");
        assert_eq!(line(&buf, 3), "  c                     ");
        assert_eq!(buf[(2, 0)].fg, theme.header.fg.unwrap_or_default());
        assert!(buf[(2, 0)].modifier.contains(theme.header.add_modifier));
        // The selected row's style covers the whole row, gaps included;
        // a cell's own style is laid over it.
        assert_eq!(buf[(7, 1)].bg, theme.selected.bg.unwrap_or_default());
        assert_eq!(buf[(9, 2)].fg, theme.error.fg.unwrap_or_default());
        // Alternate rows are shaded.
        assert_eq!(buf[(20, 2)].bg, theme.table_alt_row.bg.unwrap_or_default());
    }

    #[test]
    fn the_filter_s_matched_characters_are_highlighted_in_the_name() {
        let theme = Theme::default();
        let mut t = rows();
        t.filter.text = "bl".into();
        t.refilter(3);
        assert_eq!(t.len(), 1, "only bravo-longer holds b…l");
        let buf = draw(&t, 24);
        assert_eq!(
            line(&buf, 1),
            format!("{} bravo- ✔ ready        ", symbols::SELECTED)
        );
        // b matched, r not, the l of `-l` (beyond the column) not drawn.
        assert_eq!(buf[(2, 1)].fg, theme.highlight.fg.unwrap_or_default(), "b");
        assert_eq!(buf[(3, 1)].fg, theme.text.fg.unwrap_or_default(), "r");
    }

    #[test]
    fn an_empty_table_says_why_under_its_header() {
        let mut t = rows();
        t.filter.text = "zzz".into();
        t.refilter(3);
        let buf = draw(&t, 30);
        assert_eq!(line(&buf, 0).trim_end(), "  NAME   STATE");
        assert_eq!(line(&buf, 2).trim_end(), "  nothing matches /zzz");
    }
}
