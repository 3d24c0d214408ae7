//! The plan with actives, products and the new `when`s: pauses derived from actives at
//! their edges, a cycle's night and a combinator's part as the reason a step is off,
//! and an expired product warned about on the steps that use it.

use super::config::{Config, parse};
use super::journal::{Journal, Record, StepOutcome};
use super::plan::{Hinge, ROLLING_DAY_REASON, StepState};
use super::plan_rules::{date, journal, planned, session, step};

const CONFIG: &str = r#"(
    roller: (needle_mm: 0.5),
    products: [
        (name: "Retinol 0.3%", actives: [Retinoid], opened: "2026-06-01"),
        (name: "Vitamin C", actives: [VitaminC], opened: "2026-11-01"),
    ],
    routines: [
        (name: "morning", at: "07:30", steps: [
            (name: "Vitamin C", kind: Serum, duration: "1m", product: "Vitamin C"),
            (name: "Retinol AM", kind: Treatment, duration: "30s", actives: [Retinoid]),
        ]),
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "90s"),
            (name: "Roll", kind: Roll, when: RollDay, zones: [(name: "Forehead", duration: "45s")]),
            (name: "Retinol", kind: Treatment, duration: "30s", product: "Retinol 0.3%"),
            (name: "Peptides", kind: Serum, duration: "30s", actives: [Peptides], when: Cycle(days: 4, on: [1], from: "2026-11-01")),
            (name: "Mask", kind: Treatment, duration: "5m", when: All([RestDay, Weekdays([Fri])])),
            (name: "Hyaluronic", kind: Serum, duration: "1m", actives: [HyaluronicAcid]),
        ]),
    ],
)"#;

fn config() -> Config {
    parse(CONFIG).unwrap()
}

/// A completed evening on `day` that rolled at 21:00.
fn rolled(day: &str) -> Record {
    session(
        "evening",
        day,
        &format!("{day}T21:00:00+00:00"),
        &format!("{day}T21:10:00+00:00"),
        StepOutcome::Done,
    )
}

#[test]
fn a_retinoids_derived_pauses_hold_at_their_edges() {
    // Rolled Mon 23 Nov at 21:00: the retinoid's 72 h after ends Thu 21:00 exactly.
    let j = journal(vec![rolled("2026-11-23")]);
    let c = config();
    let wed = planned(&c, &j, "2026-11-25", "2026-11-25T20:00:00+00:00");
    assert_eq!(
        step(&wed, "evening", "Retinol").reason.as_deref(),
        Some("paused after rolling: back Thu 26 Nov, evening")
    );
    let thu = planned(&c, &j, "2026-11-26", "2026-11-26T20:00:00+00:00");
    assert_eq!(step(&thu, "evening", "Retinol").status, StepState::Pending);
    // 48 h before the next roll at 0.5 mm (Mon 30 Nov 21:00): Sat evening is exactly
    // 48 h before, on; Sun morning and evening are inside it, off.
    let sat = planned(&c, &j, "2026-11-28", "2026-11-28T20:00:00+00:00");
    assert_eq!(step(&sat, "evening", "Retinol").status, StepState::Pending);
    let sun = planned(&c, &j, "2026-11-29", "2026-11-29T20:00:00+00:00");
    assert_eq!(
        step(&sun, "evening", "Retinol").reason.as_deref(),
        Some("paused before rolling: roll due Mon 30 Nov")
    );
    assert_eq!(step(&sun, "morning", "Retinol AM").status, StepState::Off);
    let mon = planned(&c, &j, "2026-11-30", "2026-11-30T07:00:00+00:00");
    assert_eq!(
        step(&mon, "morning", "Retinol AM").reason.as_deref(),
        Some("paused before rolling: roll due Mon 30 Nov")
    );
    // Vitamin C: 48 h after (Wed 21:00), 24 h before (the morning of the roll day off).
    let wed_am = planned(&c, &j, "2026-11-25", "2026-11-25T07:00:00+00:00");
    assert_eq!(step(&wed_am, "morning", "Vitamin C").status, StepState::Off);
    let thu_am = planned(&c, &j, "2026-11-26", "2026-11-26T07:00:00+00:00");
    assert_eq!(
        step(&thu_am, "morning", "Vitamin C").status,
        StepState::Pending
    );
    assert_eq!(
        step(&mon, "morning", "Vitamin C").reason.as_deref(),
        Some("paused before rolling: roll due Mon 30 Nov")
    );
    let sun_am = planned(&c, &j, "2026-11-29", "2026-11-29T07:00:00+00:00");
    assert_eq!(
        step(&sun_am, "morning", "Vitamin C").status,
        StepState::Pending
    );
    // Hyaluronic acid is after-care: on the roll night itself.
    let roll_night = planned(&c, &j, "2026-11-30", "2026-11-30T20:00:00+00:00");
    assert_eq!(
        step(&roll_night, "evening", "Hyaluronic").status,
        StepState::Pending
    );
    assert_eq!(
        step(&roll_night, "evening", "Retinol").reason.as_deref(),
        Some("paused after rolling: 72 h")
    );
}

