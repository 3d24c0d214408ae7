//! The current step: name, notes, the big countdown, gauges, and a Roll step's zones.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, LineGauge, Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};

use super::clean;
use super::styles;
use crate::dashboard::app::{Action, App};
use crate::routine::config::technique;

use crate::routine::words::{clock, next_roll_day};
use crate::session::countdown::{Countdown, shown_secs};
use ratatui::style::Style;

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
    // Centred in the height it is given: a short number does not hang at the top.
    let rows = match size {
        Some(PixelSize::Full) => 8,
        Some(_) => 4,
        None => 1,
    };
    let [area] = Layout::vertical([Constraint::Length(rows)])
        .flex(ratatui::layout::Flex::Center)
        .areas(area);
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
        hands,
        state,
        asides_area,
        step_bar,
        session_bar,
        _,
        zones_area,
    ] = Layout::vertical([
        Constraint::Length(if notes.is_empty() { 0 } else { 2 }),
        Constraint::Max(8),
        Constraint::Length(u16::from(pass.is_some())),
        Constraint::Length(1),
        Constraint::Length(asides.len() as u16),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), notes_area);

    let left = run.step_left(now);
    countdown(mirror_secs(app, now), st.accent, frame, big);
    if let Some(line) = hands_line(app, now) {
        frame.render_widget(Paragraph::new(line.centered()), hands);
    }
    frame.render_widget(Paragraph::new(state_line(app, now).centered()), state);
    frame.render_widget(Paragraph::new(asides), asides_area);
    let (at, of) = run.position();
    let label = if pass.is_some() {
        format!("step {at} of {of} · {} left", clock(shown_secs(left)))
    } else {
        format!("step {at} of {of}")
    };
    bar(
        frame,
        step_bar,
        st.accent,
        passed(left, step.length()),
        label,
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
    bar(frame, session_bar, st.done, ratio, label);
}

/// What the big digits count: during a Roll step's pass, the time left in the direction
/// being rolled (the hands follow it, and it is what changes next: "turn now"); else
/// the step's time left. The zone's and the step's times are shown smaller.
fn mirror_secs(app: &App, now: Instant) -> String {
    let run = &app.run;
    let left = match run.current_pass(now) {
        Some(pass) => pass.ends.saturating_sub(run.part_elapsed(now)),
        None => run.step_left(now),
    };
    clock(shown_secs(left))
}

/// During a Roll step's pass: the zone and the direction, readable from the mirror
/// ("Forehead · horizontal ×4").
fn hands_line(app: &App, now: Instant) -> Option<Line<'static>> {
    let st = styles(app);
    let run = &app.run;
    let step = run.current_step()?;
    let pass = run.current_pass(now)?;
    let zone = run
        .current_part()
        .and_then(|p| p.zone.as_deref())
        .map(|z| format!("{} · ", clean(z)))
        .unwrap_or_default();
    Some(Line::styled(
        format!("{zone}{} ×{}", pass.direction.as_str(), step.passes),
        st.accent.add_modifier(ratatui::style::Modifier::BOLD),
    ))
}

/// A labelled bar: the label, then the bar after it, so that no text is ever drawn on
/// the bar (a label over a growing bar became grey on yellow). Thick where done, thin
/// where still to come, readable without colour.
fn bar(frame: &mut Frame, area: Rect, style: Style, ratio: f64, label: String) {
    frame.render_widget(
        LineGauge::default()
            .filled_symbol(ratatui::symbols::line::THICK_HORIZONTAL)
            .unfilled_symbol(ratatui::symbols::line::HORIZONTAL)
            .filled_style(style)
            .unfilled_style(Style::default().add_modifier(ratatui::style::Modifier::DIM))
            .ratio(ratio)
            .label(label),
        area,
    );
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

/// Small panes: the current step, its countdown, the zone and the direction while
/// rolling; in a tall pane, the step list under the digits.
pub fn render_compact(app: &App, now: Instant, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let run = &app.run;
    let Some(step) = run.current_step() else {
        if !run.is_finished() {
            return super::alongside::render_left(app, now, frame, area);
        }
        return summary(app, frame, area);
    };
    let rolling = run.current_pass(now).is_some();
    // The digits take up to 8 rows; what a tall pane has beyond them holds the list.
    let tall = area.height >= 8 + 3 + 6;
    let asides = super::alongside::lines(app, now);
    // The steps alongside take a line each, as long as the countdown keeps three.
    let shown = (asides.len() as u16).min(area.height.saturating_sub(6));
    let [name, big, hands, state, asides_area, _, list] = Layout::vertical([
        Constraint::Length(1),
        if tall {
            Constraint::Length(8)
        } else {
            Constraint::Min(0)
        },
        Constraint::Length(u16::from(rolling)),
        Constraint::Length(1),
        Constraint::Length(shown),
        Constraint::Length(u16::from(tall)),
        if tall {
            Constraint::Min(0)
        } else {
            Constraint::Length(0)
        },
    ])
    .areas(area);
    let (at, of) = run.position();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("▶ {}", clean(&step.name)), st.accent),
            Span::styled(format!("  {at}/{of}"), st.off),
        ])),
        name,
    );
    countdown(mirror_secs(app, now), st.accent, frame, big);
    if let Some(line) = hands_line(app, now) {
        frame.render_widget(Paragraph::new(line.centered()), hands);
    }
    frame.render_widget(Paragraph::new(state_line(app, now).centered()), state);
    frame.render_widget(Paragraph::new(asides), asides_area);
    if tall {
        super::steps::render(app, frame, list);
    }
}
