//! The run of one routine: steps, zones, start/pause/skip/back/±time. Pure.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::Moment;
use super::countdown::{self, Countdown, LONGEST};
use super::event::Event;
use super::passes::{self, Pass};
use crate::routine::config::{Direction, Routine, StepKind};
use crate::routine::journal::{SessionRecord, StepOutcome, StepRecord};
use crate::routine::plan::{
    Hinge, ROLLED_TONIGHT_REASON, ROLLING_DAY_REASON, RoutinePlan, StepState,
};

mod aside;
mod moves;
mod roll;
mod saved;
mod time;

pub use self::saved::{SAVED_FILE, Saved, SavedAside, SavedStep, Unrestorable};

/// What `+` and `-` add or take.
pub const NUDGE: Duration = Duration::from_secs(30);

/// No step runs, and no part lasts, longer than a day: a saved run claiming more was not
/// written by a run.
pub const LONGEST_STEP: Duration = Duration::from_secs(24 * 3600);

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
    /// Once started, it runs on its own beside the step in hand (`alongside`).
    pub alongside: bool,
    /// The index of the step running alongside it waits for (`after`), when that step
    /// is in this run.
    pub after: Option<usize>,
    /// Its own countdown while it runs alongside, until it ends.
    pub aside: Option<Countdown>,
    /// When it started.
    pub began: Option<DateTime<FixedOffset>>,
    /// When it was done or skipped.
    pub ended: Option<DateTime<FixedOffset>>,
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
    /// Space was pressed on the step in hand while it waited: it starts when it may.
    armed: bool,
    /// The pre-roll check-in was answered for this run.
    pub checked_in: bool,
    /// A second session of a routine already done that day, asked for by the person.
    pub again: bool,
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
                planned.status != StepState::Off || planned.hinge == Hinge::WithoutRoll
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
                    alongside: step.alongside,
                    after: None,
                    aside: None,
                    began: None,
                    ended: None,
                }
            })
            .collect();
        let mut steps = steps;
        // A wait for a step not in tonight's run (off today) is no wait.
        for step in &routine.steps {
            let Some(after) = step.after.as_deref() else {
                continue;
            };
            let waits = steps.iter().position(|s| s.name == step.name);
            let waited = steps.iter().position(|s| s.name == after && s.alongside);
            if let (Some(i), Some(k)) = (waits, waited)
                && k < i
            {
                steps[i].after = Some(k);
            }
        }
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
            armed: false,
            checked_in: false,
            again: false,
        };
        run.point_at_first_open();
        run
    }

    /// The run as the journal has it done: finished, each step with its recorded
    /// outcome, time and reason, for the summary. Nothing starts it again.
    pub fn close_as(&mut self, record: &SessionRecord) {
        // A step the record does not hold (added to the config since) was not part of it.
        self.steps
            .retain(|step| record.steps.iter().any(|r| r.name == step.name));
        for step in &mut self.steps {
            let recorded = record.steps.iter().find(|r| r.name == step.name);
            step.outcome = recorded.map(|r| r.status);
            step.spent = recorded.map_or(Duration::ZERO, |r| Duration::from_secs(r.secs));
            step.reason = recorded.and_then(|r| r.reason.clone());
            step.auto = step.reason.is_some();
        }
        self.started = Some(record.started);
        self.ended = Some(record.ended);
        self.checked_in = true;
        self.current = self.steps.len();
        self.part = 0;
        self.since = None;
        self.countdown = Countdown::Idle {
            left: Duration::ZERO,
        };
    }

    /// Closed from the journal, or finished here: nothing is left to do in it.
    pub fn is_closed(&self) -> bool {
        self.has_started() && self.is_finished()
    }

    /// The length of step `i`'s first part.
    fn first_length(&self, i: usize) -> Duration {
        self.steps
            .get(i)
            .and_then(|s| s.parts.first())
            .map_or(Duration::ZERO, |p| p.length)
    }

    /// Every step is done or skipped, those alongside included.
    pub fn is_finished(&self) -> bool {
        self.in_hand_done() && !self.alongside_pending()
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
        if self.in_hand_done() {
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

    /// Time left of the whole session: the step in hand and those after it one after
    /// another, each step alongside beside them from its start, a wait until its end.
    pub fn session_left(&self, now: Instant) -> Duration {
        let mut ends: Vec<Duration> = (0..self.steps.len())
            .map(|i| self.aside_left(i, now))
            .collect();
        let wait = self.waiting_for().map_or(Duration::ZERO, |k| ends[k]);
        // A step alongside still in hand starts beside the ones after it.
        let (start, from) = match self.current_step() {
            Some(s) if s.alongside => (wait, self.current),
            _ => (wait.saturating_add(self.step_left(now)), self.current + 1),
        };
        let later = (from..self.steps.len()).filter(|&i| self.will_run(i));
        self.lay_out(start, later, &mut ends, |s| s.length())
    }

    /// Time of the whole session, laid out as `session_left` lays it: steps done or
    /// skipped count what they took.
    pub fn session_length(&self) -> Duration {
        let counted = (0..self.steps.len()).filter(|&i| {
            self.steps[i].outcome.is_some()
                || self.steps[i].aside.is_some()
                || i == self.current
                || self.will_run(i)
        });
        let mut ends = vec![Duration::ZERO; self.steps.len()];
        self.lay_out(Duration::ZERO, counted, &mut ends, |s| {
            if s.outcome.is_some() {
                s.spent
            } else {
                s.length()
            }
        })
    }

    /// Steps `order` laid out from `start`: one in hand after another (a step waiting
    /// for one alongside starts at its end), each alongside from when it starts; when
    /// the last ends. `ends` holds each step's end so far.
    fn lay_out(
        &self,
        start: Duration,
        order: impl Iterator<Item = usize>,
        ends: &mut [Duration],
        length: impl Fn(&RunStep) -> Duration,
    ) -> Duration {
        let mut at = start;
        for i in order {
            let step = &self.steps[i];
            if let Some(k) = step.after {
                at = at.max(ends[k]);
            }
            let end = at.saturating_add(length(step));
            ends[i] = end;
            if !step.alongside {
                at = end;
            }
        }
        ends.iter().copied().fold(at, Duration::max)
    }

    /// Seconds from the start to the end of a finished session, rounded up as the
    /// countdown shows them; zero before it ends.
    pub fn taken_secs(&self) -> u64 {
        match (self.started, self.ended) {
            (Some(a), Some(b)) => ((b - a).num_milliseconds().max(0) as u64).div_ceil(1000),
            _ => 0,
        }
    }

    /// How many steps ended so, counted as the journal's record of the run counts them
    /// (`SessionRecord::tally`): a step passed by after the roll is a skipped step with
    /// its reason, on every screen alike.
    pub fn count(&self, outcome: StepOutcome) -> usize {
        self.steps
            .iter()
            .filter(|s| s.outcome == Some(outcome))
            .count()
    }

    /// The journal record of this run: complete when finished.
    pub fn record(&self, now: Moment) -> SessionRecord {
        SessionRecord {
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
                        started: s.began,
                        ended: s.ended,
                    })
                })
                .collect(),
            rating: None,
            note: None,
        }
    }
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
            again: false,
            steps: vec![SavedStep {
                name: "Cleanse".into(),
                outcome: Some(StepOutcome::Done),
                spent_secs: 90,
                reason: None,
                began: None,
                ended: None,
            }],
            alongside: vec![],
            current_began: None,
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
