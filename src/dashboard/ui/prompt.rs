//! The questions: the pre-roll check-in, "replace the roller?", the rating and note.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::clean;
use super::styles;
use crate::dashboard::app::{App, CheckIn, NoteDraft, Overlay};
use crate::routine::words::{clock, short_date};

/// Draws the open question centred over `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let (title, lines): (&str, Vec<Line>) = match &app.overlay {
        Some(Overlay::CheckIn(checkin)) => {
            let lines = checkin_lines(app, checkin, &st);
            let width = 72.min(area.width);
            // Every line, as wrapped in the popup, must fit; else the compact list.
            let inner = usize::from(width.saturating_sub(2)).max(1);
            let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
            if rows + 2 > usize::from(area.height) {
                return checkin_compact(app, checkin, frame, area);
            }
            (" before rolling tonight ", lines)
        }
        Some(Overlay::ConfirmReplace) => (
            " roller ",
            vec![
                Line::raw("Record a new roller? Uses start again from 0."),
                Line::raw(""),
                Line::styled("y yes · any other key no", st.key),
            ],
        ),
        Some(Overlay::ConfirmAgain) => (
            " once more ",
            vec![
                Line::raw(format!(
                    "{} is done today. Run it once more?",
                    clean(&app.run.routine)
                )),
                Line::raw("Steps a roll today pauses are passed by; no second roll."),
                Line::raw(""),
                Line::styled("y yes · any other key no", st.key),
            ],
        ),
        Some(Overlay::ConfirmRoll { rolled, length }) => (
            " did you roll? ",
            vec![
                Line::raw(format!(
                    "The roll ran {} of {}. Does it count as a roll?",
                    clock(rolled.as_secs()),
                    clock(length.as_secs())
                )),
                Line::raw("y: a roller use, the pauses after rolling hold"),
                Line::raw("n: not rolled tonight, a rest night"),
                Line::raw(""),
                Line::styled("y counts · n does not · Esc back to rolling", st.key),
            ],
        ),
        Some(Overlay::Note(draft)) => (" how is your skin? ", note_lines(draft, &st)),
        Some(Overlay::Holds) => (" what holds rolling ", holds_lines(app, &st)),
        _ => return,
    };
    let width = 72.min(area.width);
    let height = (lines.len() as u16 + 3).min(area.height);
    let popup = super::centred(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        popup,
    );
}

/// The lasting answers standing, numbered, and what a number does.
fn holds_lines(app: &App, st: &super::theme::Styles) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = app
        .holds()
        .iter()
        .enumerate()
        .map(|(i, hold)| {
            Line::raw(format!(
                "{}  {} · yes {}{}",
                i + 1,
                clean(&hold.ask),
                short_date(hold.day),
                if hold.holds_retinoids {
                    " · retinoids off"
                } else {
                    ""
                }
            ))
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        "No roll is planned while one stands; clear it once it no longer applies.",
    ));
    lines.push(Line::styled(
        "1-9 clears that one · any other key closes",
        st.key,
    ));
    lines
}

fn note_lines(draft: &NoteDraft, st: &super::theme::Styles) -> Vec<Line<'static>> {
    if !draft.rated {
        return vec![
            Line::raw("Rate your skin 1 (bad) to 5 (great)"),
            Line::styled("1–5 rate · Enter pass · Esc or any other key skips", st.key),
        ];
    }
    let rating = draft
        .rating
        .map(|r| format!("skin {r}/5 · "))
        .unwrap_or_default();
    vec![
        Line::raw(format!("{rating}a note for the journal:")),
        Line::styled(format!("> {}▏", clean(&draft.text)), st.accent),
        Line::styled("Enter save · Esc skip", st.key),
    ]
}

