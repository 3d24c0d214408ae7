//! The current step: name, notes, the big countdown, gauges, and a Roll step's zones.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};

use super::clean;
use super::styles;
use crate::dashboard::app::{Action, App};
use crate::routine::config::technique;

use crate::routine::words::{clock, next_roll_day};
use crate::session::countdown::{Countdown, shown_secs};
use ratatui::style::{Color, Style};

/// Share of `length` that has passed when `left` is left, in 0..=1.
fn passed(left: Duration, length: Duration) -> f64 {
    if length.is_zero() {
        return 1.0;
    }
    (1.0 - left.as_secs_f64() / length.as_secs_f64()).clamp(0.0, 1.0)
}

fn state_line(app: &App, now: Instant) -> Line<'static> {
    let st = styles(app);
    let key = app.keymap.first(Action::StartPause).unwrap_or_default();
    if let Some(waiting) = super::alongside::waiting(app, now) {
        return Line::styled(waiting, st.warning);
    }
    match app.run.countdown {
        Countdown::Running { .. } => Line::styled(format!("running · {key} pauses"), st.accent),
        Countdown::Paused { .. } => Line::styled(format!("paused · {key} goes on"), st.warning),
        Countdown::Idle { .. } if app.read_only => Line::styled("read-only", st.off),
        Countdown::Idle { .. } => Line::raw(format!("{key} starts the step")),
    }
}

/// The big countdown, as large as the area allows.
fn countdown(text: String, style: Style, frame: &mut Frame, area: Rect) {
    let size = if area.height >= 8 && area.width >= 8 * text.len() as u16 {
        Some(PixelSize::Full)
    } else if area.height >= 4 && area.width >= 4 * text.len() as u16 {
        Some(PixelSize::Quadrant)
    } else {
        None
    };
    match size {
        Some(size) => frame.render_widget(
            BigText::builder()
                .pixel_size(size)
                .style(style)
                .lines(vec![text.into()])
                .centered()
                .build(),
            area,
        ),
        None => frame.render_widget(Paragraph::new(Line::styled(text, style).centered()), area),
    }
}

/// Draws the current step (or the summary once all are done).
pub fn render(app: &App, now: Instant, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let run = &app.run;
    let Some(step) = run.current_step() else {
        if !run.is_finished() {
            return super::alongside::render_left(app, now, frame, area);
        }
        return summary(app, frame, area);
    };
    let block =
        Block::bordered().title(format!(" {} · {} ", clean(&step.name), step.kind.as_str()));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let notes = step.notes.as_deref().map(clean).unwrap_or_default();
    let zones = step.parts.len() > 1;
    let pass = run.current_pass(now);
    let asides = super::alongside::lines(app, now);
    let [
        notes_area,
        big,
        state,
        asides_area,
        pass_gauge,
        step_gauge,
        session_gauge,
        _,
        zones_area,
    ] = Layout::vertical([
        Constraint::Length(if notes.is_empty() { 0 } else { 2 }),
        Constraint::Max(8),
        Constraint::Length(1),
        Constraint::Length(asides.len() as u16),
        Constraint::Length(u16::from(pass.is_some())),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), notes_area);

    let left = run.step_left(now);
    countdown(clock(shown_secs(left)), st.accent, frame, big);
    frame.render_widget(Paragraph::new(state_line(app, now).centered()), state);
    frame.render_widget(Paragraph::new(asides), asides_area);
    if let Some(pass) = pass {
        // Eyes on the mirror: the direction and its passes, readable at a glance.
        let pass_left = pass.ends.saturating_sub(run.part_elapsed(now));
        let label = format!(
            "{} ×{} · {}",
            pass.direction.as_str(),
            step.passes,
            clock(shown_secs(pass_left))
        );
        let ratio = passed(pass_left, pass.length());
        gauge(frame, pass_gauge, st.warning, ratio, label);
    }
    let (at, of) = run.position();
    let ratio = passed(left, step.length());
    gauge(
        frame,
        step_gauge,
        st.accent,
        ratio,
        format!("step {at} of {of}"),
    );
    if zones {
        zone_list(app, now, frame, zones_area);
    }
    let session_left = run.session_left(now);
    let label = format!(
        "session {} left of {}",
        clock(shown_secs(session_left)),
        clock(run.session_length().as_secs())
    );
    let ratio = passed(session_left, run.session_length());
    gauge(frame, session_gauge, st.done, ratio, label);
}

