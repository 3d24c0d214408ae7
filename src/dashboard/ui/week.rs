//! The nights ahead: one column a day, one row per step that is not on every day (the
//! roll first), after-care below; the reason of the cell under the cursor. As many days
//! as the pane holds, the cursor's day always among them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{clean, fit, styles, wrap_under};
use crate::dashboard::app::{App, Overlay};
use crate::routine::plan::StepState;
use crate::routine::words::short_date;
use crate::session::ahead::rows;

/// Width of a day's column: " Thu".
const COLUMN: usize = 4;

/// Draws the view over the whole of `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(Overlay::Week(at)) = app.overlay else {
        return;
    };
    let st = styles(app);
    let block = Block::bordered().title(" nights ahead · ←→ ↑↓ move · Esc closes ");
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let plans = &app.week;
    let rows = rows(&app.config, plans);
    let width = usize::from(inner.width);
    let label = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0)
        .max(10)
        .min(width / 3)
        + 1;
    let fits = (width.saturating_sub(label) / COLUMN).clamp(1, plans.len().max(1));
    let day = at.day.min(plans.len().saturating_sub(1));
    let first = day.saturating_sub(fits - 1);
    let shown = &plans[first.min(plans.len())..(first + fits).min(plans.len())];
    let pad = " ".repeat(label);
    let mut lines = vec![
        Line::styled(
            format!(
                "{pad}{}",
                shown
                    .iter()
                    .map(|p| format!("{:>COLUMN$}", p.date.format("%a").to_string()))
                    .collect::<String>()
            ),
            st.off,
        ),
        Line::styled(
            format!(
                "{pad}{}",
                shown
                    .iter()
                    .map(|p| format!("{:>COLUMN$}", p.date.format("%-d").to_string()))
                    .collect::<String>()
            ),
            st.off,
        ),
    ];
    for (r, row) in rows.iter().enumerate() {
        let mut spans = vec![Span::styled(
            fit(&clean(&row.label), label),
            if row.roll { st.accent } else { st.pending },
        )];
        for (i, on) in row.on.iter().enumerate().skip(first).take(fits) {
            let (mark, style) = if *on {
                ("●", st.done)
            } else {
                ("·", st.off)
            };
            let style = if r == at.row && i == day {
                style.add_modifier(Modifier::REVERSED)
            } else {
                style
            };
            spans.push(Span::raw("   "));
            spans.push(Span::styled(mark, style));
        }
        lines.push(Line::from(spans));
    }
    if shown.iter().any(|p| !p.aftercare.is_empty()) {
        let mut spans = vec![Span::styled(fit("after-care", label), st.warning)];
        for p in shown {
            spans.push(Span::raw("   "));
            // How many of its items are in force that day.
            spans.push(match p.aftercare.len() {
                0 => Span::styled("·", st.off),
                n => Span::styled(n.min(9).to_string(), st.warning),
            });
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::default());
    // What the cursor is on, and why.
    if let (Some(row), Some(plan)) = (rows.get(at.row), plans.get(day)) {
        let step = plan
            .routines
            .get(row.routine)
            .and_then(|r| r.steps.get(row.step));
        let state = match step {
            Some(s) if s.status == StepState::Off => {
                format!("off: {}", s.reason.as_deref().unwrap_or("off"))
            }
            Some(_) => "runs".to_string(),
            None => String::new(),
        };
        let text = format!(
            "{}{} · {}: {state}",
            short_date(plan.date),
            if plan.rolling_day {
                " (roll night)"
            } else {
                ""
            },
            row.label
        );
        for line in wrap_under(&clean(&text), width, 2) {
            lines.push(Line::styled(line, st.accent));
        }
    }
    if let Some(line) = plans.get(day).and_then(|p| p.aftercare_line()) {
        for line in wrap_under(&clean(&line), width, 2) {
            lines.push(Line::styled(line, st.warning));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
