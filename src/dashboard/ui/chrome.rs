//! The header (day, routine, rolling schedule, roller) and the footer (keys, status).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::clean;
use super::styles;
use crate::dashboard::app::{Action, App};
use crate::routine::words::next_roll_day;

/// Two lines: the day and routine; the rolling schedule and the roller.
pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let plan = &app.plan;
    let routine = app.routine_plan();
    let mut first = vec![
        Span::styled(app.day.format("%a %-d %b").to_string(), st.key),
        Span::raw(" · "),
        Span::styled(clean(&routine.name), st.accent),
    ];
    if let Some(at) = routine.at {
        first.push(Span::raw(format!(" {at}")));
    }
    let count = app.config.routines.len();
    if count > 1 {
        first.push(Span::styled(
            format!("  ({}/{count}, Tab for the next)", app.selected + 1),
            st.off,
        ));
    }
    if let Some(notices) = notice_count(app, false) {
        first.push(Span::styled(format!("  {notices}"), st.warning));
    }
    let mut second = vec![Span::raw(app.day_kind())];
    if let Some(r) = &plan.roller {
        let next = next_roll_day(app.next_roll(), plan.date);
        second.push(Span::raw(format!(
            " · next roll {next} · roller {} of {} uses",
            r.uses, r.replace_after_uses
        )));
        if r.replace {
            second.push(Span::styled(" · replace the roller", st.warning));
        }
    }
    // The evening of a roll and the days after: what ends first, and how many more.
    let aftercare = app.aftercare();
    if let Some(first) = aftercare.iter().min_by_key(|a| a.until) {
        second.push(Span::styled(
            format!(
                " · after-care ({}): no {} until {}",
                aftercare.len(),
                clean(&first.avoid),
                first.until.format("%a %H:%M")
            ),
            st.warning,
        ));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

/// One line for small panes: routine and kind of day.
pub fn header_line(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let day = app.day_kind();
    let mut spans = vec![
        Span::styled(clean(&app.routine_plan().name), st.accent),
        Span::raw(format!(" · {day}")),
    ];
    if let Some(notices) = notice_count(app, true) {
        spans.push(Span::styled(format!(" {notices}"), st.warning));
    }
    let line = Line::from(spans);
    frame.render_widget(Paragraph::new(line), area);
}

/// "⚠ 2 notices (! lists them)", or "⚠ 2 !" in a small pane, when there are any.
fn notice_count(app: &App, short: bool) -> Option<String> {
    let n = app.notices().len();
    if n == 0 {
        return None;
    }
    if short {
        let key = app.keymap.first(Action::Notices).unwrap_or_default();
        return Some(format!("⚠ {n} {key}"));
    }
    let key = app
        .keymap
        .first(Action::Notices)
        .map(|k| format!(" ({k} lists them)"))
        .unwrap_or_default();
    let plural = if n == 1 { "" } else { "s" };
    Some(format!("⚠ {n} notice{plural}{key}"))
}

/// The keys, with the message on a line of its own above them when there is one and
/// the area has two lines; in one line (a small pane) the message takes it.
pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let said = app.message.as_ref().or(app.config_error.as_ref());
    let keys = keys_line(app, usize::from(area.width));
    let lines = match said {
        Some(status) if area.height >= 2 => {
            vec![Line::from(Span::styled(clean(status), st.warning)), keys]
        }
        Some(status) => vec![Line::from(Span::styled(clean(status), st.warning))],
        None => vec![keys],
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// The keys that work now, with their words, in `width` columns: where they do not all
/// fit, the ones least needed give way first; help and quit always stay.
fn keys_line(app: &App, width: usize) -> Line<'static> {
    let st = styles(app);
    let running = app.run.countdown.is_running();
    let closed = app.run.is_closed();
    // Neighbours with the same word share one place: "+/- 30s".
    let mut places: Vec<(Vec<Action>, &str)> = Vec::new();
    for action in Action::ALL {
        let word = if closed {
            action.footer_done()
        } else {
            action.footer(running)
        };
        let Some(word) = word else {
            continue;
        };
        match places.last_mut() {
            Some((actions, last)) if *last == word => actions.push(action),
            _ => places.push((vec![action], word)),
        }
    }
    let mut shown: Vec<(Action, String, String)> = Vec::new();
    for (actions, what) in places {
        let keys: Vec<String> = actions
            .iter()
            .filter_map(|a| app.keymap.first(*a))
            .collect();
        if keys.is_empty() {
            continue;
        }
        shown.push((actions[0], keys.join("/"), format!(" {what}  ")));
    }
    let used = |shown: &[(Action, String, String)]| -> usize {
        use unicode_width::UnicodeWidthStr as _;
        let all: usize = shown.iter().map(|(_, k, w)| k.width() + w.width()).sum();
        all.saturating_sub(2)
    };
    for least in GIVES_WAY {
        if used(&shown) <= width {
            break;
        }
        shown.retain(|(a, _, _)| *a != least);
    }
    let mut spans = Vec::new();
    for (_, keys, what) in shown {
        spans.push(Span::styled(keys, st.key));
        spans.push(Span::raw(what));
    }
    Line::from(spans)
}

/// The footer's keys in the order they give way in a narrow pane (the first goes
/// first); help and quit are not among them.
const GIVES_WAY: [Action; 7] = [
    Action::Back,
    Action::AddTime,
    Action::NextRoutine,
    Action::History,
    Action::Skip,
    Action::Again,
    Action::Next,
];