/// Every question on one screen, numbered for marking.
fn checkin_lines(app: &App, checkin: &CheckIn, st: &super::theme::Styles) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if app.first_checkin() {
        // Said once, where it is read: the first check-in a person sees.
        lines.push(Line::raw(
            "Not medical advice. Diabetes, immunosuppression, chemotherapy or",
        ));
        lines.push(Line::raw("radiation: ask a doctor once before you start."));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Does any of these apply today?", st.accent));
    for (i, (question, marked)) in app.config.checkin.iter().zip(&checkin.marked).enumerate() {
        let key = if i < 10 {
            format!("{}", (i + 1) % 10)
        } else {
            " ".into()
        };
        let mark = if *marked { "[x]" } else { "[ ]" };
        lines.push(Line::raw(format!("{key} {mark} {}", clean(&question.ask))));
    }
    lines.push(Line::raw(""));
    if checkin.refused {
        lines.push(Line::styled(refused_line(checkin), st.warning));
    }
    lines.push(Line::styled(
        "n none, roll · y skip rolling tonight · 1-9,0 mark · Esc later",
        st.key,
    ));
    lines
}

/// Why `n` did nothing: a marked question is an answer.
fn refused_line(checkin: &CheckIn) -> String {
    let marked = checkin.marked.iter().filter(|m| **m).count();
    format!("{marked} marked: y skips rolling tonight")
}

/// A pane too small for every question: one line each, cut to the width, as many as fit
/// around the one last marked (↑↓ move), with the keys always on screen under them.
fn checkin_compact(app: &App, checkin: &CheckIn, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let popup = super::centred(area, area.width.min(72), area.height);
    let inner = usize::from(popup.width.saturating_sub(2));
    let mut foot = Vec::new();
    if checkin.refused {
        foot.push(Line::styled(
            super::fit_line(&refused_line(checkin), inner),
            st.warning,
        ));
    }
    // The first check-in says it is not medical advice even in a small pane.
    if app.first_checkin() {
        foot.push(Line::styled(
            super::fit_line("not medical advice; ask a doctor", inner),
            st.warning,
        ));
    }
    foot.push(Line::styled(
        super::fit_line("n none, roll · y skip tonight", inner),
        st.key,
    ));
    foot.push(Line::styled(
        super::fit_line("1-9,0 mark · ↑↓ more · Esc later", inner),
        st.key,
    ));
    let count = checkin.marked.len();
    let rows = usize::from(popup.height.saturating_sub(2)).saturating_sub(foot.len());
    let text = |i: usize, question: &str| {
        let key = if i < 10 {
            format!("{}", (i + 1) % 10)
        } else {
            " ".into()
        };
        let mark = if checkin.marked[i] { "[x]" } else { "[ ]" };
        format!("{key} {mark} {}", clean(question))
    };
    // The question in focus is shown whole, wrapped under its mark; the others one line.
    let focus = checkin.focus.min(count.saturating_sub(1));
    let whole = app
        .config
        .checkin
        .get(focus)
        .map(|q| super::wrap_under(&text(focus, &q.ask), inner, 6))
        .unwrap_or_default();
    let extra = whole.len().saturating_sub(1).min(rows.saturating_sub(1));
    let shown = rows.saturating_sub(extra).min(count);
    // The window holds the focus, as near the bottom as the list allows.
    let first = focus
        .saturating_sub(shown.saturating_sub(1))
        .min(count - shown);
    let mut lines: Vec<Line> = Vec::new();
    for (i, question) in app
        .config
        .checkin
        .iter()
        .enumerate()
        .skip(first)
        .take(shown)
    {
        if i == focus {
            let room = rows.saturating_sub(shown - 1);
            lines.extend(
                whole
                    .iter()
                    .take(room)
                    .map(|l| Line::styled(l.clone(), st.accent)),
            );
        } else {
            lines.push(Line::styled(
                super::fit_line(&text(i, &question.ask), inner),
                st.pending,
            ));
        }
    }
    lines.extend(foot);
    let title = if shown < count {
        format!(
            " before rolling {}-{} of {count} ",
            first + 1,
            first + shown
        )
    } else {
        " before rolling tonight ".to_string()
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        popup,
    );
}
