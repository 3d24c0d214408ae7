//! The run of one routine: steps, zones, start/pause/skip/back/±time. Pure.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Moment;
use super::countdown::{self, Countdown, LONGEST};
use super::event::Event;
use super::passes::{self, Pass};
use crate::routine::config::{Direction, Routine, StepKind};
use crate::routine::journal::{Session, StepOutcome, StepRecord};
use crate::routine::plan::{
    Hinge, ROLLED_TONIGHT_REASON, ROLLING_DAY_REASON, RoutinePlan, Status, pause_text,
};

/// The file a run in progress is saved to, in the data dir.
pub const SAVED_FILE: &str = "session.json";

/// What `+` and `-` add or take.
pub const NUDGE: Duration = Duration::from_secs(30);

/// No step runs, and no part lasts, longer than a day: a saved run claiming more was not
/// written by a run.
pub const LONGEST_STEP: Duration = Duration::from_secs(24 * 3600);

/// What a restored run ever takes from a file, whatever it says: sums of a few of these
/// stay far from overflowing a `Duration`, an `Instant` or a chrono date.
const MOST_RESTORED: Duration = Duration::from_secs(366 * 24 * 3600);

/// A saved run is kept for this long before it goes to the journal as unfinished; one
/// of a day further back was not written by a dashboard of this machine's clock.
const OLDEST_SAVED_DAYS: i64 = 366;

/// How far ahead of the wall clock a saved time may be (a clock set back by hand).
const CLOCK_SLACK: chrono::TimeDelta = chrono::TimeDelta::hours(26);

/// A timed part of a step: the whole step, or one zone of a Roll step.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The zone's name; None for a step without zones.
    pub zone: Option<String>,
    /// The configured time.
    pub base: Duration,
    /// The time with `+`/`-` applied.
    pub length: Duration,
    /// The directions rolled in turn in a zone; empty for a step without zones.
    pub directions: Vec<Direction>,
}

