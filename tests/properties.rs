//! Property tests: random sequences through the dashboard's pure update, journal round
//! trips, and the plan's rules, searching for failures rather than confirming the happy
//! path. Failures are kept in tests/proptest-regressions/properties.txt and replayed first.

use std::io::Write;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollcoach::dashboard::app::{Action, App, Effect, InputKey, Msg, Overlay};
use rollcoach::dashboard::ui::view;
use rollcoach::routine::config::{Config, StepKind, parse};
use rollcoach::routine::journal::{self, Journal, Record, SessionRecord, StepOutcome, StepRecord};
use rollcoach::routine::plan::{StepState, plan};
use rollcoach::session::Moment;
use rollcoach::session::countdown::Countdown;
use rollcoach::session::run::NUDGE;

/// `cases` cases with `ROLLCOACH_FULL_PROPERTIES` set (as `.ci/run` does), a quarter
/// of them otherwise (a quick `cargo test` while working); failures persisted next to
/// this file (not at the project root).
fn cases(cases: u32) -> ProptestConfig {
    let cases = if std::env::var_os("ROLLCOACH_FULL_PROPERTIES").is_some() {
        cases
    } else {
        (cases / 4).max(16)
    };
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/proptest-regressions/properties.txt"
        )))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// The dashboard: random messages at random times.
// ---------------------------------------------------------------------------------------

/// The config the sequences start from and reload into, with `{AUTO}`, `{CHECKIN}`,
/// `{EVENING}` and `{STEPS}` filled in from [`CONFIGS`]. Steps are short so that ticks of up to two
/// minutes end them, zones and all.
const BASE: &str = r#"(
    roller: (needle_mm: 0.5, replace_after_uses: 2),
    notify: (desktop: true, bell: true, warn_before: "5s"),
    hooks: [(on: StepEnd, run: ["true"]), (on: RoutineDue, run: ["true"])],
    {CHECKIN}
    routines: [
        (name: "morning", at: "07:30", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "20s"),
            (name: "Vitamin C", kind: Serum, duration: "15s", pause_after_roll: "48h"),
        ]),
        (name: "{EVENING}", at: "21:00", auto_advance: {AUTO}, steps: [
            {STEPS}
        ]),
    ],
)"#;

const STEPS: &str = r#"
    (name: "Cleanse", kind: Cleanse, duration: "30s", notes: "pat \"dry\""),
    (name: "Roll", kind: Roll, when: RollDay, zones: [
        (name: "Forehead", duration: "15s"),
        (name: "Chin", duration: "10s"),
    ]),
    (name: "Disinfect", kind: Sanitize, when: RollDay, duration: "10s"),
    (name: "Retinol", kind: Treatment, duration: "20s", when: RestDay),
    (name: "Moisturise", kind: Moisturise, duration: "40s"),
"#;

/// Steps renamed and added (one before the others, one before the last).
const STEPS_RENAMED_ADDED: &str = r#"
    (name: "Tone", kind: Custom, duration: "5s"),
    (name: "Cleanse", kind: Cleanse, duration: "25s"),
    (name: "Roll", kind: Roll, when: RollDay, passes: 6, zones: [
        (name: "Forehead", duration: "15s"),
        (name: "Left cheek", duration: "12s"),
        (name: "Chin", duration: "10s"),
    ]),
    (name: "Disinfect", kind: Sanitize, when: RollDay, duration: "10s"),
    (name: "Serum", kind: Serum, duration: "15s"),
    (name: "Cream", kind: Moisturise, duration: "40s"),
"#;

/// Steps removed (Cleanse, Retinol, Moisturise) and the Roll step as one duration.
const STEPS_REMOVED: &str = r#"
    (name: "Roll", kind: Roll, when: RollDay, duration: "20s"),
    (name: "Disinfect", kind: Sanitize, when: RollDay, duration: "10s"),
"#;

const CHECKIN: &str = r#"checkin: ["Active breakout where you roll?", "Sunburn?"],"#;

/// (auto_advance, check-in, evening's name, evening's steps).
const CONFIGS: &[(bool, &str, &str, &str)] = &[
    (false, "", "evening", STEPS),
    (false, CHECKIN, "evening", STEPS),
    (true, CHECKIN, "evening", STEPS),
    (true, "", "evening", STEPS),
    (false, CHECKIN, "evening", STEPS_RENAMED_ADDED),
    (true, "", "evening", STEPS_REMOVED),
    (true, CHECKIN, "night", STEPS),
];

/// A config without a roller: no Roll step, and RollDay steps are off.
const NO_ROLLER: &str = r#"(
    keys: (quit: ["x"], next: ["Enter"]),
    routines: [
        (name: "evening", at: "21:00", auto_advance: true, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "30s"),
            (name: "Disinfect", kind: Sanitize, when: RollDay, duration: "10s"),
            (name: "Moisturise", kind: Moisturise, duration: "40s"),
        ]),
    ],
)"#;

/// Every config of the sequences: [`CONFIGS`] and [`NO_ROLLER`].
fn config(index: usize) -> Config {
    let text = match CONFIGS.get(index) {
        Some((auto, checkin, evening, steps)) => BASE
            .replace("{AUTO}", &auto.to_string())
            .replace("{CHECKIN}", checkin)
            .replace("{EVENING}", evening)
            .replace("{STEPS}", steps),
        None => NO_ROLLER.to_string(),
    };
    parse(&text).unwrap_or_else(|e| panic!("config {index} is valid: {e:?}"))
}

const CONFIG_COUNT: usize = CONFIGS.len() + 1;

/// The longest part of any step of any config (the bound on a countdown before `+`).
const LONGEST_PART: Duration = Duration::from_secs(40);

/// A journal the dashboard opens on, relative to 2026-11-23: none; a roll the day
/// before (so not a rolling day); the evening already done today.
fn start_journal(which: u8) -> Journal {
    let line = match which {
        0 => return Journal::default(),
        1 => {
            r#"{"type":"session","routine":"evening","day":"2026-11-22","started":"2026-11-22T21:00:00+00:00","ended":"2026-11-22T21:05:00+00:00","complete":true,"steps":[{"name":"Roll","kind":"roll","status":"done","secs":25}]}"#
        }
        _ => {
            r#"{"type":"session","routine":"evening","day":"2026-11-23","started":"2026-11-23T04:00:00+00:00","ended":"2026-11-23T04:00:30+00:00","complete":true,"steps":[{"name":"Cleanse","kind":"cleanse","status":"done","secs":30}]}"#
        }
    };
    let journal = Journal::parse(line);
    assert_eq!(journal.records.len(), 1);
    journal
}

