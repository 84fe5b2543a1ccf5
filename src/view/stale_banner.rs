//! The first line of a detail screen whose data is not confirmed by a live
//! watch: what is below is shown as last seen, with its age.

use super::theme::Theme;
use crate::state::Model;
use crate::state::WatchKind;
use crate::state::cluster::stale_marker;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// The kinds an ExternalSecret's detail is read from.
pub const ES_KINDS: [WatchKind; 4] = [
    WatchKind::ExternalSecrets,
    WatchKind::SecretStores,
    WatchKind::ClusterSecretStores,
    WatchKind::Secrets,
];

/// Draw the banner when any of `kinds` is not live; returns the area left
/// for the screen (all of `area` when every watch is live).
pub fn split(
    model: &Model,
    kinds: &[WatchKind],
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> Rect {
    let Some(marker) = stale_marker(&model.cluster, &model.data, kinds) else {
        return area;
    };
    if area.height < 2 {
        return area;
    }
    let text = format!(" {marker}: not confirmed by a live watch; shown as last seen");
    let top = Rect { height: 1, ..area };
    frame.render_widget(Paragraph::new(Line::styled(text, theme.warn)), top);
    Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    }
}
