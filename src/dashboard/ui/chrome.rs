//! The header (day, routine, rolling schedule, roller) and the footer (keys, status).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{clean, theme};
use crate::dashboard::app::App;
use crate::routine::plan::short_date;

/// Two lines: the day and routine; the rolling schedule and the roller.
pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let plan = &app.plan;
    let routine = app.routine_plan();
    let mut first = vec![
        Span::styled(app.day.format("%a %-d %b").to_string(), theme::key()),
        Span::raw(" · "),
        Span::styled(clean(&routine.name), theme::accent()),
    ];
    if let Some(at) = routine.at {
        first.push(Span::raw(format!(" {at}")));
    }
    let count = app.config.routines.len();
    if count > 1 {
        first.push(Span::styled(
            format!("  ({}/{count}, Tab for the next)", app.selected + 1),
            theme::off(),
        ));
    }
    let mut second = vec![Span::raw(if plan.rolling_day {
        "rolling day"
    } else {
        "rest day"
    })];
    if let Some(r) = &plan.roller {
        let next = match r.next_after(plan.date) {
            next if next == plan.date => "today".to_string(),
            next => short_date(next),
        };
        second.push(Span::raw(format!(
            " · next roll {next} · roller {} of {} uses",
            r.uses, r.replace_after_uses
        )));
        if r.replace {
            second.push(Span::styled(" · replace the roller", theme::warning()));
        }
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

/// One line for small panes: routine and kind of day.
pub fn header_line(app: &App, frame: &mut Frame, area: Rect) {
    let day = if app.plan.rolling_day {
        "rolling day"
    } else {
        "rest day"
    };
    let line = Line::from(vec![
        Span::styled(clean(&app.routine_plan().name), theme::accent()),
        Span::raw(format!(" · {day}")),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys, or the status line when there is one.
pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let line = match app.status.as_ref().or(app.config_error.as_ref()) {
        Some(status) => Line::from(Span::styled(clean(status), theme::warning())),
        None => {
            let mut spans = Vec::new();
            for (key, what) in [
                (
                    "Space",
                    if app.run.countdown.is_running() {
                        "pause"
                    } else {
                        "start"
                    },
                ),
                ("Enter", "done"),
                ("s", "skip"),
                ("b", "back"),
                ("+/-", "30s"),
                ("?", "help"),
                ("q", "quit"),
            ] {
                spans.push(Span::styled(key, theme::key()));
                spans.push(Span::raw(format!(" {what}  ")));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}
