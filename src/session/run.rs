//! The run of one routine: steps, zones, start/pause/skip/back/±time. Pure.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Moment;
use super::countdown::Countdown;
use super::event::Event;
use crate::routine::config::{Routine, StepKind};
use crate::routine::journal::{Session, StepOutcome, StepRecord};
use crate::routine::plan::{
    Hinge, ROLLED_TONIGHT_REASON, ROLLING_DAY_REASON, RoutinePlan, Status, pause_text,
};

/// The file a run in progress is saved to, in the data dir.
pub const SAVED_FILE: &str = "session.json";

/// What `+` and `-` add or take.
pub const NUDGE: Duration = Duration::from_secs(30);

/// A timed part of a step: the whole step, or one zone of a Roll step.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The zone's name; None for a step without zones.
    pub zone: Option<String>,
    /// The configured time.
    pub base: Duration,
    /// The time with `+`/`-` applied.
    pub length: Duration,
}

/// One step of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunStep {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: StepKind,
    /// Its notes.
    pub notes: Option<String>,
    /// The technique line of a Roll step.
    pub technique: Option<String>,
    /// Its timed parts, in order.
    pub parts: Vec<Part>,
    /// Done or skipped, once it is.
    pub outcome: Option<StepOutcome>,
    /// Time spent on it so far (while its countdown ran).
    pub spent: Duration,
    /// How it depends on this run's roll (see [`Hinge`]).
    pub hinge: Hinge,
    /// Why it is off while the roll is planned or done (a `WithoutRoll` step).
    pub off_reason: Option<String>,
    /// Its `pause_after_roll`: after a roll done earlier in this run it is passed by.
    pub pause_after_roll: Option<Duration>,
    /// Why it was skipped, when the app skipped it (the check-in, a pause after rolling).
    pub reason: Option<String>,
    /// The app skipped it, not the person: `b` goes past it.
    pub auto: bool,
}

impl RunStep {
    /// Its whole time, adjustments included.
    pub fn length(&self) -> Duration {
        self.parts.iter().map(|p| p.length).sum()
    }

    fn reset(&mut self) {
        for part in &mut self.parts {
            part.length = part.base;
        }
    }
}

/// A run of a routine.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The routine's name.
    pub routine: String,
    /// The day it belongs to.
    pub day: NaiveDate,
    /// Start the next step by itself.
    pub auto_advance: bool,
    /// Warn this long before a step ends.
    pub warn_before: Duration,
    /// A Roll step waits for Space (and the check-in) even with `auto_advance`.
    pub hold_before_roll: bool,
    /// The steps that run today.
    pub steps: Vec<RunStep>,
    /// Index of the current step; `steps.len()` once finished.
    pub current: usize,
    /// Index of the current part of the current step.
    pub part: usize,
    /// The current part's timer.
    pub countdown: Countdown,
    /// When the session started.
    pub started: Option<DateTime<FixedOffset>>,
    /// When it ended.
    pub ended: Option<DateTime<FixedOffset>>,
    /// When the running countdown was last resumed (for time spent).
    since: Option<Instant>,
    /// The warning for the current step was given.
    warned: bool,
    /// The pre-roll check-in was answered for this run.
    pub checked_in: bool,
}

impl Run {
    /// A fresh run of the routine's steps that are not off today.
    pub fn new(
        routine: &Routine,
        plan: &RoutinePlan,
        day: NaiveDate,
        warn_before: Duration,
    ) -> Run {
        // A step off only because of the roll is kept: it comes on if the roll is not done.
        let steps: Vec<RunStep> = routine
            .steps
            .iter()
            .zip(&plan.steps)
            .filter(|(_, planned)| {
                planned.status != Status::Off || planned.hinge == Hinge::WithoutRoll
            })
            .map(|(step, planned)| {
                let parts = if step.zones.is_empty() {
                    vec![Part {
                        zone: None,
                        base: step.length(),
                        length: step.length(),
                    }]
                } else {
                    step.zones
                        .iter()
                        .map(|z| Part {
                            zone: Some(z.name.clone()),
                            base: z.duration.0,
                            length: z.duration.0,
                        })
                        .collect()
                };
                RunStep {
                    name: step.name.clone(),
                    kind: step.kind,
                    notes: step.notes.clone(),
                    technique: (step.kind == StepKind::Roll).then(|| step.technique()),
                    parts,
                    outcome: None,
                    spent: Duration::ZERO,
                    hinge: planned.hinge,
                    off_reason: planned.reason.clone(),
                    pause_after_roll: step.pause_after_roll.map(|p| p.0),
                    reason: None,
                    auto: false,
                }
            })
            .collect();
        let countdown = Countdown::Idle {
            left: Duration::ZERO,
        };
        let mut run = Run {
            routine: routine.name.clone(),
            day,
            auto_advance: routine.auto_advance,
            warn_before,
            hold_before_roll: false,
            steps,
            current: 0,
            part: 0,
            countdown,
            started: None,
            ended: None,
            since: None,
            warned: false,
            checked_in: false,
        };
        run.point_at_first_open();
        run
    }

