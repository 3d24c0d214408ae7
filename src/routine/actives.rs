//! What is in the bottle: classes of actives, the pauses around a roll each asks for,
//! the pairs that should not share a routine, and how long an opened product keeps.
//! Every number is docs/DOMAIN.md's: the cautious end of its sources, or a typical value
//! where a comment says so; a value given on a step wins over the default of its actives.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::calendar::{ConfigDate, Period, PrintedDate};

/// A class of active ingredient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Active {
    /// Retinol, retinal.
    Retinoid,
    /// Tretinoin, tazarotene.
    PrescriptionRetinoid,
    /// Adapalene: a retinoid with the prescription pauses, stable with benzoyl peroxide.
    Adapalene,
    /// Glycolic, lactic acid.
    Aha,
    /// Salicylic acid.
    Bha,
    BenzoylPeroxide,
    /// L-ascorbic acid serums.
    VitaminC,
    AzelaicAcid,
    Niacinamide,
    HyaluronicAcid,
    Peptides,
    /// Copper peptides (GHK-Cu).
    CopperPeptides,
    /// Essential oils, perfumed products.
    Fragrance,
}

pub(crate) const HOUR: u64 = 3600;

/// At or below this needle length the needles stay in the epidermis and the shallow
/// pauses apply (docs/DOMAIN.md).
pub const SHALLOW_NEEDLE_MM: f64 = 0.30;

impl Active {
    /// Every class, in the order the config reference lists them.
    pub const ALL: [Active; 13] = [
        Active::Retinoid,
        Active::PrescriptionRetinoid,
        Active::Adapalene,
        Active::Aha,
        Active::Bha,
        Active::BenzoylPeroxide,
        Active::VitaminC,
        Active::AzelaicAcid,
        Active::Niacinamide,
        Active::HyaluronicAcid,
        Active::Peptides,
        Active::CopperPeptides,
        Active::Fragrance,
    ];

