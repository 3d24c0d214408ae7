//! The step list: each step with its mark and time; steps off today dimmed with why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::styles;
use super::theme::Styles;
use super::{clean, fit, wrap_under};
use crate::dashboard::app::App;
use crate::routine::journal::StepOutcome;
use crate::routine::plan::{PAUSED_AFTER, PAUSED_AFTER_WHY, StepState};
use crate::routine::words::clock;

/// Where a step stands on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    Current,
    /// Running alongside the step in hand.
    Aside,
    Pending,
    Skipped,
    Off,
}

impl Mark {
    /// The symbol, readable without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Done => "✓",
            Mark::Current => "▶",
            Mark::Aside => "◐",
            Mark::Pending => "·",
            Mark::Skipped => "↷",
            Mark::Off => "–",
        }
    }

    fn style(self, st: &Styles) -> Style {
        match self {
            Mark::Done => st.done,
            Mark::Current | Mark::Aside => st.accent,
            Mark::Pending | Mark::Skipped => st.pending,
            Mark::Off => st.off,
        }
    }
}

/// The mark of the plan's step `index` in the routine shown.
pub fn mark(app: &App, index: usize) -> Mark {
    let planned = &app.routine_plan().steps[index];
    let run = &app.run;
    let in_run = run.steps.iter().position(|s| s.name == planned.name);
    if planned.status == StepState::Off
        && !in_run.is_some_and(|i| run.has_started() && !run.held_off(i))
    {
        return Mark::Off;
    }
    // Before a new run starts, a routine done today shows what the journal says.
    if !run.has_started() {
        match planned.status {
            StepState::Done => return Mark::Done,
            StepState::Skipped => return Mark::Skipped,
            _ => {}
        }
    }
    let Some(i) = run.steps.iter().position(|s| s.name == planned.name) else {
        return Mark::Off;
    };
    // Off because of the roll: passed by, or to be (it comes on after a declined roll).
    if run.held_off(i) {
        return Mark::Off;
    }
    match run.steps[i].outcome {
        Some(StepOutcome::Done) => Mark::Done,
        Some(StepOutcome::Skipped) => Mark::Skipped,
        None if run.steps[i].aside.is_some() => Mark::Aside,
        None if i == run.current => Mark::Current,
        None => Mark::Pending,
    }
}

/// Draws the list.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let width = area.width.saturating_sub(4) as usize;
    let inner = usize::from(area.width.saturating_sub(2));
    let mut lines = Vec::new();
    let mut said_why = false;
    for (i, step) in app.routine_plan().steps.iter().enumerate() {
        let mark = mark(app, i);
        let time = clock(step.secs);
        let name_width = width.saturating_sub(time.len() + 3);
        let name = fit(&clean(&step.name), name_width);
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", mark.symbol()), mark.style(&st)),
            Span::styled(format!("{name} "), mark.style(&st)),
            Span::styled(time, mark.style(&st)),
        ]));
        // A step passed by in this run tells why; one off in the plan tells the plan's why.
        let passed = app
            .run
            .steps
            .iter()
            .find(|s| s.name == step.name && s.auto && s.outcome.is_some())
            .and_then(|s| s.reason.as_deref());
        // After a declined roll a step still off tells its own reason, not the roll's.
        let planned = if app.run.roll_declined() {
            step.reason_without_roll
                .as_deref()
                .or(step.reason.as_deref())
        } else {
            step.reason.as_deref()
        };
        let why = match mark {
            Mark::Off => passed.or(planned),
            // Skipped by the app (a "yes" at the check-in): why, too.
            Mark::Skipped => passed,
            _ => None,
        };
        // Wrapped under the step, not from the edge; the first pause after rolling says
        // why, once.
        if let Some(reason) = why {
            for line in wrap_under(&format!("  {}", clean(reason)), inner, 2) {
                lines.push(Line::styled(line, st.off));
            }
            if reason.starts_with(PAUSED_AFTER) && !said_why {
                said_why = true;
                let why = PAUSED_AFTER_WHY.trim_start_matches(PAUSED_AFTER);
                let why = why
                    .trim_start_matches(": ")
                    .split(" (")
                    .next()
                    .unwrap_or(why);
                for line in wrap_under(&format!("  ({why})"), inner, 3) {
                    lines.push(Line::styled(line, st.off));
                }
            }
        }
        // An expired product: the step still runs, the person decides.
        if let Some(warning) = &step.warning {
            for line in wrap_under(&format!("  ⚠ {}", clean(warning)), inner, 4) {
                lines.push(Line::styled(line, st.warning));
            }
        }
    }
    // What the config asks of this routine that cannot be right (conflicting actives,
    // a step that never runs), under the steps.
    for warning in &app.routine_plan().warnings {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("⚠ ", st.warning),
            Span::raw(clean(warning)),
        ]));
    }
    // After a roll, on the days it reaches: what to keep off the skin, until when.
    let aftercare = app.aftercare();
    if !aftercare.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled("after rolling, no:", st.accent));
        for item in &aftercare {
            let text = format!(
                "  {} · {} {}",
                clean(&item.avoid),
                item.until.format("%a"),
                item.until.format("%H:%M")
            );
            for line in wrap_under(&text, inner, 4) {
                lines.push(Line::styled(line, st.off));
            }
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" steps ")),
        area,
    );
}