    /// Before the session starts, the current step is the first one that will run (a
    /// step held off by the roll is passed by only when the session starts, since a
    /// "yes" at the check-in can still bring it on).
    fn point_at_first_open(&mut self) {
        self.current = (0..self.steps.len())
            .find(|&i| self.will_run(i))
            .unwrap_or(self.steps.len());
        let first = self
            .steps
            .get(self.current)
            .map_or(Duration::ZERO, |s| s.parts[0].length);
        self.enter_step(first);
    }

    /// Every step is done or skipped.
    pub fn is_finished(&self) -> bool {
        self.current >= self.steps.len()
    }

    /// The first step has started.
    pub fn has_started(&self) -> bool {
        self.started.is_some()
    }

    /// The current step, unless finished.
    pub fn current_step(&self) -> Option<&RunStep> {
        self.steps.get(self.current)
    }

    /// Time left of the current part.
    pub fn part_left(&self, now: Instant) -> Duration {
        if self.is_finished() {
            Duration::ZERO
        } else {
            self.countdown.left(now)
        }
    }

    /// Time left of the current step: this part and the parts after it.
    pub fn step_left(&self, now: Instant) -> Duration {
        match self.current_step() {
            Some(step) => {
                self.countdown.left(now)
                    + step.parts[self.part + 1..]
                        .iter()
                        .map(|p| p.length)
                        .sum::<Duration>()
            }
            None => Duration::ZERO,
        }
    }

    /// Time left of the whole session.
    pub fn session_left(&self, now: Instant) -> Duration {
        let later: Duration = (self.current + 1..self.steps.len())
            .filter(|&i| self.will_run(i))
            .map(|i| self.steps[i].length())
            .sum();
        self.step_left(now) + later
    }