/// One step of a sequence: what happens, and how long after the step before.
#[derive(Debug, Clone)]
enum Op {
    Key(Action),
    /// The action sent by `rollcoach ctl`, sendable or not.
    Sent(Action),
    Input(InputKey),
    Tick,
    Resize,
    Report,
    /// The config file changed to config N.
    Reload(usize),
    /// The config file changed and does not parse.
    BadConfig,
    /// The dashboard is quit and opened again on the saved run.
    Reopen,
    /// The journal file is read again, the disk worker behind by up to N of the
    /// records this dashboard appended.
    Reread(usize),
    /// The machine sleeps N minutes: the wall clock moves on, the monotonic one by a
    /// second; then a tick.
    Suspend(u32),
    /// `rollcoach done ROUTINE [--again] [--no-roll]` away from the terminal (routine N of the
    /// config, with the run in progress saved as the dashboard saves it), then the
    /// journal read again.
    Done(usize, bool, bool),
}

/// Answers (y/n, a rating, Enter, Esc), keys that do something else (q, s), and text,
/// control characters included.
const TYPED: [char; 16] = [
    'y', 'Y', 'n', 'N', '1', '3', '5', '0', '9', 'q', 's', ' ', 'é', '"', '\u{7}', '\u{1b}',
];

fn input_key() -> impl Strategy<Value = InputKey> {
    prop_oneof![
        4 => prop::sample::select(TYPED.to_vec()).prop_map(InputKey::Char),
        1 => Just(InputKey::Backspace),
        2 => Just(InputKey::Enter),
        1 => Just(InputKey::Esc),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => prop::sample::select(Action::ALL.to_vec()).prop_map(Op::Key),
        2 => prop::sample::select(Action::ALL.to_vec()).prop_map(Op::Sent),
        6 => input_key().prop_map(Op::Input),
        8 => Just(Op::Tick),
        1 => Just(Op::Resize),
        1 => Just(Op::Report),
        1 => (0..CONFIG_COUNT).prop_map(Op::Reload),
        1 => Just(Op::BadConfig),
        1 => Just(Op::Reopen),
        1 => (0usize..3).prop_map(Op::Reread),
        1 => (1u32..1500).prop_map(Op::Suspend),
        2 => (0usize..3, prop::bool::ANY, prop::bool::ANY)
            .prop_map(|(r, again, no_roll)| Op::Done(r, again, no_roll)),
    ]
}

/// Time to the next message: often none, else up to two minutes (in milliseconds).
fn delta() -> impl Strategy<Value = Duration> {
    prop_oneof![
        1 => Just(Duration::ZERO),
        3 => (0u64..120_000).prop_map(Duration::from_millis),
    ]
}

/// A message, the time to it, and the size of the terminal the state after it is drawn
/// on; drawing is the slow part in a debug build, so one state in four is drawn.
type Step = (Op, Duration, Option<(u16, u16)>);

fn step() -> impl Strategy<Value = Step> {
    (
        op(),
        delta(),
        prop::option::weighted(0.25, (1u16..=120, 1u16..=50)),
    )
}

/// A finished run: which session it is.
type Finished = Option<(String, DateTime<FixedOffset>)>;

fn finished(app: &App) -> Finished {
    let run = &app.run;
    (run.is_finished() && run.started.is_some())
        .then(|| (run.routine.clone(), run.started.unwrap()))
}

fn complete_sessions(effects: &[Effect]) -> Vec<&SessionRecord> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append(Record::Session(s)) if s.complete => Some(s),
            _ => None,
        })
        .collect()
}

fn draw(app: &App, now: Moment, (width, height): (u16, u16)) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| view(app, now.instant, frame))
        .expect("drawn");
}

/// What the checks remember from the message before.
struct Seen {
    finished: Finished,
    /// The session in progress: routine, start, time elapsed.
    open: Option<(String, DateTime<FixedOffset>, TimeDelta)>,
    day: NaiveDate,
    /// `+` pressed so far (each adds at most 30 s to one part).
    adds: u32,
    /// The run was restored (a reload or reopen during a session) since it started.
    restored: bool,
    /// A Roll step of this session ran after its check-in (or without one configured).
    roll_ok: bool,
    /// The session of the run, once started: routine and start.
    session: Option<(String, DateTime<FixedOffset>)>,
    /// The complete sessions the journal held: a run closed as one of them is no new
    /// session.
    journaled: Vec<(String, DateTime<FixedOffset>)>,
}

impl Seen {
    fn new(app: &App, now: Moment) -> Seen {
        Seen {
            finished: finished(app),
            open: open(app, now),
            day: app.day,
            adds: 0,
            restored: false,
            roll_ok: false,
            session: app.run.started.map(|s| (app.run.routine.clone(), s)),
            journaled: app
                .journal
                .sessions()
                .filter(|s| s.complete)
                .map(|s| (s.routine.clone(), s.started))
                .collect(),
        }
    }
}

fn open(app: &App, now: Moment) -> Option<(String, DateTime<FixedOffset>, TimeDelta)> {
    let started = app.run.started?;
    app.in_progress()
        .then(|| (app.run.routine.clone(), started, elapsed(app, now)))
}

/// The session's time so far: to its end, or to now; but a countdown past its deadline
/// (the tick has not come yet) ends at the deadline, so it counts only to there.
fn elapsed(app: &App, now: Moment) -> TimeDelta {
    let Some(started) = app.run.started else {
        return TimeDelta::zero();
    };
    let to = match (app.run.ended, app.run.countdown) {
        (Some(ended), _) => ended,
        (None, Countdown::Running { ends_at }) => now.wall.min(now.wall_at(ends_at)),
        (None, _) => now.wall,
    };
    to - started
}

