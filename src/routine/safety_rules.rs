//! The rules that keep any config safe at their edges: nothing with actives before the
//! needles on a rolling night, and `check` saying so about the order.

use super::config::{Config, parse};
use super::journal::{Journal, StepOutcome};
use super::plan::{BEFORE_NEEDLES_REASON, Hinge, StepState};
use super::plan_rules::{journal, planned, session, step};

/// An evening with serums before the Roll step, as people write them.
const SERUMS_FIRST: &str = r#"(
    roller: (needle_mm: 0.5),
    products: [(name: "Face oil", actives: [Fragrance])],
    routines: [
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Vitamin C", kind: Serum, duration: "1m", actives: [VitaminC]),
            (name: "Face oil", kind: Serum, duration: "1m", product: "Face oil"),
            (name: "Azelaic", kind: Treatment, duration: "1m", actives: [AzelaicAcid]),
            (name: "Toner", kind: Treatment, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Hyaluronic", kind: Serum, duration: "1m", actives: [HyaluronicAcid]),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ],
)"#;

fn serums_first() -> Config {
    parse(SERUMS_FIRST).unwrap()
}

#[test]
fn on_a_rolling_night_no_step_with_actives_goes_on_before_the_roll() {
    let c = serums_first();
    // Mon 23 Nov, nothing journaled: a rolling day.
    let p = planned(
        &c,
        &Journal::default(),
        "2026-11-23",
        "2026-11-23T08:00:00+00:00",
    );
    assert!(p.rolling_day);
    for name in ["Vitamin C", "Face oil", "Azelaic"] {
        let s = step(&p, "evening", name);
        assert_eq!(s.status, StepState::Off, "{name}");
        assert_eq!(s.reason.as_deref(), Some(BEFORE_NEEDLES_REASON), "{name}");
        // Declined, the night is a rest night: they come back.
        assert_eq!(s.hinge, Hinge::WithoutRoll, "{name}");
    }
    // No actives before it, and anything after the roll: as before.
    assert_eq!(step(&p, "evening", "Cleanse").status, StepState::Pending);
    assert_eq!(step(&p, "evening", "Toner").status, StepState::Pending);
    assert_eq!(step(&p, "evening", "Hyaluronic").status, StepState::Pending);
}

#[test]
fn on_a_declined_or_a_rest_night_the_steps_before_the_roll_run() {
    let c = serums_first();
    let declined = journal(vec![session(
        "evening",
        "2026-11-23",
        "2026-11-23T21:00:00+00:00",
        "2026-11-23T21:10:00+00:00",
        StepOutcome::Skipped,
    )]);
    let p = planned(&c, &declined, "2026-11-23", "2026-11-23T22:00:00+00:00");
    assert!(step(&p, "evening", "Azelaic").reason.as_deref() != Some(BEFORE_NEEDLES_REASON));
    // Rolled Mon 16: Tue 24 is a rest day, nothing before the needles to guard.
    let rolled = journal(vec![session(
        "evening",
        "2026-11-16",
        "2026-11-16T21:00:00+00:00",
        "2026-11-16T21:10:00+00:00",
        StepOutcome::Done,
    )]);
    let p = planned(&c, &rolled, "2026-11-20", "2026-11-20T08:00:00+00:00");
    assert!(!p.rolling_day);
    assert_eq!(step(&p, "evening", "Azelaic").status, StepState::Pending);
}

#[test]
fn a_routine_without_a_roll_tonight_is_not_held_by_the_rule() {
    // Actives in the morning, the roll in the evening: the morning is judged by its
    // pauses only.
    let c = parse(
        r#"(roller: (needle_mm: 0.5), routines: [
            (name: "morning", at: "07:00", steps: [(name: "Niacinamide", kind: Serum, duration: "1m", actives: [Niacinamide])]),
            (name: "evening", at: "21:00", steps: [(name: "Roll", kind: Roll, duration: "2m")]),
        ])"#,
    )
    .unwrap();
    let p = planned(
        &c,
        &Journal::default(),
        "2026-11-23",
        "2026-11-23T06:00:00+00:00",
    );
    assert_eq!(
        step(&p, "morning", "Niacinamide").status,
        StepState::Pending
    );
}

