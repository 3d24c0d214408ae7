//! Steps that run alongside the step in hand, on the pure run (`session::run`): a soak
//! that starts first and runs while the face is cleansed, a roll that waits for it, a
//! disinfecting soak that runs on while the serum and moisturiser go on. Moments are
//! made up here; nothing sleeps.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::{Journal, StepOutcome};
use rollcoach::routine::plan::plan;
use rollcoach::session::Moment;
use rollcoach::session::event::Event;
use rollcoach::session::run::Run;

const SOAK: usize = 0;
const CLEANSE: usize = 1;
const ROLL: usize = 2;
const DISINFECT: usize = 3;
const SERUM: usize = 4;
const MOISTURISE: usize = 5;

/// A roll night: the soak (`soak` long) alongside the 90 s cleanse, the 3 m roll after
/// it, the 10 m disinfecting soak alongside the serum and the moisturiser.
fn night(soak: &str, auto_advance: bool) -> String {
    format!(
        r#"(
    checkin: [],
    roller: (needle_mm: 0.5),
    routines: [(name: "evening", at: "21:00", auto_advance: {auto_advance}, steps: [
        (name: "Sanitize roller", kind: Sanitize, duration: "{soak}", alongside: true),
        (name: "Cleanse", kind: Cleanse, duration: "90s"),
        (name: "Roll", kind: Roll, duration: "3m", after: "Sanitize roller"),
        (name: "Disinfect roller", kind: Sanitize, duration: "10m", alongside: true),
        (name: "Serum", kind: Serum, duration: "1m"),
        (name: "Moisturise", kind: Moisturise, duration: "1m"),
    ])],
)"#
    )
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn wall(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn nine_pm() -> Moment {
    Moment {
        instant: Instant::now(),
        wall: wall("2026-11-23T21:00:00+00:00"),
    }
}

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

fn ends(events: &[Event]) -> Vec<usize> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::StepEnd { step, .. } => Some(*step),
            _ => None,
        })
        .collect()
}

fn starts(events: &[Event]) -> Vec<usize> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::StepStart { step } => Some(*step),
            _ => None,
        })
        .collect()
}

#[test]
fn a_step_alongside_runs_on_its_own_and_the_next_comes_in_hand() {
    let t = nine_pm();
    let mut r = run_of(&night("5m", true));
    let events = r.start_pause(t);
    assert_eq!(starts(&events), vec![SOAK, CLEANSE]);
    assert_eq!(r.current, CLEANSE);
    assert!(r.countdown.is_running());
    assert_eq!(r.asides(), vec![SOAK]);
    assert_eq!(r.aside_left(SOAK, t.instant + secs(60)), secs(240));
    assert_eq!(r.part_left(t.instant + secs(60)), secs(30));
    // The wake-up deadline holds the soak's end once the cleanse is over.
    let later = r.tick(t.after(secs(90)));
    assert_eq!(ends(&later), vec![CLEANSE]);
    assert_eq!(
        r.next_event(t.instant + secs(90)),
        Some(t.instant + secs(300))
    );
    assert!(r.next_change(t.instant + secs(90)).is_some());
}

#[test]
fn a_wait_met_late_starts_the_roll_at_the_soak_s_exact_end() {
    let t = nine_pm();
    let nano = Duration::from_nanos(1);
    let mut r = run_of(&night("5m", true));
    r.start_pause(t);
    r.tick(t.after(secs(90)));
    assert_eq!(r.current, ROLL);
    assert_eq!(r.waiting_for(), Some(SOAK));
    assert!(!r.countdown.is_running());
    assert!(r.tick(t.after(secs(300) - nano)).is_empty());
    assert_eq!(r.waiting_for(), Some(SOAK));
    let events = r.tick(t.after(secs(300)));
    assert_eq!(ends(&events), vec![SOAK]);
    assert_eq!(starts(&events), vec![ROLL]);
    assert_eq!(r.waiting_for(), None);
    assert_eq!(r.part_left(t.instant + secs(300)), secs(180));
    assert_eq!(r.steps[SOAK].outcome, Some(StepOutcome::Done));
    assert_eq!(r.steps[SOAK].spent, secs(300));
}

