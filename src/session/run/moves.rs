//! What the person does to a run, as moves over its state: start, pause, finish, skip,
//! back, restart and ±time, and the step and session changes they make.

use super::*;

impl Run {
    /// Space: start, pause or resume; pausing pauses the steps alongside too.
    pub fn start_pause(&mut self, now: Moment) -> Vec<Event> {
        let mut events = Vec::new();
        if self.is_finished() {
            return events;
        }
        if self.countdown.is_running() {
            self.bank(now.instant);
            self.countdown = self.countdown.pause(now.instant);
            self.pause_asides(now.instant);
            return events;
        }
        if self.has_started() && (self.in_hand_done() || self.waiting_for().is_some()) {
            self.space_while_waiting(now.instant);
            return events;
        }
        self.begin_session(now, &mut events);
        if self.in_hand_done() {
            return events;
        }
        if self.waiting_for().is_some() {
            self.space_while_waiting(now.instant);
        } else if matches!(self.countdown, Countdown::Idle { .. }) {
            self.start_current(now, &mut events);
        } else {
            self.countdown = self.countdown.resume(now.instant);
            self.since = Some(now.instant);
            self.resume_asides(now.instant);
        }
        events.extend(self.tick(now));
        events
    }

    /// Enter / n: the current step is done now; move on.
    pub fn finish(&mut self, now: Moment) -> Vec<Event> {
        self.end_step(now, StepOutcome::Done)
    }

    /// s: skip the current step.
    pub fn skip(&mut self, now: Moment) -> Vec<Event> {
        self.end_step(now, StepOutcome::Skipped)
    }

    /// b: back to the step before, waiting to start again.
    /// Steps the app skipped are gone past; back to a Roll step, they are judged again.
    pub fn back(&mut self, _now: Moment) -> Vec<Event> {
        if self.is_finished() || !self.has_started() {
            return Vec::new();
        }
        // A step running alongside is not gone back to: it goes on by itself.
        let target = (0..self.current.min(self.steps.len()))
            .rev()
            .find(|&i| !self.steps[i].auto && self.steps[i].aside.is_none());
        let Some(target) = target else {
            return Vec::new();
        };
        let again = self.steps[target].kind == StepKind::Roll;
        for (i, step) in self.steps.iter_mut().enumerate() {
            let reset = i == self.current || i == target || (again && step.auto && i > target);
            if reset {
                step.reset();
                step.outcome = None;
                step.reason = None;
                step.auto = false;
                step.spent = Duration::ZERO;
                step.began = None;
                step.ended = None;
            }
        }
        self.current = target;
        self.enter_step(self.steps[self.current].parts[0].length);
        Vec::new()
    }

    /// r: the current step's full time again, from its first zone.
    pub fn restart(&mut self, now: Moment) -> Vec<Event> {
        let Some(step) = self.steps.get_mut(self.current) else {
            return Vec::new();
        };
        step.reset();
        let first = step.parts[0].length;
        let running = self.countdown.is_running();
        if running {
            self.bank(now.instant);
        }
        self.part = 0;
        self.warned = false;
        self.announced = 0;
        self.countdown = if running {
            self.since = Some(now.instant);
            Countdown::Running {
                ends_at: countdown::deadline(now.instant, first),
            }
        } else {
            Countdown::Idle { left: first }
        };
        Vec::new()
    }

    /// + / -: add or take 30 s of the current part.
    pub fn nudge(&mut self, add: bool, now: Moment) -> Vec<Event> {
        let Some(step) = self.steps.get_mut(self.current) else {
            return Vec::new();
        };
        let part = &mut step.parts[self.part];
        part.length = if add {
            part.length.saturating_add(NUDGE).min(LONGEST)
        } else {
            part.length.saturating_sub(NUDGE)
        };
        self.countdown = self.countdown.adjust(NUDGE, add, now.instant);
        if add {
            self.warned = false;
        }
        self.tick(now)
    }

    pub(super) fn begin_session(&mut self, now: Moment, events: &mut Vec<Event>) {
        if self.started.is_none() {
            self.started = Some(now.wall);
            events.push(Event::SessionStart);
            // Steps held off before the first open one are passed by (and journaled).
            let was = self.current;
            self.current = 0;
            self.settle();
            if self.is_finished() {
                self.finish_session(now, events);
            } else if self.current != was {
                self.enter_step(self.steps[self.current].parts[0].length);
            }
        }
    }

    pub(super) fn finish_session(&mut self, now: Moment, events: &mut Vec<Event>) {
        self.countdown = Countdown::Idle {
            left: Duration::ZERO,
        };
        self.since = None;
        self.ended = Some(now.wall);
        events.push(Event::SessionComplete);
    }

    pub(super) fn step_started(&mut self, at: Moment, events: &mut Vec<Event>) {
        self.steps[self.current].began = Some(at.wall);
        events.push(Event::StepStart { step: self.current });
        if self.steps[self.current].parts[0].zone.is_some() {
            self.zone_started(events);
        }
    }

    /// Adds the running time up to `at` to the current step.
    pub(super) fn bank(&mut self, at: Instant) {
        if let Some(since) = self.since.take() {
            let step = &mut self.steps[self.current];
            step.spent = step
                .spent
                .saturating_add(at.saturating_duration_since(since));
        }
    }

    pub(super) fn end_step(&mut self, now: Moment, outcome: StepOutcome) -> Vec<Event> {
        let mut events = Vec::new();
        if self.is_finished() {
            return events;
        }
        self.begin_session(now, &mut events);
        if self.is_finished() {
            return events;
        }
        if self.in_hand_done() {
            // Only steps alongside are left: the key ends them early, and the session.
            for i in self.asides() {
                self.close_aside(i, now, outcome, &mut events);
            }
            return events;
        }
        self.bank(now.instant);
        let step = &mut self.steps[self.current];
        step.outcome = Some(outcome);
        step.ended = Some(now.wall);
        events.push(Event::StepEnd {
            step: self.current,
            outcome,
        });
        // A Roll step skipped makes the rest of the run a rest night.
        if self.steps[self.current].kind == StepKind::Roll && outcome == StepOutcome::Skipped {
            self.skip_with_roll("roll skipped: a rest night");
        }
        self.move_on(now, &mut events);
        events
    }

    /// The step in hand went aside or ended: the next one comes in hand.
    pub(super) fn move_on(&mut self, now: Moment, events: &mut Vec<Event>) {
        self.current += 1;
        // Steps skipped ahead of time, and those off after rolling, are passed by.
        self.settle();
        if self.in_hand_done() {
            self.enter_step(Duration::ZERO);
            self.close_if_all_ended(now, events);
            return;
        }
        // With auto_advance, whatever ended the step (its time, Enter, s), the next one
        // starts; a Roll step waits for Space when there is a check-in to ask, and a
        // step waiting for one alongside starts when that one ends.
        let run_next = self.auto_advance && !self.holds() && self.waiting_for().is_none();
        self.enter_step(self.steps[self.current].parts[0].length);
        if run_next {
            self.start_current(now, events);
            events.extend(self.tick(now));
        }
    }

    pub(super) fn enter_step(&mut self, first: Duration) {
        self.part = 0;
        self.warned = false;
        self.announced = 0;
        self.armed = false;
        self.since = None;
        self.countdown = Countdown::Idle { left: first };
    }
}
