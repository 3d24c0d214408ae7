//! The steps running alongside on the dashboard: the key that lists them, and what a
//! key does to the one chosen (finish it early, give or take 30 s).

use super::{App, Effect, InputKey, Overlay};
use crate::session::Moment;

impl App {
    /// Opens the list of steps running alongside, or says that none runs.
    pub(super) fn ask_alongside(&mut self) {
        if self.run.asides().is_empty() {
            self.message = Some("no step runs alongside".into());
        } else {
            self.overlay = Some(Overlay::Alongside(0));
        }
    }

    /// 1–9 chooses a step; Enter or n finishes it now, + and - give or take 30 s; the
    /// list stays open while a step runs alongside. Any other key closes it.
    pub(super) fn alongside_key(
        &mut self,
        chosen: usize,
        key: InputKey,
        now: Moment,
    ) -> Vec<Effect> {
        let asides = self.run.asides();
        let Some(&step) = asides.get(chosen).or(asides.first()) else {
            return Vec::new();
        };
        let events = match key {
            InputKey::Char(c @ '1'..='9') => {
                let index = c as usize - '1' as usize;
                self.overlay = Some(Overlay::Alongside(if index < asides.len() {
                    index
                } else {
                    chosen
                }));
                return Vec::new();
            }
            InputKey::Enter | InputKey::Char('n') => self.run.finish_aside(step, now),
            InputKey::Char('+' | '=') => self.run.nudge_aside(step, true, now),
            InputKey::Char('-') => self.run.nudge_aside(step, false, now),
            _ => return Vec::new(),
        };
        let mut effects = self.after(events, now);
        if !self.run.asides().is_empty() && self.overlay.is_none() {
            let left = self.run.asides().len();
            self.overlay = Some(Overlay::Alongside(chosen.min(left - 1)));
        }
        if !effects
            .iter()
            .any(|e| matches!(e, Effect::Save(_) | Effect::Append(_)))
            && self.in_progress()
        {
            effects.push(self.save(now));
        }
        effects
    }
}
