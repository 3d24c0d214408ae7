//! The plan's safety rules at their edges: pauses counted between routine due times,
//! a roll in the same session, a roll not done, the night before a roll, the roller's age.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::config::{Config, parse};
use super::journal::{Journal, Record, SessionRecord, StepOutcome, StepRecord};
use super::plan::{Hinge, Plan, ROLLING_DAY_REASON, StepPlan, StepState, plan};

const CONFIG: &str = r#"(
    roller: (needle_mm: 0.5),
    routines: [
        (name: "morning", at: "07:30", steps: [
            (name: "Vitamin C", kind: Serum, duration: "1m", pause_after_roll: "48h", pause_before_roll: "24h"),
        ]),
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "90s"),
            (name: "Sanitize", kind: Sanitize, duration: "1m", when: RollDay),
            (name: "Roll", kind: Roll, when: RollDay, zones: [(name: "Forehead", duration: "45s")]),
            (name: "Exfoliant", kind: Treatment, duration: "30s", pause_after_roll: "72h", pause_before_roll: "48h"),
            (name: "Retinol", kind: Treatment, duration: "30s", when: RestDay, pause_after_roll: "72h"),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
        (name: "night", steps: [
            (name: "Azelaic", kind: Treatment, duration: "30s", pause_after_roll: "48h"),
        ]),
    ],
)"#;

fn config() -> Config {
    parse(CONFIG).unwrap()
}

pub(super) fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub(super) fn instant(text: &str) -> DateTime<FixedOffset> {
    text.parse().unwrap()
}

/// A complete session of `routine` on `day`, started and ended at those instants, with
/// its Roll step done or skipped.
pub(super) fn session(
    routine: &str,
    day: &str,
    started: &str,
    ended: &str,
    roll: StepOutcome,
) -> Record {
    Record::Session(SessionRecord {
        routine: routine.into(),
        day: date(day),
        started: instant(started),
        ended: instant(ended),
        complete: true,
        steps: vec![StepRecord {
            name: "Roll".into(),
            kind: "roll".into(),
            status: roll,
            secs: 45,
            reason: (roll == StepOutcome::Skipped).then(|| "check-in: Pregnant?".into()),
            started: None,
            ended: None,
        }],
        rating: None,
        note: None,
    })
}

pub(super) fn journal(records: Vec<Record>) -> Journal {
    Journal {
        records,
        warnings: vec![],
    }
}

pub(super) fn planned(config: &Config, journal: &Journal, day: &str, now: &str) -> Plan {
    plan(config, journal, date(day), &instant(now))
}

pub(super) fn step<'a>(plan: &'a Plan, routine: &str, step: &str) -> &'a StepPlan {
    plan.routines
        .iter()
        .find(|r| r.name == routine)
        .and_then(|r| r.steps.iter().find(|s| s.name == step))
        .unwrap()
}

fn status(plan: &Plan, routine: &str, name: &str) -> StepState {
    step(plan, routine, name).status
}

/// Monday 23 Nov, rolled in the evening (due 21:00), the roll ending late.
fn rolled_monday(ended: &str) -> Journal {
    journal(vec![session(
        "evening",
        "2026-11-23",
        "2026-11-23T21:40:00+00:00",
        ended,
        StepOutcome::Done,
    )])
}

#[test]
fn a_pause_counts_from_the_due_time_of_the_routine_that_rolled_however_late_it_ended() {
    let c = config();
    for ended in ["2026-11-23T21:16:00+00:00", "2026-11-24T01:30:00+00:00"] {
        let j = rolled_monday(ended);
        // 72 h after Mon 21:00: Tue and Wed evenings off, Thu evening on.
        for (day, expected) in [
            ("2026-11-24", StepState::Off),
            ("2026-11-25", StepState::Off),
            ("2026-11-26", StepState::Pending),
        ] {
            let p = planned(&c, &j, day, "2026-11-23T22:00:00+00:00");
            assert_eq!(
                status(&p, "evening", "Exfoliant"),
                expected,
                "{day}, {ended}"
            );
        }
        let wed = planned(&c, &j, "2026-11-25", "2026-11-23T22:00:00+00:00");
        assert_eq!(
            step(&wed, "evening", "Exfoliant").reason.as_deref(),
            Some("paused after rolling: back Thu 26 Nov, evening")
        );
    }
}

