//! The RON schema of a routine file, loading it, and validating what the parser cannot see.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

pub use super::keys::Keys;
pub use super::prefs::Theme;

pub(crate) mod advice;
mod alongside;
pub use self::alongside::span;
mod checkin;
mod load;

pub use self::checkin::{BUILT_IN_CHECKIN, CheckinItem, NO_CHECKIN, built_in_checkin};
pub use self::load::{ConfigError, MAX_CONFIG_BYTES, Problem, load, parse};
pub use super::actives::{Active, Advice, Product};
pub use super::calendar::{ConfigDate, Period, PrintedDate};
pub use super::values::{ClockTime, HumanDuration, Weekday};
pub use super::when::When;

/// The built-in routine, shipped in the binary and written out by `rollcoach init`.
pub const BUILT_IN: &str = include_str!("../../config/default.ron");

/// A whole routine file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// A local time before this belongs to the previous day.
    #[serde(default = "ClockTime::four_am")]
    pub day_starts_at: ClockTime,
    /// The derma roller; a Roll step without it is an error.
    #[serde(default)]
    pub roller: Option<Roller>,
    /// How a session reaches the person outside the pane.
    #[serde(default)]
    pub notify: Notify,
    /// Commands run on session events.
    #[serde(default)]
    pub hooks: Vec<Hook>,
    /// The routines, in the order they are shown.
    pub routines: Vec<Routine>,
    /// Questions asked before a Roll step; any "yes" skips rolling today. Left out,
    /// the built-in list; `[]` asks nothing.
    #[serde(default = "built_in_checkin")]
    pub checkin: Vec<CheckinItem>,
    /// Keys of the dashboard's actions, over the defaults.
    #[serde(default)]
    pub keys: Keys,
    /// Colours of the dashboard.
    #[serde(default)]
    pub theme: Theme,
    /// The products on the shelf, which steps may name instead of their actives.
    #[serde(default)]
    pub products: Vec<Product>,
    /// What to keep off freshly needled skin, and for how long after a roll; absent,
    /// the clinic sheets' list (docs/DOMAIN.md); `[]` turns it off.
    #[serde(default = "Aftercare::clinic")]
    pub aftercare: Vec<Aftercare>,
    /// What the config asks for that cannot be right (actives that conflict in one
    /// routine, a step that can never run): found once, when it is loaded.
    #[serde(skip)]
    pub advice: Vec<Advice>,
}

/// One line of after-care: what to avoid after a roll, and for how long.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aftercare {
    /// What to avoid ("makeup").
    pub avoid: String,
    /// How long after the roll ("24h", "7 days").
    #[serde(rename = "for")]
    pub lasts: HumanDuration,
}

impl Aftercare {
    /// The after-care clinic sheets give after needling (docs/DOMAIN.md, "After-care").
    pub fn clinic() -> Vec<Aftercare> {
        let hours = |h: u64| HumanDuration(std::time::Duration::from_secs(h * 3600));
        [
            ("makeup", 24),
            ("sweating: gym, sauna, pool or the sea", 24),
            ("sun without a mineral SPF", 48),
            ("new products", 72),
            ("waxing, threading or hair-removal cream there", 7 * 24),
        ]
        .into_iter()
        .map(|(avoid, h)| Aftercare {
            avoid: avoid.into(),
            lasts: hours(h),
        })
        .collect()
    }
}

/// The derma roller and how often it may be used.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roller {
    /// Needle length in millimetres.
    pub needle_mm: f64,
    /// Days from one rolling day to the next; defaults from the needle table.
    #[serde(default)]
    pub rest_days: Option<u32>,
    /// Completed rolls after which the roller should be replaced.
    #[serde(default = "default_replace_after_uses")]
    pub replace_after_uses: u32,
    /// Days in use after which the roller should be replaced, whatever its uses.
    #[serde(default = "default_replace_after_days")]
    pub replace_after_days: u32,
}

