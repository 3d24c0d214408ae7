//! The run of one routine on its own, without the dashboard: the pure state machine of
//! `session::run`, driven by moments made up here (no clock is read, nothing sleeps).
//! tests/flows.rs drives the same run through `App` and keys.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::{Journal, StepOutcome};
use rollcoach::routine::plan::{ROLLED_TONIGHT_REASON, ROLLING_DAY_REASON, plan};
use rollcoach::session::Moment;
use rollcoach::session::event::Event;
use rollcoach::session::run::{NUDGE, Run, Saved};

/// An evening with a roll: the retinol is a rest-day step (off while the roll is
/// planned, on if it is not done), the acid pauses for 72 h after a roll.
const EVENING: &str = r#"(
    checkin: [],
    roller: (needle_mm: 0.5),
    routines: [(name: "evening", at: "21:00", steps: [
        (name: "Cleanse", kind: Cleanse, duration: "90s"),
        (name: "Roll", kind: Roll, zones: [
            (name: "Forehead", duration: "2m"),
            (name: "Chin", duration: "1m"),
        ]),
        (name: "Retinol", kind: Treatment, duration: "30s", when: RestDay),
        (name: "Acid", kind: Treatment, duration: "1m", pause_after_roll: "72h"),
        (name: "Moisturise", kind: Moisturise, duration: "1m"),
    ])],
)"#;