#[test]
fn a_wait_met_early_is_no_wait() {
    let t = nine_pm();
    let mut r = run_of(&night("1m", true));
    r.start_pause(t);
    assert_eq!(ends(&r.tick(t.after(secs(60)))), vec![SOAK]);
    let events = r.tick(t.after(secs(90)));
    assert_eq!(
        (ends(&events), starts(&events)),
        (vec![CLEANSE], vec![ROLL])
    );
    assert_eq!(r.part_left(t.instant + secs(90)), secs(180));
}

#[test]
fn a_soak_ending_with_the_step_in_hand_ends_after_it_and_the_roll_starts_then() {
    let t = nine_pm();
    let mut r = run_of(&night("90s", true));
    r.start_pause(t);
    // A late wake-up: both ended at 90 s, the roll started then.
    let events = r.tick(t.after(secs(100)));
    assert_eq!(ends(&events), vec![CLEANSE, SOAK]);
    assert_eq!(starts(&events), vec![ROLL]);
    assert_eq!(r.part_left(t.instant + secs(100)), secs(170));
}

#[test]
fn without_auto_advance_the_roll_waits_for_space_or_starts_when_space_said_so() {
    let t = nine_pm();
    let mut r = run_of(&night("5m", false));
    r.start_pause(t); // the soak goes aside; the cleanse waits for Space
    assert_eq!(r.current, CLEANSE);
    r.start_pause(t);
    r.tick(t.after(secs(90)));
    let mut armed = r.clone();
    let events = r.tick(t.after(secs(300)));
    assert_eq!((ends(&events), starts(&events)), (vec![SOAK], vec![]));
    assert_eq!(starts(&r.start_pause(t.after(secs(310)))), vec![ROLL]);
    // Space while it waits: the roll starts by itself at the soak's end.
    assert!(armed.start_pause(t.after(secs(100))).is_empty());
    assert_eq!(starts(&armed.tick(t.after(secs(300)))), vec![ROLL]);
}

#[test]
fn the_session_ends_with_the_last_soak_or_when_enter_ends_it() {
    let t = nine_pm();
    let mut r = run_of(&night("1m", true));
    r.start_pause(t);
    r.tick(t.after(secs(90))); // roll 90..270
    let events = r.tick(t.after(secs(270)));
    assert_eq!(starts(&events), vec![DISINFECT, SERUM]);
    let events = r.tick(t.after(secs(390)));
    assert_eq!(ends(&events), vec![SERUM, MOISTURISE]);
    assert!(r.in_hand_done() && !r.is_finished());
    assert!(!events.contains(&Event::SessionComplete));
    let mut early = r.clone();
    // The disinfecting soak ends 10 m after it started, and the session with it.
    let events = r.tick(t.after(secs(870)));
    assert_eq!(ends(&events), vec![DISINFECT]);
    assert_eq!(events.last(), Some(&Event::SessionComplete));
    assert!(r.is_finished());
    assert_eq!(r.taken_secs(), 870);
    // Enter at 400 s: it is done early, and the session ends.
    let events = early.finish(t.after(secs(400)));
    assert_eq!(ends(&events), vec![DISINFECT]);
    assert_eq!(events.last(), Some(&Event::SessionComplete));
    assert_eq!(early.steps[DISINFECT].spent, secs(130));
    let record = early.record(t.after(secs(400)));
    assert!(record.complete);
    assert_eq!(record.steps.len(), 6);
}

#[test]
fn pausing_pauses_every_countdown() {
    let t = nine_pm();
    let mut r = run_of(&night("5m", true));
    r.start_pause(t);
    r.start_pause(t.after(secs(30)));
    assert!(r.tick(t.after(secs(1000))).is_empty());
    assert_eq!(r.aside_left(SOAK, t.instant + secs(1000)), secs(270));
    r.start_pause(t.after(secs(1000)));
    assert_eq!(ends(&r.tick(t.after(secs(1060)))), vec![CLEANSE]);
    // While the roll waits, Space says to start it, then pauses the soak.
    r.start_pause(t.after(secs(1100)));
    r.start_pause(t.after(secs(1100)));
    assert!(r.tick(t.after(secs(5000))).is_empty());
    r.start_pause(t.after(secs(5000)));
    let events = r.tick(t.after(secs(5170)));
    assert_eq!((ends(&events), starts(&events)), (vec![SOAK], vec![ROLL]));
}

