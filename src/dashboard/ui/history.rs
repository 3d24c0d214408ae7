//! The history view: a calendar of the last weeks, the streaks, the recent sessions.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::clean;
use super::styles;
use super::theme::Styles;
use super::trend;
use crate::dashboard::app::App;
use crate::routine::history::{Calendar, DaySummary};
use crate::routine::words::clock;
use crate::routine::words::short_date;

/// The mark of a day, readable without colour: `#` all done, `+` some, `.` none; a day
/// that rolled is `R` (all done) or `r`.
fn cell(day: &DaySummary, st: &Styles) -> Span<'static> {
    let (text, style) = match (day.rolled, day.kept(), day.done > 0) {
        (true, true, _) => ("R", st.accent),
        (true, false, _) => ("r", st.accent),
        (false, true, _) => ("#", st.done),
        (false, false, true) => ("+", st.warning),
        (false, false, false) => (".", st.off),
    };
    Span::styled(format!("{text} "), style)
}

/// Draws the view over `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let calendar = Calendar::new(&app.config, &app.journal);
    let (current, longest) = calendar.streaks(app.day);
    let photos = app.keymap.label(crate::dashboard::app::Action::Photos);
    let block = Block::bordered().title(if photos.is_empty() {
        " history · Esc closes ".to_string()
    } else {
        format!(" history · {photos} photos · Esc closes ")
    });
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);

    // The trend takes what the calendar and a few sessions leave: the chart in a tall
    // pane, three lines of marks in a small one, nothing in a tiny one.
    let trend_rows = match inner.height {
        h if h >= 10 + trend::FULL_HEIGHT + 5 => trend::FULL_HEIGHT + 1,
        h if h > 10 + trend::COMPACT_HEIGHT => trend::COMPACT_HEIGHT + 1,
        _ => 0,
    };
    let [streaks, grid, legend, trend_area, sessions] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(8),
        Constraint::Length(1),
        Constraint::Length(trend_rows),
        Constraint::Min(0),
    ])
    .areas(inner);
    if trend_rows > 0 {
        let [_, chart] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(trend_area);
        trend::render(app, &calendar, frame, chart, &st);
    }
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("streak {current}"), st.accent),
            Span::raw(format!(
                " day{} · longest {longest}",
                if current == 1 { "" } else { "s" }
            )),
        ])),
        streaks,
    );
    frame.render_widget(Paragraph::new(weeks(app, &calendar, grid.width, &st)), grid);
    frame.render_widget(
        Paragraph::new(Line::styled(
            // The trend's rows say what they are; where there is room, how to read them.
            if trend_rows > 0 && legend.width >= 78 {
                "# all done  + some  . none  R/r rolled · skin: rating 1–5, done: share a week"
            } else {
                "# all done  + some  . none  R/r rolled"
            },
            st.off,
        )),
        legend,
    );
    frame.render_widget(
        Paragraph::new(recent(app, sessions.height as usize, &st)),
        sessions,
    );
}

/// One row a weekday, one column a week, as many weeks as fit, ending with today's.
fn weeks(app: &App, calendar: &Calendar, width: u16, st: &Styles) -> Vec<Line<'static>> {
    const LABEL: usize = 4;
    let count = (usize::from(width).saturating_sub(LABEL) / 2).clamp(1, 53) as i64;
    let monday = app.day - Duration::days(i64::from(app.day.weekday().num_days_from_monday()));
    let first = monday - Duration::weeks(count - 1);
    // A label is three letters over two-column weeks: each is written at its week's
    // column, never appended after the one before (which drifts a column a month).
    let mut months = vec![' '; LABEL + 2 * count as usize];
    for w in 0..count {
        let start = first + Duration::weeks(w);
        if start.day() <= 7 {
            let at = LABEL + 2 * w as usize;
            for (slot, c) in months[at..]
                .iter_mut()
                .zip(start.format("%b").to_string().chars())
            {
                *slot = c;
            }
        }
    }
    let mut lines = vec![Line::styled(
        months
            .into_iter()
            .take(usize::from(width))
            .collect::<String>(),
        st.off,
    )];
    for (row, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
    {
        let mut spans = vec![Span::styled(format!("{name} "), st.off)];
        for w in 0..count {
            let date: NaiveDate = first + Duration::weeks(w) + Duration::days(row as i64);
            spans.push(if date > app.day {
                Span::raw("  ")
            } else {
                cell(&calendar.day(date), st)
            });
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// The newest sessions, one a line, as many as fit.
fn recent(app: &App, rows: usize, st: &Styles) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    // As `rollcoach history` lists them: newest first by when they started (a session
    // recorded later with `done --date` takes its place), none dated after today.
    let past = crate::routine::history::recent(&app.journal, app.day, u32::MAX);
    for s in past.into_iter().take(rows) {
        let (done, skipped) = s.tally();
        let secs = (s.ended - s.started).num_seconds().max(0) as u64;
        let mut text = format!(
            "{:<10} {:<10} {} {:>6}  {done} done, {skipped} skipped",
            short_date(s.day),
            clean(&s.routine),
            s.started.format("%H:%M"),
            clock(secs),
        );
        if s.rolled() {
            text.push_str(" · rolled");
        }
        if !s.complete {
            text.push_str(" · unfinished");
        }
        if let Some(r) = s.rating {
            text.push_str(&format!(" · skin {r}/5"));
        }
        if let Some(note) = &s.note {
            text.push_str(&format!(" · {}", clean(note)));
        }
        lines.push(Line::styled(
            text,
            if s.complete { st.pending } else { st.off },
        ));
    }
    if lines.is_empty() {
        lines.push(Line::styled("no sessions yet", st.off));
    }
    lines
}