    /// Time of the whole session: steps done or skipped count what they took.
    pub fn session_length(&self) -> Duration {
        self.steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i < self.current {
                    s.spent
                } else if i == self.current || self.will_run(i) {
                    s.length()
                } else {
                    Duration::ZERO
                }
            })
            .sum()
    }

    /// Seconds from the start to the end of a finished session, rounded up as the
    /// countdown shows them; zero before it ends.
    pub fn taken_secs(&self) -> u64 {
        match (self.started, self.ended) {
            (Some(a), Some(b)) => ((b - a).num_milliseconds().max(0) as u64).div_ceil(1000),
            _ => 0,
        }
    }

    /// How many steps ended so: done or skipped (steps passed by as off after the roll
    /// are not counted as skipped).
    pub fn count(&self, outcome: StepOutcome) -> usize {
        (0..self.steps.len())
            .filter(|&i| self.steps[i].outcome == Some(outcome) && !self.held_off(i))
            .count()
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
    fn rolled_before(&self, i: usize) -> bool {
        self.steps[..i]
            .iter()
            .any(|s| s.kind == StepKind::Roll && s.outcome == Some(StepOutcome::Done))
    }

    /// Why step `i`, held off, is passed by.
    fn held_off_reason(&self, i: usize) -> String {
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
    fn will_run(&self, i: usize) -> bool {
        self.steps[i].outcome.is_none() && !self.held_off(i)
    }

    /// Passes by the steps already ended (skipped ahead of time) and those off while the
    /// roll is planned or done, recording the latter as skipped with their reason.
    fn settle(&mut self) {
        while let Some(step) = self.steps.get(self.current) {
            if step.outcome.is_some() {
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
        if self.is_finished() {
            return events;
        }
        let was = self.current;
        self.settle();
        if self.is_finished() {
            self.finish_session(now, &mut events);
        } else if self.current != was {
            self.enter_step(self.steps[self.current].parts[0].length);
        }
        events
    }

    /// Marks the Roll steps not yet ended, and the steps that run only with the roll, as
    /// skipped with `reason`.
    fn skip_with_roll(&mut self, reason: &str) {
        for step in &mut self.steps {
            let with_roll = step.kind == StepKind::Roll || step.hinge == Hinge::WithRoll;
            if with_roll && step.outcome.is_none() {
                step.outcome = Some(StepOutcome::Skipped);
                step.reason = Some(reason.to_string());
                step.auto = true;
            }
        }
    }

    /// Space: start, pause or resume.
    pub fn start_pause(&mut self, now: Moment) -> Vec<Event> {
        let mut events = Vec::new();
        if self.is_finished() {
            return events;
        }
        if self.countdown.is_running() {
            self.bank(now.instant);
            self.countdown = self.countdown.pause(now.instant);
            return events;
        }
        self.begin_session(now, &mut events);
        if matches!(self.countdown, Countdown::Idle { .. }) {
            self.step_started(&mut events);
        }
        self.countdown = self.countdown.resume(now.instant);
        self.since = Some(now.instant);
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
        let Some(target) = (0..self.current).rev().find(|&i| !self.steps[i].auto) else {
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
        self.countdown = if running {
            self.since = Some(now.instant);
            Countdown::Running {
                ends_at: now.instant + first,
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
            part.length + NUDGE
        } else {
            part.length.saturating_sub(NUDGE)
        };
        self.countdown = self.countdown.adjust(NUDGE, add, now.instant);
        if add {
            self.warned = false;
        }
        self.tick(now)
    }

    /// Time passes: parts and steps whose deadline has passed end, in order.
    pub fn tick(&mut self, now: Moment) -> Vec<Event> {
        let mut events = Vec::new();
        while let Countdown::Running { ends_at } = self.countdown {
            if now.instant < ends_at {
                break;
            }
            let parts = self.steps[self.current].parts.len();
            if self.part + 1 < parts {
                self.bank(ends_at);
                self.part += 1;
                let length = self.steps[self.current].parts[self.part].length;
                self.countdown = Countdown::Running {
                    ends_at: ends_at + length,
                };
                self.since = Some(ends_at);
                events.push(Event::ZoneStart {
                    step: self.current,
                    zone: self.part,
                });
            } else {
                let at = Moment {
                    instant: ends_at,
                    wall: now.wall_at(ends_at),
                };
                events.extend(self.end_step(at, StepOutcome::Done));
            }
        }
        if self.countdown.is_running() && !self.warned && !self.warn_before.is_zero() {
            let length = self.steps[self.current].length();
            if length > self.warn_before && self.step_left(now.instant) <= self.warn_before {
                self.warned = true;
                events.push(Event::StepWarning {
                    step: self.current,
                    left: self.step_left(now.instant),
                });
            }
        }
        events
    }

    /// The machine slept for `gap` while the countdown ran: the skin did not pause, so
    /// the deadline moves back by the time the monotonic clock missed, and `tick` then
    /// ends what ended while asleep, each at its own deadline.
    pub fn catch_up(&mut self, gap: Duration, now: Instant) {
        if let Countdown::Running { ends_at } = self.countdown {
            // An Instant before the clock's origin cannot be made: the step ends now.
            let ends_at = ends_at.checked_sub(gap).unwrap_or(now.min(ends_at));
            self.countdown = Countdown::Running { ends_at };
            self.since = self.since.map(|s| s.checked_sub(gap).unwrap_or(s));
        }
    }

    /// The next moment something changes by itself: a displayed second, a zone, a step.
    pub fn next_change(&self, now: Instant) -> Option<Instant> {
        self.countdown.next_second(now)
    }

    /// The next moment something happens by itself when the seconds are not on screen:
    /// the end of the current part, or the warning before the step ends.
    pub fn next_event(&self, now: Instant) -> Option<Instant> {
        let Countdown::Running { ends_at } = self.countdown else {
            return None;
        };
        let left = self.step_left(now);
        let warning = (!self.warned && !self.warn_before.is_zero() && left > self.warn_before)
            .then(|| now + (left - self.warn_before));
        Some(warning.map_or(ends_at, |w| w.min(ends_at)))
    }

    /// The journal record of this run: complete when finished.
    pub fn record(&self, now: Moment) -> Session {
        Session {
            routine: self.routine.clone(),
            day: self.day,
            started: self.started.unwrap_or(now.wall),
            ended: self.ended.unwrap_or(now.wall),
            complete: self.is_finished(),
            steps: self
                .steps
                .iter()
                .filter_map(|s| {
                    Some(StepRecord {
                        name: s.name.clone(),
                        kind: s.kind.as_str().into(),
                        status: s.outcome?,
                        secs: s.spent.as_secs(),
                        // A rest-day step passed by before the roll, once it rolled.
                        reason: match s.reason.as_deref() {
                            Some(ROLLING_DAY_REASON) if self.rolled() => {
                                Some(ROLLED_TONIGHT_REASON.into())
                            }
                            _ => s.reason.clone(),
                        },
                    })
                })
                .collect(),
            rating: None,
            note: None,
        }
    }

    fn begin_session(&mut self, now: Moment, events: &mut Vec<Event>) {
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

    fn finish_session(&mut self, now: Moment, events: &mut Vec<Event>) {
        self.countdown = Countdown::Idle {
            left: Duration::ZERO,
        };
        self.since = None;
        self.ended = Some(now.wall);
        events.push(Event::SessionComplete);
    }

    fn step_started(&self, events: &mut Vec<Event>) {
        events.push(Event::StepStart { step: self.current });
        if self.steps[self.current].parts[0].zone.is_some() {
            events.push(Event::ZoneStart {
                step: self.current,
                zone: 0,
            });
        }
    }

    /// Adds the running time up to `at` to the current step.
    fn bank(&mut self, at: Instant) {
        if let Some(since) = self.since.take() {
            self.steps[self.current].spent += at.saturating_duration_since(since);
        }
    }

    fn end_step(&mut self, now: Moment, outcome: StepOutcome) -> Vec<Event> {
        let mut events = Vec::new();
        if self.is_finished() {
            return events;
        }
        self.begin_session(now, &mut events);
        if self.is_finished() {
            return events;
        }
        self.bank(now.instant);
        self.steps[self.current].outcome = Some(outcome);
        events.push(Event::StepEnd {
            step: self.current,
            outcome,
        });
        // A Roll step skipped makes the rest of the run a rest night.
        if self.steps[self.current].kind == StepKind::Roll && outcome == StepOutcome::Skipped {
            self.skip_with_roll("roll skipped: a rest night");
        }
        self.current += 1;
        // Steps skipped ahead of time, and those off after rolling, are passed by.
        self.settle();
        if self.is_finished() {
            self.finish_session(now, &mut events);
            return events;
        }
        let holds = self.hold_before_roll
            && !self.checked_in
            && self.steps[self.current].kind == StepKind::Roll;
        // With auto_advance, whatever ended the step (its time, Enter, s), the next one
        // starts; a Roll step waits for Space when there is a check-in to ask.
        let run_next = self.auto_advance && !holds;
        let first = self.steps[self.current].parts[0].length;
        self.enter_step(first);
        if run_next {
            self.step_started(&mut events);
            self.countdown = Countdown::Running {
                ends_at: now.instant + first,
            };
            self.since = Some(now.instant);
            events.extend(self.tick(now));
        }
        events
    }

    fn enter_step(&mut self, first: Duration) {
        self.part = 0;
        self.warned = false;
        self.since = None;
        self.countdown = Countdown::Idle { left: first };
    }

    /// What is saved while the run is in progress.
    pub fn saved(&self, at: Moment) -> Saved {
        let now = at.instant;
        Saved {
            saved_at: Some(at.wall),
            running: self.countdown.is_running(),
            idle: matches!(self.countdown, Countdown::Idle { .. }),
            routine: self.routine.clone(),
            day: self.day,
            started: self.started,
            current: self.current_step().map(|s| s.name.clone()),
            part: self.part,
            left_ms: self.part_left(now).as_millis() as u64,
            part_length_ms: self
                .current_step()
                .map_or(0, |s| s.parts[self.part].length.as_millis() as u64),
            steps: self
                .steps
                .iter()
                .filter(|s| s.outcome.is_some())
                .map(|s| SavedStep {
                    name: s.name.clone(),
                    outcome: s.outcome,
                    spent_secs: s.spent.as_secs(),
                    reason: s.reason.clone(),
                })
                .collect(),
            checked_in: self.checked_in,
            current_spent_secs: self.current_step().map_or(0, |s| {
                let running = self
                    .since
                    .map_or(Duration::ZERO, |since| now.saturating_duration_since(since));
                (s.spent + running).as_secs()
            }),
        }
    }

    /// Puts a saved run back, paused at its step with the time that was left. Steps are
    /// matched by name, so a config edited in between loses nothing that still exists;
    /// the first step neither done nor skipped is the current one, so a step added
    /// before the one in progress is not passed by.
    pub fn restore(&mut self, saved: &Saved) {
        self.started = saved.started;
        self.checked_in = saved.checked_in;
        for s in &saved.steps {
            if let Some(step) = self.steps.iter_mut().find(|x| x.name == s.name) {
                step.outcome = s.outcome;
                step.spent = Duration::from_secs(s.spent_secs);
                step.reason = s.reason.clone();
                // Only the app gives a skip a reason.
                step.auto = s.outcome == Some(StepOutcome::Skipped) && s.reason.is_some();
            }
        }
        // Steps off after a roll done before the save are passed by again.
        self.current = 0;
        if self.has_started() {
            self.settle();
        } else {
            self.point_at_first_open();
        }
        let current = self.current;
        if self.is_finished() {
            self.current = self.steps.len();
            self.countdown = Countdown::Idle {
                left: Duration::ZERO,
            };
            self.ended = saved.saved_at.or(saved.started);
            return;
        };
        self.current = current;
        self.enter_step(self.steps[current].parts[0].length);
        let step = &mut self.steps[current];
        if saved.current.as_deref() != Some(step.name.as_str()) || saved.idle {
            return;
        }
        step.spent = Duration::from_secs(saved.current_spent_secs);
        self.part = saved.part.min(step.parts.len() - 1);
        if saved.part_length_ms > 0 {
            step.parts[self.part].length = Duration::from_millis(saved.part_length_ms);
        }
        self.countdown = Countdown::Paused {
            left: Duration::from_millis(saved.left_ms),
        };
    }
}

/// A run in progress as written to disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// When it was written.
    #[serde(default)]
    pub saved_at: Option<DateTime<FixedOffset>>,
    /// The countdown was running then (so `left_ms` has shrunk since).
    #[serde(default)]
    pub running: bool,
    /// The current step had not started (a Roll step then still asks the check-in).
    #[serde(default)]
    pub idle: bool,
    /// The routine's name.
    pub routine: String,
    /// The day it belongs to.
    pub day: NaiveDate,
    /// When it started.
    pub started: Option<DateTime<FixedOffset>>,
    /// The current step's name.
    pub current: Option<String>,
    /// The current part (zone).
    pub part: usize,
    /// Milliseconds left of the current part.
    pub left_ms: u64,
    /// The current part's length, adjustments included.
    pub part_length_ms: u64,
    /// Seconds spent on the current step.
    pub current_spent_secs: u64,
    /// The pre-roll check-in was answered (absent in sessions saved by earlier versions).
    #[serde(default)]
    pub checked_in: bool,
    /// Steps done or skipped.
    pub steps: Vec<SavedStep>,
}

/// A step done or skipped, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedStep {
    /// Its name.
    pub name: String,
    /// Done or skipped.
    pub outcome: Option<StepOutcome>,
    /// Seconds spent on it.
    pub spent_secs: u64,
    /// Why it was skipped, when the app skipped it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
