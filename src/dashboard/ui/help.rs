//! The help overlay: every key and what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::styles;
use crate::dashboard::app::App;
use crate::routine::keys::Action;

/// Draws the overlay centred over `area`, with the keys actually bound, `scroll` lines
/// down where the pane is too short for them all (the arrows scroll).
pub fn render(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let height = (Action::ALL.len() as u16 + 2).min(area.height);
    let width = 60.min(area.width);
    let popup = super::centred(area, width, height);
    let lines: Vec<Line> = Action::ALL
        .iter()
        .map(|action| {
            let keys = app.keymap.label(*action);
            let keys = if keys.is_empty() {
                "(none)".into()
            } else {
                keys
            };
            Line::from(vec![
                Span::styled(format!("{keys:>14}  "), st.key),
                Span::raw(action.help()),
            ])
        })
        .collect();
    let rows = popup.height.saturating_sub(2);
    let hidden = (lines.len() as u16).saturating_sub(rows);
    let scroll = scroll.min(hidden);
    let title = if hidden == 0 {
        " keys · Esc closes ".to_string()
    } else {
        format!(
            " keys {}-{} of {} · ↑↓ scroll · Esc closes ",
            scroll + 1,
            scroll + rows,
            lines.len()
        )
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(Block::bordered().title(title)),
        popup,
    );
}