/// The invariants after every message.
fn check(app: &App, now: Moment, op: &Op, effects: &[Effect], seen: &Seen) -> Result<(), String> {
    let run = &app.run;
    let here = || format!("after {op:?}: {run:#?}");

    // Each step is exactly one of done/skipped (before the current one), current, or
    // pending (after it; or skipped ahead of time, with the check-in's reason).
    if run.current > run.steps.len() {
        return Err(format!("current out of range {}", here()));
    }
    // A run restored (by a reload or a reopen) may have steps done after the current
    // one: a step the new config added earlier, or the one that was current and is gone,
    // comes first, and the done ones after it are passed by.
    let restored = seen.restored || matches!(op, Op::Reload(_) | Op::Reopen);
    for (i, step) in run.steps.iter().enumerate() {
        let ok = match i.cmp(&run.current) {
            std::cmp::Ordering::Less => step.outcome.is_some(),
            std::cmp::Ordering::Equal => step.outcome.is_none(),
            std::cmp::Ordering::Greater => match step.outcome {
                None => true,
                Some(StepOutcome::Skipped) => step.reason.is_some() || restored,
                Some(StepOutcome::Done) => restored,
            },
        };
        if !ok {
            return Err(format!(
                "step {i} {:?} is in no state: {}",
                step.name,
                here()
            ));
        }
    }

    // No countdown above its part's length, and no part longer than the longest
    // configured part plus every `+` so far.
    if let Some(step) = run.current_step() {
        let Some(part) = step.parts.get(run.part) else {
            return Err(format!("part out of range {}", here()));
        };
        let left = run.part_left(now.instant);
        if left > part.length {
            return Err(format!(
                "{left:?} left of a {:?} part {}",
                part.length,
                here()
            ));
        }
        if run.step_left(now.instant) > step.length() {
            return Err(format!("more left of the step than its length {}", here()));
        }
    }
    let bound = LONGEST_PART + NUDGE * seen.adds;
    if let Some(part) = run
        .steps
        .iter()
        .flat_map(|s| &s.parts)
        .find(|p| p.length > bound)
    {
        return Err(format!(
            "a part of {:?} > {bound:?} {}",
            part.length,
            here()
        ));
    }

    // The session's time: started once and kept, never after now; ended only when
    // finished, never before the start; time spent never more than time elapsed.
    if let Some(started) = run.started {
        if started > now.wall {
            return Err(format!("started in the future {}", here()));
        }
        let end = run.ended.unwrap_or(now.wall);
        if end < started {
            return Err(format!("ended before it started {}", here()));
        }
        let spent: Duration = run.steps.iter().map(|s| s.spent).sum();
        let elapsed = (end - started).to_std().unwrap_or_default();
        if spent > elapsed + Duration::from_millis(1) {
            return Err(format!("{spent:?} spent in {elapsed:?} {}", here()));
        }
    }
    if run.is_finished() != run.ended.is_some() && run.started.is_some() {
        return Err(format!(
            "finished without an end, or ended unfinished {}",
            here()
        ));
    }
    if let Some((routine, started, before)) = &seen.open {
        let journaled = effects.iter().any(|e| {
            matches!(e, Effect::Append(Record::Session(s))
                if s.routine == *routine && s.started == *started)
        });
        let same = run.routine == *routine && run.started == Some(*started);
        if !same && !journaled {
            // (A session that ends in a tick that rolls the day over, a saved one of an
            // earlier day reopened, or one whose routine a reload took away, is journaled
            // and makes room for the next run.)
            return Err(format!(
                "the session {routine:?} of {started} is gone without a record {}",
                here()
            ));
        }
        if same && elapsed(app, now) < *before {
            return Err(format!("elapsed went back from {before} {}", here()));
        }
    }

    // One complete session record for each run that finishes: never two for one run,
    // none for a run that did not finish.
    let complete = complete_sessions(effects);
    let now_finished = finished(app);
    if complete.len() > 1 {
        return Err(format!(
            "{} complete records at once: {effects:?}",
            complete.len()
        ));
    }
    // A run closed as the journal has it (written before, or by `done` elsewhere just
    // now) is no new session: the journal holds it and nothing here appended it.
    let closed_as_journaled = now_finished.as_ref().is_some_and(|(routine, started)| {
        seen.journaled.contains(&(routine.clone(), *started))
            || (complete.is_empty()
                && app
                    .journal
                    .sessions()
                    .any(|s| s.complete && s.routine == *routine && s.started == *started))
    });
    if let Some((routine, started)) = &now_finished
        && now_finished != seen.finished
        && !closed_as_journaled
    {
        let matching = complete
            .iter()
            .filter(|s| s.routine == *routine && s.started == *started)
            .count();
        if matching != 1 {
            return Err(format!(
                "a run finished with {matching} records {}\neffects: {effects:?}",
                here()
            ));
        }
    }
    for session in &complete {
        let same = now_finished
            .as_ref()
            .is_some_and(|(r, s)| *r == session.routine && *s == session.started);
        let rolled_over = app.day != seen.day;
        if now_finished == seen.finished && seen.finished.is_some() && same {
            return Err(format!("a second record for a finished run {}", here()));
        }
        if !same && !rolled_over {
            return Err(format!(
                "a record without a finished run {session:?} {}",
                here()
            ));
        }
        if session.ended < session.started {
            return Err(format!("a record that ends before it starts {session:?}"));
        }
        // Complete means every step of the run was done or skipped.
        if same && session.steps.len() != run.steps.len() {
            return Err(format!(
                "a complete record without every step {session:?} {}",
                here()
            ));
        }
    }
    // An incomplete record only for a session cut short: a run saved on an earlier day
    // and reopened, or one whose routine a reload took away.
    let cut_short = |s: &SessionRecord| match op {
        Op::Reopen => true,
        Op::Reload(_) => app.config.routine(&s.routine).is_none(),
        _ => false,
    };
    if effects
        .iter()
        .any(|e| matches!(e, Effect::Append(Record::Session(s)) if !s.complete && !cut_short(s)))
    {
        return Err(format!("an incomplete record from {op:?}: {effects:?}"));
    }
    Ok(())
}

/// Over the whole day, whatever happened: never two rolls on one day, never a roll after
/// that day's roll was declined, and nothing appended that ends after it was written.
fn day_is_done(app: &App, now: Moment, effects: &[Effect]) -> Result<(), String> {
    let mut rolled = std::collections::BTreeSet::new();
    let mut declined = std::collections::BTreeSet::new();
    for s in app.journal.sessions() {
        if s.rolled() {
            if declined.contains(&s.day) {
                return Err(format!("a roll after the day's roll was declined: {s:?}"));
            }
            if !rolled.insert(s.day) {
                return Err(format!(
                    "two rolls on {}: {:#?}",
                    s.day, app.journal.records
                ));
            }
        }
        let declines = s
            .steps
            .iter()
            .any(|x| x.kind == "roll" && x.status == StepOutcome::Skipped);
        if declines && !s.rolled() {
            declined.insert(s.day);
        }
    }
    for e in effects {
        if let Effect::Append(Record::Session(s)) = e
            && s.ended > now.wall
        {
            return Err(format!("appended at {} ending after it: {s:?}", now.wall));
        }
    }
    Ok(())
}

