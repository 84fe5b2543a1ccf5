//! The one table widget every list uses: header, only the visible rows,
//! the selection, alternate row shading, and the filter's matched
//! characters highlighted in the NAME column.

use super::format::highlighted;
use super::symbols;
use super::theme::Theme;
use crate::state::table::{Row as TableRow, Table};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table as TableWidget};

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
    pub empty: (String, ratatui::style::Style),
}

/// Draw `table` in `area`; `cells` builds the cells of one row (the NAME
/// cell is replaced).
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
    let mut header_cells = vec![Cell::from("")];
    header_cells.extend(columns.iter().map(|c| Cell::from(c.title)));
    let header = Row::new(header_cells).style(theme.header);
    let mut widths = vec![Constraint::Length(1)];
    widths.extend(columns.iter().map(|c| c.width));
    let page = usize::from(area.height.saturating_sub(1));
    if table.is_empty() {
        frame.render_widget(
            TableWidget::new(Vec::<Row>::new(), widths).header(header),
            area,
        );
        if area.height > 2 {
            let msg = Rect {
                y: area.y + 2,
                height: 1,
                ..area
            };
            let text = if table.filter.is_active() {
                format!("  nothing matches /{}", table.filter.text)
            } else {
                format!("  {}", empty.0)
            };
            frame.render_widget(Paragraph::new(Line::styled(text, empty.1)), msg);
        }
        return;
    }
    let offset = visible_offset(table.offset, table.selected, page, table.len());
    let rows = table.window(offset, page).map(|(i, row, hits)| {
        let selected = i == table.selected;
        let mut cs = cells(row);
        let name = Cell::from(highlighted(
            row.filter_text(),
            hits,
            theme.text,
            theme.highlight,
        ));
        if name_col < cs.len() {
            cs[name_col] = name;
        }
        let marker = if selected { symbols::SELECTED } else { "" };
        cs.insert(0, Cell::from(marker));
        let style = if selected {
            theme.selected
        } else if i % 2 == 1 {
            theme.table_alt_row
        } else {
            ratatui::style::Style::new()
        };
        Row::new(cs).style(style)
    });
    frame.render_widget(
        TableWidget::new(rows, widths)
            .header(header)
            .column_spacing(1),
        area,
    );
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
