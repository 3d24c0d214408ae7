//! The notices overlay: every lasting condition, one line each with what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::clean;
use super::styles;
use crate::dashboard::app::App;

/// Draws the list centred over `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let notices = app.notices();
    let lines: Vec<Line> = if notices.is_empty() {
        vec![Line::styled("Nothing needs seeing to.", st.off)]
    } else {
        notices
            .iter()
            .map(|n| Line::from(vec![Span::styled("⚠ ", st.warning), Span::raw(clean(n))]))
            .collect()
    };
    let width = 80.min(area.width);
    // Room for each line as wrapped (at least twice, as before), and the border.
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = notices
        .iter()
        .map(|n| {
            (unicode_width::UnicodeWidthStr::width(n.as_str()) + 2)
                .div_ceil(inner)
                .max(2)
        })
        .sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let popup = super::centred(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" notices · Esc closes ")),
        popup,
    );
}