impl Part {
    /// Its directions' slots (see [`passes::slots`]).
    pub fn slots(&self) -> Vec<Pass> {
        passes::slots(&self.directions, self.base, self.length)
    }
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
    /// Passes per direction of a Roll step.
    pub passes: u32,
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
        self.parts
            .iter()
            .fold(Duration::ZERO, |sum, p| sum.saturating_add(p.length))
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
    /// The last direction of the current part announced by a PassStart.
    announced: usize,
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
                        directions: Vec::new(),
                    }]
                } else {
                    step.zones
                        .iter()
                        .map(|z| Part {
                            zone: Some(z.name.clone()),
                            base: z.duration.0,
                            length: z.duration.0,
                            directions: z.directions.clone(),
                        })
                        .collect()
                };
                RunStep {
                    name: step.name.clone(),
                    kind: step.kind,
                    notes: step.notes.clone(),
                    technique: (step.kind == StepKind::Roll).then(|| step.technique()),
                    passes: step.passes(),
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
            announced: 0,
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
        self.enter_step(self.first_length(self.current));
    }

    /// The length of step `i`'s first part.
    fn first_length(&self, i: usize) -> Duration {
        self.steps
            .get(i)
            .and_then(|s| s.parts.first())
            .map_or(Duration::ZERO, |p| p.length)
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
                let later = step.parts[self.part + 1..]
                    .iter()
                    .fold(Duration::ZERO, |sum, p| sum.saturating_add(p.length));
                self.countdown.left(now).saturating_add(later)
            }
            None => Duration::ZERO,
        }
    }

    /// Time left of the whole session.
    pub fn session_left(&self, now: Instant) -> Duration {
        let later = (self.current + 1..self.steps.len())
            .filter(|&i| self.will_run(i))
            .fold(Duration::ZERO, |sum, i| {
                sum.saturating_add(self.steps[i].length())
            });
        self.step_left(now).saturating_add(later)
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
            .fold(Duration::ZERO, Duration::saturating_add)
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

    /// Time passes: parts and steps whose deadline has passed end, in order.
    pub fn tick(&mut self, now: Moment) -> Vec<Event> {
        let mut events = Vec::new();
        while let Countdown::Running { ends_at } = self.countdown {
            if now.instant < ends_at {
                break;
            }
            let parts = self.steps[self.current].parts.len();
            // Directions a late wake-up slept through are announced before what follows.
            let whole = self.steps[self.current].parts[self.part].length;
            self.announce_passes(whole, &mut events);
            if self.part + 1 < parts {
                self.bank(ends_at);
                self.part += 1;
                let length = self.steps[self.current].parts[self.part].length;
                self.countdown = Countdown::Running {
                    ends_at: countdown::deadline(ends_at, length),
                };
                self.since = Some(ends_at);
                self.zone_started(&mut events);
            } else {
                let at = Moment {
                    instant: ends_at,
                    wall: now.wall_at(ends_at),
                };
                events.extend(self.end_step(at, StepOutcome::Done));
            }
        }
        if self.countdown.is_running() {
            self.announce_passes(self.part_elapsed(now.instant), &mut events);
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

    /// The next moment something changes by itself: a displayed second, a direction, a
    /// zone, a step.
    pub fn next_change(&self, now: Instant) -> Option<Instant> {
        let second = self.countdown.next_second(now)?;
        Some(self.next_pass(now).map_or(second, |at| at.min(second)))
    }

    /// When the next direction of the running zone starts.
    fn next_pass(&self, now: Instant) -> Option<Instant> {
        if !self.countdown.is_running() {
            return None;
        }
        let part = self.current_part()?;
        passes::until_next(&part.slots(), self.part_elapsed(now))
            .map(|wait| countdown::deadline(now, wait))
    }

    /// The current part, unless finished.
    pub fn current_part(&self) -> Option<&Part> {
        self.current_step().and_then(|s| s.parts.get(self.part))
    }

    /// Time rolled of the current part: its length less what is left, so it follows the
    /// deadline and never drifts.
    pub fn part_elapsed(&self, now: Instant) -> Duration {
        self.current_part().map_or(Duration::ZERO, |p| {
            p.length.saturating_sub(self.countdown.left(now))
        })
    }

    /// The direction rolled now in the current zone, with its slot.
    pub fn current_pass(&self, now: Instant) -> Option<Pass> {
        let part = self.current_part()?;
        passes::at(&part.slots(), self.part_elapsed(now))
    }

    /// A PassStart for each direction of the current part started by `elapsed` and not
    /// yet announced.
    fn announce_passes(&mut self, elapsed: Duration, events: &mut Vec<Event>) {
        let Some(part) = self.current_part() else {
            return;
        };
        for pass in passes::started_since(&part.slots(), self.announced, elapsed) {
            self.announced = pass.index;
            events.push(Event::PassStart {
                step: self.current,
                zone: self.part,
                pass: pass.index,
            });
        }
    }

    /// The current part, a zone, started: its ZoneStart, then its first direction's
    /// PassStart, so a PassStart hook sees every direction.
    fn zone_started(&mut self, events: &mut Vec<Event>) {
        self.announced = 0;
        let Some(part) = self.current_part() else {
            return;
        };
        let first = !part.directions.is_empty();
        events.push(Event::ZoneStart {
            step: self.current,
            zone: self.part,
        });
        if first {
            events.push(Event::PassStart {
                step: self.current,
                zone: self.part,
                pass: 0,
            });
        }
    }

    /// The next moment something happens by itself when the seconds are not on screen:
    /// the end of the current part, or the warning before the step ends.
    pub fn next_event(&self, now: Instant) -> Option<Instant> {
        let Countdown::Running { ends_at } = self.countdown else {
            return None;
        };
        let left = self.step_left(now);
        let warning = (!self.warned && !self.warn_before.is_zero() && left > self.warn_before)
            .then(|| countdown::deadline(now, left - self.warn_before));
        let first = warning.map_or(ends_at, |w| w.min(ends_at));
        Some(self.next_pass(now).map_or(first, |p| p.min(first)))
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

    fn step_started(&mut self, events: &mut Vec<Event>) {
        events.push(Event::StepStart { step: self.current });
        if self.steps[self.current].parts[0].zone.is_some() {
            self.zone_started(events);
        }
    }

    /// Adds the running time up to `at` to the current step.
    fn bank(&mut self, at: Instant) {
        if let Some(since) = self.since.take() {
            let step = &mut self.steps[self.current];
            step.spent = step
                .spent
                .saturating_add(at.saturating_duration_since(since));
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
                ends_at: countdown::deadline(now.instant, first),
            };
            self.since = Some(now.instant);
            events.extend(self.tick(now));
        }
        events
    }

    fn enter_step(&mut self, first: Duration) {
        self.part = 0;
        self.warned = false;
        self.announced = 0;
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
            // Also called from the panic hook: no indexing, no arithmetic that can panic.
            part_length_ms: self
                .current_step()
                .and_then(|s| s.parts.get(self.part))
                .map_or(0, |p| p.length.as_millis() as u64),
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
                s.spent.saturating_add(running).as_secs()
            }),
        }
    }

    /// Puts a saved run back, paused at its step with the time that was left. Steps are
    /// matched by name, so a config edited in between loses nothing that still exists;
    /// the first step neither done nor skipped is the current one, so a step added
    /// before the one in progress is not passed by.
    pub fn restore(&mut self, saved: &Saved) {
        // Whatever the file says, no number taken from it can make a later sum overflow
        // or an index go out of bounds (`Saved::check` turns such files away first).
        let secs = |s: u64| Duration::from_secs(s).min(MOST_RESTORED);
        let millis = |ms: u64| Duration::from_millis(ms).min(MOST_RESTORED);
        self.started = saved.started;
        self.checked_in = saved.checked_in;
        for s in &saved.steps {
            if let Some(step) = self.steps.iter_mut().find(|x| x.name == s.name) {
                step.outcome = s.outcome;
                step.spent = secs(s.spent_secs);
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
        self.enter_step(self.first_length(current));
        let Some(step) = self.steps.get_mut(current) else {
            return;
        };
        if saved.current.as_deref() != Some(step.name.as_str()) || saved.idle {
            return;
        }
        step.spent = secs(saved.current_spent_secs);
        self.part = saved.part.min(step.parts.len().saturating_sub(1));
        let Some(part) = step.parts.get_mut(self.part) else {
            return;
        };
        if saved.part_length_ms > 0 {
            part.length = millis(saved.part_length_ms);
        }
        let left = millis(saved.left_ms).min(part.length);
        // The directions up to the one it stopped in were announced before the save.
        self.announced =
            passes::at(&part.slots(), part.length.saturating_sub(left)).map_or(0, |p| p.index);
        self.countdown = Countdown::Paused { left };
    }
}

/// A saved run that no run could have written; it is set aside rather than put back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unrestorable(pub String);

impl Saved {
    /// Turns away a saved run holding what no run of `routine` (the config's routine of
    /// that name, if any) writes: an empty name, a day after `today` or more than a year
    /// before it, a start or a save more than a day ahead of `now` (a clock set back or
    /// a change of zone is not impossible), a step spent longer than a
    /// day, more time left than the part holds, a zone the step does not have.
    pub fn check(
        &self,
        routine: Option<&Routine>,
        today: NaiveDate,
        now: DateTime<FixedOffset>,
    ) -> Result<(), Unrestorable> {
        let no = |why: String| Err(Unrestorable(why));
        if self.routine.trim().is_empty() {
            return no("it names no routine".into());
        }
        // A clock set back or a flight west can put a real session a day ahead; such a
        // session is journaled as one of another day, not set aside.
        if self.day > today.succ_opt().unwrap_or(today) {
            return no(format!("its day, {}, is after today", self.day));
        }
        if (today - self.day).num_days() > OLDEST_SAVED_DAYS {
            return no(format!("its day, {}, is more than a year ago", self.day));
        }
        let future = now + CLOCK_SLACK;
        if let Some(started) = self.started {
            if started > future {
                return no(format!("it started in the future ({started})"));
            }
            // A day starts at `day_starts_at` on its date, so a session of it starts on
            // that date or early on the next.
            let off = (started.date_naive() - self.day).num_days();
            if !(-1..=2).contains(&off) {
                return no(format!(
                    "it started on {}, not on its day {}",
                    started.date_naive(),
                    self.day
                ));
            }
        }
        if let Some(at) = self.saved_at.filter(|at| *at > future) {
            return no(format!("it was saved in the future ({at})"));
        }
        let longest = LONGEST_STEP.as_secs();
        if let Some(s) = self.steps.iter().find(|s| s.spent_secs > longest) {
            return no(format!(
                "{:?} took {} s, longer than a day",
                s.name, s.spent_secs
            ));
        }
        if self.current_spent_secs > longest {
            return no(format!(
                "the current step took {} s, longer than a day",
                self.current_spent_secs
            ));
        }
        // A configured part longer than a day is the person's choice; allow a day more.
        let longest_part = routine
            .into_iter()
            .flat_map(|r| &r.steps)
            .map(|step| match step.zones.iter().map(|z| z.duration.0).max() {
                Some(zone) => zone,
                None => step.length(),
            })
            .max()
            .unwrap_or_default();
        let limit = longest_part.saturating_add(LONGEST_STEP).as_millis();
        if u128::from(self.part_length_ms) > limit {
            return no(format!(
                "its part lasts {} ms, longer than a day",
                self.part_length_ms
            ));
        }
        if self.left_ms > self.part_length_ms {
            return no(format!(
                "{} ms left of a part of {} ms",
                self.left_ms, self.part_length_ms
            ));
        }
        // A zone past the step's is not refused: the config may have lost a zone since
        // the save, and `Run::restore` takes the step's last one instead.
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::config::parse;
    use crate::routine::journal::Journal;
    use crate::routine::plan;

    const CONFIG: &str = r#"(
        roller: (needle_mm: 0.5),
        routines: [(name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "90s"),
            (name: "Roll", kind: Roll, zones: [(name: "Forehead", duration: "2m"), (name: "Chin", duration: "1m")]),
        ])],
    )"#;

    fn at(t: &str) -> DateTime<FixedOffset> {
        format!("{t}+00:00").parse().unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    /// A fresh run of the evening, as `App` builds it.
    fn run() -> Run {
        let config = parse(CONFIG).unwrap();
        let plan = plan::plan(
            &config,
            &Journal::default(),
            today(),
            &at("2026-11-23T21:00:00"),
        );
        Run::new(
            &config.routines[0],
            &plan.routines[0],
            today(),
            Duration::ZERO,
        )
    }

    /// 20 s into Chin, as a run saves it.
    fn good() -> Saved {
        Saved {
            saved_at: Some(at("2026-11-23T21:04:00")),
            running: false,
            idle: false,
            routine: "evening".into(),
            day: today(),
            started: Some(at("2026-11-23T21:00:00")),
            current: Some("Roll".into()),
            part: 1,
            left_ms: 40_000,
            part_length_ms: 60_000,
            current_spent_secs: 140,
            checked_in: true,
            steps: vec![SavedStep {
                name: "Cleanse".into(),
                outcome: Some(StepOutcome::Done),
                spent_secs: 90,
                reason: None,
            }],
        }
    }

    fn check(saved: &Saved) -> Result<(), Unrestorable> {
        let config = parse(CONFIG).unwrap();
        saved.check(
            config.routine(&saved.routine),
            today(),
            at("2026-11-23T21:05:00"),
        )
    }

    #[test]
    fn what_a_run_saves_passes() {
        assert_eq!(check(&good()), Ok(()));
        let mut r = run();
        let t = Moment {
            instant: Instant::now(),
            wall: at("2026-11-23T21:00:00"),
        };
        r.start_pause(t);
        r.tick(t.after(Duration::from_secs(100)));
        assert_eq!(check(&r.saved(t.after(Duration::from_secs(100)))), Ok(()));
        // A run of yesterday goes to the journal as unfinished: it passes too.
        let mut yesterday = good();
        yesterday.day = today().pred_opt().unwrap();
        yesterday.started = Some(at("2026-11-22T21:00:00"));
        yesterday.saved_at = Some(at("2026-11-22T21:04:00"));
        assert_eq!(check(&yesterday), Ok(()));
    }

    #[test]
    fn impossible_numbers_are_turned_away_with_why() {
        type Change = fn(&mut Saved);
        let cases: Vec<(&str, Change)> = vec![
            ("names no routine", |s| s.routine = " ".into()),
            ("is after today", |s| {
                s.day += chrono::Duration::days(2);
                s.started = None;
                s.saved_at = None;
            }),
            ("more than a year ago", |s| {
                s.day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
                s.started = None;
                s.saved_at = None;
            }),
            ("started in the future", |s| {
                s.started = Some(at("2026-11-25T02:00:00"));
                s.saved_at = None;
            }),
            ("not on its day", |s| {
                s.started = Some(at("2026-11-01T21:00:00"));
            }),
            ("saved in the future", |s| {
                s.saved_at = Some(at("2026-11-25T21:00:00"))
            }),
            ("longer than a day", |s| s.steps[0].spent_secs = u64::MAX),
            ("longer than a day", |s| s.current_spent_secs = 90_000),
            ("longer than a day", |s| {
                s.part_length_ms = u64::MAX;
                s.left_ms = u64::MAX;
            }),
            ("ms left of a part of", |s| s.left_ms = 60_001),
        ];
        for (why, change) in cases {
            let mut saved = good();
            change(&mut saved);
            let err = check(&saved).expect_err(why);
            assert!(err.0.contains(why), "{why:?}: {err}");
        }
    }

    /// The Roll step of `run()` started at `t`: Forehead 2 m (40 s a direction), Chin 1 m.
    fn rolling(t: Moment) -> Run {
        let mut r = run();
        r.start_pause(t);
        r.finish(t);
        let events = r.start_pause(t);
        assert!(events.contains(&Event::PassStart {
            step: 1,
            zone: 0,
            pass: 0
        }));
        r
    }

    fn passes_started(events: &[Event]) -> Vec<(usize, usize)> {
        events
            .iter()
            .filter_map(|e| match *e {
                Event::PassStart { zone, pass, .. } => Some((zone, pass)),
                _ => None,
            })
            .collect()
    }

    fn moment() -> Moment {
        Moment {
            instant: Instant::now(),
            wall: at("2026-11-23T21:00:00"),
        }
    }

    #[test]
    fn a_direction_starts_at_its_exact_deadline() {
        let t = moment();
        let s = Duration::from_secs;
        let nano = Duration::from_nanos(1);
        let mut r = rolling(t);
        assert_eq!(r.next_event(t.instant), Some(t.instant + s(40)));
        assert!(passes_started(&r.tick(t.after(s(40) - nano))).is_empty());
        assert_eq!(
            r.current_pass(t.instant + s(40) - nano).map(|p| p.index),
            Some(0)
        );
        assert_eq!(passes_started(&r.tick(t.after(s(40)))), vec![(0, 1)]);
        assert_eq!(r.next_change(t.instant + s(40)), Some(t.instant + s(41)));
        assert_eq!(r.next_event(t.instant + s(40)), Some(t.instant + s(80)));
        // A wake-up 50 s late: the diagonal, the Chin and its first direction, in order.
        let late = r.tick(t.after(s(130)));
        assert_eq!(passes_started(&late), vec![(0, 2), (1, 0)]);
        assert_eq!(
            r.current_pass(t.instant + s(130)).map(|p| p.direction),
            Some(Direction::Horizontal)
        );
    }

    #[test]
    fn a_pause_and_a_nudge_keep_the_directions_on_the_zone_s_own_time() {
        let t = moment();
        let s = Duration::from_secs;
        let mut r = rolling(t);
        // 30 s rolled, a 100 s pause, 10 s more: the vertical starts 140 s after the start.
        r.start_pause(t.after(s(30)));
        assert!(r.next_event(t.instant + s(60)).is_none());
        r.start_pause(t.after(s(130)));
        assert_eq!(r.next_event(t.instant + s(130)), Some(t.instant + s(140)));
        assert!(passes_started(&r.tick(t.after(s(139)))).is_empty());
        assert_eq!(passes_started(&r.tick(t.after(s(140)))), vec![(0, 1)]);
        // +30 s goes to the last direction: the diagonal still starts 40 s later, and
        // lasts 70 s.
        r.nudge(true, t.after(s(150)));
        assert_eq!(r.current_pass(t.instant + s(150)).map(|p| p.index), Some(1));
        assert_eq!(passes_started(&r.tick(t.after(s(180)))), vec![(0, 2)]);
        let diagonal = r.current_pass(t.instant + s(180));
        assert_eq!(diagonal.map(|p| p.length()), Some(s(70)));
        // -30 s twice takes the diagonal's time: the zone ends, the Chin starts.
        r.nudge(false, t.after(s(200)));
        let events = r.nudge(false, t.after(s(200)));
        assert_eq!(passes_started(&events), vec![(1, 0)]);
    }

    #[test]
    fn a_restart_and_a_restore_start_again_from_the_right_direction() {
        let t = moment();
        let s = Duration::from_secs;
        let mut r = rolling(t);
        r.tick(t.after(s(50)));
        r.restart(t.after(s(50)));
        assert_eq!(r.current_pass(t.instant + s(50)).map(|p| p.index), Some(0));
        assert_eq!(passes_started(&r.tick(t.after(s(90)))), vec![(0, 1)]);
        // Saved 85 s into the Forehead (the diagonal began at 80 s) and put back paused:
        // going on announces nothing until the Chin.
        let saved = r.saved(t.after(s(135)));
        let mut again = run();
        again.restore(&saved);
        assert_eq!(again.current_pass(t.instant).map(|p| p.index), Some(2));
        let on = t.after(s(1000));
        assert!(passes_started(&again.start_pause(on)).is_empty());
        assert_eq!(passes_started(&again.tick(on.after(s(35)))), vec![(1, 0)]);
    }

    proptest::proptest! {
        /// However the wake-ups and pauses fall, each direction of each zone is
        /// announced once, in order, and the one shown is the one last announced.
        #[test]
        fn each_direction_is_announced_once_in_order_whatever_the_wakeups(
            steps in proptest::collection::vec((1u64..30_000, proptest::bool::ANY), 1..40),
        ) {
            let t = moment();
            let mut r = rolling(t);
            let mut seen = vec![(0, 0)];
            let mut at = t;
            for (ms, pause) in steps {
                at = at.after(Duration::from_millis(ms));
                let events = if pause { r.start_pause(at) } else { r.tick(at) };
                seen.extend(passes_started(&events));
                if r.current == 1 && r.countdown.is_running() {
                    let shown = r.current_pass(at.instant).map(|p| (r.part, p.index));
                    proptest::prop_assert_eq!(shown, seen.last().copied());
                }
            }
            let all = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)];
            proptest::prop_assert_eq!(&seen[..], &all[..seen.len().min(6)]);
        }
    }

    #[test]
    fn restore_takes_nothing_out_of_bounds_whatever_the_file_says() {
        let mut saved = good();
        saved.part = usize::MAX;
        saved.left_ms = u64::MAX;
        saved.part_length_ms = u64::MAX;
        saved.current_spent_secs = u64::MAX;
        saved.steps[0].spent_secs = u64::MAX;
        let mut r = run();
        r.restore(&saved);
        assert_eq!((r.current, r.part), (1, 1));
        let t = Moment {
            instant: Instant::now(),
            wall: at("2026-11-23T21:05:00"),
        };
        // What the dashboard does with it next: draw the times, go on, save.
        let _ = (r.session_length(), r.session_left(t.instant));
        assert!(r.part_left(t.instant) <= r.steps[1].parts[1].length);
        r.start_pause(t);
        r.nudge(true, t);
        let saved = r.saved(t.after(Duration::from_secs(5)));
        assert!(saved.left_ms <= saved.part_length_ms);
        r.finish(t);
        assert!(r.is_finished());
    }
}
