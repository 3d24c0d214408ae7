//! Texts that say when, at their edges: a step paused after rolling is back in its own
//! routine's time (a routine without `at`, a roll after midnight), the next rolling day
//! after a roll, a decline and a replaced roller.

use chrono::{DateTime, FixedOffset, NaiveDate};

use rollcoach::routine::config::{Config, parse};
use rollcoach::routine::journal::{Journal, Record, SessionRecord, StepOutcome, StepRecord};
use rollcoach::routine::plan::{self, Plan, StepState};

const CONFIG: &str = r#"(
    roller: (needle_mm: 0.5),
    routines: [
        (name: "morning", at: "07:30", steps: [
            (name: "Vitamin C", kind: Serum, duration: "1m", pause_after_roll: "48h"),
        ]),
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Acid", kind: Treatment, duration: "30s", pause_after_roll: "72h"),
        ]),
        (name: "any time", steps: [
            (name: "Mask", kind: Treatment, duration: "10m", pause_after_roll: "24h"),
        ]),
    ],
)"#;

fn config() -> Config {
    parse(CONFIG).unwrap()
}

fn at(text: &str) -> DateTime<FixedOffset> {
    format!("{text}+00:00").parse().unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The evening of `day` with its roll done (or skipped), started at `started`.
fn evening(day_: &str, started: &str, roll: StepOutcome) -> Record {
    let step = |name: &str, kind: &str, status| StepRecord {
        name: name.into(),
        kind: kind.into(),
        status,
        secs: 60,
        reason: None,
        started: None,
        ended: None,
    };
    Record::Session(SessionRecord {
        routine: "evening".into(),
        day: day(day_),
        started: at(started),
        ended: at(started) + chrono::TimeDelta::minutes(5),
        complete: true,
        steps: vec![
            step("Cleanse", "cleanse", StepOutcome::Done),
            step("Roll", "roll", roll),
        ],
        rating: None,
        note: None,
    })
}

fn reason(plan: &Plan, routine: &str, step: &str) -> (StepState, Option<String>) {
    let s = plan
        .routines
        .iter()
        .find(|r| r.name == routine)
        .and_then(|r| r.steps.iter().find(|s| s.name == step))
        .unwrap();
    (s.status, s.reason.clone())
}

fn journal(records: Vec<Record>) -> Journal {
    Journal {
        records,
        warnings: vec![],
    }
}

#[test]
fn each_step_is_back_in_its_own_routines_time() {
    // Rolled Mon 23 Nov at 21:00.
    let j = journal(vec![evening(
        "2026-11-23",
        "2026-11-23T21:00:00",
        StepOutcome::Done,
    )]);
    let tue = plan::plan(&config(), &j, day("2026-11-24"), &at("2026-11-24T06:00:00"));
    // 48 h after Mon 21:00 is Wed 21:00: the first morning after it is Thursday's.
    assert_eq!(
        reason(&tue, "morning", "Vitamin C"),
        (
            StepState::Off,
            Some("paused after rolling: back Thu 26 Nov, morning".into())
        )
    );
    // 72 h: Thursday evening exactly, the routine that rolled.
    assert_eq!(
        reason(&tue, "evening", "Acid").1.as_deref(),
        Some("paused after rolling: back Thu 26 Nov, evening")
    );
    // A routine without `at` is due at noon on another day: 24 h after Mon 21:00 is Tue
    // 21:00, after Tuesday's noon, so it is back on Wednesday.
    let mon = plan::plan(&config(), &j, day("2026-11-23"), &at("2026-11-23T23:00:00"));
    assert_eq!(
        reason(&mon, "any time", "Mask").1.as_deref(),
        Some("paused after rolling: back Wed 25 Nov, any time")
    );
}

#[test]
fn a_roll_after_midnight_counts_from_its_routines_due_time() {
    // The evening of Mon 23 Nov rolled at 00:30 on Tuesday (the day starts at 04:00): the
    // pauses count from Monday's 21:00, as if it had been on time.
    let j = journal(vec![evening(
        "2026-11-23",
        "2026-11-24T00:30:00",
        StepOutcome::Done,
    )]);
    let tue = plan::plan(&config(), &j, day("2026-11-24"), &at("2026-11-24T08:00:00"));
    assert_eq!(
        reason(&tue, "morning", "Vitamin C").1.as_deref(),
        Some("paused after rolling: back Thu 26 Nov, morning")
    );
    let roller = tue.roller.unwrap();
    assert_eq!(roller.last_roll, Some(day("2026-11-23")));
    assert_eq!(
        roller.next_after(day("2026-11-24")),
        Some(day("2026-11-30"))
    );
}

#[test]
fn the_next_rolling_day_after_a_roll_a_decline_and_a_new_roller() {
    let c = config();
    // The roll's own day: the next is a week on, never "today".
    let rolled = journal(vec![evening(
        "2026-11-23",
        "2026-11-23T21:00:00",
        StepOutcome::Done,
    )]);
    let mon = plan::plan(&c, &rolled, day("2026-11-23"), &at("2026-11-23T22:00:00"));
    assert_eq!(
        mon.roller.unwrap().next_after(day("2026-11-23")),
        Some(day("2026-11-30"))
    );
    // Declined: tomorrow.
    let declined = journal(vec![evening(
        "2026-11-23",
        "2026-11-23T21:00:00",
        StepOutcome::Skipped,
    )]);
    let mon = plan::plan(&c, &declined, day("2026-11-23"), &at("2026-11-23T22:00:00"));
    let roller = mon.roller.unwrap();
    assert_eq!(roller.uses, 0);
    assert_eq!(
        roller.next_after(day("2026-11-23")),
        Some(day("2026-11-24"))
    );
    // A new roller counts uses again; the schedule is the skin's, not the roller's.
    let mut replaced = rolled.clone();
    replaced.add(Record::RollerReplaced {
        at: at("2026-11-25T10:00:00"),
    });
    let thu = plan::plan(&c, &replaced, day("2026-11-26"), &at("2026-11-26T10:00:00"));
    let roller = thu.roller.unwrap();
    assert_eq!(roller.uses, 0);
    assert_eq!(
        roller.next_after(day("2026-11-26")),
        Some(day("2026-11-30"))
    );
}