#[test]
fn check_warns_about_what_goes_on_the_skin_before_a_roll() {
    let c = serums_first();
    let before: Vec<String> = c
        .warnings()
        .into_iter()
        .filter(|w| w.contains("comes before the Roll step"))
        .collect();
    // Vitamin C, Face oil, Azelaic (actives), Toner (a treatment); not the cleanser,
    // nor the steps after the roll.
    assert_eq!(before.len(), 4, "{before:?}");
    assert!(before[0].starts_with("routine \"evening\", step 2 \"Vitamin C\": it comes before"));
    assert!(before[3].contains("step 5 \"Toner\""));
    let fine = parse(
        r#"(roller: (needle_mm: 0.5), routines: [(name: "e", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Sanitize", kind: Sanitize, duration: "1m"),
            (name: "Wait", kind: Wait, duration: "1m"),
            (name: "Roll", kind: Roll, duration: "2m"),
            (name: "Serum", kind: Serum, duration: "1m", actives: [Retinoid], when: RestDay),
        ])])"#,
    )
    .unwrap();
    assert!(
        fine.warnings()
            .iter()
            .all(|w| !w.contains("before the Roll")),
        "{:?}",
        fine.warnings()
    );
    // A custom step with actives counts too.
    let custom = parse(
        r#"(roller: (needle_mm: 0.5), routines: [(name: "e", steps: [
            (name: "Mask", kind: Custom, duration: "1m", actives: [Aha]),
            (name: "Roll", kind: Roll, duration: "2m"),
        ])])"#,
    )
    .unwrap();
    assert!(
        custom
            .warnings()
            .iter()
            .any(|w| w.contains("\"Mask\": it comes before the Roll"))
    );
}

/// A rest-day retinol, an exfoliant, a fragrance and after-care, with a check-in whose
/// second question means broken skin.
const BROKEN: &str = r#"(
    roller: (needle_mm: 0.5),
    checkin: ["Acne?", (ask: "Sunburn?", broken_skin: true)],
    routines: [
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Retinol", kind: Treatment, duration: "1m", actives: [Retinoid], when: RestDay, pause_before_roll: "12h"),
            (name: "Acid", kind: Treatment, duration: "1m", actives: [Bha], when: RestDay, pause_before_roll: "12h"),
            (name: "Oil", kind: Serum, duration: "1m", actives: [Fragrance], when: RestDay, pause_before_roll: "12h"),
            (name: "Azelaic", kind: Serum, duration: "1m", actives: [AzelaicAcid], when: RestDay),
            (name: "Hyaluronic", kind: Serum, duration: "1m", actives: [HyaluronicAcid]),
        ]),
    ],
)"#;

/// Mon 23 Nov's evening with its roll declined for `answer`.
fn declined_for(answer: &str) -> Journal {
    let mut j = journal(vec![session(
        "evening",
        "2026-11-23",
        "2026-11-23T21:00:00+00:00",
        "2026-11-23T21:10:00+00:00",
        StepOutcome::Skipped,
    )]);
    if let super::journal::Record::Session(s) = &mut j.records[0] {
        s.steps[0].reason = Some(answer.into());
    }
    j
}

#[test]
fn a_broken_skin_yes_keeps_retinoids_acids_and_fragrance_off_that_night() {
    let c = parse(BROKEN).unwrap();
    let j = declined_for("check-in: Sunburn?");
    let p = planned(&c, &j, "2026-11-23", "2026-11-23T21:30:00+00:00");
    for name in ["Retinol", "Acid", "Oil"] {
        assert_eq!(
            step(&p, "evening", name).reason.as_deref(),
            Some("check-in: Sunburn?: not on broken or burnt skin tonight"),
            "{name}"
        );
    }
    // Azelaic acid and after-care are not held by it.
    assert_eq!(step(&p, "evening", "Azelaic").status, StepState::Pending);
    assert_eq!(step(&p, "evening", "Hyaluronic").status, StepState::Pending);
    // With another answer too, the same.
    let j = declined_for("check-in: Acne?; Sunburn?");
    let p = planned(&c, &j, "2026-11-23", "2026-11-23T21:30:00+00:00");
    assert_eq!(step(&p, "evening", "Retinol").status, StepState::Off);
    // Only that night: the next day is a rolling day, its own rules.
    let tue = planned(&c, &j, "2026-11-24", "2026-11-24T08:00:00+00:00");
    assert!(
        step(&tue, "evening", "Retinol")
            .reason
            .as_deref()
            .is_none_or(|r| !r.contains("broken"))
    );
}

#[test]
fn acne_and_unmarked_answers_leave_the_rest_night_its_actives() {
    let c = parse(BROKEN).unwrap();
    for answer in [
        "check-in: Acne?",
        "check-in: not rolling tonight",
        "skipped",
        "check-in: Sunburn",
    ] {
        let j = declined_for(answer);
        let p = planned(&c, &j, "2026-11-23", "2026-11-23T21:30:00+00:00");
        assert_eq!(
            step(&p, "evening", "Retinol").status,
            StepState::Pending,
            "{answer}"
        );
    }
}