#[test]
fn a_suspend_across_the_soak_s_end_ends_it_at_its_own_deadline() {
    let t = nine_pm();
    let mut r = run_of(&night("5m", true));
    r.start_pause(t);
    r.tick(t.after(secs(90)));
    // Asleep from 100 s to 400 s of wall time; the monotonic clock saw 100 → 101 s.
    let woke = Moment {
        instant: t.instant + secs(101),
        wall: t.wall + chrono::Duration::seconds(400),
    };
    r.catch_up(secs(299), woke.instant);
    let events = r.tick(woke);
    assert_eq!((ends(&events), starts(&events)), (vec![SOAK], vec![ROLL]));
    // The roll started at the soak's end (300 s of wall time): 80 s of it are gone.
    assert_eq!(r.part_left(woke.instant), secs(80));
}

#[test]
fn two_steps_alongside_end_each_on_its_own_time() {
    let config = r#"(
        checkin: [],
        routines: [(name: "evening", auto_advance: true, steps: [
            (name: "Mask", kind: Treatment, duration: "2m", alongside: true),
            (name: "Hair oil", kind: Custom, duration: "1m", alongside: true),
            (name: "Cleanse", kind: Cleanse, duration: "3m"),
        ])],
    )"#;
    let t = nine_pm();
    let mut r = run_of(config);
    assert_eq!(starts(&r.start_pause(t)), vec![0, 1, 2]);
    assert_eq!(r.asides(), vec![0, 1]);
    assert_eq!(r.next_event(t.instant), Some(t.instant + secs(60)));
    r.nudge_aside(1, true, t.after(secs(10)));
    assert_eq!(ends(&r.tick(t.after(secs(90)))), vec![1]);
    let events = r.finish_aside(0, t.after(secs(100)));
    assert_eq!(ends(&events), vec![0]);
    assert_eq!(r.steps[0].spent, secs(100));
    let events = r.tick(t.after(secs(180)));
    assert_eq!(ends(&events), vec![2]);
    assert_eq!(events.last(), Some(&Event::SessionComplete));
}

mod property {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Act {
        Space,
        Enter,
        Skip,
        Nudge(bool),
        FinishAside,
        NudgeAside(bool),
        Wait(u64),
        Sleep(u64),
    }

    fn act() -> impl Strategy<Value = Act> {
        prop_oneof![
            3 => Just(Act::Space),
            1 => Just(Act::Enter),
            1 => Just(Act::Skip),
            1 => any::<bool>().prop_map(Act::Nudge),
            1 => Just(Act::FinishAside),
            1 => any::<bool>().prop_map(Act::NudgeAside),
            4 => (0u64..400_000).prop_map(Act::Wait),
            1 => (0u64..900_000).prop_map(Act::Sleep),
        ]
    }

    proptest! {
        /// Whatever the keys and the clock do, every step ends once, no countdown shows
        /// more than its step or ends before its deadline, and the session ends only
        /// after every step has.
        #[test]
        fn every_step_ends_once_and_the_session_only_after_all(
            acts in proptest::collection::vec(act(), 0..40),
            auto in any::<bool>(),
        ) {
            let mut r = run_of(&night("5m", auto));
            let mut at = nine_pm();
            let mut ended = vec![0usize; r.steps.len()];
            let mut complete = 0;
            let mut check = |r: &Run, events: Vec<Event>, at: Moment| -> Result<(), TestCaseError> {
                for e in events {
                    prop_assert_eq!(complete, 0, "an event after the session ended: {:?}", e);
                    match e {
                        Event::StepEnd { step, .. } => ended[step] += 1,
                        Event::SessionComplete => {
                            complete += 1;
                            prop_assert!(r.steps.iter().all(|s| s.outcome.is_some()));
                        }
                        _ => {}
                    }
                }
                for (i, s) in r.steps.iter().enumerate() {
                    prop_assert!(ended[i] <= 1, "step {} ended twice", i);
                    prop_assert!(r.aside_left(i, at.instant) <= s.length());
                    if s.alongside && s.outcome.is_some() {
                        prop_assert!(s.spent <= s.length());
                    }
                }
                prop_assert!(r.part_left(at.instant) <= r.current_part().map_or(Duration::ZERO, |p| p.length));
                Ok(())
            };
            for act in acts {
                let events = match act {
                    Act::Space => r.start_pause(at),
                    Act::Enter => r.finish(at),
                    Act::Skip => r.skip(at),
                    Act::Nudge(add) => r.nudge(add, at),
                    Act::FinishAside => match r.asides().first() {
                        Some(&i) => r.finish_aside(i, at),
                        None => Vec::new(),
                    },
                    Act::NudgeAside(add) => match r.asides().last() {
                        Some(&i) => r.nudge_aside(i, add, at),
                        None => Vec::new(),
                    },
                    Act::Wait(ms) => {
                        at = at.after(Duration::from_millis(ms));
                        r.tick(at)
                    }
                    Act::Sleep(ms) => {
                        let gap = Duration::from_millis(ms);
                        at = Moment { instant: at.instant + secs(1), wall: at.wall + chrono::Duration::from_std(gap + secs(1)).unwrap() };
                        r.catch_up(gap, at.instant);
                        r.tick(at)
                    }
                };
                check(&r, events, at)?;
            }
            // To the end: Space and time until every step has ended.
            for _ in 0..40 {
                if r.is_finished() {
                    break;
                }
                let events = r.start_pause(at);
                check(&r, events, at)?;
                at = at.after(secs(3600));
                let events = r.tick(at);
                check(&r, events, at)?;
            }
            prop_assert!(r.is_finished());
            prop_assert_eq!(complete, 1);
            for (i, s) in r.steps.iter().enumerate() {
                // A step the app passed by (the roll skipped) ends without a StepEnd.
                prop_assert_eq!(ended[i], usize::from(!s.auto), "step {}", i);
            }
        }
    }
}

