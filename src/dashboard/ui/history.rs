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
    // Two rows of sessions come before the trend.
    let trend_rows = match inner.height {
        h if h >= 10 + trend::FULL_HEIGHT + 5 => trend::FULL_HEIGHT + 1,
        h if h >= 10 + trend::COMPACT_HEIGHT + 1 + 2 => trend::COMPACT_HEIGHT + 1,
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
        Paragraph::new(recent(
            app,
            usize::from(sessions.height),
            usize::from(sessions.width),
            &st,
        )),
        sessions,
    );
}

/// Weeks shown before the week of the first session.
const WEEKS_BEFORE_FIRST: i64 = 2;

/// One row a weekday, one column a week, ending with today's: as many weeks as fit,
/// from two before the week of the first session (a new user sees their days, not ten
/// months of dots).
fn weeks(app: &App, calendar: &Calendar, width: u16, st: &Styles) -> Vec<Line<'static>> {
    const LABEL: usize = 4;
    let fit = (usize::from(width).saturating_sub(LABEL) / 2).clamp(1, 53) as i64;
    let monday = app.day - Duration::days(i64::from(app.day.weekday().num_days_from_monday()));
    let since_first = app
        .journal
        .sessions()
        .map(|s| s.day)
        .filter(|d| *d <= app.day)
        .min()
        .map_or(0, |first| ((monday - first).num_days().max(0) + 6) / 7);
    let count = (since_first + 1 + WEEKS_BEFORE_FIRST).min(fit);
    let first = monday - Duration::weeks(count - 1);
    // A label is three letters over two-column weeks, written at the column of the
    // week that holds the month's 1st (never appended after the one before, which
    // drifts a column a month); the first week is labelled too when there is room.
    let mut months = vec![' '; LABEL + 2 * count as usize + 3];
    let holds_first = |w: i64| (first + Duration::weeks(w) + Duration::days(6)).day() <= 7;
    for w in 0..count {
        let sunday = first + Duration::weeks(w) + Duration::days(6);
        if holds_first(w) || (w == 0 && !holds_first(1)) {
            let at = LABEL + 2 * w as usize;
            for (slot, c) in months[at..]
                .iter_mut()
                .zip(sunday.format("%b").to_string().chars())
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

/// The newest sessions, as many as fit in `rows` of `width`: one line each where it
/// fits, else wrapped under itself (at most three lines, the last cut with "…"), so
/// that ratings and notes show in a narrow pane too.
fn recent(app: &App, rows: usize, width: usize, st: &Styles) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    // As `rollcoach history` lists them: newest first by when they started (a session
    // recorded later with `done --date` takes its place), none dated after today.
    let past = crate::routine::history::recent(&app.journal, app.day, u32::MAX);
    for s in past {
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
        let style = if s.complete { st.pending } else { st.off };
        let mut wrapped = if unicode_width::UnicodeWidthStr::width(text.as_str()) <= width {
            vec![text]
        } else {
            super::wrap_under(&text, width, 2)
        };
        if wrapped.len() > 3 {
            let rest = wrapped.split_off(2).join(" ");
            wrapped.push(format!("  {}", rest.trim_start()));
        }
        if let Some(last) = wrapped.last_mut() {
            *last = super::fit_line(last, width);
        }
        // The last session that fits only in part ends with "…".
        let room = rows.saturating_sub(lines.len());
        if wrapped.len() > room {
            wrapped.truncate(room);
            if let Some(last) = wrapped.last_mut() {
                *last = super::fit_line(&format!("{} …", last.trim_end()), width);
            }
        }
        lines.extend(wrapped.into_iter().map(|l| Line::styled(l, style)));
        if lines.len() >= rows {
            break;
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled("no sessions yet", st.off));
    }
    lines
}