#[test]
fn today_a_step_is_judged_at_its_routines_due_time_not_the_clock() {
    let c = config();
    let j = rolled_monday("2026-11-23T21:16:00+00:00");
    // Thursday 20:59 and 23:30: the evening is judged at 21:00 either way.
    for now in ["2026-11-26T20:59:00+00:00", "2026-11-26T23:30:00+00:00"] {
        let p = planned(&c, &j, "2026-11-26", now);
        assert_eq!(
            status(&p, "evening", "Exfoliant"),
            StepState::Pending,
            "{now}"
        );
    }
    // Wednesday at 23:59 the evening is still off: it does not switch on mid-evening.
    let p = planned(&c, &j, "2026-11-25", "2026-11-25T23:59:00+00:00");
    assert_eq!(status(&p, "evening", "Exfoliant"), StepState::Off);
}

#[test]
fn a_routine_without_at_is_judged_now_and_a_roll_in_one_counts_from_its_start() {
    let c = config();
    // Rolled in "night" (no `at`), started Mon 22:10.
    let j = journal(vec![session(
        "night",
        "2026-11-23",
        "2026-11-23T22:10:00+00:00",
        "2026-11-23T22:30:00+00:00",
        StepOutcome::Done,
    )]);
    let before = planned(&c, &j, "2026-11-25", "2026-11-25T22:09:59+00:00");
    assert_eq!(status(&before, "night", "Azelaic"), StepState::Off);
    let after = planned(&c, &j, "2026-11-25", "2026-11-25T22:10:00+00:00");
    assert_eq!(status(&after, "night", "Azelaic"), StepState::Pending);
    // Its 21:00 evening on Wednesday is inside the 72 h from Mon 22:10.
    assert_eq!(status(&after, "evening", "Exfoliant"), StepState::Off);
}

#[test]
fn instants_are_compared_across_time_zones() {
    let c = config();
    // Rolled in Berlin (+01:00): the evening was due at 21:00 +01:00 = 20:00 UTC.
    let j = journal(vec![session(
        "evening",
        "2026-11-23",
        "2026-11-23T21:05:00+01:00",
        "2026-11-23T21:20:00+01:00",
        StepOutcome::Done,
    )]);
    // Now in New York (-05:00): Wed 21:00 there is Thu 02:00 UTC, before Thu 20:00 UTC.
    let wed = planned(&c, &j, "2026-11-25", "2026-11-25T12:00:00-05:00");
    let exfoliant = step(&wed, "evening", "Exfoliant");
    assert_eq!(exfoliant.status, StepState::Off);
    // The end of the pause (Thu 20:00 UTC = 15:00 in New York) is told as the first
    // evening after it, in the person's zone.
    assert_eq!(
        exfoliant.reason.as_deref(),
        Some("paused after rolling: back Thu 26 Nov, evening")
    );
    // Thu 21:00 in New York is long after it.
    let thu = planned(&c, &j, "2026-11-26", "2026-11-26T12:00:00-05:00");
    assert_eq!(status(&thu, "evening", "Exfoliant"), StepState::Pending);
    // The same instant seen from UTC: the Berlin morning at 07:30 UTC on Wed is off,
    // on Thu morning (60 h after) it is on (48 h pause).
    let p = planned(&c, &j, "2026-11-26", "2026-11-26T08:00:00+00:00");
    assert_eq!(status(&p, "morning", "Vitamin C"), StepState::Pending);
}