    /// What is in the class, as a label reads it ("retinol, retinal").
    pub fn examples(self) -> &'static str {
        match self {
            Active::Retinoid => "retinol, retinal",
            Active::PrescriptionRetinoid => "tretinoin, tazarotene",
            Active::Adapalene => "adapalene",
            Active::Aha => "glycolic, lactic acid",
            Active::Bha => "salicylic acid",
            Active::BenzoylPeroxide => "benzoyl peroxide",
            Active::VitaminC => "L-ascorbic acid",
            Active::AzelaicAcid => "azelaic acid",
            Active::Niacinamide => "niacinamide",
            Active::HyaluronicAcid => "hyaluronic acid",
            Active::Peptides => "peptides",
            Active::CopperPeptides => "GHK-Cu",
            Active::Fragrance => "essential oils, perfume",
        }
    }

    /// The name in a sentence.
    pub fn as_str(self) -> &'static str {
        match self {
            Active::Retinoid => "retinoid",
            Active::PrescriptionRetinoid => "prescription retinoid",
            Active::Adapalene => "adapalene",
            Active::Aha => "AHA",
            Active::Bha => "BHA",
            Active::BenzoylPeroxide => "benzoyl peroxide",
            Active::VitaminC => "vitamin C",
            Active::AzelaicAcid => "azelaic acid",
            Active::Niacinamide => "niacinamide",
            Active::HyaluronicAcid => "hyaluronic acid",
            Active::Peptides => "peptides",
            Active::CopperPeptides => "copper peptides",
            Active::Fragrance => "fragrance",
        }
    }

    /// How long after a roll it stays off, and how long before the next one it goes
    /// off, for a roller of `needle_mm` (None: no roller, the deep table)
    /// (docs/DOMAIN.md, "Actives: pauses around a roll"). Where a number is not the
    /// cautious end of its sources the comment calls it typical.
    pub fn pauses(self, needle_mm: Option<f64>) -> (Duration, Duration) {
        let hours = |after: u64, before: u64| {
            (
                Duration::from_secs(after * HOUR),
                Duration::from_secs(before * HOUR),
            )
        };
        if needle_mm.is_some_and(|mm| mm <= SHALLOW_NEEDLE_MM) {
            match self {
                // 0.25–0.30 mm stays in the epidermis: sources allow actives again about
                // 24 h after (typical, not the cautious end), and 24 h before keeps the
                // skin clean the day of the roll. Azelaic acid and fragrance the same,
                // so that a roller every 2 days leaves them a night.
                Active::Retinoid
                | Active::Aha
                | Active::Bha
                | Active::BenzoylPeroxide
                | Active::VitaminC
                | Active::AzelaicAcid
                | Active::Fragrance => return hours(24, 24),
                // Prescription retinoids (adapalene too) keep their table.
                _ => {}
            }
        }
        match self {
            // Sources: 48 h to 7–10 days after (72 h typical); 12 h to 7 days before
            // (48 h keeps the evening before a roll free).
            Active::Retinoid => hours(72, 48),
            // Clinic sheets: 7–10 days after; stop 3–7 days before (the short end of
            // both, typical).
            Active::PrescriptionRetinoid | Active::Adapalene => hours(7 * 24, 72),
            // Sources: 24 h to 7 days after (72 h typical); 48 h before, as retinoids.
            Active::Aha | Active::Bha | Active::BenzoylPeroxide => hours(72, 48),
            // Disputed; granulomas after needling with vitamin C (Soltani-Arabshahi,
            // JAMA Derm 2014, 3 cases; Friedmann et al., Dermatol Surg 2024, 15 cases):
            // off the day before too.
            Active::VitaminC => hours(48, 24),
            // Sources: 24–72 h (48 h typical).
            Active::AzelaicAcid => hours(48, 0),
            // Avoid on broken skin; nothing left on the skin for the needles to push in.
            Active::Fragrance => hours(72, 24),
            // The usual after-care: nothing to pause.
            Active::Niacinamide
            | Active::HyaluronicAcid
            | Active::Peptides
            | Active::CopperPeptides => hours(0, 0),
        }
    }

    /// How long an opened product of this class keeps, when the person gives none
    /// (docs/DOMAIN.md, "Period after opening": vitamin C serums 3 months, retinoids 6).
    fn keeps(self) -> Option<Period> {
        match self {
            Active::VitaminC => Some(Period::Months(3)),
            Active::Retinoid | Active::PrescriptionRetinoid | Active::Adapalene => {
                Some(Period::Months(6))
            }
            _ => None,
        }
    }

    fn retinoid(self) -> bool {
        matches!(
            self,
            Active::Retinoid | Active::PrescriptionRetinoid | Active::Adapalene
        )
    }

    /// A retinoid a prescriber gives (tretinoin, tazarotene, adapalene).
    pub fn prescribed(self) -> bool {
        matches!(self, Active::PrescriptionRetinoid | Active::Adapalene)
    }
}

/// Actives that do not go on sunburned, broken or inflamed skin (retinoid and acid
/// labels; docs/DOMAIN.md): after a broken-skin "yes" at the check-in they stay off
/// that night.
pub fn spares_broken_skin(actives: &[Active]) -> bool {
    actives.iter().any(|a| {
        matches!(
            a,
            Active::Retinoid
                | Active::PrescriptionRetinoid
                | Active::Adapalene
                | Active::Aha
                | Active::Bha
                | Active::BenzoylPeroxide
                | Active::Fragrance
        )
    })
}

/// Retinoids (retinol, tretinoin, adapalene) are avoided in pregnancy and
/// breastfeeding (docs/DOMAIN.md): held off while such a lasting "yes" stands.
pub fn avoided_in_pregnancy(actives: &[Active]) -> bool {
    actives.iter().any(|a| a.retinoid())
}

/// Why such a step is off after a broken-skin "yes": the answer.
pub fn broken_skin_reason(answer: &str) -> String {
    format!("{answer}: not on broken or burnt skin tonight")
}

/// How long an opened product keeps when nothing else is known: 12 months (docs/DOMAIN.md).
pub const DEFAULT_KEEPS: Period = Period::Months(12);