mod saved {
    use super::*;
    use rollcoach::session::run::Saved;

    #[test]
    fn a_restore_mid_soak_goes_on_from_where_it_was() {
        let t = nine_pm();
        let mut r = run_of(&night("5m", true));
        r.start_pause(t);
        r.tick(t.after(secs(100)));
        let saved = r.saved(t.after(secs(100)));
        assert_eq!(saved.alongside.len(), 1);
        assert!(saved.alongside[0].running);
        let text = serde_json::to_string(&saved).unwrap();
        let back: Saved = serde_json::from_str(&text).unwrap();
        assert_eq!(back, saved);
        // Put back an hour later, paused as the step in hand is.
        let mut again = run_of(&night("5m", true));
        again.restore(&back);
        let on = t.after(secs(3600));
        assert_eq!(again.current, ROLL);
        assert_eq!(again.waiting_for(), Some(SOAK));
        assert_eq!(again.aside_left(SOAK, on.instant), secs(200));
        assert!(again.tick(on.after(secs(1000))).is_empty());
        // Space: it goes on, and the roll starts at its end.
        assert!(again.start_pause(on).is_empty());
        let events = again.tick(on.after(secs(200)));
        assert_eq!((ends(&events), starts(&events)), (vec![SOAK], vec![ROLL]));
        assert_eq!(again.steps[SOAK].spent, secs(300));
    }

    #[test]
    fn a_session_saved_by_an_earlier_version_restores_and_an_impossible_soak_does_not() {
        let t = nine_pm();
        let mut r = run_of(&night("5m", true));
        r.start_pause(t);
        let mut value = serde_json::to_value(r.saved(t.after(secs(30)))).unwrap();
        value.as_object_mut().unwrap().remove("alongside");
        let old: Saved = serde_json::from_value(value).unwrap();
        assert!(old.alongside.is_empty());
        let mut again = run_of(&night("5m", true));
        again.restore(&old);
        // A file that knows no soak running puts the soak back in hand, to start again.
        assert_eq!(again.current, SOAK);
        assert!(again.asides().is_empty());
        let config = parse(&night("5m", true)).unwrap();
        let now = wall("2026-11-23T21:01:00+00:00");
        assert_eq!(old.check(config.routine("evening"), day(), now), Ok(()));
        let mut wrong = r.saved(t.after(secs(30)));
        wrong.alongside[0].left_ms = wrong.alongside[0].length_ms + 1;
        let err = wrong
            .check(config.routine("evening"), day(), now)
            .unwrap_err();
        assert!(err.0.contains("alongside"), "{err}");
    }
}

mod journal {
    use super::*;
    use rollcoach::routine::journal::Record;