/// Runs a sequence; Err with the first broken invariant.
fn run_sequence(
    start_config: usize,
    journal: u8,
    read_only: bool,
    start_secs: u32,
    steps: &[Step],
) -> Result<(), String> {
    let mut now = Moment {
        instant: Instant::now(),
        wall: DateTime::parse_from_rfc3339("2026-11-23T00:00:00+00:00").unwrap()
            + TimeDelta::seconds(i64::from(start_secs)),
    };
    let (mut app, effects) = App::new(
        config(start_config),
        start_journal(journal),
        None,
        read_only,
        now,
    );
    if !effects.is_empty() {
        return Err(format!("effects at start: {effects:?}"));
    }
    let mut seen = Seen::new(&app, now);
    // Records appended since the dashboard was opened: a re-read may lag behind them.
    let mut appended = 0usize;
    for (op, delta, size) in steps {
        now = now.after(*delta);
        let asked = matches!(app.overlay, Some(Overlay::CheckIn { .. }));
        let effects = match op {
            Op::Key(action) => {
                seen.adds += u32::from(*action == Action::AddTime);
                app.update(Msg::Key(*action), now)
            }
            Op::Sent(action) => {
                let before = app.run.clone();
                let (answer, _answered) = std::sync::mpsc::sync_channel(1);
                let mut effects = app.update(
                    Msg::Sent(
                        *action,
                        rollcoach::dashboard::app::Answer(
                            answer,
                            now.instant + std::time::Duration::from_secs(3),
                        ),
                    ),
                    now,
                );
                let Some(Effect::Answer(_, taken)) = effects.pop() else {
                    return Err(format!("{action} sent: no answer last in {effects:?}"));
                };
                if taken.is_err() && app.run != before {
                    return Err(format!(
                        "{action} sent and refused ({taken:?}), yet the run moved"
                    ));
                }
                if effects.iter().any(|e| matches!(e, Effect::Answer(..))) {
                    return Err(format!("{action} sent: answered twice"));
                }
                seen.adds += u32::from(*action == Action::AddTime && taken.is_ok());
                effects
            }
            Op::Input(key) => app.update(Msg::Input(*key), now),
            Op::Tick => app.update(Msg::Tick, now),
            Op::Resize => app.update(Msg::Resize, now),
            Op::Report => app.update(Msg::Report("a \"worker\"\nsays\tso".into()), now),
            Op::Reload(index) => app.update(
                Msg::Config(Ok((Box::new(config(*index)), Some("reloaded".into())))),
                now,
            ),
            Op::BadConfig => app.update(
                Msg::Config(Err(config_error("invalid duration \"soon\""))),
                now,
            ),
            Op::Reopen => {
                let saved = app.in_progress().then(|| app.run.saved(now));
                let (reopened, effects) = App::new(
                    app.config.clone(),
                    app.journal.clone(),
                    saved,
                    read_only,
                    now,
                );
                app = reopened;
                appended = 0;
                effects
            }
            Op::Suspend(minutes) => {
                now = Moment {
                    instant: now.instant + Duration::from_secs(1),
                    wall: now.wall + TimeDelta::minutes(i64::from(*minutes)),
                };
                app.update(Msg::Tick, now)
            }
            Op::Done(index, again, no_roll) => {
                let Some(routine) = app.config.routines.get(*index).map(|r| r.name.clone()) else {
                    continue;
                };
                // The dashboard saves a session as soon as it starts.
                let saved = app.in_progress().then(|| app.run.saved(now));
                let today = rollcoach::routine::plan::day_of(
                    now.wall.naive_local(),
                    app.config.day_starts_at,
                );
                let asked = rollcoach::session::done::Asked {
                    routine: &routine,
                    date: today,
                    again: *again,
                    no_roll: *no_roll,
                };
                let mut file = app.journal.clone();
                if let Ok(record) = rollcoach::session::done::record(
                    &app.config,
                    &file,
                    saved.as_ref(),
                    asked,
                    &now.wall,
                    today,
                ) {
                    if record.ended > now.wall {
                        return Err(format!("done wrote an end after now: {record:?}"));
                    }
                    file.add(Record::Session(record));
                }
                // The file holds everything up to here: a later lagging read loses none.
                appended = 0;
                app.update(Msg::Journal(Ok(Box::new(file))), now)
            }
            Op::Reread(lag) => {
                // A re-read gives the plan the journal in memory gives, and leaves the
                // run alone unless time itself changed the plan.
                let expected = app.plan_of(&app.journal, now);
                let run = (expected == app.plan).then(|| app.run.clone());
                let mut file = app.journal.clone();
                let kept = file.records.len().saturating_sub((*lag).min(appended));
                file.records.truncate(kept);
                // The file only grows: what this read saw, a later one sees too.
                appended = appended.min(*lag);
                let effects = app.update(Msg::Journal(Ok(Box::new(file))), now);
                if app.plan != expected {
                    return Err(format!("a re-read lagging {lag} changed the plan"));
                }
                if run.is_some_and(|run| run != app.run) {
                    return Err(format!("a re-read lagging {lag} changed the run"));
                }
                effects
            }
        };
        appended += effects
            .iter()
            .filter(|e| matches!(e, Effect::Append(_)))
            .count();
        // What is appended is in the journal in memory too (the plan sees it at once).
        for e in &effects {
            if let Effect::Append(Record::Session(s)) = e
                && !app
                    .journal
                    .sessions()
                    .any(|j| j.routine == s.routine && j.started == s.started)
            {
                return Err(format!("appended but not in the journal in memory: {s:?}"));
            }
        }
        check(&app, now, op, &effects, &seen)?;
        day_is_done(&app, now, &effects)?;
        // With a check-in in the config, a Roll step runs only once every question was
        // answered "no" in this session (or it started while the config had none).
        let answered = asked
            && matches!(op, Op::Input(InputKey::Enter | InputKey::Char('n' | 'N')))
            && app.overlay.is_none();
        let rolling = app.run.countdown.is_running()
            && app
                .run
                .current_step()
                .is_some_and(|s| s.kind == StepKind::Roll);
        let mut roll_ok = seen.roll_ok || answered;
        if rolling {
            if !(roll_ok || app.config.checkin.is_empty()) {
                return Err(format!(
                    "a Roll step runs without the check-in after {op:?}: {:#?}",
                    app.run
                ));
            }
            roll_ok = true;
        }
        if let Some(size) = size {
            draw(&app, now, *size);
        }
        if app.quit {
            // The dashboard exits; opened again, it resumes what was saved.
            app.quit = false;
        }
        let next = Seen::new(&app, now);
        let restored = matches!(op, Op::Reload(_) | Op::Reopen) && next.session.is_some();
        let same = next.session == seen.session;
        seen = Seen {
            adds: seen.adds,
            restored: restored || (same && seen.restored),
            roll_ok: roll_ok && (same || seen.session.is_none()),
            ..next
        };
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    /// Keys, typed answers, ticks, resizes, reloads and reopens at random times: no
    /// panic, and every invariant after every message; the states drawn (one in four)
    /// render at any size from 1×1 to 120×50.
    #[test]
    fn any_sequence_keeps_the_dashboard_consistent(
        start_config in 0..CONFIG_COUNT,
        journal in 0u8..3,
        read_only in prop::bool::weighted(0.05),
        start_secs in 0u32..86_400,
        steps in prop::collection::vec(step(), 1..80),
    ) {
        let result = run_sequence(start_config, journal, read_only, start_secs, &steps);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

// ---------------------------------------------------------------------------------------
// The journal: round trips and junk.
// ---------------------------------------------------------------------------------------

/// A wall-clock time from 1970 to 2200 with nanoseconds, at a whole-minute offset of up
/// to ±14 h (what `chrono::Local` gives).
fn wall() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (0i64..7_258_118_400, 0u32..1_000_000_000, -840i32..=840).prop_map(|(secs, nanos, mins)| {
        let utc = DateTime::from_timestamp(secs, nanos).expect("in range");
        utc.with_timezone(&FixedOffset::east_opt(mins * 60).expect("in range"))
    })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z \"\\\\\n\r\t\u{0}\u{1b}\u{2028}é😀]{0,20}",
    ]
}

fn step_record() -> impl Strategy<Value = StepRecord> {
    (
        text(),
        text(),
        prop::bool::ANY,
        any::<u64>(),
        prop::option::of(text()),
    )
        .prop_map(|(name, kind, done, secs, reason)| StepRecord {
            name,
            kind,
            status: if done {
                StepOutcome::Done
            } else {
                StepOutcome::Skipped
            },
            secs,
            reason,
            started: None,
            ended: None,
        })
}

fn session() -> impl Strategy<Value = SessionRecord> {
    (
        text(),
        wall(),
        0i64..100_000,
        prop::bool::ANY,
        prop::collection::vec(step_record(), 0..6),
        prop::option::of(any::<u8>()),
        prop::option::of(text()),
    )
        .prop_map(
            |(routine, started, secs, complete, steps, rating, note)| SessionRecord {
                routine,
                day: started.date_naive(),
                started,
                ended: started + TimeDelta::seconds(secs),
                complete,
                steps,
                rating,
                note,
            },
        )
}

/// Sessions and roller replacements (a note would fold into its session when read).
fn record() -> impl Strategy<Value = Record> {
    prop_oneof![
        4 => session().prop_map(Record::Session),
        1 => wall().prop_map(|at| Record::RollerReplaced { at }),
    ]
}

/// What a crash or another program may leave at the end of a journal: random bytes, a
/// torn record, or a record with bytes glued on.
fn junk() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        (record(), any::<prop::sample::Index>()).prop_map(|(r, cut)| {
            let line = serde_json::to_string(&r).unwrap();
            let at = cut.index(line.len().max(1));
            line.as_bytes()[..at.min(line.len())].to_vec()
        }),
        (record(), prop::collection::vec(any::<u8>(), 1..20)).prop_map(|(r, tail)| {
            let mut bytes = serde_json::to_vec(&r).unwrap();
            bytes.extend(tail);
            bytes
        }),
        Just(b"\r\n\r".to_vec()),
        Just(vec![0xf0, 0x9f, 0x98]),
    ]
}

