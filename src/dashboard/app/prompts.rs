//! The questions the dashboard asks: the pre-roll check-in, "replace the roller?", and
//! the rating and note at the end of a session.

use super::{Action, App, CheckIn, Effect, InputKey, NoteDraft, Overlay};
use crate::routine::actives::{broken_skin_reason, spares_broken_skin};
use crate::routine::config::{CheckinItem, StepKind};
use crate::routine::journal::Record;
use crate::routine::keys::{Key, KeyChord};
use crate::session::Moment;
use crate::session::countdown::Countdown;

/// The longest note kept: one line.
const NOTE_CHARS: usize = 200;

impl App {
    /// A question or the note is open: keys are typed into it, not bound to actions.
    pub fn takes_text(&self) -> bool {
        matches!(
            self.overlay,
            Some(
                Overlay::CheckIn(_)
                    | Overlay::ConfirmReplace
                    | Overlay::ConfirmAgain
                    | Overlay::Holds
                    | Overlay::Alongside(_)
                    | Overlay::ConfirmRoll { .. }
                    | Overlay::Note(_)
            )
        )
    }

    /// The run holds a roll still to come and the check-in has not been answered: asked
    /// before the session's first step (before the roller is soaked). A session saved by
    /// an earlier version, which asked at the Roll step, asks there.
    /// No check-in was answered yet (no session in the journal has a Roll step, done
    /// or skipped): the first one says that this is not medical advice.
    pub fn first_checkin(&self) -> bool {
        !self
            .journal
            .sessions()
            .any(|s| s.steps.iter().any(|x| x.kind == StepKind::Roll.as_str()))
    }

    pub(super) fn needs_checkin(&self) -> bool {
        !self.config.checkin.is_empty()
            && !self.run.checked_in
            && !self.read_only
            && self.run.roll_ahead()
            && (!self.run.has_started()
                || (matches!(self.run.countdown, Countdown::Idle { .. })
                    && self
                        .run
                        .current_step()
                        .is_some_and(|s| s.kind == StepKind::Roll)))
    }

    /// Opens the check-in; `then` is carried out once it is answered.
    pub(super) fn ask_checkin(&mut self, then: Action) {
        self.overlay = Some(Overlay::CheckIn(CheckIn {
            marked: vec![false; self.config.checkin.len()],
            then,
            aimed: self.run.current,
            focus: 0,
            refused: false,
        }));
    }

    pub(super) fn ask_replace(&mut self) {
        if self.config.roller.is_some() {
            self.overlay = Some(Overlay::ConfirmReplace);
        } else {
            self.message = Some("the config has no roller".into());
        }
    }

    /// A key typed into the open question.
    pub(super) fn input(&mut self, key: InputKey, now: Moment) -> Vec<Effect> {
        match self.overlay.take() {
            Some(Overlay::CheckIn(checkin)) => self.answer_checkin(checkin, key, now),
            Some(Overlay::ConfirmReplace) => {
                if matches!(key, InputKey::Char('y' | 'Y')) {
                    let record = Record::RollerReplaced { at: now.wall };
                    self.message = Some("new roller recorded: uses start again from 0".into());
                    return self.journaled_only(record, now);
                }
                Vec::new()
            }
            Some(Overlay::Holds) => self.holds_key(key, now),
            Some(Overlay::Alongside(chosen)) => self.alongside_key(chosen, key, now),
            Some(Overlay::ConfirmAgain) => {
                if matches!(key, InputKey::Char('y' | 'Y')) {
                    self.run_again(now);
                }
                Vec::new()
            }
            Some(Overlay::ConfirmRoll { rolled, length }) => match key {
                InputKey::Char('y' | 'Y') => {
                    let events = self.run.finish(now);
                    self.after(events, now)
                }
                InputKey::Char('n' | 'N') => {
                    let events = self.run.roll_not_counted(now);
                    self.message = Some(
                        "not counted: no roller use, a rest night; the next rolling day is \
                         tomorrow"
                            .into(),
                    );
                    self.after(events, now)
                }
                // Esc: back to rolling, the time running as it was.
                InputKey::Esc => Vec::new(),
                _ => {
                    self.overlay = Some(Overlay::ConfirmRoll { rolled, length });
                    Vec::new()
                }
            },
            Some(Overlay::Note(draft)) => self.write_note(draft, key, now),
            Some(Overlay::Week(at)) => self.week_key(at, key, now),
            Some(Overlay::Help { scroll }) => self.help_key(scroll, key, now),
            other => {
                self.overlay = other;
                Vec::new()
            }
        }
    }