#[test]
fn the_roll_tonight_pauses_the_later_steps_of_its_own_session() {
    let c = config();
    // A fresh journal: Monday is a rolling day, the roll planned in the evening.
    let p = planned(
        &c,
        &Journal::default(),
        "2026-11-23",
        "2026-11-23T08:00:00+00:00",
    );
    assert!(p.rolling_day);
    let exfoliant = step(&p, "evening", "Exfoliant");
    // After the roll it is off for 72 h; were the roll declined, the rest night keeps
    // its actives (the next roll waits for them), so it comes on then.
    assert_eq!(exfoliant.status, StepState::Off);
    assert_eq!(
        exfoliant.reason.as_deref(),
        Some("paused after rolling: 72 h")
    );
    assert_eq!(exfoliant.hinge, Hinge::WithoutRoll);
    let retinol = step(&p, "evening", "Retinol");
    assert_eq!(retinol.reason.as_deref(), Some(ROLLING_DAY_REASON));
    assert_eq!(retinol.hinge, Hinge::WithoutRoll);
    assert_eq!(step(&p, "evening", "Roll").hinge, Hinge::WithRoll);
    assert_eq!(step(&p, "evening", "Sanitize").hinge, Hinge::WithRoll);
    let cleanse = step(&p, "evening", "Cleanse");
    assert_eq!(
        (cleanse.status, cleanse.hinge),
        (StepState::Pending, Hinge::None)
    );
    // A routine due after the planned roll is paused by it too; one due before is not.
    let night = planned(
        &c,
        &Journal::default(),
        "2026-11-23",
        "2026-11-23T22:00:00+00:00",
    );
    assert_eq!(status(&night, "night", "Azelaic"), StepState::Off);
    let afternoon = planned(
        &c,
        &Journal::default(),
        "2026-11-23",
        "2026-11-23T15:00:00+00:00",
    );
    assert_eq!(status(&afternoon, "night", "Azelaic"), StepState::Pending);
    // The morning of the roll day is less than 24 h before it.
    assert_eq!(
        step(&p, "morning", "Vitamin C").reason.as_deref(),
        Some("paused before rolling: roll due Mon 23 Nov")
    );
}

#[test]
fn a_step_before_the_roll_in_its_session_is_not_paused_after_it() {
    let c = parse(
        r#"(roller: (needle_mm: 0.5), routines: [(name: "evening", at: "21:00", steps: [
            (name: "Toner", kind: Treatment, duration: "30s", pause_after_roll: "72h"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Acid", kind: Treatment, duration: "30s", pause_after_roll: "72h"),
        ])])"#,
    )
    .unwrap();
    let p = planned(
        &c,
        &Journal::default(),
        "2026-11-23",
        "2026-11-23T08:00:00+00:00",
    );
    assert_eq!(status(&p, "evening", "Toner"), StepState::Pending);
    assert_eq!(status(&p, "evening", "Acid"), StepState::Off);
    // The same once the session is journaled: the toner stays what it was.
    let j = rolled_monday("2026-11-23T21:16:00+00:00");
    let p = planned(&c, &j, "2026-11-23", "2026-11-23T22:00:00+00:00");
    assert_eq!(status(&p, "evening", "Toner"), StepState::Pending);
    assert_eq!(status(&p, "evening", "Acid"), StepState::Off);
}

#[test]
fn the_night_before_a_roll_is_off_for_a_pause_before_rolling() {
    let c = config();
    // Rolled Mon 16 Nov: the next roll is due Mon 23 Nov at 21:00.
    let j = journal(vec![session(
        "evening",
        "2026-11-16",
        "2026-11-16T21:00:00+00:00",
        "2026-11-16T21:20:00+00:00",
        StepOutcome::Done,
    )]);
    let sun = planned(&c, &j, "2026-11-22", "2026-11-22T08:00:00+00:00");
    assert_eq!(
        step(&sun, "evening", "Exfoliant").reason.as_deref(),
        Some("paused before rolling: roll due Mon 23 Nov")
    );
    // Saturday evening is exactly 48 h before: on.
    let sat = planned(&c, &j, "2026-11-21", "2026-11-21T08:00:00+00:00");
    assert_eq!(status(&sat, "evening", "Exfoliant"), StepState::Pending);
    // The retinol has no pause before: on on Sunday.
    assert_eq!(status(&sun, "evening", "Retinol"), StepState::Pending);
}