    #[test]
    fn each_step_alongside_is_journaled_with_its_start_end_and_status() {
        let t = nine_pm();
        let mut r = run_of(&night("5m", true));
        r.start_pause(t);
        r.tick(t.after(secs(2000)));
        assert!(r.is_finished());
        let record = r.record(t.after(secs(2000)));
        let at = |s: u64| Some(t.wall + chrono::Duration::seconds(s as i64));
        let times: Vec<_> = record
            .steps
            .iter()
            .map(|s| (s.name.as_str(), s.status, s.secs, s.started, s.ended))
            .collect();
        let done = StepOutcome::Done;
        assert_eq!(
            times,
            vec![
                ("Sanitize roller", done, 300, at(0), at(300)),
                ("Cleanse", done, 90, at(0), at(90)),
                ("Roll", done, 180, at(300), at(480)),
                ("Disinfect roller", done, 600, at(480), at(1080)),
                ("Serum", done, 60, at(480), at(540)),
                ("Moisturise", done, 60, at(540), at(600)),
            ]
        );
        assert_eq!(record.ended, at(1080).unwrap());
        // Through the journal's text and back, as `history` and the CSV read it.
        let line = serde_json::to_string(&Record::Session(record.clone())).unwrap();
        let journal = Journal::parse(&line);
        assert!(journal.warnings.is_empty());
        let read = journal.sessions().next().unwrap();
        assert_eq!(read, &record);
        assert_eq!(read.tally(), (6, 0));
        // A line from an earlier version, without the times, still reads.
        let old = line.replace(
            r#","started":"2026-11-23T21:00:00Z","ended":"2026-11-23T21:01:30Z""#,
            "",
        );
        assert_ne!(old, line);
        assert_eq!(Journal::parse(&old).sessions().count(), 1);
    }
}

#[test]
fn the_session_s_time_lays_the_steps_alongside_beside_the_others() {
    let t = nine_pm();
    let mut r = run_of(&night("5m", true));
    // Soak 0-5:00 beside the cleanse 0-1:30; roll 5:00-8:00; disinfect 8:00-18:00 beside
    // the serum and the moisturiser (8:00-10:00).
    assert_eq!(r.session_left(t.instant), secs(1080));
    assert_eq!(r.session_length(), secs(1080));
    r.start_pause(t);
    assert_eq!(r.session_left(t.instant + secs(20)), secs(1060));
    r.tick(t.after(secs(100)));
    assert_eq!(r.waiting_for(), Some(SOAK));
    assert_eq!(r.session_left(t.instant + secs(100)), secs(980));
    assert_eq!(r.session_length(), secs(1080));
}

mod status {
    use super::*;
    use rollcoach::cli::status::status;

    #[test]
    fn the_status_line_counts_each_step_alongside_down_too() {
        let config = parse(&night("5m", true)).unwrap();
        let t = nine_pm();
        let mut r = run_of(&night("5m", true));
        r.start_pause(t);
        let saved = r.saved(t.after(secs(20)));
        let now = t.wall + chrono::Duration::seconds(30);
        let line = status(&config, &Journal::default(), Some(&saved), true, now);
        assert_eq!(line.state, "running");
        assert_eq!(line.text, "Cleanse 1:00 · 2/6 · Sanitize roller 4:30");
        // The next change is the next shown second of either.
        assert!(line.changes_at.is_some());
        // The roll waiting, its dashboard gone: paused where it was saved.
        let mut r = run_of(&night("5m", true));
        r.start_pause(t);
        r.tick(t.after(secs(90)));
        let saved = r.saved(t.after(secs(100)));
        let line = status(&config, &Journal::default(), Some(&saved), false, now);
        assert_eq!(line.text, "Roll 3:00 · 3/6 · Sanitize roller 3:20 · paused");
    }
}

#[test]
fn countdowns_started_apart_wake_the_run_once_a_second() {
    let t = nine_pm();
    let mut r = run_of(&night("5m", false));
    r.start_pause(t); // the soak, at 0
    let cleanse = t.after(Duration::from_millis(400));
    r.start_pause(cleanse); // the cleanse, 0.4 s later
    // On the cleanse's seconds only: 1.4 s, 2.4 s, ..., not also on 1.0 s, 2.0 s.
    let at = t.instant + Duration::from_millis(1500);
    assert_eq!(
        r.next_change(at),
        Some(t.instant + Duration::from_millis(2400))
    );
    // Once only the soak runs, its own seconds.
    r.tick(t.after(secs(91)));
    let at = t.instant + Duration::from_millis(91_500);
    assert_eq!(r.next_change(at), Some(t.instant + secs(92)));
    // Its end wakes the run whatever the seconds shown.
    let mut r = run_of(&night("2500ms", false));
    r.start_pause(t);
    r.start_pause(cleanse);
    let at = t.instant + Duration::from_millis(2450);
    assert_eq!(
        r.next_change(at),
        Some(t.instant + Duration::from_millis(2500))
    );
}