/// The step indexes of EVENING's run.
const CLEANSE: usize = 0;
const ROLL: usize = 1;
const RETINOL: usize = 2;
const ACID: usize = 3;
const MOISTURISE: usize = 4;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn wall(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// 21:00 on the run's day, UTC.
fn nine_pm() -> Moment {
    Moment {
        instant: Instant::now(),
        wall: wall("2026-11-23T21:00:00+00:00"),
    }
}

/// A fresh run of `config`'s first routine on a day with nothing journaled, as the
/// dashboard builds it.
fn run_of(config: &str) -> Run {
    let config = parse(config).unwrap();
    let today = plan(
        &config,
        &Journal::default(),
        day(),
        &wall("2026-11-23T21:00:00+00:00"),
    );
    Run::new(
        &config.routines[0],
        &today.routines[0],
        day(),
        Duration::ZERO,
    )
}

fn evening() -> Run {
    run_of(EVENING)
}

fn evening_auto() -> Run {
    run_of(&EVENING.replace("at: \"21:00\",", "at: \"21:00\", auto_advance: true,"))
}

fn outcome(run: &Run, step: usize) -> Option<StepOutcome> {
    run.steps[step].outcome
}

fn reason(run: &Run, step: usize) -> Option<&str> {
    run.steps[step].reason.as_deref()
}

#[test]
fn a_fresh_run_waits_at_its_first_step_with_the_whole_time_on_the_clock() {
    let r = evening();
    let t = nine_pm();
    assert_eq!(r.current, CLEANSE);
    assert!(!r.has_started() && !r.is_finished());
    assert!(!r.countdown.is_running());
    assert_eq!(r.part_left(t.instant), secs(90));
    // The retinol (a rest-day step) and the acid (paused after a roll) are off while the
    // roll is planned: not counted, not in the time.
    assert!(r.held_off(RETINOL) && r.held_off(ACID));
    assert_eq!(r.position(), (1, 3));
    assert_eq!(r.session_length(), secs(90 + 180 + 60));
    assert_eq!(r.session_left(t.instant), r.session_length());
    // Waiting is not time spent.
    assert_eq!(r.part_left(t.instant + secs(3600)), secs(90));
}

#[test]
fn space_starts_pauses_and_resumes_and_a_pause_does_not_count() {
    let mut r = evening();
    let t = nine_pm();
    assert_eq!(
        r.start_pause(t),
        [Event::SessionStart, Event::StepStart { step: CLEANSE }]
    );
    assert_eq!(r.started, Some(t.wall));
    assert!(r.countdown.is_running());
    assert_eq!(r.part_left(t.instant + secs(30)), secs(60));
    // Paused 30 s in, for ten minutes: the clock stands still.
    assert!(r.start_pause(t.after(secs(30))).is_empty());
    assert!(!r.countdown.is_running());
    assert_eq!(r.part_left(t.instant + secs(630)), secs(60));
    assert!(r.tick(t.after(secs(630))).is_empty());
    // Resumed: a second Space starts no session and no step again.
    assert!(r.start_pause(t.after(secs(630))).is_empty());
    assert!(r.tick(t.after(secs(689))).is_empty());
    assert_eq!(
        r.tick(t.after(secs(690))),
        [Event::StepEnd {
            step: CLEANSE,
            outcome: StepOutcome::Done
        }]
    );
    assert_eq!(outcome(&r, CLEANSE), Some(StepOutcome::Done));
    assert_eq!(r.steps[CLEANSE].spent, secs(90), "the pause is not spent");
    // Without auto_advance the roll waits for Space, its whole time on the clock.
    assert_eq!(r.current, ROLL);
    assert!(!r.countdown.is_running());
    assert_eq!(r.part_left(t.instant + secs(2000)), secs(120));
}

#[test]
fn finish_and_skip_end_the_step_now_and_auto_advance_starts_the_next() {
    let mut r = evening_auto();
    let t = nine_pm();
    r.start_pause(t);
    let events = r.finish(t.after(secs(10)));
    assert_eq!(
        events[..3],
        [
            Event::StepEnd {
                step: CLEANSE,
                outcome: StepOutcome::Done
            },
            Event::StepStart { step: ROLL },
            Event::ZoneStart {
                step: ROLL,
                zone: 0
            },
        ]
    );
    assert_eq!(r.steps[CLEANSE].spent, secs(10));
    assert!(r.countdown.is_running());
    assert_eq!(r.part_left(t.instant + secs(10)), secs(120));
    // Skipping the roll makes the rest of the run a rest night: the retinol comes on.
    let events = r.skip(t.after(secs(20)));
    assert_eq!(
        events[..2],
        [
            Event::StepEnd {
                step: ROLL,
                outcome: StepOutcome::Skipped
            },
            Event::StepStart { step: RETINOL },
        ]
    );
    assert!(r.roll_declined());
    assert_eq!(r.current, RETINOL);
    assert!(!r.held_off(RETINOL) && !r.held_off(ACID));
    assert_eq!(r.position(), (3, 5));
    assert_eq!(r.count(StepOutcome::Skipped), 1);
}

#[test]
fn back_returns_to_the_step_before_waiting_with_its_whole_time() {
    let mut r = evening();
    let t = nine_pm();
    // Before the session starts there is nothing to go back to.
    assert!(r.back(t).is_empty());
    assert_eq!(r.current, CLEANSE);
    r.start_pause(t);
    r.finish(t.after(secs(40)));
    r.start_pause(t.after(secs(50)));
    assert_eq!(r.current, ROLL);
    assert!(r.back(t.after(secs(60))).is_empty());
    assert_eq!(r.current, CLEANSE);
    assert_eq!(outcome(&r, CLEANSE), None, "done no more");
    assert_eq!(r.steps[CLEANSE].spent, Duration::ZERO);
    assert!(!r.countdown.is_running());
    assert_eq!(r.part_left(t.instant + secs(60)), secs(90));
    // The roll it left is fresh again too.
    assert_eq!(r.steps[ROLL].spent, Duration::ZERO);
    assert_eq!(r.steps[ROLL].parts[0].length, secs(120));
}

#[test]
fn plus_and_minus_move_the_current_part_by_thirty_seconds() {
    let mut r = evening();
    let t = nine_pm();
    let length = r.session_length();
    // Before the start: the step waits with the time it will have.
    r.nudge(true, t);
    assert_eq!(r.part_left(t.instant), secs(90) + NUDGE);
    assert_eq!(r.session_length(), length + NUDGE);
    r.nudge(false, t);
    r.nudge(false, t);
    assert_eq!(r.part_left(t.instant), secs(90) - NUDGE);
    // Running: 50 s in, 10 s left; taking 30 s ends the step there and then.
    r.start_pause(t);
    let events = r.nudge(false, t.after(secs(50)));
    assert_eq!(
        events,
        [Event::StepEnd {
            step: CLEANSE,
            outcome: StepOutcome::Done
        }]
    );
    assert_eq!(r.current, ROLL);
    // r: the step's own time back, undoing the nudges.
    r.nudge(true, t.after(secs(50)));
    assert_eq!(r.part_left(t.instant + secs(50)), secs(150));
    r.restart(t.after(secs(50)));
    assert_eq!(r.part_left(t.instant + secs(50)), secs(120));
}

#[test]
fn a_roll_goes_zone_by_zone_and_direction_by_direction() {
    let mut r = evening();
    let t = nine_pm();
    r.start_pause(t);
    r.finish(t);
    let events = r.start_pause(t);
    assert_eq!(
        events,
        [
            Event::StepStart { step: ROLL },
            Event::ZoneStart {
                step: ROLL,
                zone: 0
            },
            Event::PassStart {
                step: ROLL,
                zone: 0,
                pass: 0
            },
        ]
    );
    assert_eq!(r.step_left(t.instant), secs(180));
    // Forehead: 2 min, three directions of 40 s.
    assert_eq!(
        r.tick(t.after(secs(40))),
        [Event::PassStart {
            step: ROLL,
            zone: 0,
            pass: 1
        }]
    );
    let events = r.tick(t.after(secs(120)));
    assert_eq!(
        events,
        [
            Event::PassStart {
                step: ROLL,
                zone: 0,
                pass: 2
            },
            Event::ZoneStart {
                step: ROLL,
                zone: 1
            },
            Event::PassStart {
                step: ROLL,
                zone: 1,
                pass: 0
            },
        ],
        "a late wake-up announces the direction it slept through first"
    );
    assert_eq!((r.current, r.part), (ROLL, 1));
    assert_eq!(r.current_part().unwrap().zone.as_deref(), Some("Chin"));
    assert_eq!(r.part_left(t.instant + secs(120)), secs(60));
    assert_eq!(r.step_left(t.instant + secs(120)), secs(60));
    // The Chin ends the roll: the retinol (a rest-day step) and the acid (paused after
    // rolling) are passed by with their reasons, the moisturiser waits.
    let events = r.tick(t.after(secs(180)));
    assert!(events.contains(&Event::StepEnd {
        step: ROLL,
        outcome: StepOutcome::Done
    }));
    assert!(r.rolled());
    assert_eq!(r.steps[ROLL].spent, secs(180));
    assert_eq!(r.current, MOISTURISE);
    assert_eq!(outcome(&r, RETINOL), Some(StepOutcome::Skipped));
    assert_eq!(reason(&r, RETINOL), Some(ROLLED_TONIGHT_REASON));
    assert_eq!(reason(&r, ACID), Some("paused after rolling: 72 h"));
    assert_eq!(r.position(), (3, 3));
    // Passed by, they count as skipped, as the journal and the history count them.
    assert_eq!(r.count(StepOutcome::Skipped), 2);
    assert_eq!(r.count(StepOutcome::Skipped), r.record(t).tally().1);
}

#[test]
fn a_declined_roll_skips_the_roll_and_brings_the_rest_day_step_on() {
    let mut r = evening();
    let t = nine_pm();
    assert_eq!(
        reason(&r, RETINOL),
        None,
        "not passed by before the session"
    );
    assert_eq!(
        r.steps[RETINOL].off_reason.as_deref(),
        Some(ROLLING_DAY_REASON)
    );
    // A "yes" at the check-in before the start.
    assert!(r.decline_roll("sunburn: no roll tonight", t).is_empty());
    assert_eq!(outcome(&r, ROLL), Some(StepOutcome::Skipped));
    assert_eq!(reason(&r, ROLL), Some("sunburn: no roll tonight"));
    assert!(r.roll_declined() && !r.roll_ahead());
    assert!(!r.held_off(RETINOL));
    assert_eq!(r.position(), (1, 4));
    assert_eq!(r.session_length(), secs(90 + 30 + 60 + 60));
    // The run goes through without the roll.
    r.start_pause(t);
    r.finish(t.after(secs(90)));
    assert_eq!(
        r.current, RETINOL,
        "the app's skip of the roll is passed by"
    );
    for step in [RETINOL, ACID, MOISTURISE] {
        r.start_pause(t.after(secs(100)));
        assert_eq!(r.current, step);
        r.finish(t.after(secs(110)));
    }
    assert!(r.is_finished());
    let record = r.record(t.after(secs(120)));
    assert!(record.complete);
    let statuses: Vec<(&str, StepOutcome)> = record
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("Cleanse", StepOutcome::Done),
            ("Roll", StepOutcome::Skipped),
            ("Retinol", StepOutcome::Done),
            ("Acid", StepOutcome::Done),
            ("Moisturise", StepOutcome::Done),
        ]
    );
}