#[test]
fn a_skipped_or_declined_roll_makes_a_rest_night_and_tomorrow_a_rolling_day() {
    let c = config();
    // Monday's evening declined the roll at the check-in.
    let j = journal(vec![session(
        "evening",
        "2026-11-23",
        "2026-11-23T21:00:00+00:00",
        "2026-11-23T21:10:00+00:00",
        StepOutcome::Skipped,
    )]);
    let mon = planned(&c, &j, "2026-11-23", "2026-11-23T22:00:00+00:00");
    assert!(mon.rolling_day);
    // The night routine after it is a rest night's: no pause from a roll not done.
    assert_eq!(status(&mon, "night", "Azelaic"), StepState::Pending);
    let roller = mon.roller.as_ref().unwrap();
    assert_eq!((roller.uses, roller.last_roll), (0, None));
    let tue = planned(&c, &j, "2026-11-24", "2026-11-24T08:00:00+00:00");
    assert!(tue.rolling_day);
    // Tuesday's own roll is planned again; its rest-night steps wait for it.
    assert_eq!(
        step(&tue, "evening", "Retinol").reason.as_deref(),
        Some(ROLLING_DAY_REASON)
    );
}

#[test]
fn the_roller_is_due_for_replacement_after_its_days_whatever_its_uses() {
    let c = config();
    let j = journal(vec![
        Record::RollerReplaced {
            at: instant("2026-08-01T12:00:00+00:00"),
        },
        session(
            "evening",
            "2026-08-03",
            "2026-08-03T21:00:00+00:00",
            "2026-08-03T21:20:00+00:00",
            StepOutcome::Done,
        ),
    ]);
    let day89 = planned(&c, &j, "2026-10-29", "2026-10-29T08:00:00+00:00");
    let r = day89.roller.as_ref().unwrap();
    assert_eq!((r.days_in_use, r.replace, r.uses), (Some(89), false, 1));
    let day90 = planned(&c, &j, "2026-10-30", "2026-10-30T08:00:00+00:00");
    assert!(day90.roller.as_ref().unwrap().replace);
    assert!(
        day90
            .warnings
            .iter()
            .any(|w| w.contains("in use for 90 days (replace after 90)")),
        "{:?}",
        day90.warnings
    );
}

#[test]
fn a_roll_done_before_its_routine_was_due_counts_from_when_it_was_done() {
    let c = config();
    // The evening (due 21:00) rolled at 18:00.
    let j = journal(vec![session(
        "evening",
        "2026-11-23",
        "2026-11-23T18:00:00+00:00",
        "2026-11-23T18:20:00+00:00",
        StepOutcome::Done,
    )]);
    let p = planned(&c, &j, "2026-11-23", "2026-11-23T19:00:00+00:00");
    assert_eq!(status(&p, "night", "Azelaic"), StepState::Off);
}

#[test]
fn a_routine_caught_up_after_todays_roll_is_paused_by_it() {
    let c = config();
    let j = rolled_monday("2026-11-23T21:16:00+00:00");
    // The morning (due 07:30) not done yet at 22:00, after the evening rolled.
    let late = planned(&c, &j, "2026-11-23", "2026-11-23T22:00:00+00:00");
    assert_eq!(status(&late, "morning", "Vitamin C"), StepState::Off);
    // Looked at the next day, Monday's morning was before the roll.
    let before = planned(&c, &j, "2026-11-23", "2026-11-24T10:00:00+00:00");
    assert_eq!(
        step(&before, "morning", "Vitamin C").reason.as_deref(),
        Some("paused before rolling: roll due Mon 23 Nov")
    );
}

#[test]
fn the_first_and_last_dates_plan_without_overflow() {
    let c = config();
    let j = rolled_monday("2026-11-23T21:16:00+00:00");
    for day in [NaiveDate::MAX, NaiveDate::MIN] {
        let now = day.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset();
        let p = plan(&c, &j, day, &now);
        assert_eq!(p.date, day);
        let p = plan(&c, &Journal::default(), day, &now);
        assert!(p.rolling_day);
    }
}