    /// n: none of these, the session goes on; y (or Enter with items marked): no
    /// rolling tonight, a rest night, with the marked items as the reason; 1–9 and 0
    /// mark the items; Esc: back, nothing started. Then the key that began the session.
    fn answer_checkin(&mut self, mut checkin: CheckIn, key: InputKey, now: Moment) -> Vec<Effect> {
        let any_marked = checkin.marked.iter().any(|m| *m);
        match key {
            // "None, roll" with a question marked would drop the answer: refused, and
            // the check-in says what to do.
            InputKey::Char('n' | 'N') if any_marked => {
                checkin.refused = true;
                self.overlay = Some(Overlay::CheckIn(checkin));
                Vec::new()
            }
            InputKey::Char('n' | 'N') => {
                self.run.checked_in = true;
                self.act(checkin.then, now)
            }
            InputKey::Char('y' | 'Y') | InputKey::Enter if key != InputKey::Enter || any_marked => {
                let yes: Vec<CheckinItem> = self
                    .config
                    .checkin
                    .iter()
                    .zip(&checkin.marked)
                    .filter(|(_, m)| **m)
                    .map(|(q, _)| q.clone())
                    .collect();
                let reason = if yes.is_empty() {
                    "check-in: not rolling tonight".to_string()
                } else {
                    let asked: Vec<&str> = yes.iter().map(|q| q.ask.as_str()).collect();
                    format!("check-in: {}", asked.join("; "))
                };
                self.run.checked_in = true;
                if yes.iter().any(|q| q.broken_skin)
                    && let Some(routine) = self.config.routine(&self.run.routine)
                {
                    let spare: Vec<String> = routine
                        .steps
                        .iter()
                        .filter(|s| spares_broken_skin(&s.actives))
                        .map(|s| s.name.clone())
                        .collect();
                    self.run.skip_steps(&spare, &broken_skin_reason(&reason));
                }
                let mut effects = self.hold_answers(&yes, now);
                let events = self.run.decline_roll(&reason, now);
                effects.extend(self.after(events, now));
                self.message = Some(if yes.iter().any(|q| q.lasting) {
                    "no rolling tonight, nor until you clear what holds it (H): a rest night".into()
                } else {
                    "no rolling tonight: a rest night; the next rolling day is tomorrow".into()
                });
                if !self.run.is_finished() && self.overlay.is_none() {
                    let then = if self.run.current == checkin.aimed {
                        checkin.then
                    } else {
                        Action::StartPause
                    };
                    effects.extend(self.act(then, now));
                }
                effects
            }
            InputKey::Char(c @ '0'..='9') => {
                let index = (c as usize + 9 - '0' as usize) % 10;
                if let Some(m) = checkin.marked.get_mut(index) {
                    *m = !*m;
                    checkin.focus = index;
                }
                checkin.refused = checkin.refused && checkin.marked.iter().any(|m| *m);
                self.overlay = Some(Overlay::CheckIn(checkin));
                Vec::new()
            }
            InputKey::Up | InputKey::Down => {
                let last = checkin.marked.len().saturating_sub(1);
                checkin.focus = if key == InputKey::Up {
                    checkin.focus.saturating_sub(1)
                } else {
                    (checkin.focus + 1).min(last)
                };
                self.overlay = Some(Overlay::CheckIn(checkin));
                Vec::new()
            }
            InputKey::Esc => Vec::new(),
            _ => {
                self.overlay = Some(Overlay::CheckIn(checkin));
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
                let key = KeyChord {
                    key: Key::Char(c),
                    ctrl: false,
                };
                return match self.keymap.bound(key) {
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
        self.message = Some("noted in the journal".into());
        self.journaled_only(record, now)
    }

    /// Appends a record that leaves any saved session alone.
    pub(super) fn journaled_only(&mut self, record: Record, now: Moment) -> Vec<Effect> {
        self.journal.add(record.clone());
        self.own.push(record.clone());
        self.replan(now);
        vec![Effect::Append(record)]
    }
}