/// How long a product with these actives keeps: the shortest of their periods after
/// opening, 12 months when none has one.
pub fn keeps(actives: &[Active]) -> Period {
    actives
        .iter()
        .filter_map(|a| a.keeps())
        .min_by_key(|p| match p {
            Period::Days(d) => u64::from(*d),
            Period::Months(m) => u64::from(*m) * 31,
        })
        .unwrap_or(DEFAULT_KEEPS)
}

/// The pauses a step with these actives gets by default for a roller of `needle_mm`:
/// the longest each way, None where every one of them is zero.
pub fn default_pauses(
    actives: &[Active],
    needle_mm: Option<f64>,
) -> (Option<Duration>, Option<Duration>) {
    let after = actives.iter().map(|a| a.pauses(needle_mm).0).max();
    let before = actives.iter().map(|a| a.pauses(needle_mm).1).max();
    let nonzero = |d: Option<Duration>| d.filter(|d| !d.is_zero());
    (nonzero(after), nonzero(before))
}

/// Why two actives should not share a routine, and what to do instead; None for a pair
/// that may (vitamin C with niacinamide: the old warning is a myth).
pub fn conflict(a: Active, b: Active) -> Option<(&'static str, &'static str)> {
    use Active::*;
    let either = |x: fn(Active) -> bool, y: fn(Active) -> bool| (x(a) && y(b)) || (x(b) && y(a));
    if either(Active::retinoid, |x| matches!(x, Aha | Bha)) {
        return Some((
            "irritating together",
            "put them on separate nights (skin cycling: `when: Cycle(days: 4, on: [1])` and `on: [2]`)",
        ));
    }
    if either(Active::retinoid, Active::retinoid) {
        // Irritation adds up; one retinoid at a time.
        return Some((
            "two retinoids: the irritation adds up",
            "use one retinoid, or put them on separate nights",
        ));
    }
    if either(|x| x == PrescriptionRetinoid, |x| x == BenzoylPeroxide) {
        // Martin, Br J Dermatol 1998: over half the tretinoin gone in 2 h in light.
        return Some((
            "benzoyl peroxide breaks tretinoin down",
            "use one in the morning routine and the other in the evening",
        ));
    }
    // The same evidence bar as vitamin C below: benzoyl peroxide is an oxidiser, and
    // retinol, like L-ascorbic acid, is easily oxidised (formulation chemistry; a weak
    // source, so only advice). Adapalene is stable with it (sold combined).
    if either(|x| x == Retinoid, |x| x == BenzoylPeroxide) {
        return Some((
            "benzoyl peroxide oxidises retinol",
            "put them in separate routines",
        ));
    }
    if either(|x| x == VitaminC, |x| x == BenzoylPeroxide) {
        // Formulation chemistry; a weak source, so only advice.
        return Some((
            "benzoyl peroxide oxidises vitamin C",
            "put them in separate routines",
        ));
    }
    if either(|x| x == CopperPeptides, |x| x == VitaminC) {
        // Copper speeds the oxidation of L-ascorbic acid.
        return Some((
            "copper speeds the oxidation of vitamin C",
            "vitamin C in the morning routine, copper peptides in the evening",
        ));
    }
    if either(|x| x == CopperPeptides, |x| matches!(x, Aha | Bha)) {
        // A low pH breaks the copper complex apart.
        return Some((
            "the acid's low pH breaks the copper complex apart",
            "put them in separate routines or on separate nights",
        ));
    }
    None
}

/// A product on the shelf.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Its name, which steps use with `product:`.
    pub name: String,
    /// The classes of actives in it.
    #[serde(default)]
    pub actives: Vec<Active>,
    /// When the bottle in use was opened.
    #[serde(default)]
    pub opened: Option<ConfigDate>,
    /// How long it keeps once opened (the open-jar symbol: "6M").
    #[serde(default)]
    pub lasts: Option<Period>,
    /// The date printed on it ("2027-06"): it expires then even if opened later.
    #[serde(default)]
    pub expires: Option<PrintedDate>,
}