/// Desktop notifications, the bell, spoken cues, and the warning before a step ends.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Notify {
    /// Send desktop notifications.
    pub desktop: bool,
    /// Ring the terminal bell.
    pub bell: bool,
    /// How long before a step ends to warn.
    pub warn_before: HumanDuration,
    /// Speak short cues (the step, the zone, the warning, the end) for busy hands.
    pub speak: bool,
    /// The speech program and its arguments, the cue appended as the last one; None:
    /// the first of `spd-say`, `espeak-ng`, `espeak` on PATH.
    pub speak_with: Option<Vec<String>>,
}

impl Default for Notify {
    fn default() -> Self {
        Notify {
            desktop: true,
            bell: false,
            warn_before: HumanDuration(Duration::from_secs(10)),
            speak: false,
            speak_with: None,
        }
    }
}

/// What happens in a session, as hooks name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum EventKind {
    SessionStart,
    StepStart,
    StepWarning,
    StepEnd,
    ZoneStart,
    /// A direction of a zone starts (`directions`); its name is in `ROLLCOACH_PASS`.
    PassStart,
    SessionComplete,
    RoutineDue,
    RollerWorn,
}

/// A user command run on an event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hook {
    /// The event that runs it.
    pub on: EventKind,
    /// Program and arguments, run directly (no shell).
    pub run: Vec<String>,
    /// How long it may run before it is killed.
    #[serde(default = "default_hook_timeout")]
    pub timeout: HumanDuration,
}

/// A named list of steps, done in one sitting.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routine {
    /// Its name, unique in the file.
    pub name: String,
    /// When it is due.
    #[serde(default)]
    pub at: Option<ClockTime>,
    /// Start the next step by itself when one ends.
    #[serde(default)]
    pub auto_advance: bool,
    /// The steps in order.
    pub steps: Vec<Step>,
}

/// One step of a routine.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Its name, unique in the routine.
    pub name: String,
    /// What sort of step it is.
    pub kind: StepKind,
    /// How long it takes; a Roll step may give zones instead.
    #[serde(default)]
    pub duration: Option<HumanDuration>,
    /// Shown while the step runs.
    #[serde(default)]
    pub notes: Option<String>,
    /// Which days it runs on.
    #[serde(default)]
    pub when: When,
    /// Off from the due time of the routine that rolled until this long after it.
    #[serde(default)]
    pub pause_after_roll: Option<HumanDuration>,
    /// Off in a routine due less than this long before the next planned roll.
    #[serde(default)]
    pub pause_before_roll: Option<HumanDuration>,
    /// Passes per direction (Roll only).
    #[serde(default)]
    pub passes: Option<u32>,
    /// Face zones rolled one after another (Roll only).
    #[serde(default)]
    pub zones: Vec<Zone>,
    /// The classes of actives it puts on the skin; its pauses around a roll default
    /// from them. A step naming a `product` takes the product's.
    #[serde(default)]
    pub actives: Vec<Active>,
    /// The product on the shelf it uses, by name.
    #[serde(default)]
    pub product: Option<String>,
    /// Once started, its countdown runs on its own and the session goes on to the next
    /// step (a roller soaking while the face is cleansed).
    #[serde(default)]
    pub alongside: bool,
    /// The name of a step before it that runs alongside: this one starts only once
    /// that one has run its time (the roll waits for the roller's soak).
    #[serde(default)]
    pub after: Option<String>,
}

/// Passes per direction when a Roll step does not say (docs/DOMAIN.md: 4–6 is the home
/// advice).
pub const DEFAULT_PASSES: u32 = 4;

impl Step {
    /// The step's length: its duration, or the sum of its zones.
    pub fn length(&self) -> Duration {
        match &self.duration {
            Some(d) => d.0,
            // Saturating: `validate` reports a sum above `MAX_STEP`, and is run on it.
            None => self
                .zones
                .iter()
                .fold(Duration::ZERO, |sum, z| sum.saturating_add(z.duration.0)),
        }
    }

    /// Passes per direction for a Roll step.
    pub fn passes(&self) -> u32 {
        self.passes.unwrap_or(DEFAULT_PASSES)
    }

