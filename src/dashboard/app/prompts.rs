//! The questions the dashboard asks: the pre-roll check-in, "replace the roller?", and
//! the rating and note at the end of a session.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Effect, InputKey, NoteDraft, Overlay};
use crate::routine::config::StepKind;
use crate::routine::journal::Record;
use crate::session::Moment;
use crate::session::countdown::Countdown;

/// The longest note kept: one line.
const NOTE_CHARS: usize = 200;

impl App {
    /// A question or the note is open: keys are typed into it, not bound to actions.
    pub fn takes_text(&self) -> bool {
        matches!(
            self.overlay,
            Some(Overlay::CheckIn { .. } | Overlay::ConfirmReplace | Overlay::Note(_))
        )
    }

    /// The current step is a Roll step not yet started, and the check-in has not
    /// been answered for this run.
    pub(super) fn needs_checkin(&self) -> bool {
        !self.config.checkin.is_empty()
            && !self.checked_in
            && !self.read_only
            && matches!(self.run.countdown, Countdown::Idle { .. })
            && self
                .run
                .current_step()
                .is_some_and(|s| s.kind == StepKind::Roll)
    }

    pub(super) fn ask_replace(&mut self) {
        if self.config.roller.is_some() {
            self.overlay = Some(Overlay::ConfirmReplace);
        } else {
            self.status = Some("the config has no roller".into());
        }
    }

    /// A key typed into the open question.
    pub(super) fn input(&mut self, key: InputKey, now: Moment) -> Vec<Effect> {
        match self.overlay.take() {
            Some(Overlay::CheckIn { question }) => self.answer_checkin(question, key, now),
            Some(Overlay::ConfirmReplace) => {
                if matches!(key, InputKey::Char('y' | 'Y')) {
                    let record = Record::RollerReplaced { at: now.wall };
                    self.status = Some("new roller recorded: uses start again from 0".into());
                    return self.journaled_only(record, now);
                }
                Vec::new()
            }
            Some(Overlay::Note(draft)) => self.write_note(draft, key, now),
            other => {
                self.overlay = other;
                Vec::new()
            }
        }
    }

    /// y: skip rolling today; n or Enter: the next question, and after the last, the
    /// roll starts; Esc: back to the step, not started.
    fn answer_checkin(&mut self, question: usize, key: InputKey, now: Moment) -> Vec<Effect> {
        match key {
            InputKey::Char('y' | 'Y') => {
                let reason = format!("check-in: {}", self.config.checkin[question]);
                let events = self.run.skip_rolling(&reason, now);
                self.status = Some("no rolling today: the next rolling day is tomorrow".into());
                self.after(events, now)
            }
            InputKey::Char('n' | 'N') | InputKey::Enter => {
                if question + 1 < self.config.checkin.len() {
                    self.overlay = Some(Overlay::CheckIn {
                        question: question + 1,
                    });
                    return Vec::new();
                }
                self.checked_in = true;
                let events = self.run.start_pause(now);
                self.after(events, now)
            }
            InputKey::Esc => Vec::new(),
            _ => {
                self.overlay = Some(Overlay::CheckIn { question });
                Vec::new()
            }
        }
    }

    /// First a rating 1–5 (Enter passes), then a line of text (Enter saves); Esc skips
    /// what is left. What was given is journaled with the session.
    fn write_note(&mut self, mut draft: NoteDraft, key: InputKey, now: Moment) -> Vec<Effect> {
        match key {
            InputKey::Char(c @ '1'..='5') if !draft.rated => {
                draft.rating = c.to_digit(10).map(|d| d as u8);
                draft.rated = true;
            }
            InputKey::Enter if !draft.rated => draft.rated = true,
            // Before the first answer, any other key is not meant for the note: it closes
            // the question and does what it is bound to (q quits).
            InputKey::Char(c) if !draft.rated => {
                let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                return match self.keymap.action(key) {
                    Some(action) => self.act(action, now),
                    None => Vec::new(),
                };
            }
            InputKey::Char(c)
                if draft.rated && !c.is_control() && draft.text.chars().count() < NOTE_CHARS =>
            {
                draft.text.push(c);
            }
            InputKey::Backspace if draft.rated => {
                draft.text.pop();
            }
            InputKey::Enter | InputKey::Esc => return self.note_done(draft, now),
            _ => {}
        }
        self.overlay = Some(Overlay::Note(draft));
        Vec::new()
    }

    fn note_done(&mut self, draft: NoteDraft, now: Moment) -> Vec<Effect> {
        let note = Some(draft.text.trim().to_string()).filter(|t| !t.is_empty());
        if draft.rating.is_none() && note.is_none() {
            return Vec::new();
        }
        let Some(started) = self.run.started else {
            return Vec::new();
        };
        let record = Record::SessionNote {
            routine: self.run.routine.clone(),
            started,
            rating: draft.rating,
            note,
        };
        self.status = Some("noted in the journal".into());
        self.journaled_only(record, now)
    }

    /// Appends a record that leaves any saved session alone.
    fn journaled_only(&mut self, record: Record, now: Moment) -> Vec<Effect> {
        self.journal.add(record.clone());
        self.plan = crate::routine::plan::plan(&self.config, &self.journal, self.day, &now.wall);
        vec![Effect::Append(record)]
    }
}