#[test]
fn a_finished_run_is_recorded_complete_with_the_time_each_step_took() {
    let mut r = evening_auto();
    let t = nine_pm();
    let mut events = r.start_pause(t);
    // Everything runs by itself; one late wake-up sees the whole evening.
    events.extend(r.tick(t.after(secs(3600))));
    assert!(r.is_finished());
    assert_eq!(events.last(), Some(&Event::SessionComplete));
    assert_eq!(
        events
            .iter()
            .filter(|e| **e == Event::SessionComplete)
            .count(),
        1
    );
    // Each step ended at its own deadline, not at the wake-up.
    assert_eq!(r.ended, Some(wall("2026-11-23T21:05:30+00:00")));
    assert_eq!(r.taken_secs(), 330);
    let record = r.record(t.after(secs(3600)));
    assert!(record.complete);
    assert_eq!(record.started, t.wall);
    let taken: Vec<(&str, u64, Option<&str>)> = record
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.secs, s.reason.as_deref()))
        .collect();
    assert_eq!(
        taken,
        [
            ("Cleanse", 90, None),
            ("Roll", 180, None),
            ("Retinol", 0, Some(ROLLED_TONIGHT_REASON)),
            ("Acid", 0, Some("paused after rolling: 72 h")),
            ("Moisturise", 60, None),
        ]
    );
    // Nothing moves once finished.
    assert!(r.start_pause(t.after(secs(4000))).is_empty());
    assert!(r.skip(t.after(secs(4000))).is_empty());
    assert!(r.back(t.after(secs(4000))).is_empty());
}