proptest! {
    #![proptest_config(cases(256))]

    /// Any session record written is read back equal.
    #[test]
    fn any_session_reads_back_equal(session in session()) {
        let record = Record::Session(session);
        let line = serde_json::to_string(&record).unwrap();
        prop_assert!(!line.contains('\n'));
        let journal = Journal::parse(&line);
        prop_assert_eq!(journal.warnings, Vec::<String>::new());
        prop_assert_eq!(journal.records, vec![record]);
    }

    /// Records written one a line come back in order.
    #[test]
    fn any_records_read_back_in_order(records in prop::collection::vec(record(), 0..8)) {
        let text: String = records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        let journal = Journal::parse(&text);
        prop_assert!(journal.warnings.is_empty(), "{:?}", journal.warnings);
        prop_assert_eq!(journal.records, records);
    }
}

proptest! {
    // Each case writes and fsyncs a file: fewer cases.
    #![proptest_config(cases(64))]

    /// Junk appended to a journal never makes the records before it unreadable, and a
    /// record appended after the junk is read too.
    #[test]
    fn junk_never_hides_a_record(
        before in prop::collection::vec(record(), 1..4),
        junk in junk(),
        after in record(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = journal::path(dir.path());
        for r in &before {
            journal::append(&path, r).unwrap();
        }
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(&junk)
            .unwrap();

        let read = journal::read(&path).unwrap();
        prop_assert!(read.records.len() >= before.len(), "{:?}", read);
        prop_assert_eq!(&read.records[..before.len()], &before[..]);
        let junk_lines = String::from_utf8_lossy(&junk).lines().count();
        prop_assert!(read.warnings.len() <= junk_lines, "{:?}", read.warnings);

        journal::append(&path, &after).unwrap();
        let read = journal::read(&path).unwrap();
        prop_assert_eq!(&read.records[..before.len()], &before[..]);
        prop_assert_eq!(read.records.last(), Some(&after));
        prop_assert!(read.warnings.len() <= junk_lines, "{:?}", read.warnings);
    }
}

// ---------------------------------------------------------------------------------------
// The plan: rolling days, next roll, steps off.
// ---------------------------------------------------------------------------------------

const KINDS: [&str; 8] = [
    "Cleanse",
    "Sanitize",
    "Serum",
    "Treatment",
    "Moisturise",
    "Protect",
    "Wait",
    "Custom",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn clock() -> impl Strategy<Value = String> {
    (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h:02}:{m:02}"))
}

fn when() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        2 => Just("when: RollDay,".to_string()),
        2 => Just("when: RestDay,".to_string()),
        1 => prop::sample::subsequence(WEEKDAYS.to_vec(), 1..=7)
            .prop_map(|days| format!("when: Weekdays([{}]),", days.join(", "))),
    ]
}

/// A pause after rolling: none, hours, or the longest accepted (366 days).
fn pause() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        3 => (1u32..=2000).prop_map(|h| format!("pause_after_roll: \"{h}h\",")),
        1 => Just("pause_after_roll: \"1s\",".to_string()),
        1 => Just("pause_after_roll: \"366days\",".to_string()),
    ]
}

