//! The questions: the pre-roll check-in, "replace the roller?", the rating and note.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::clean;
use super::styles;
use crate::dashboard::app::{App, CheckIn, NoteDraft, Overlay};

/// Draws the open question centred over `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let (title, lines): (&str, Vec<Line>) = match &app.overlay {
        Some(Overlay::CheckIn(checkin)) => {
            (" before rolling tonight ", checkin_lines(app, checkin, &st))
        }
        Some(Overlay::ConfirmReplace) => (
            " roller ",
            vec![
                Line::raw("Record a new roller? Uses start again from 0."),
                Line::raw(""),
                Line::styled("y yes · any other key no", st.key),
            ],
        ),
        Some(Overlay::Note(draft)) => (" how is your skin? ", note_lines(draft, &st)),
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
    lines.push(Line::styled(
        "n none, roll · y skip rolling tonight · 1-9,0 mark · Esc later",
        st.key,
    ));
    lines
}
