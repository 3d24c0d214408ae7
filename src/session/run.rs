//! The run of one routine: steps, zones, start/pause/skip/back/±time. Pure.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Moment;
use super::countdown::Countdown;
use super::event::Event;
use crate::routine::config::{Routine, StepKind, When};
use crate::routine::journal::{Session, StepOutcome, StepRecord};
use crate::routine::plan::{RoutinePlan, Status};

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
    /// It runs only on rolling days (`when: RollDay`).
    pub roll_day_only: bool,
    /// Why it was skipped, when the app skipped it (the check-in).
    pub reason: Option<String>,
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
}

impl Run {
    /// A fresh run of the routine's steps that are not off today.
    pub fn new(
        routine: &Routine,
        plan: &RoutinePlan,
        day: NaiveDate,
        warn_before: Duration,
    ) -> Run {
        let steps: Vec<RunStep> = routine
            .steps
            .iter()
            .zip(&plan.steps)
            .filter(|(_, planned)| planned.status != Status::Off)
            .map(|(step, _)| {
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
                    roll_day_only: step.when == When::RollDay,
                    reason: None,
                }
            })
            .collect();
        let countdown = Countdown::Idle {
            left: steps.first().map_or(Duration::ZERO, |s| s.parts[0].length),
        };
        Run {
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
        }
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
        let later: Duration = self
            .steps
            .iter()
            .skip(self.current + 1)
            .map(RunStep::length)
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
                } else {
                    s.length()
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

    /// How many steps ended so: done or skipped.
    pub fn count(&self, outcome: StepOutcome) -> usize {
        self.steps
            .iter()
            .filter(|s| s.outcome == Some(outcome))
            .count()
    }

    /// A Roll step of this run is done.
    pub fn rolled(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.kind == StepKind::Roll && s.outcome == Some(StepOutcome::Done))
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

    /// The check-in said not to roll today: the current Roll step and every later step
    /// that runs only on rolling days are skipped, with the reason.
    pub fn skip_rolling(&mut self, reason: &str, now: Moment) -> Vec<Event> {
        for step in self.steps.iter_mut().skip(self.current + 1) {
            if step.roll_day_only && step.outcome.is_none() {
                step.outcome = Some(StepOutcome::Skipped);
                step.reason = Some(reason.to_string());
            }
        }
        if let Some(step) = self.steps.get_mut(self.current) {
            step.reason = Some(reason.to_string());
        }
        self.skip(now)
    }

    /// b: back to the step before, waiting to start again.
    pub fn back(&mut self, _now: Moment) -> Vec<Event> {
        if self.current == 0 || self.is_finished() {
            return Vec::new();
        }
        for i in [self.current, self.current - 1] {
            let step = &mut self.steps[i];
            step.reset();
            step.outcome = None;
            step.reason = None;
            step.spent = Duration::ZERO;
        }
        self.current -= 1;
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
                        reason: s.reason.clone(),
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
        }
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
        self.bank(now.instant);
        self.steps[self.current].outcome = Some(outcome);
        events.push(Event::StepEnd {
            step: self.current,
            outcome,
        });
        self.current += 1;
        // Steps skipped ahead of time (after a check-in said no to rolling) are passed.
        while self.current_step().is_some_and(|s| s.outcome.is_some()) {
            self.current += 1;
        }
        if self.is_finished() {
            self.countdown = Countdown::Idle {
                left: Duration::ZERO,
            };
            self.ended = Some(now.wall);
            events.push(Event::SessionComplete);
            return events;
        }
        let holds = self.hold_before_roll && self.steps[self.current].kind == StepKind::Roll;
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
        for s in &saved.steps {
            if let Some(step) = self.steps.iter_mut().find(|x| x.name == s.name) {
                step.outcome = s.outcome;
                step.spent = Duration::from_secs(s.spent_secs);
                step.reason = s.reason.clone();
            }
        }
        let Some(current) = self.steps.iter().position(|s| s.outcome.is_none()) else {
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
