//! How a run depends on its roll: steps held off while the roll is planned or done
//! (passed by with their reason), and a roll skipped or declined making the rest of the
//! run a rest night (docs/DOMAIN.md).

use super::*;
use crate::routine::words::{clock, pause_text};

impl Run {
    /// Before the session starts, the current step is the first one that will run (a
    /// step held off by the roll is passed by only when the session starts, since a
    /// "yes" at the check-in can still bring it on).
    pub(super) fn point_at_first_open(&mut self) {
        self.current = (0..self.steps.len())
            .find(|&i| self.will_run(i))
            .unwrap_or(self.steps.len());
        self.enter_step(self.first_length(self.current));
    }

    /// A Roll step of this run is done.
    pub fn rolled(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.kind == StepKind::Roll && s.outcome == Some(StepOutcome::Done))
    }

    /// The roll of this run was skipped or declined: the rest of it is a rest night.
    pub fn roll_declined(&self) -> bool {
        !self.rolled()
            && self
                .steps
                .iter()
                .any(|s| s.kind == StepKind::Roll && s.outcome == Some(StepOutcome::Skipped))
    }

    /// The run holds a Roll step not yet done or skipped.
    pub fn roll_ahead(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.kind == StepKind::Roll && s.outcome.is_none())
    }

    /// Step `i` is off because of the roll: held off by the plan while the roll is
    /// planned or done, or paused after a roll done earlier in this run.
    pub fn held_off(&self, i: usize) -> bool {
        let step = &self.steps[i];
        (step.outcome.is_none() || step.auto)
            && ((step.hinge == Hinge::WithoutRoll && !self.roll_declined())
                || (step.pause_after_roll.is_some() && self.rolled_before(i)))
    }

    /// A Roll step before step `i` is done.
    pub(super) fn rolled_before(&self, i: usize) -> bool {
        self.steps[..i]
            .iter()
            .any(|s| s.kind == StepKind::Roll && s.outcome == Some(StepOutcome::Done))
    }

    /// Why step `i`, held off, is passed by.
    pub(super) fn held_off_reason(&self, i: usize) -> String {
        let step = &self.steps[i];
        let planned = (step.hinge == Hinge::WithoutRoll && !self.roll_declined())
            .then_some(step.off_reason.as_deref())
            .flatten();
        match (planned, step.pause_after_roll) {
            (Some(ROLLING_DAY_REASON), _) if self.rolled() => ROLLED_TONIGHT_REASON.into(),
            (Some(reason), _) => reason.to_string(),
            (None, Some(pause)) => format!("paused after rolling: {}", pause_text(pause)),
            (None, None) => "off after rolling".into(),
        }
    }

    /// The current step's place among the steps that run: (1-based index, count).
    /// Steps held off by the roll are not counted.
    pub fn position(&self) -> (usize, usize) {
        // Steps the app skipped (the roll's, after a "yes") are not counted either.
        let skipped_by_app = |i: usize| self.steps[i].auto && i != self.current;
        let shown = |i: &usize| !(self.held_off(*i) || skipped_by_app(*i));
        let before = (0..self.current.min(self.steps.len()))
            .filter(shown)
            .count();
        (before + 1, (0..self.steps.len()).filter(shown).count())
    }

    /// Step `i` is still to run.
    pub(super) fn will_run(&self, i: usize) -> bool {
        self.steps[i].outcome.is_none() && self.steps[i].aside.is_none() && !self.held_off(i)
    }

    /// Passes by the steps already ended (skipped ahead of time) and those off while the
    /// roll is planned or done, recording the latter as skipped with their reason.
    pub(super) fn settle(&mut self) {
        while let Some(step) = self.steps.get(self.current) {
            if step.outcome.is_some() || step.aside.is_some() {
                self.current += 1;
            } else if self.held_off(self.current) {
                let reason = self.held_off_reason(self.current);
                let step = &mut self.steps[self.current];
                step.outcome = Some(StepOutcome::Skipped);
                step.reason = Some(reason);
                step.auto = true;
                self.current += 1;
            } else {
                break;
            }
        }
    }

    /// The roll is not done tonight (a "yes" at the check-in, or the Roll step skipped):
    /// the Roll steps not yet ended and the steps that run only with the roll are skipped
    /// with `reason`; the steps off because of the roll come on.
    pub fn decline_roll(&mut self, reason: &str, now: Moment) -> Vec<Event> {
        self.skip_with_roll(reason);
        let mut events = Vec::new();
        if !self.has_started() {
            self.point_at_first_open();
            return events;
        }
        if self.in_hand_done() {
            self.close_if_all_ended(now, &mut events);
            return events;
        }
        let was = self.current;
        self.settle();
        if self.in_hand_done() {
            self.enter_step(Duration::ZERO);
            self.close_if_all_ended(now, &mut events);
        } else if self.current != was {
            self.enter_step(self.steps[self.current].parts[0].length);
        }
        events
    }

    /// Marks the steps named, not yet ended, as skipped with `reason` (actives kept off
    /// broken skin after the check-in).
    pub fn skip_steps(&mut self, names: &[String], reason: &str) {
        for step in &mut self.steps {
            if names.contains(&step.name) && step.outcome.is_none() {
                step.aside = None;
                step.outcome = Some(StepOutcome::Skipped);
                step.reason = Some(reason.to_string());
                step.auto = true;
            }
        }
    }

    /// Marks the Roll steps not yet ended, and the steps that run only with the roll, as
    /// skipped with `reason`.
    pub(super) fn skip_with_roll(&mut self, reason: &str) {
        for step in &mut self.steps {
            let with_roll = step.kind == StepKind::Roll || step.hinge == Hinge::WithRoll;
            if with_roll && step.outcome.is_none() {
                // A soak for a roll not done tonight stops with it.
                step.aside = None;
                step.outcome = Some(StepOutcome::Skipped);
                step.reason = Some(reason.to_string());
                step.auto = true;
            }
        }
    }

    /// The current step is a Roll step rolled for less than a third of its time: Enter
    /// then asks whether it counts as a roll. The time rolled and the step's time.
    pub fn roll_cut_short(&self, now: Instant) -> Option<(Duration, Duration)> {
        let step = self.current_step().filter(|s| s.kind == StepKind::Roll)?;
        let running = self
            .since
            .map_or(Duration::ZERO, |since| now.saturating_duration_since(since));
        let rolled = step.spent.saturating_add(running);
        let length = step.length();
        (rolled < length / 3).then_some((rolled, length))
    }

    /// The Roll step ended early and the person said it does not count: skipped, with
    /// why, and the rest of the run is a rest night.
    pub fn roll_not_counted(&mut self, now: Moment) -> Vec<Event> {
        let Some((rolled, length)) = self.roll_cut_short(now.instant) else {
            return Vec::new();
        };
        let index = self.current;
        let events = self.skip(now);
        if let Some(step) = self.steps.get_mut(index) {
            step.reason = Some(format!(
                "roll ended after {} of {}: not counted",
                clock(rolled.as_secs()),
                clock(length.as_secs())
            ));
        }
        events
    }
}