/// One step of routine `r`, number `j`; a Roll step only with a roller.
fn step_text(roller: bool) -> impl Strategy<Value = String> {
    (
        0..KINDS.len() + usize::from(roller) * 3,
        when(),
        pause(),
        1u32..=300,
        prop::bool::ANY,
    )
        .prop_map(|(kind, when, pause, secs, zones)| {
            let kind = KINDS.get(kind).copied().unwrap_or("Roll");
            let time = if kind == "Roll" && zones {
                format!(
                    "zones: [(name: \"A\", duration: \"{secs}s\"), (name: \"B\", duration: \"5s\")]"
                )
            } else {
                format!("duration: \"{secs}s\"")
            };
            format!("kind: {kind}, {when} {pause} {time}")
        })
}

/// A valid config as RON text, built from random parts.
fn config_text() -> impl Strategy<Value = String> {
    prop::bool::weighted(0.85).prop_flat_map(|roller| {
        (
            prop::option::of(clock()),
            (1u32..=3000, prop::option::of(1u32..=366), 1u32..=20),
            prop::collection::vec(
                (
                    prop::option::of(clock()),
                    prop::collection::vec(step_text(roller), 1..6),
                ),
                1..4,
            ),
        )
            .prop_map(move |(day_starts_at, (micro, rest_days, uses), routines)| {
                let mut text = String::from("(\n");
                if let Some(at) = day_starts_at {
                    text += &format!("day_starts_at: \"{at}\",\n");
                }
                if roller {
                    let rest = rest_days.map_or(String::new(), |d| format!("rest_days: {d},"));
                    text += &format!(
                        "roller: (needle_mm: {}, {rest} replace_after_uses: {uses}),\n",
                        f64::from(micro) / 1000.0
                    );
                }
                text += "routines: [\n";
                for (i, (at, steps)) in routines.iter().enumerate() {
                    let at = at
                        .as_ref()
                        .map_or(String::new(), |a| format!("at: \"{a}\","));
                    text += &format!("(name: \"r{i}\", {at} steps: [\n");
                    for (j, step) in steps.iter().enumerate() {
                        text += &format!("(name: \"s{j}\", {step}),\n");
                    }
                    text += "]),\n";
                }
                text + "],\n)"
            })
    })
}

/// The day plans are asked about: 2026-11-23 give or take 90 days.
fn base_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn day_near() -> impl Strategy<Value = NaiveDate> {
    (-90i64..=90).prop_map(|d| base_day() + TimeDelta::days(d))
}

fn moment_on(day: NaiveDate, secs: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) + TimeDelta::seconds(i64::from(secs))
}

/// Sessions of the config's routines (or one it does not have) on random days, rolling or
/// not, complete or not; and roller replacements.
fn plan_journal() -> impl Strategy<Value = Vec<Record>> {
    let session = (
        0usize..4,
        day_near(),
        0u32..86_400,
        0i64..7200,
        prop::bool::weighted(0.8),
        prop::collection::vec((0usize..6, prop::bool::ANY, prop::bool::ANY), 0..5),
    )
        .prop_map(|(routine, day, secs, length, complete, steps)| {
            let started = moment_on(day, secs).and_utc().fixed_offset();
            Record::Session(SessionRecord {
                routine: format!("r{routine}"),
                day,
                started,
                ended: started + TimeDelta::seconds(length),
                complete,
                steps: steps
                    .into_iter()
                    .map(|(j, roll, done)| StepRecord {
                        name: format!("s{j}"),
                        kind: if roll { "roll" } else { "cleanse" }.into(),
                        status: if done {
                            StepOutcome::Done
                        } else {
                            StepOutcome::Skipped
                        },
                        secs: 30,
                        reason: None,
                        started: None,
                        ended: None,
                    })
                    .collect(),
                rating: None,
                note: None,
            })
        });
    let replaced = (day_near(), 0u32..86_400).prop_map(|(day, secs)| Record::RollerReplaced {
        at: moment_on(day, secs).and_utc().fixed_offset(),
    });
    prop::collection::vec(prop_oneof![5 => session, 1 => replaced], 0..12)
}