    /// The technique line for one zone, e.g. "horizontal ×4 → vertical ×4 → diagonal ×4".
    pub fn technique(&self) -> String {
        technique(&Direction::all(), self.passes())
    }
}

/// The technique line for these directions, `passes` times each.
pub fn technique(directions: &[Direction], passes: u32) -> String {
    let each: Vec<String> = directions
        .iter()
        .map(|d| format!("{} ×{passes}", d.as_str()))
        .collect();
    each.join(" → ")
}

/// A face zone of a Roll step.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// Its name, e.g. "Left cheek".
    pub name: String,
    /// How long to roll it.
    pub duration: HumanDuration,
    /// The directions rolled in turn, sharing the zone's time; all three when absent.
    #[serde(default = "Direction::all")]
    pub directions: Vec<Direction>,
}

/// A way the roller crosses a zone; each is rolled `passes` times before the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Direction {
    Horizontal,
    Vertical,
    Diagonal,
}

impl Direction {
    /// The three directions, in the order docs/DOMAIN.md gives them.
    pub fn all() -> Vec<Direction> {
        vec![
            Direction::Horizontal,
            Direction::Vertical,
            Direction::Diagonal,
        ]
    }

    /// The lower-case name shown on screen and given to hooks.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Horizontal => "horizontal",
            Direction::Vertical => "vertical",
            Direction::Diagonal => "diagonal",
        }
    }
}

/// What sort of step a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all(serialize = "lowercase"))]
pub enum StepKind {
    Cleanse,
    Sanitize,
    Roll,
    Serum,
    Treatment,
    Moisturise,
    Protect,
    Wait,
    Custom,
}

impl StepKind {
    /// The lower-case name used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Cleanse => "cleanse",
            StepKind::Sanitize => "sanitize",
            StepKind::Roll => "roll",
            StepKind::Serum => "serum",
            StepKind::Treatment => "treatment",
            StepKind::Moisturise => "moisturise",
            StepKind::Protect => "protect",
            StepKind::Wait => "wait",
            StepKind::Custom => "custom",
        }
    }
}

/// docs/DOMAIN.md: replace after 10–15 uses (the cautious end)...
fn default_replace_after_uses() -> u32 {
    10
}

/// ...or after about three months, whichever comes first (docs/DOMAIN.md).
fn default_replace_after_days() -> u32 {
    90
}

fn default_hook_timeout() -> HumanDuration {
    HumanDuration(Duration::from_secs(5))
}

/// Rest days for a needle length: docs/DOMAIN.md's table, the cautious end of what
/// sources give for home use (0.75 mm: every 4 weeks; 1.0 mm and longer: 4–6 weeks).
pub fn default_rest_days(needle_mm: f64) -> u32 {
    match needle_mm {
        mm if mm <= 0.30 => 2,
        mm if mm <= 0.50 => 7,
        mm if mm <= 0.75 => 28,
        _ => 42,
    }
}

/// The longest rest between rolling days accepted: a year.
pub const MAX_REST_DAYS: u32 = 366;

/// The longest step, and the longest zone: a day. Anything longer is a typo, and a
/// bound keeps every deadline and every sum of lengths far from overflowing.
pub const MAX_STEP: Duration = Duration::from_secs(24 * 3600);

/// The longest pause around a roll, and the longest warning before a step ends: a year
/// (366 days, so that humantime's "1year" of 365.25 days is one).
pub const MAX_PAUSE: Duration = Duration::from_secs(366 * 24 * 3600);

/// The longest a hook may run before it is ended: an hour (hooks notify, log, play a
/// sound; they are not jobs).
pub const MAX_HOOK_TIMEOUT: Duration = Duration::from_secs(3600);

/// Above this a needle is a clinical length, not for home use (docs/DOMAIN.md).
pub const CLINICAL_NEEDLE_MM: f64 = 1.5;

/// The longest usual home length: home rollers are 0.25–0.5 mm; deeper needling is a
/// medical procedure (AAD press release, Alster 2018; docs/DOMAIN.md).
pub const HOME_NEEDLE_MM: f64 = 0.5;