#[test]
fn a_saved_run_comes_back_paused_where_it_was() {
    let mut r = evening();
    let t = nine_pm();
    r.start_pause(t);
    r.finish(t.after(secs(90)));
    r.start_pause(t.after(secs(100)));
    // 20 s into the Chin, still running, saved.
    let at = t.after(secs(100 + 140));
    r.tick(at);
    let saved = r.saved(at);
    assert!(saved.running);
    assert_eq!(
        (saved.current.as_deref(), saved.part, saved.left_ms),
        (Some("Roll"), 1, 40_000)
    );
    // Through the file's text, as the dashboard writes and reads it.
    let text = serde_json::to_string(&saved).unwrap();
    let read: Saved = serde_json::from_str(&text).unwrap();
    assert_eq!(read, saved);
    let config = parse(EVENING).unwrap();
    assert_eq!(
        read.check(config.routine("evening"), day(), at.wall),
        Ok(())
    );

    let mut again = evening();
    again.restore(&read);
    let later = t.after(secs(5000));
    assert_eq!((again.current, again.part), (ROLL, 1));
    assert_eq!(again.started, r.started);
    assert_eq!(outcome(&again, CLEANSE), Some(StepOutcome::Done));
    assert_eq!(again.steps[CLEANSE].spent, secs(90));
    assert_eq!(again.steps[ROLL].spent, secs(140));
    assert!(!again.countdown.is_running(), "put back paused");
    assert_eq!(again.part_left(later.instant), secs(40));
    // Going on: no zone or direction is announced twice, the roll ends 40 s on.
    assert!(again.start_pause(later).is_empty());
    let events = again.tick(later.after(secs(40)));
    assert!(events.contains(&Event::StepEnd {
        step: ROLL,
        outcome: StepOutcome::Done
    }));
    assert!(!events.iter().any(|e| matches!(e, Event::ZoneStart { .. })));
    assert_eq!(again.steps[ROLL].spent, secs(180));
    // And saved again, the same as a run that never stopped would be, but for when the
    // roll ended: after the pause, as it really did.
    let without_end = |steps: Vec<rollcoach::session::run::SavedStep>| {
        steps
            .into_iter()
            .map(|s| (s.name, s.outcome, s.spent_secs, s.reason, s.began))
            .collect::<Vec<_>>()
    };
    assert_eq!(without_end(again.saved(later).steps), {
        r.tick(at.after(secs(40)));
        without_end(r.saved(at.after(secs(40))).steps)
    });
}

#[test]
fn a_suspend_ends_what_ended_while_asleep_each_at_its_own_deadline() {
    let mut r = evening_auto();
    let t = nine_pm();
    r.start_pause(t);
    // The machine sleeps 60 s into the Cleanse for ten minutes: the monotonic clock
    // missed them, the wall clock did not.
    let woke = Moment {
        instant: t.instant + secs(61),
        wall: t.wall + chrono::Duration::seconds(661),
    };
    r.catch_up(secs(600), woke.instant);
    let events = r.tick(woke);
    assert!(r.is_finished(), "the skin did not pause: {events:?}");
    assert_eq!(events.last(), Some(&Event::SessionComplete));
    assert_eq!(r.steps[CLEANSE].spent, secs(90));
    assert_eq!(r.steps[MOISTURISE].spent, secs(60));
    assert_eq!(r.ended, Some(wall("2026-11-23T21:05:30+00:00")));
}

#[test]
fn the_wall_clock_set_back_or_another_zone_leaves_the_countdown_alone() {
    let mut r = evening();
    let t = nine_pm();
    r.start_pause(t);
    // An hour set back by hand, and a flight into +09:00: the deadlines are on the
    // monotonic clock.
    let set_back = Moment {
        instant: t.instant + secs(30),
        wall: wall("2026-11-23T20:00:30+00:00"),
    };
    assert!(r.tick(set_back).is_empty());
    assert_eq!(r.part_left(set_back.instant), secs(60));
    let tokyo = Moment {
        instant: t.instant + secs(90),
        wall: wall("2026-11-24T06:01:30+09:00"),
    };
    let events = r.tick(tokyo);
    assert_eq!(
        events,
        [Event::StepEnd {
            step: CLEANSE,
            outcome: StepOutcome::Done
        }]
    );
    assert_eq!(r.steps[CLEANSE].spent, secs(90));
    // The run keeps its day and its start; the record carries each time's own offset.
    let record = r.record(tokyo);
    assert_eq!(record.day, day());
    assert_eq!(record.started, t.wall);
    assert_eq!(record.ended, tokyo.wall);
    assert_eq!(record.ended.offset().local_minus_utc(), 9 * 3600);
    assert!(!record.complete);
}