impl Product {
    /// How long it keeps once opened: `lasts`, else the default for its actives.
    pub fn keeps(&self) -> Period {
        self.lasts.unwrap_or_else(|| keeps(&self.actives))
    }
}

/// A warning about a routine of the config.
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    /// The routine it is about.
    pub routine: String,
    /// What is wrong and what to change, naming the routine and the steps.
    pub text: String,
    /// The same without the routine's name, for a view of that routine.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::config::advice::MOST_CONFLICTS;
    use crate::routine::config::{Config, parse};
    use Active::*;

    const ALL: [Active; 13] = Active::ALL;

    fn hours(h: u64) -> Option<Duration> {
        Some(Duration::from_secs(h * HOUR))
    }

    /// The config with one evening routine of these steps (RON step bodies) and a roller.
    fn config(rest_days: u32, steps: &[&str]) -> Result<Config, String> {
        let steps: String = steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "(name: \"S{}\", kind: Treatment, duration: \"30s\", {s}),\n",
                    i + 1
                )
            })
            .collect();
        parse(&format!(
            r#"(roller: (needle_mm: 0.5, rest_days: {rest_days}),
            products: [(name: "Tret", actives: [PrescriptionRetinoid]), (name: "Plain")],
            routines: [(name: "evening", at: "21:00", steps: [{steps}])])"#
        ))
        .map_err(|p| format!("{p:?}"))
    }

    fn pauses(c: &Config, step: usize) -> (Option<Duration>, Option<Duration>) {
        let s = &c.routines[0].steps[step];
        (
            s.pause_after_roll.map(|p| p.0),
            s.pause_before_roll.map(|p| p.0),
        )
    }

    #[test]
    fn each_class_has_the_domain_tables_pauses() {
        let table: Vec<(Active, Option<Duration>, Option<Duration>)> = ALL
            .iter()
            .map(|a| {
                let (after, before) = default_pauses(&[*a], Some(0.5));
                (*a, after, before)
            })
            .collect();
        assert_eq!(
            table,
            [
                (Retinoid, hours(72), hours(48)),
                (PrescriptionRetinoid, hours(168), hours(72)),
                (Adapalene, hours(168), hours(72)),
                (Aha, hours(72), hours(48)),
                (Bha, hours(72), hours(48)),
                (BenzoylPeroxide, hours(72), hours(48)),
                (VitaminC, hours(48), hours(24)),
                (AzelaicAcid, hours(48), None),
                (Niacinamide, None, None),
                (HyaluronicAcid, None, None),
                (Peptides, None, None),
                (CopperPeptides, None, None),
                (Fragrance, hours(72), hours(24)),
            ]
        );
        // Several actives: the longest each way.
        assert_eq!(
            default_pauses(&[VitaminC, Niacinamide, Retinoid], Some(0.5)),
            (hours(72), hours(48))
        );
        assert_eq!(default_pauses(&[], Some(0.5)), (None, None));
        // No roller: the same table; between 0.30 and 0.5 mm too (the cautious side).
        assert_eq!(default_pauses(&[Aha], None), (hours(72), hours(48)));
        assert_eq!(default_pauses(&[Aha], Some(0.31)), (hours(72), hours(48)));
    }

    #[test]
    fn a_shallow_needle_gets_a_day_each_way_but_tretinoin_keeps_its_table() {
        for mm in [0.2, 0.25, 0.30] {
            for a in [
                Retinoid,
                Aha,
                Bha,
                BenzoylPeroxide,
                VitaminC,
                AzelaicAcid,
                Fragrance,
            ] {
                assert_eq!(
                    default_pauses(&[a], Some(mm)),
                    (hours(24), hours(24)),
                    "{a:?} {mm}"
                );
            }
            assert_eq!(
                default_pauses(&[PrescriptionRetinoid], Some(mm)),
                (hours(168), hours(72))
            );
            assert_eq!(default_pauses(&[Niacinamide], Some(mm)), (None, None));
        }
        // A 0.25 mm roller on its defaults (every 2 days) leaves room for them all.
        let c = parse(
            r#"(roller: (needle_mm: 0.25), routines: [(name: "e", at: "21:00", steps: [
                (name: "Roll", kind: Roll, duration: "2m"),
                (name: "C", kind: Serum, duration: "1m", actives: [VitaminC]),
                (name: "R", kind: Treatment, duration: "1m", actives: [Retinoid], when: Weekdays([Mon])),
                (name: "A", kind: Treatment, duration: "1m", actives: [Aha], when: Weekdays([Tue])),
            ])])"#,
        )
        .unwrap();
        assert!(
            c.warnings().iter().all(|w| !w.contains("never run")),
            "{:?}",
            c.warnings()
        );
    }

    #[test]
    fn a_step_gets_its_actives_pauses_and_a_pause_it_gives_wins() {
        let c = config(
            14,
            &[
                "actives: [Retinoid]",
                // Shorter than the default, and longer: the step's own wins both ways.
                "actives: [Retinoid], pause_after_roll: \"24h\", pause_before_roll: \"96h\"",
                "actives: [VitaminC, Niacinamide]",
                "actives: [HyaluronicAcid]",
                "product: \"Tret\"",
                "product: \"Plain\"",
                "pause_after_roll: \"5h\"",
            ],
        )
        .unwrap();
        assert_eq!(pauses(&c, 0), (hours(72), hours(48)));
        assert_eq!(pauses(&c, 1), (hours(24), hours(96)));
        assert_eq!(pauses(&c, 2), (hours(48), hours(24)));
        assert_eq!(pauses(&c, 3), (None, None));
        assert_eq!(pauses(&c, 4), (hours(168), hours(72)));
        assert_eq!(c.routines[0].steps[4].actives, [PrescriptionRetinoid]);
        assert_eq!(pauses(&c, 5), (None, None));
        // Without actives, as before.
        assert_eq!(pauses(&c, 6), (hours(5), None));
    }

    #[test]
    fn every_conflicting_pair_and_no_harmless_one() {
        let conflicting = [
            (Retinoid, Aha),
            (Retinoid, Bha),
            (PrescriptionRetinoid, Aha),
            (PrescriptionRetinoid, Bha),
            (PrescriptionRetinoid, BenzoylPeroxide),
            (Retinoid, BenzoylPeroxide),
            (VitaminC, BenzoylPeroxide),
            (Adapalene, Aha),
            (Adapalene, Bha),
            (CopperPeptides, VitaminC),
            (CopperPeptides, Aha),
            (CopperPeptides, Bha),
        ];
        for a in ALL {
            for b in ALL {
                if a.retinoid() && b.retinoid() {
                    assert!(conflict(a, b).is_some(), "{a:?} with {b:?}");
                    continue;
                }
                let listed = conflicting.contains(&(a, b)) || conflicting.contains(&(b, a));
                assert_eq!(conflict(a, b).is_some(), listed, "{a:?} with {b:?}");
            }
        }
        // The myth: vitamin C with niacinamide is fine; adapalene is stable with
        // benzoyl peroxide (sold combined); plain peptides with vitamin C are fine.
        assert_eq!(conflict(VitaminC, Niacinamide), None);
        assert_eq!(conflict(Adapalene, BenzoylPeroxide), None);
        assert_eq!(conflict(Peptides, VitaminC), None);
        assert!(
            conflict(Retinoid, Adapalene)
                .unwrap()
                .0
                .contains("two retinoids")
        );
        assert!(
            conflict(Retinoid, Retinoid)
                .unwrap()
                .0
                .contains("two retinoids")
        );
    }

    #[test]
    fn two_steps_of_a_routine_that_conflict_warn_with_both_names_and_why() {
        let c = config(7, &["actives: [Retinoid]", "actives: [Bha]"]).unwrap();
        assert_eq!(
            c.warnings(),
            [
                "routine \"evening\": step 1 \"S1\" (retinoid) and step 2 \"S2\" (BHA) can run \
                 on the same day: irritating together; put them on separate nights (skin \
                 cycling: `when: Cycle(days: 4, on: [1])` and `on: [2]`)"
            ]
        );
        let c = config(7, &["product: \"Tret\"", "actives: [BenzoylPeroxide]"]).unwrap();
        assert!(c.warnings()[0].contains("benzoyl peroxide breaks tretinoin down"));
        assert!(c.warnings()[0].contains("morning routine and the other in the evening"));
        let c = config(7, &["actives: [VitaminC]", "actives: [BenzoylPeroxide]"]).unwrap();
        assert!(c.warnings()[0].contains("oxidises vitamin C; put them in separate routines"));
        // Harmless.
        let c = config(7, &["actives: [VitaminC]", "actives: [Niacinamide]"]).unwrap();
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
    }

    #[test]
    fn steps_that_never_share_a_day_do_not_conflict() {
        for (a, b) in [
            ("when: Weekdays([Mon, Wed])", "when: Weekdays([Tue, Thu])"),
            (
                "when: Cycle(days: 4, on: [1])",
                "when: Cycle(days: 4, on: [2])",
            ),
            ("when: RollDay", "when: RestDay"),
            ("when: Weekdays([Fri])", "when: Not(Weekdays([Fri]))"),
        ] {
            let c = config(
                7,
                &[
                    &format!("actives: [Aha], {a}"),
                    &format!("actives: [Retinoid], {b}"),
                ],
            )
            .unwrap();
            assert!(c.warnings().is_empty(), "{a} / {b}: {:?}", c.warnings());
        }
        // Cycles counted from different first nights can meet.
        let c = config(
            7,
            &[
                "actives: [Aha], when: Cycle(days: 4, on: [1], from: \"2026-11-02\")",
                "actives: [Retinoid], when: Cycle(days: 4, on: [2], from: \"2026-11-01\")",
            ],
        )
        .unwrap();
        assert_eq!(c.warnings().len(), 1, "{:?}", c.warnings());
    }

    #[test]
    fn many_conflicting_steps_make_a_few_warnings_quickly() {
        let steps: Vec<String> = (0..4000)
            .map(|i| {
                let class = if i % 2 == 0 { "Retinoid" } else { "Aha" };
                format!("actives: [{class}], when: Cycle(days: 3, on: [1, 2])")
            })
            .collect();
        let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
        let started = std::time::Instant::now();
        let c = config(7, &steps).unwrap();
        let warnings = c.warnings();
        assert_eq!(warnings.len(), MOST_CONFLICTS + 1);
        assert!(warnings[MOST_CONFLICTS].contains("more steps than these 10 pairs"));
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn a_file_of_many_costly_whens_is_checked_quickly() {
        // Two cycles whose common period is 133 590 days: each step a costly search.
        let steps: Vec<String> = (0..3000)
            .map(|i| {
                let class = if i % 2 == 0 { "Retinoid" } else { "Aha" };
                format!(
                    "actives: [{class}], when: All([Cycle(days: 365, on: [{}]), Cycle(days: 366, on: [1])])",
                    i % 365 + 1
                )
            })
            .collect();
        let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
        let started = std::time::Instant::now();
        let c = config(7, &steps).unwrap();
        let took = started.elapsed();
        eprintln!("3000 costly whens checked in {took:?}");
        assert!(took < Duration::from_secs(20), "{took:?}");
        // Past the budget nothing is claimed: no step is called never true.
        assert!(
            c.warnings().iter().all(|w| !w.contains("never true")),
            "{:?}",
            c.warnings()
        );
    }

    #[test]
    fn conflicts_are_within_one_routine() {
        let c = parse(
            r#"(routines: [
                (name: "morning", steps: [(name: "C", kind: Serum, duration: "1m", actives: [VitaminC])]),
                (name: "evening", steps: [(name: "BP", kind: Treatment, duration: "1m", actives: [BenzoylPeroxide])]),
            ])"#,
        )
        .unwrap();
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
    }

    #[test]
    fn a_step_paused_as_long_as_the_roller_rests_can_never_run() {
        // Pause after rolling at least the rest days: never; an hour less: it runs.
        let never = config(3, &["pause_after_roll: \"72h\""]).unwrap();
        assert_eq!(
            never.warnings(),
            [
                "routine \"evening\", step 1 \"S1\": it is paused 72 h after each roll and the \
              roller rolls every 3 days, so it can never run: give it a `pause_after_roll` \
              under 3 days, or set the roller's `rest_days` above the pause \
              (`rest_days: 4` would do)"
            ]
        );
        assert!(
            config(3, &["pause_after_roll: \"71h\""])
                .unwrap()
                .warnings()
                .is_empty()
        );
        // After and before together: up to the rest days is fine, above it is never.
        assert!(
            config(
                3,
                &["pause_after_roll: \"48h\", pause_before_roll: \"24h\""]
            )
            .unwrap()
            .warnings()
            .is_empty()
        );
        let both = config(
            3,
            &["pause_after_roll: \"48h\", pause_before_roll: \"25h\""],
        )
        .unwrap();
        assert!(
            both.warnings()[0].contains("paused 48 h after each roll and 25 h before the next")
        );
        // Tretinoin's 7 days after cannot fit a weekly roller, nor, with its 72 h
        // before, one every 8 days; every 10 days it fits.
        let tret = config(7, &["product: \"Tret\""]).unwrap();
        assert!(
            tret.warnings()[0]
                .contains("paused 168 h after each roll and the roller rolls every 7 days")
        );
        // What would work (7 days after + 72 h before: 10), and the prescriber.
        assert!(
            tret.warnings()[0].ends_with("(`rest_days: 10` would do); or ask your prescriber"),
            "{:?}",
            tret.warnings()
        );
        let tret = config(8, &["product: \"Tret\""]).unwrap();
        assert!(tret.warnings()[0].contains("168 h after each roll and 72 h before"));
        assert!(
            config(10, &["product: \"Tret\""])
                .unwrap()
                .warnings()
                .is_empty()
        );
    }

    #[test]
    fn a_step_whose_when_is_never_true_says_so() {
        let c = config(7, &["when: All([RollDay, RestDay])"]).unwrap();
        assert_eq!(
            c.warnings(),
            [
                "routine \"evening\", step 1 \"S1\": its `when` is never true, so it never runs: \
              change its `when` (or remove the step)"
            ]
        );
    }

    #[test]
    fn products_parse_and_their_mistakes_are_named() {
        let c = parse(
            r#"(products: [
                (name: "Retinol 0.3%", actives: [Retinoid], opened: "2026-10-01", lasts: "6 months"),
                (name: "Cream"),
            ], routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
        )
        .unwrap();
        assert_eq!(
            c.products[0],
            Product {
                name: "Retinol 0.3%".into(),
                actives: vec![Retinoid],
                opened: Some(ConfigDate("2026-10-01".parse().unwrap())),
                lasts: Some(Period::Months(6)),
                expires: None,
            }
        );
        assert_eq!(
            (c.products[1].opened, c.products[1].keeps()),
            (None, Period::Months(12))
        );
        let problems = |text: &str| {
            let found = parse(&format!(
                "(products: [{text}], routines: [(name: \"e\", steps: [(name: \"C\", kind: Cleanse, duration: \"1m\")])])"
            ))
            .expect_err("rejected");
            format!("{found:?}")
        };
        assert!(
            problems(r#"(name: " ")"#).contains("product 1\", message: \"the product has no name")
        );
        assert!(problems(r#"(name: "A", lasts: "11 years")"#).contains("it is over 10 years"));
        assert!(problems(r#"(name: "A", opened: "1969-12-31")"#).contains("1970 to 9999"));
        assert!(problems(r#"(name: "A", actives: Retinoid)"#).contains("Syntax"));
    }

    #[test]
    fn periods_after_opening_default_from_the_actives() {
        assert_eq!(keeps(&[VitaminC]), Period::Months(3));
        assert_eq!(keeps(&[Retinoid, Niacinamide]), Period::Months(6));
        assert_eq!(keeps(&[Retinoid, VitaminC]), Period::Months(3));
        assert_eq!(keeps(&[Aha]), Period::Months(12));
        assert_eq!(keeps(&[]), Period::Months(12));
    }
}