proptest! {
    #![proptest_config(cases(256))]

    /// For any config, journal and date: next_roll is on or after the date, rolling_day
    /// is exactly next_roll == date (and agrees with the rest days since the last roll),
    /// and a step has a reason exactly when it is off.
    #[test]
    fn plan_rules_hold(
        text in config_text(),
        records in plan_journal(),
        date in day_near(),
        now_day in day_near(),
        now_secs in 0u32..86_400,
    ) {
        let config = parse(&text);
        prop_assert!(config.is_ok(), "{text}\n{config:?}");
        let config = config.unwrap();
        let mut journal = Journal::default();
        for r in records {
            journal.add(r);
        }
        // Asked about the date on that day, or from another day.
        for now in [moment_on(date, now_secs), moment_on(now_day, now_secs)] {
            let p = plan(&config, &journal, date, &now.and_utc());
            prop_assert_eq!(p.date, date);
            match (&p.roller, &config.roller) {
                (Some(r), Some(_)) => {
                    prop_assert!(r.next_roll >= date, "{r:?} on {date}");
                    prop_assert_eq!(p.rolling_day, r.next_roll == date, "{:?} on {}", r, date);
                    let last = journal
                        .sessions()
                        .filter(|s| s.day <= date && s.rolled())
                        .map(|s| s.day)
                        .max();
                    prop_assert_eq!(r.last_roll, last);
                    let rested = last.is_none_or(|l| {
                        l == date || l + TimeDelta::days(i64::from(r.rest_days)) <= date
                    });
                    prop_assert_eq!(p.rolling_day, rested, "{:?} on {}", r, date);
                    let aged = r.days_in_use.is_some_and(|d| d >= r.replace_after_days);
                    prop_assert_eq!(r.replace, r.uses >= r.replace_after_uses || aged);
                }
                (None, None) => prop_assert!(!p.rolling_day),
                (roller, _) => prop_assert!(false, "roller {roller:?} for {:?}", config.roller),
            }
            prop_assert_eq!(p.routines.len(), config.routines.len());
            for (routine, planned) in config.routines.iter().zip(&p.routines) {
                prop_assert_eq!(planned.steps.len(), routine.steps.len());
                for step in &planned.steps {
                    prop_assert_eq!(
                        step.status == StepState::Off,
                        step.reason.is_some(),
                        "{:?} in\n{}",
                        step,
                        text
                    );
                }
                let total: u64 = planned
                    .steps
                    .iter()
                    .filter(|s| s.status != StepState::Off)
                    .map(|s| s.secs)
                    .sum();
                prop_assert_eq!(planned.total_secs, total);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The bugs the sequences found, each a plain test of the right behaviour. All seven
// were fixed in 4d061c4 ("Restore and reload never lose a session").
// ---------------------------------------------------------------------------------------

/// A session that ends inside a reload is journaled. Before the fix, `App::reload`
/// restarted a running countdown with `self.run.start_pause(now)` and dropped the events
/// it returned: when the reload came after the step's deadline (before the tick), the
/// step ended inside the reload, and its StepEnd and, for the last step,
/// SessionComplete were lost: a finished run with no journal record, no ClearSaved and
/// no note.
#[test]
fn a_reload_after_the_deadline_journals_the_session() {
    let text = r#"(routines: [(name: "evening", steps: [(name: "Cleanse", kind: Cleanse, duration: "20s")])])"#;
    let t = Moment {
        instant: Instant::now(),
        wall: DateTime::parse_from_rfc3339("2026-11-23T21:05:00+00:00").unwrap(),
    };
    let (mut app, _) = App::new(parse(text).unwrap(), Journal::default(), None, false, t);
    app.update(Msg::Key(Action::StartPause), t);
    // 20 s on, the config file is saved again before the tick that would end the step.
    let later = t.after(Duration::from_secs(20));
    let effects = app.update(
        Msg::Config(Ok((Box::new(parse(text).unwrap()), None))),
        later,
    );
    assert!(app.run.is_finished());
    assert_eq!(complete_sessions(&effects).len(), 1, "{effects:?}");
}

/// A step a reload adds before the current one is offered. Before the fix,
/// `Run::restore` (used by `App::reload`, and by `App::new` resuming a saved run) put
/// the current step back by name, and a step added before it was left behind, neither
/// done nor skipped: the session was journaled `complete: true` without it.
#[test]
fn a_step_added_before_the_current_one_is_not_left_behind() {
    let before = r#"(routines: [(name: "evening", steps: [
        (name: "Cleanse", kind: Cleanse, duration: "20s"),
        (name: "Moisturise", kind: Moisturise, duration: "20s"),
    ])])"#;
    let after = before.replace(
        "(name: \"Cleanse\"",
        "(name: \"Tone\", kind: Custom, duration: \"5s\"), (name: \"Cleanse\"",
    );
    let t = Moment {
        instant: Instant::now(),
        wall: DateTime::parse_from_rfc3339("2026-11-23T21:05:00+00:00").unwrap(),
    };
    let (mut app, _) = App::new(parse(before).unwrap(), Journal::default(), None, false, t);
    app.update(Msg::Key(Action::StartPause), t);
    let t = t.after(Duration::from_secs(5));
    app.update(Msg::Config(Ok((Box::new(parse(&after).unwrap()), None))), t);
    assert_eq!(app.run.steps[0].name, "Tone");
    let mut effects = Vec::new();
    for _ in 0..3 {
        effects.extend(app.update(Msg::Key(Action::Next), t));
    }
    let records = complete_sessions(&effects);
    let [session] = records.as_slice() else {
        panic!("{effects:?}")
    };
    let names: Vec<&str> = session.steps.iter().map(|s| s.name.as_str()).collect();
    // Tone was offered (done now, or skipped), not silently passed over.
    assert!(names.contains(&"Tone"), "{session:?}");
}

/// A reload that takes the open check-in question away closes it. Before the fix,
/// `App::reload` left the check-in open at its question when the new config had fewer
/// questions (or `checkin: []`); the next frame panicked in `ui::prompt::render`
/// (`app.config.checkin[*question]`, index out of bounds), and so did a "y" in
/// `App::answer_checkin` (`self.config.checkin[question]`).
#[test]
fn a_reload_without_the_question_closes_the_checkin() {
    let with = r#"(roller: (needle_mm: 0.5), checkin: ["Sunburn?"], routines: [(name: "evening", steps: [
        (name: "Roll", kind: Roll, duration: "20s"),
    ])])"#;
    let without = with.replace(r#"checkin: ["Sunburn?"],"#, "");
    let t = Moment {
        instant: Instant::now(),
        wall: DateTime::parse_from_rfc3339("2026-11-23T21:05:00+00:00").unwrap(),
    };
    let (mut app, _) = App::new(parse(with).unwrap(), Journal::default(), None, false, t);
    app.update(Msg::Key(Action::StartPause), t);
    assert!(matches!(app.overlay, Some(Overlay::CheckIn(_))));
    app.update(
        Msg::Config(Ok((Box::new(parse(&without).unwrap()), None))),
        t,
    );
    let frame = std::panic::catch_unwind(|| draw(&app, t, (80, 24)));
    assert!(frame.is_ok(), "the view panics on the open check-in");
    app.update(Msg::Input(InputKey::Char('y')), t);
}

/// A reload that removes the only step left finishes the session with its record.
/// Before the fix, `Run::restore` set `current = steps.len()` when the current step was
/// gone and every other step done: the run was finished with no `ended`, no
/// SessionComplete, no journal record and no ClearSaved (the saved run was journaled
/// the next day as unfinished).
#[test]
fn a_reload_that_removes_the_last_step_left_journals_it() {
    let before = r#"(routines: [(name: "evening", steps: [
        (name: "Cleanse", kind: Cleanse, duration: "20s"),
        (name: "Moisturise", kind: Moisturise, duration: "20s"),
    ])])"#;
    let after = r#"(routines: [(name: "evening", steps: [
        (name: "Cleanse", kind: Cleanse, duration: "20s"),
    ])])"#;
    let t = Moment {
        instant: Instant::now(),
        wall: DateTime::parse_from_rfc3339("2026-11-23T21:05:00+00:00").unwrap(),
    };
    let (mut app, _) = App::new(parse(before).unwrap(), Journal::default(), None, false, t);
    app.update(Msg::Key(Action::Next), t);
    app.update(Msg::Key(Action::StartPause), t);
    let t = t.after(Duration::from_secs(5));
    let effects = app.update(Msg::Config(Ok((Box::new(parse(after).unwrap()), None))), t);
    assert!(app.run.is_finished());
    assert!(app.run.ended.is_some(), "finished with no end");
    assert_eq!(complete_sessions(&effects).len(), 1, "{effects:?}");
}