/// A gauge whose label stays readable where the bar has grown under it: ratatui draws
/// those letters in the gauge's background colour, unset here, so they took the
/// terminal's own text colour on the bar's (light grey on yellow). They get a colour
/// that stands out on the bar instead.
fn gauge(frame: &mut Frame, area: Rect, style: Style, ratio: f64, label: String) {
    frame.render_widget(
        Gauge::default()
            .gauge_style(style)
            .ratio(ratio)
            .label(label),
        area,
    );
    let Some(bar) = style.fg else { return };
    let text = on(bar);
    let buf = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.bg == bar {
                cell.set_fg(text);
            }
        }
    }
}

/// Black on a light colour, white on a dark one.
fn on(bar: Color) -> Color {
    let light = match bar {
        Color::Rgb(r, g, b) => {
            u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114 > 128_000
        }
        Color::Indexed(_) | Color::Reset => true,
        Color::Black | Color::Red | Color::Blue | Color::Magenta | Color::DarkGray => false,
        _ => true,
    };
    if light { Color::Black } else { Color::White }
}

fn zone_list(app: &App, now: Instant, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let run = &app.run;
    let Some(step) = run.current_step() else {
        return;
    };
    let mut lines = Vec::new();
    for (i, part) in step.parts.iter().enumerate() {
        let name = clean(part.zone.as_deref().unwrap_or(""));
        let (mark, time, style) = if i < run.part {
            ("✓", clock(part.length.as_secs()), st.done)
        } else if i == run.part {
            ("▶", clock(shown_secs(run.part_left(now))), st.accent)
        } else {
            ("·", clock(part.length.as_secs()), st.pending)
        };
        lines.push(Line::styled(format!("{mark} {name:<16} {time}"), style));
    }
    // The current zone's own directions, when it names them.
    let line = run
        .current_part()
        .filter(|p| !p.directions.is_empty())
        .map(|p| technique(&p.directions, step.passes))
        .or_else(|| step.technique.clone());
    if let Some(technique) = line {
        lines.push(Line::styled(
            format!("{technique}, lift between passes"),
            st.off,
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// Once every step is done or skipped: what the session came to, as the journal has it
/// (the same counts as the history), and what comes next.
fn summary(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let run = &app.run;
    let taken = run.taken_secs();
    let mut head = format!("{} done", clean(&run.routine));
    if run.rolled() {
        head.push_str(" · rolled");
    } else if run.roll_declined() {
        head.push_str(" · no roll tonight");
    }
    if run.again {
        head.push_str(" · once more");
    }
    let (done, skipped) = app.run_tally();
    let mut lines = vec![
        Line::styled(head, st.done),
        Line::raw(""),
        Line::raw(format!("time taken  {}", clock(taken))),
        Line::raw(format!("steps       {done} done, {skipped} skipped")),
    ];
    if let Some(r) = &app.plan.roller {
        if run.rolled() {
            lines.push(Line::raw(format!(
                "roller      use {} of {}",
                r.uses, r.replace_after_uses
            )));
        }
        if r.replace {
            lines.push(Line::styled(
                "replace the roller before the next roll",
                st.warning,
            ));
        }
        lines.push(Line::raw(format!(
            "next roll   {}",
            next_roll_day(app.next_roll(), app.plan.date)
        )));
    }
    if let Some(next) = app.next_up() {
        lines.push(Line::raw(format!("next        {next}")));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(" summary ")),
        area,
    );
}

/// Small panes: the current step, its countdown, nothing else.
pub fn render_compact(app: &App, now: Instant, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let run = &app.run;
    let Some(step) = run.current_step() else {
        if !run.is_finished() {
            return super::alongside::render_left(app, now, frame, area);
        }
        return summary(app, frame, area);
    };
    let asides = super::alongside::lines(app, now);
    // The steps alongside take a line each, as long as the countdown keeps three.
    let room = area.height.saturating_sub(5);
    let shown = (asides.len() as u16).min(room);
    let [name, big, state, asides_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(shown),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(asides), asides_area);
    let mut zone = step.parts[run.part]
        .zone
        .as_deref()
        .map(|z| format!(" · {}", clean(z)));
    if let (Some(zone), Some(pass)) = (zone.as_mut(), run.current_pass(now)) {
        zone.push_str(&format!(" · {} ×{}", pass.direction.as_str(), step.passes));
    }
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("▶ {}", clean(&step.name)), st.accent),
            Span::raw(zone.unwrap_or_default()),
            Span::styled(
                {
                    let (at, of) = run.position();
                    format!("  {at}/{of}")
                },
                st.off,
            ),
        ])),
        name,
    );
    countdown(clock(shown_secs(run.step_left(now))), st.accent, frame, big);
    frame.render_widget(Paragraph::new(state_line(app, now).centered()), state);
}
