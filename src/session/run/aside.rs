//! Steps that run alongside the step in hand: each started one keeps its own countdown
//! (a deadline, as the main one), ends by itself or early on a key, pauses and resumes
//! with the session, and a step waiting for one (`after`) starts once it has ended.

use super::*;

impl Run {
    /// The steps in hand are all done or skipped (some may still run alongside).
    pub fn in_hand_done(&self) -> bool {
        self.current >= self.steps.len()
    }

    /// A step started alongside has not ended yet.
    pub fn alongside_pending(&self) -> bool {
        self.steps.iter().any(|s| s.aside.is_some())
    }

    /// The steps running alongside (their countdown running or paused), in order.
    pub fn asides(&self) -> Vec<usize> {
        (0..self.steps.len())
            .filter(|&i| self.steps[i].aside.is_some())
            .collect()
    }

    /// Time left of step `i` running alongside; zero for any other.
    pub fn aside_left(&self, i: usize, now: Instant) -> Duration {
        self.steps
            .get(i)
            .and_then(|s| s.aside)
            .map_or(Duration::ZERO, |c| c.left(now))
    }

    /// The step alongside that the step in hand waits for, while it still runs.
    pub fn waiting_for(&self) -> Option<usize> {
        let k = self.current_step()?.after?;
        self.steps.get(k).filter(|s| s.aside.is_some()).map(|_| k)
    }

    /// The step in hand is a Roll step waiting for Space and the check-in.
    pub(super) fn holds(&self) -> bool {
        self.hold_before_roll
            && !self.checked_in
            && self
                .current_step()
                .is_some_and(|s| s.kind == StepKind::Roll)
    }

    /// The earliest deadline among the steps running alongside, with its step.
    pub(super) fn next_aside_end(&self) -> Option<(usize, Instant)> {
        self.steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s.aside {
                Some(Countdown::Running { ends_at }) => Some((i, ends_at)),
                _ => None,
            })
            .min_by_key(|&(i, at)| (at, i))
    }

    /// Pauses every step running alongside.
    pub(super) fn pause_asides(&mut self, now: Instant) {
        for step in &mut self.steps {
            step.aside = step.aside.map(|c| c.pause(now));
        }
    }

    /// Resumes every step alongside that was paused.
    pub fn resume_asides(&mut self, now: Instant) {
        for step in &mut self.steps {
            step.aside = step.aside.map(|c| match c {
                Countdown::Running { .. } => c,
                _ => c.resume(now),
            });
        }
    }

    /// Nothing in hand can start (it waits, or only steps alongside are left): Space
    /// first says to start the step in hand as soon as it may, then pauses and resumes
    /// the steps alongside.
    pub(super) fn space_while_waiting(&mut self, now: Instant) {
        let running = self
            .steps
            .iter()
            .any(|s| s.aside.is_some_and(|c| c.is_running()));
        if !self.armed && !self.in_hand_done() {
            self.armed = true;
            self.resume_asides(now);
        } else if running {
            self.pause_asides(now);
        } else {
            self.resume_asides(now);
        }
    }

    /// Starts the step in hand at `at` (its StepStart, and the steps alongside resume
    /// with it); a step that runs alongside goes aside at once and the next one comes
    /// in hand.
    pub(super) fn start_current(&mut self, at: Moment, events: &mut Vec<Event>) {
        self.step_started(at, events);
        self.resume_asides(at.instant);
        let ends_at = countdown::deadline(at.instant, self.countdown.left(at.instant));
        let step = &mut self.steps[self.current];
        if step.alongside {
            step.aside = Some(Countdown::Running { ends_at });
            self.move_on(at, events);
        } else {
            self.countdown = Countdown::Running { ends_at };
            self.since = Some(at.instant);
        }
    }

    /// Step `i`, running alongside, ends at `at` with `outcome`: its StepEnd; the step
    /// in hand that waited for it starts (with auto_advance, or when Space said so);
    /// the session ends with the last step.
    pub(super) fn close_aside(
        &mut self,
        i: usize,
        at: Moment,
        outcome: StepOutcome,
        events: &mut Vec<Event>,
    ) {
        let Some(step) = self.steps.get_mut(i) else {
            return;
        };
        let Some(countdown) = step.aside.take() else {
            return;
        };
        let length = step.parts.first().map_or(Duration::ZERO, |p| p.length);
        step.spent = length.saturating_sub(countdown.left(at.instant));
        step.outcome = Some(outcome);
        step.ended = Some(at.wall);
        events.push(Event::StepEnd { step: i, outcome });
        if self.in_hand_done() {
            self.close_if_all_ended(at, events);
            return;
        }
        let waited = self.steps[self.current].after == Some(i);
        let idle = matches!(self.countdown, Countdown::Idle { .. });
        let go = self.armed || (self.auto_advance && !self.holds());
        if waited && idle && go && self.waiting_for().is_none() && self.has_started() {
            self.start_current(at, events);
        }
    }

    /// Ends the session once no step is in hand and none runs alongside.
    pub(super) fn close_if_all_ended(&mut self, at: Moment, events: &mut Vec<Event>) {
        if self.in_hand_done()
            && !self.alongside_pending()
            && self.has_started()
            && self.ended.is_none()
        {
            self.finish_session(at, events);
        }
    }

    /// A key on step `i` running alongside: it is done now, before its time.
    pub fn finish_aside(&mut self, i: usize, now: Moment) -> Vec<Event> {
        let mut events = Vec::new();
        self.close_aside(i, now, StepOutcome::Done, &mut events);
        events.extend(self.tick(now));
        events
    }

    /// A key on step `i` running alongside: 30 s more, or less (it may then end).
    pub fn nudge_aside(&mut self, i: usize, add: bool, now: Moment) -> Vec<Event> {
        let Some(step) = self.steps.get_mut(i) else {
            return Vec::new();
        };
        let Some(countdown) = step.aside else {
            return Vec::new();
        };
        if let Some(part) = step.parts.first_mut() {
            part.length = if add {
                part.length.saturating_add(NUDGE).min(LONGEST)
            } else {
                part.length.saturating_sub(NUDGE)
            };
        }
        step.aside = Some(countdown.adjust(NUDGE, add, now.instant));
        self.tick(now)
    }
}