/// What to say about a needle past the usual home lengths. Above the clinical length
/// no interval is given, so that nothing reads as permission.
pub fn needle_warning(needle_mm: f64) -> Option<String> {
    if needle_mm > CLINICAL_NEEDLE_MM {
        Some(format!(
            "needle_mm {needle_mm} is a clinical length: do not use it at home; deeper \
             needling is a medical procedure (AAD 2018), for a dermatologist"
        ))
    } else if needle_mm > HOME_NEEDLE_MM {
        Some(format!(
            "needle_mm {needle_mm} is beyond the usual home lengths (0.25-0.5 mm): deeper \
             needling is a medical procedure (AAD 2018); ask a dermatologist"
        ))
    } else {
        None
    }
}

impl Roller {
    /// Rest days: the configured value or the needle table's default.
    pub fn rest_days(&self) -> u32 {
        self.rest_days
            .unwrap_or_else(|| default_rest_days(self.needle_mm))
    }
}

impl Config {
    /// The routine with this name.
    pub fn routine(&self, name: &str) -> Option<&Routine> {
        self.routines.iter().find(|r| r.name == name)
    }

    /// Warnings about a valid config (a clinical needle length, actives that conflict,
    /// a step that can never run).
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings: Vec<String> = self
            .roller
            .as_ref()
            .and_then(|r| needle_warning(r.needle_mm))
            .into_iter()
            .collect();
        warnings.extend(self.advice.iter().map(|a| a.text.clone()));
        warnings
    }

    /// The product with this name.
    pub fn product(&self, name: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        parse(text).expect_err("should be rejected")
    }

    #[test]
    fn the_built_in_routine_is_valid() {
        let config = parse(BUILT_IN).expect("built-in config parses");
        assert!(config.routines.len() >= 2);
        assert!(config.warnings().is_empty());
        // The check-in a config without one gets is the built-in routine's.
        assert_eq!(config.checkin, built_in_checkin());
    }

    #[test]
    fn the_check_in_is_on_unless_turned_off() {
        let base = r#"(roller: (needle_mm: 0.5), CHECKIN routines: [(name: "e", steps: [(name: "R", kind: Roll, duration: "1m")])])"#;
        let without = parse(&base.replace("CHECKIN", "")).unwrap();
        assert_eq!(without.checkin, built_in_checkin());
        assert!(
            without
                .checkin
                .iter()
                .any(|q| q.ask.contains("Waxing, threading"))
        );
        let broken: Vec<&str> = without
            .checkin
            .iter()
            .filter(|q| q.broken_skin)
            .map(|q| q.ask.as_str())
            .collect();
        assert_eq!(broken.len(), 2);
        assert!(broken[0].contains("Sunburn") && broken[0].contains("flare"));
        assert!(broken[1].starts_with("Open wounds"));
        // Acne is not broken skin: its actives treat it.
        assert!(!without.checkin[0].broken_skin);
        let marked = parse(&base.replace(
            "CHECKIN",
            r#"checkin: ["Acne?", (ask: "Sunburn?", broken_skin: true), (ask: "Peel?")],"#,
        ))
        .unwrap();
        assert_eq!(
            marked.checkin,
            [
                CheckinItem::new("Acne?", false),
                CheckinItem::new("Sunburn?", true),
                CheckinItem::new("Peel?", false),
            ]
        );
        let bad = parse(&base.replace("CHECKIN", r#"checkin: [(ask: "A", broken: true)],"#));
        assert!(format!("{bad:?}").contains("broken"), "{bad:?}");
        assert!(parse(&base.replace("CHECKIN", "checkin: [3],")).is_err());
        let off = parse(&base.replace("CHECKIN", "checkin: [],")).unwrap();
        assert!(off.checkin.is_empty());
        let own = parse(&base.replace("CHECKIN", r#"checkin: ["Sunburn?"],"#)).unwrap();
        assert_eq!(own.checkin, [CheckinItem::new("Sunburn?", false)]);
    }

    #[test]
    fn needle_table_defaults() {
        for (mm, days) in [
            (0.25, 2),
            (0.30, 2),
            (0.31, 7),
            (0.5, 7),
            (0.75, 28),
            (0.76, 42),
            (1.0, 42),
            (1.5, 42),
            (2.0, 42),
        ] {
            assert_eq!(default_rest_days(mm), days, "{mm} mm");
        }
    }

    #[test]
    fn a_roll_step_takes_the_sum_of_its_zones() {
        let config = parse(
            r#"(roller: (needle_mm: 0.5), routines: [(name: "e", steps: [
                (name: "Roll", kind: Roll, zones: [(name: "A", duration: "45s"), (name: "B", duration: "1m")]),
            ])])"#,
        )
        .unwrap();
        let step = &config.routines[0].steps[0];
        assert_eq!(step.length(), Duration::from_secs(105));
        assert_eq!(
            step.technique(),
            "horizontal ×4 → vertical ×4 → diagonal ×4"
        );
        assert_eq!(config.roller.unwrap().rest_days(), 7);
    }

    #[test]
    fn a_zone_may_name_its_directions() {
        let config = parse(
            r#"(roller: (needle_mm: 0.5), routines: [(name: "e", steps: [
                (name: "Roll", kind: Roll, passes: 6, zones: [
                    (name: "A", duration: "45s"),
                    (name: "Chin", duration: "30s", directions: [Horizontal, Vertical]),
                ]),
            ])])"#,
        )
        .unwrap();
        let step = &config.routines[0].steps[0];
        assert_eq!(step.zones[0].directions, Direction::all());
        assert_eq!(
            technique(&step.zones[1].directions, step.passes()),
            "horizontal ×6 → vertical ×6"
        );
    }

    #[test]
    fn unknown_fields_are_errors_with_their_position() {
        let found = problems(
            "(routines: [(name: \"e\", steps: [\n  (name: \"C\", kind: Cleanse, duration: \"1m\", colour: 1),\n])])",
        );
        match &found[0] {
            Problem::Syntax { line, message, .. } => {
                assert_eq!(*line, 2);
                assert!(message.contains("colour"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn zero_and_bad_durations_and_times_are_errors() {
        for (text, needle) in [
            (
                r#"(routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "0s")])])"#,
                "zero",
            ),
            (
                r#"(routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "soon")])])"#,
                "invalid duration",
            ),
            (
                r#"(routines: [(name: "e", at: "9pm", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
                "HH:MM",
            ),
            (
                r#"(day_starts_at: "25:00", routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
                "HH:MM",
            ),
        ] {
            let found = problems(text);
            let Problem::Syntax { message, .. } = &found[0] else {
                panic!("{found:?}")
            };
            assert!(message.contains(needle), "{message}");
        }
    }

    #[test]
    fn every_rule_broken_is_reported() {
        let found = problems(
            r#"(roller: (needle_mm: 3.5), hooks: [(on: StepEnd, run: [])], routines: [
                (name: "e", steps: [(name: "Roll", kind: Roll)]),
                (name: "e", steps: []),
            ])"#,
        );
        let text = ConfigError {
            path: "c.ron".into(),
            problems: found,
        }
        .to_string();
        assert!(
            text.contains("c.ron: roller: needle_mm 3.5 is out of range"),
            "{text}"
        );
        assert!(
            text.contains("c.ron: hook 1 (on StepEnd): `run` is empty"),
            "{text}"
        );
        assert!(
            text.contains(
                "routine \"e\", step 1 \"Roll\": a Roll step needs `zones` or a `duration`"
            ),
            "{text}"
        );
        assert!(
            text.contains("routine \"e\": two routines have this name"),
            "{text}"
        );
        assert!(
            text.contains("routine \"e\": the routine has no steps"),
            "{text}"
        );
    }

    #[test]
    fn a_roll_step_without_a_roller_is_an_error() {
        let found = problems(
            r#"(routines: [(name: "e", steps: [(name: "Roll", kind: Roll, duration: "2m")])])"#,
        );
        assert!(matches!(&found[0], Problem::Item { message, .. } if message.contains("roller")));
    }

    #[test]
    fn clinical_needles_warn_but_load() {
        let config = parse(
            r#"(roller: (needle_mm: 2.0), routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
        )
        .unwrap();
        let warning = &config.warnings()[0];
        assert!(warning.contains("clinical length: do not use it at home"));
        // No interval that reads as permission.
        assert!(!warning.contains("days"), "{warning}");
        let at = |mm: f64| needle_warning(mm).unwrap_or_default();
        assert_eq!(at(0.25), "");
        assert_eq!(at(0.5), "");
        assert!(at(0.51).contains("beyond the usual home lengths (0.25-0.5 mm)"));
        assert!(at(0.75).contains("medical procedure (AAD 2018)"));
        assert!(at(1.5).contains("beyond the usual home lengths"));
        assert!(at(1.51).contains("do not use it at home"));
    }

    #[test]
    fn lengths_past_their_bounds_name_the_item() {
        let found = problems(
            r#"(notify: (warn_before: "400days"), roller: (needle_mm: 0.5),
            hooks: [(on: StepEnd, run: ["true"], timeout: "2h")],
            routines: [(name: "e", steps: [
                (name: "A", kind: Cleanse, duration: "18446744073709551615s"),
                (name: "B", kind: Cleanse, duration: "18446744073709551615s"),
                (name: "C", kind: Serum, duration: "1m", pause_after_roll: "2years"),
                (name: "R", kind: Roll, zones: [(name: "Z", duration: "13h"), (name: "Y", duration: "13h")]),
                (name: "D", kind: Cleanse, duration: "24h"),
            ])])"#,
        );
        let text = ConfigError {
            path: "c.ron".into(),
            problems: found,
        }
        .to_string();
        for line in [
            "c.ron: notify: `warn_before` is too long: it is at most a year",
            "c.ron: hook 1 (on StepEnd): `timeout` is too long: it is at most 1h",
            "c.ron: routine \"e\", step 1 \"A\": `duration` is too long: it is at most 24h",
            "c.ron: routine \"e\", step 2 \"B\": `duration` is too long: it is at most 24h",
            "c.ron: routine \"e\", step 3 \"C\": `pause_after_roll` is too long: it is at most a year",
            "c.ron: routine \"e\", step 4 \"R\": the zones add up to more than 24h",
        ] {
            assert!(text.contains(line), "{line}\n{text}");
        }
        assert!(!text.contains("step 5"), "24h is allowed:\n{text}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let config = parse(&format!("\u{feff}{BUILT_IN}")).expect("parses");
        assert_eq!(config, parse(BUILT_IN).unwrap());
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.ron");
        std::fs::write(
            &path,
            b"(routines: [\n  (name: \"\xc3\xa9t\xff\", steps: [])])",
        )
        .unwrap();
        let err = load(&path).unwrap_err();
        assert_eq!(
            err.problems,
            vec![Problem::Syntax {
                line: 2,
                col: 13,
                message: "invalid UTF-8 (byte 0xFF): save the file as UTF-8".into()
            }]
        );
    }

    #[test]
    fn many_steps_are_checked_in_linear_time() {
        // Name checks that scanned the steps before each step took minutes here.
        let steps: String = (0..100_000)
            .map(|i| format!("(name: \"s{i}\", kind: Wait, duration: \"1s\"),\n"))
            .collect();
        let text = format!(
            "(routines: [(name: \"e\", steps: [{steps}(name: \"s7\", kind: Wait, duration: \"1s\")])])"
        );
        let started = std::time::Instant::now();
        let found = problems(&text);
        let took = started.elapsed();
        eprintln!("100 000 steps checked in {took:?}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(took < Duration::from_secs(20), "{took:?}");
    }

    #[test]
    fn an_empty_file_says_so() {
        let found = problems("  \n");
        assert!(matches!(&found[0], Problem::Item { message, .. } if message.contains("empty")));
    }
}
