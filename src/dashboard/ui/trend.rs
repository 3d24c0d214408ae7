//! The skin trend in the history view: the rating of each rated session over the last
//! weeks, the rolling days and the share of routines done each week, all on one time
//! axis (a day is the same column in every row). A chart where there is room, three
//! lines of marks where there is not.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::theme::Styles;
use crate::dashboard::app::App;
use crate::routine::history::Calendar;

/// Rows the chart takes: six of plot, the rolls, the weekly share, the dates.
pub const FULL_HEIGHT: u16 = 9;
/// Rows the compact form takes: ratings, rolls, weekly share as marks.
pub const COMPACT_HEIGHT: u16 = 3;

/// Columns of the labels on the left ("skin ", "roll ", "done ").
const GUTTER: u16 = 5;

/// The days shown, oldest first, and how a day maps to a column of the plot.
struct Window {
    first: NaiveDate,
    days: i64,
    width: u16,
}

impl Window {
    /// Whole weeks ending with today's: as many as the width shows at eight columns a
    /// week (2 to 26), and no more than the journal has (from its first session's week).
    fn new(today: NaiveDate, width: u16, since: Option<NaiveDate>) -> Window {
        let monday_of =
            |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
        let monday = monday_of(today);
        let kept = since.map_or(1, |first| (monday - monday_of(first)).num_days() / 7 + 1);
        let weeks = i64::from(width / 8).min(kept).clamp(2, 26);
        Window {
            first: monday - Duration::weeks(weeks - 1),
            days: weeks * 7,
            width,
        }
    }

    /// The day's place on the axis, in days from the first (a fraction for a time).
    fn x(&self, day: NaiveDate) -> f64 {
        (day - self.first).num_days() as f64
    }

    /// The column of a day, None outside the window.
    fn column(&self, day: NaiveDate) -> Option<u16> {
        let i = (day - self.first).num_days();
        if !(0..self.days).contains(&i) || self.width == 0 {
            return None;
        }
        let span = (self.days - 1).max(1) as f64;
        Some(((i as f64) * f64::from(self.width - 1) / span).round() as u16)
    }

    fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        (0..self.days).map(|i| self.first + Duration::days(i))
    }
}

/// A row of marks: `marks` placed at their columns in `width` blanks.
fn row(width: u16, marks: impl IntoIterator<Item = (u16, char)>) -> String {
    let mut cells = vec![' '; usize::from(width)];
    for (at, mark) in marks {
        if let Some(cell) = cells.get_mut(usize::from(at)) {
            *cell = mark;
        }
    }
    cells.into_iter().collect()
}