#[test]
fn a_cycle_step_is_off_with_its_night_of_the_cycle() {
    let j = journal(vec![rolled("2026-11-23")]);
    let c = config();
    // From Sun 1 Nov: Fri 27 Nov is night 3 of 4; Sat 28 night 4; Sun 29 night 1.
    let fri = planned(&c, &j, "2026-11-27", "2026-11-27T20:00:00+00:00");
    assert_eq!(
        step(&fri, "evening", "Peptides").reason.as_deref(),
        Some("cycle night 3 of 4")
    );
    let sun = planned(&c, &j, "2026-11-29", "2026-11-29T20:00:00+00:00");
    assert_eq!(step(&sun, "evening", "Peptides").status, StepState::Pending);
    // Over the month's end: 1 Dec is night 3, 3 Dec night 1 again.
    let dec1 = planned(&c, &j, "2026-12-01", "2026-12-01T20:00:00+00:00");
    assert_eq!(
        step(&dec1, "evening", "Peptides").reason.as_deref(),
        Some("cycle night 3 of 4")
    );
}

#[test]
fn a_combined_when_names_the_part_that_keeps_it_off() {
    let j = journal(vec![rolled("2026-11-20")]);
    let c = config();
    // Fri 27 Nov is the rolling day a week after Fri 20: the rest-day part keeps the
    // mask off, and it comes back if the roll is declined.
    let fri = planned(&c, &j, "2026-11-27", "2026-11-27T20:00:00+00:00");
    assert!(fri.rolling_day);
    let mask = step(&fri, "evening", "Mask");
    assert_eq!(mask.reason.as_deref(), Some(ROLLING_DAY_REASON));
    assert_eq!(mask.hinge, Hinge::WithoutRoll);
    // Thu 26: a rest day, but not a Friday.
    let thu = planned(&c, &j, "2026-11-26", "2026-11-26T20:00:00+00:00");
    assert_eq!(
        step(&thu, "evening", "Mask").reason.as_deref(),
        Some("only on Fri")
    );
    // A rest Friday: on.
    let j = journal(vec![rolled("2026-11-23")]);
    let fri = planned(&c, &j, "2026-11-27", "2026-11-27T20:00:00+00:00");
    assert_eq!(step(&fri, "evening", "Mask").status, StepState::Pending);
}

#[test]
fn an_expired_product_warns_on_its_steps_which_still_run() {
    let c = config();
    let j = Journal::default();
    // Retinol opened 1 Jun keeps 6 months: expired from 1 Dec.
    let nov = planned(&c, &j, "2026-11-30", "2026-11-30T08:00:00+00:00");
    assert_eq!(step(&nov, "evening", "Retinol").warning, None);
    assert!(nov.warnings.is_empty(), "{:?}", nov.warnings);
    let dec = planned(&c, &j, "2026-12-01", "2026-12-01T08:00:00+00:00");
    let retinol = step(&dec, "evening", "Retinol");
    assert_eq!(
        retinol.warning.as_deref(),
        Some("\"Retinol 0.3%\" expired Tue 1 Dec 2026 (opened Mon 1 Jun 2026, keeps 6 months)")
    );
    assert_eq!(
        retinol.status,
        StepState::Off,
        "off for the roll, not the bottle"
    );
    assert_eq!(
        dec.warnings,
        [
            "\"Retinol 0.3%\" expired Tue 1 Dec 2026 (opened Mon 1 Jun 2026, keeps 6 months); \
          used by step \"Retinol\" in \"evening\" (it still runs): open a new one and record \
          it with `rollcoach shelf open \"Retinol 0.3%\"`"
        ]
    );
    // A rest day: it runs, with its warning.
    let j2 = journal(vec![rolled("2026-11-30")]);
    let sat = planned(&c, &j2, "2026-12-05", "2026-12-05T08:00:00+00:00");
    assert_eq!(step(&sat, "evening", "Retinol").status, StepState::Pending);
    assert!(step(&sat, "evening", "Retinol").warning.is_some());
    // A new bottle recorded in the journal wins over the config's `opened`.
    let j3 = journal(vec![Record::ProductOpened {
        product: "Retinol 0.3%".into(),
        day: date("2026-11-28"),
    }]);
    let dec = planned(&c, &j3, "2026-12-01", "2026-12-01T08:00:00+00:00");
    assert_eq!(step(&dec, "evening", "Retinol").warning, None);
    assert!(dec.warnings.is_empty(), "{:?}", dec.warnings);
}
