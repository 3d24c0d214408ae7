//! The pure view: `view(&App, now, frame)`, one file per panel.

mod alongside;
mod chrome;
mod help;
mod history;
mod notices;
pub mod photos;
mod prompt;
mod steps;
pub mod theme;
mod timer;
mod trend;
mod week;

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};

use super::app::{App, Overlay};

/// Below this width or height the compact layout is used.
const COMPACT_WIDTH: u16 = 60;
const COMPACT_HEIGHT: u16 = 20;

/// The colours of the config's theme (none under NO_COLOR).
pub fn styles(app: &App) -> theme::Styles {
    theme::Styles::new(&app.config.theme, app.no_color)
}

/// Draws the whole dashboard as it is at `now`.
pub fn view(app: &App, now: Instant, frame: &mut Frame) {
    let area = frame.area();
    if area.width < COMPACT_WIDTH || area.height < COMPACT_HEIGHT {
        compact(app, now, frame, area);
    } else {
        full(app, now, frame, area);
    }
    match app.overlay {
        Some(Overlay::Help { scroll }) => help::render(app, scroll, frame, area),
        Some(Overlay::History) => history::render(app, frame, area),
        Some(Overlay::Notices) => notices::render(app, frame, area),
        Some(Overlay::Photos(_)) => photos::render(app, frame, area),
        Some(Overlay::Week(_)) => week::render(app, frame, area),
        Some(Overlay::Alongside(chosen)) => alongside::render_list(app, chosen, now, frame, area),
        Some(_) => prompt::render(app, frame, area),
        None => {}
    }
}

fn full(app: &App, now: Instant, frame: &mut Frame, area: Rect) {
    // A message gets a line of its own over the keys, which stay.
    let said = app.message.is_some() || app.config_error.is_some();
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(0),
        Constraint::Length(if said { 2 } else { 1 }),
    ])
    .areas(area);
    chrome::header(app, frame, header);
    let list_width = (area.width / 3).clamp(28, 44);
    let [list, main] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(0)]).areas(body);
    steps::render(app, frame, list);
    timer::render(app, now, frame, main);
    chrome::footer(app, frame, footer);
}

fn compact(app: &App, now: Instant, frame: &mut Frame, area: Rect) {
    let [header, main, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::header_line(app, frame, header);
    timer::render_compact(app, now, frame, main);
    chrome::footer(app, frame, footer);
}

/// A box of `width` × `height` in the middle of `area` (an overlay's place).
fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    popup
}

/// Text from the config or the journal as plain text: control characters (escape
/// sequences included) and the marks that reorder or break a line become U+FFFD, so
/// nothing reaches the terminal as a command. The command line prints with it too.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            let reorders = matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            );
            if c.is_control() || reorders {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// `text` cut and padded to exactly `width` terminal columns. Cut by display width, not
/// by characters: a CJK character or an emoji takes two columns, and one cut by count
/// runs past the panel onto its border.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar as _;
    let mut out = String::with_capacity(width);
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.extend(std::iter::repeat_n(' ', width - used));
    out
}

/// Text in lines of at most `width` columns, broken at spaces where it can be; the lines
/// after the first indented by `indent`.
pub fn wrap_under(text: &str, width: usize, indent: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr as _;
    let width = width.max(indent + 8);
    let body = text.trim_start_matches(' ');
    let lead = text.len() - body.len();
    let mut lines: Vec<String> = Vec::new();
    let mut line = " ".repeat(lead);
    let mut empty = true;
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        if !empty && line.width() + 1 + word.width() > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines.into_iter().map(|l| fit_line(&l, width)).collect()
}

/// A line cut to `width` columns, with … where it was cut.
pub fn fit_line(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr as _;
    if text.width() <= width {
        return text.to_string();
    }
    let cut = fit(text, width.saturating_sub(1));
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_counts_columns_not_characters() {
        assert_eq!(fit("Cleanse", 5), "Clean");
        assert_eq!(fit("Roll", 6), "Roll  ");
        // Two columns each: the third would cross the edge, so a space fills the column.
        assert_eq!(fit("洗顔フ", 5), "洗顔 ");
        assert_eq!(fit("🧴a", 2), "🧴");
        assert_eq!(fit("x", 0), "");
    }
}