/// A reload never starts rolling without the check-in. Before the fix, `App::reload`
/// restarted a running countdown with `self.run.start_pause(now)`, past `App::act` and
/// its check-in: when the running step was removed from the config, the next step
/// became current, and if it was a Roll step it started counting down at once.
#[test]
fn a_reload_never_starts_a_roll_without_the_checkin() {
    let before = r#"(roller: (needle_mm: 0.5), checkin: ["Sunburn?"], routines: [(name: "evening", steps: [
        (name: "Cleanse", kind: Cleanse, duration: "20s"),
        (name: "Roll", kind: Roll, duration: "20s"),
    ])])"#;
    let after = r#"(roller: (needle_mm: 0.5), checkin: ["Sunburn?"], routines: [(name: "evening", steps: [
        (name: "Roll", kind: Roll, duration: "20s"),
    ])])"#;
    let t = Moment {
        instant: Instant::now(),
        wall: DateTime::parse_from_rfc3339("2026-11-23T21:05:00+00:00").unwrap(),
    };
    let (mut app, _) = App::new(parse(before).unwrap(), Journal::default(), None, false, t);
    app.update(Msg::Key(Action::StartPause), t);
    let t = t.after(Duration::from_secs(5));
    app.update(Msg::Config(Ok((Box::new(parse(after).unwrap()), None))), t);
    assert_eq!(app.run.current_step().unwrap().name, "Roll");
    assert!(
        !app.run.countdown.is_running(),
        "rolling without the check-in"
    );
}

/// A Roll step resumed from a saved run asks the check-in unless it was answered. Before
/// a fix, `Run::restore` put the current step back as `Countdown::Paused` even when it
/// had not started, and rolling started without the questions. Now the check-in comes
/// before the first step and is saved with the run; a run saved by an earlier version
/// (no `checked_in`) still asks at its idle Roll step.
#[test]
fn a_resumed_roll_step_still_asks_the_checkin() {
    let text = r#"(roller: (needle_mm: 0.5), checkin: ["Sunburn?"], routines: [(name: "evening", steps: [
        (name: "Cleanse", kind: Cleanse, duration: "20s"),
        (name: "Roll", kind: Roll, duration: "20s"),
    ])])"#;
    let t = Moment {
        instant: Instant::now(),
        wall: DateTime::parse_from_rfc3339("2026-11-23T21:05:00+00:00").unwrap(),
    };
    let (mut app, _) = App::new(parse(text).unwrap(), Journal::default(), None, false, t);
    app.update(Msg::Key(Action::Next), t);
    assert!(matches!(app.overlay, Some(Overlay::CheckIn(_))));
    app.update(Msg::Input(InputKey::Char('n')), t);
    assert_eq!(app.run.current_step().unwrap().name, "Roll");
    // Ctrl-C before the Roll step: quit, the run saved with its answer.
    let effects = app.update(Msg::Key(Action::Quit), t);
    let Some(Effect::Save(saved)) = effects.into_iter().find(|e| matches!(e, Effect::Save(_)))
    else {
        panic!("quitting mid-session saves")
    };
    assert!(saved.checked_in);
    let (mut again, _) = App::new(
        parse(text).unwrap(),
        app.journal.clone(),
        Some(saved.clone()),
        false,
        t,
    );
    again.update(Msg::Key(Action::StartPause), t);
    assert_eq!(again.overlay, None);
    assert!(again.run.countdown.is_running());
    // Saved by an earlier version: no answer on record, so it asks at the Roll step.
    let old = rollcoach::session::run::Saved {
        checked_in: false,
        again: false,
        ..saved
    };
    let (mut app, _) = App::new(parse(text).unwrap(), app.journal, Some(old), false, t);
    assert_eq!(app.run.current_step().unwrap().name, "Roll");
    // Enter (finish the roll now) asks first too.
    app.update(Msg::Key(Action::Next), t);
    assert!(matches!(app.overlay, Some(Overlay::CheckIn(_))));
    assert!(!app.run.rolled(), "the roll recorded without the check-in");
    app.update(Msg::Input(InputKey::Esc), t);
    app.update(Msg::Key(Action::StartPause), t);
    assert!(matches!(app.overlay, Some(Overlay::CheckIn(_))));
    assert!(
        !app.run.countdown.is_running(),
        "rolling without the check-in"
    );
}

/// A reload that renames the routine in progress keeps or journals its session, and so
/// does opening the dashboard on a run saved for a routine the config no longer has.
/// Before the fix, `App::reload` restored the session only when a routine of the same
/// name was still there and otherwise dropped it with no journal record (the next save
/// overwrote the saved run); `App::resume` returned early, the same.
#[test]
fn a_reload_that_renames_the_routine_journals_its_session() {
    let before = r#"(routines: [(name: "evening", steps: [
        (name: "Cleanse", kind: Cleanse, duration: "20s"),
        (name: "Moisturise", kind: Moisturise, duration: "20s"),
    ])])"#;
    let after = before.replace("evening", "night");
    let t = Moment {
        instant: Instant::now(),
        wall: DateTime::parse_from_rfc3339("2026-11-23T21:05:00+00:00").unwrap(),
    };
    let (mut app, _) = App::new(parse(before).unwrap(), Journal::default(), None, false, t);
    app.update(Msg::Key(Action::Next), t);
    let t = t.after(Duration::from_secs(5));
    let effects = app.update(Msg::Config(Ok((Box::new(parse(&after).unwrap()), None))), t);
    let kept = app.run.routine == "evening" && app.run.started.is_some();
    let journaled = effects
        .iter()
        .any(|e| matches!(e, Effect::Append(Record::Session(s)) if s.routine == "evening"));
    assert!(
        kept || journaled,
        "the evening session is lost: {effects:?}"
    );

    // Quit mid-session, the config edited, opened again.
    let (mut app, _) = App::new(parse(before).unwrap(), Journal::default(), None, false, t);
    app.update(Msg::Key(Action::Next), t);
    let saved = app.run.saved(t);
    let (_, effects) = App::new(parse(&after).unwrap(), app.journal, Some(saved), false, t);
    let journaled = effects
        .iter()
        .any(|e| matches!(e, Effect::Append(Record::Session(s)) if s.routine == "evening"));
    assert!(journaled, "the saved evening session is lost: {effects:?}");
}

/// A config error as the watcher sends it: `c.ron:3:12: MESSAGE`.
fn config_error(message: &str) -> rollcoach::routine::config::ConfigError {
    rollcoach::routine::config::ConfigError {
        path: "c.ron".into(),
        problems: vec![rollcoach::routine::config::Problem::Syntax {
            line: 3,
            col: 12,
            message: message.into(),
        }],
    }
}