/// Eighths of a block for a share of 0 to 1.
fn bar(share: f64) -> char {
    const BARS: [char; 9] = ['_', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    BARS[(share.clamp(0.0, 1.0) * 8.0).round() as usize]
}

/// The rated sessions in the window: (day, x with the time of day, rating).
fn ratings(app: &App, axis: &Window, today: NaiveDate) -> Vec<(NaiveDate, f64, u8)> {
    let mut points: Vec<(NaiveDate, f64, u8)> = app
        .journal
        .sessions()
        .filter(|s| s.day >= axis.first && s.day <= today)
        .filter_map(|s| {
            let rating = s.rating.filter(|r| (1..=5).contains(r))?;
            let hour = f64::from(chrono::Timelike::hour(&s.started));
            Some((s.day, axis.x(s.day) + hour / 24.0, rating))
        })
        .collect();
    points.sort_by(|a, b| a.1.total_cmp(&b.1));
    points
}

/// The rolls row: `R` on each day that rolled.
fn rolls(axis: &Window, calendar: &Calendar, today: NaiveDate) -> String {
    row(
        axis.width,
        axis.days()
            .filter(|d| *d <= today && calendar.day(*d).rolled)
            .filter_map(|d| Some((axis.column(d)?, 'R'))),
    )
}

/// The weekly row: over each week's columns, a bar as high as the share of routines
/// done that week (of those that ran, up to today).
fn weekly(axis: &Window, calendar: &Calendar, today: NaiveDate) -> String {
    let first = calendar.first_day().unwrap_or(today);
    // Before the first session there was nothing to keep: no share, not a zero; and
    // today counts once it is kept, as for the streak.
    let counted = |d: &NaiveDate| *d >= first && (*d < today || calendar.day(*d).kept());
    let mut marks = Vec::new();
    let weeks = axis.days / 7;
    for week in 0..weeks {
        let start = axis.first + Duration::weeks(week);
        let (mut due, mut done) = (0, 0);
        for d in (0..7).map(|i| start + Duration::days(i)).filter(counted) {
            let day = calendar.day(d);
            due += day.due;
            done += day.done;
        }
        if due == 0 {
            continue;
        }
        let mark = bar(done as f64 / due as f64);
        let from = axis.column(start).unwrap_or(0);
        // Up to the next week's first column, so that the weeks touch.
        let to = match axis.column(start + Duration::weeks(1)) {
            Some(next) => next.saturating_sub(1),
            None => axis.width.saturating_sub(1),
        };
        marks.extend((from..=to.max(from)).map(|c| (c, mark)));
    }
    row(axis.width, marks)
}

/// Draws the trend in `area`: the chart when it is `FULL_HEIGHT` rows, else the marks.
pub fn render(app: &App, calendar: &Calendar, frame: &mut Frame, area: Rect, st: &Styles) {
    if area.width <= GUTTER + 2 || area.height == 0 {
        return;
    }
    let today = app.day;
    let plot_width = area.width - GUTTER;
    let axis = Window::new(today, plot_width, calendar.first_day());
    let points = ratings(app, &axis, today);
    let label = |text: &str, rest: String, style: Style| {
        Line::from(vec![
            Span::styled(format!("{text:<5}"), st.off),
            Span::styled(rest, style),
        ])
    };
    let rolls = label("roll", rolls(&axis, calendar, today), st.accent);
    let weekly = label("done", weekly(&axis, calendar, today), st.done);
    if area.height < FULL_HEIGHT {
        // One mark a column: the last rating that falls in it.
        let marks = points.iter().filter_map(|(day, _, r)| {
            let level = f64::from(*r - 1) / 4.0;
            Some((axis.column(*day)?, bar(level.max(0.125))))
        });
        let skin = label("skin", row(plot_width, marks), st.pending);
        frame.render_widget(Paragraph::new(vec![skin, rolls, weekly]), area);
        return;
    }
    let plot = Rect::new(area.x + GUTTER, area.y, plot_width, 6);
    let data: Vec<(f64, f64)> = points.iter().map(|(_, x, r)| (*x, f64::from(*r))).collect();
    let bounds = [0.0, (axis.days - 1) as f64];
    let chart = Chart::new(vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(st.off)
            .data(&data),
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(st.accent)
            .data(&data),
    ])
    .x_axis(Axis::default().bounds(bounds))
    .y_axis(Axis::default().bounds([1.0, 5.0]));
    frame.render_widget(chart, plot);
    let gutter: Vec<Line> = (0..6)
        .map(|i| {
            let text = match i {
                0 => "  5 ┤",
                2 => "skin│",
                5 => "  1 ┤",
                _ => "    │",
            };
            Line::styled(text, st.off)
        })
        .collect();
    frame.render_widget(Paragraph::new(gutter), Rect::new(area.x, area.y, GUTTER, 6));
    let first = axis.first.format("%-d %b").to_string();
    let dates = format!(
        "{first}{:>width$}",
        "today",
        width = usize::from(plot_width).saturating_sub(first.chars().count())
    );
    let empty = if points.is_empty() {
        " (no rated sessions yet)"
    } else {
        ""
    };
    let lines = vec![rolls, weekly, label("", dates, st.off)];
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y + 6, area.width, 3),
    );
    if !empty.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(empty.trim_start(), st.off)),
            Rect::new(plot.x + 1, plot.y + 2, plot_width.saturating_sub(1), 1),
        );
    }
}
