//! Reaching the person outside the pane: what to say for each event (pure), and the
//! workers that say it (desktop notifications, hook commands) off the UI thread.

pub mod desktop;
pub mod guard;
pub mod hooks;
pub mod speech;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::routine::config::{Direction, EventKind, StepKind};
use crate::routine::journal::StepOutcome;
use crate::routine::plan::{clock, short_date};

/// Where workers report a one-line failure (the shell shows it in the status bar).
pub type Report = Arc<dyn Fn(String) + Send + Sync>;

/// An event with everything named: what notifications and hooks are made from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Occasion {
    /// The event.
    pub kind: Option<EventKind>,
    /// The routine's name.
    pub routine: String,
    /// The step it is about, and its kind.
    pub step: Option<(String, StepKind)>,
    /// How the step ended (StepEnd).
    pub outcome: Option<StepOutcome>,
    /// The zone it is about (ZoneStart).
    pub zone: Option<String>,
    /// The technique line of a Roll step (PassStart: of its direction).
    pub technique: Option<String>,
    /// The direction it is about, and its place among the zone's (PassStart).
    pub pass: Option<(Direction, usize)>,
    /// The step after it, with its length in seconds.
    pub next_step: Option<(String, u64)>,
    /// Seconds left of the step (or of the session once it is complete: zero).
    pub remaining_secs: Option<u64>,
    /// The day the session belongs to.
    pub day: Option<NaiveDate>,
    /// Roller uses and their limit (RollerWorn).
    pub uses: Option<(u32, u32)>,
    /// Time taken and steps done, skipped (SessionComplete).
    pub totals: Option<(u64, usize, usize)>,
    /// The next rolling day (SessionComplete).
    pub next_roll: Option<NaiveDate>,
    /// When the routine is due (RoutineDue).
    pub at: Option<String>,
    /// The next step starts by itself.
    pub auto_advance: bool,
}

impl Occasion {
    /// The event kind; every occasion built by the app has one.
    pub fn event(&self) -> EventKind {
        self.kind.unwrap_or(EventKind::SessionStart)
    }
}

/// Summary and body of the desktop notification for an occasion: what to do now.
pub fn notification(o: &Occasion) -> (String, String) {
    let step = o.step.as_ref().map_or("", |(name, _)| name.as_str());
    let next = match &o.next_step {
        Some((name, secs)) if o.auto_advance => format!("Next: {name}, {} — started", clock(*secs)),
        Some((name, secs)) => format!("Next: {name}, {} — press Space", clock(*secs)),
        None => "That was the last step".into(),
    };
    match o.event() {
        EventKind::SessionStart => (format!("{} started", o.routine), format!("First: {step}")),
        EventKind::StepStart => (
            step.to_string(),
            o.remaining_secs
                .map(|s| format!("{} on the clock", clock(s)))
                .unwrap_or_default(),
        ),
        EventKind::StepWarning => (
            format!("{step}: {} left", clock(o.remaining_secs.unwrap_or(0))),
            next,
        ),
        EventKind::StepEnd => {
            let verb = if o.outcome == Some(StepOutcome::Skipped) {
                "skipped"
            } else {
                "done"
            };
            (format!("{step} {verb}"), next)
        }
        EventKind::ZoneStart => (
            o.zone.clone().unwrap_or_default(),
            o.technique.clone().unwrap_or_default(),
        ),
        // Not sent to the desktop (see `notifies`); said if a caller asks all the same.
        EventKind::PassStart => (
            o.pass
                .map(|(d, _)| d.as_str())
                .unwrap_or_default()
                .to_string(),
            o.technique.clone().unwrap_or_default(),
        ),
        EventKind::SessionComplete => {
            let (secs, done, skipped) = o.totals.unwrap_or_default();
            let mut body = format!("{done} done, {skipped} skipped in {}", clock(secs));
            if let Some(day) = o.next_roll {
                body.push_str(&format!(" · next roll {}", short_date(day)));
            }
            (format!("{} complete", o.routine), body)
        }
        EventKind::RoutineDue => (
            format!("{} is due", o.routine),
            format!(
                "{} · open the rollcoach pane and press Space",
                o.at.as_deref().unwrap_or("now")
            ),
        ),
        EventKind::RollerWorn => {
            let (uses, limit) = o.uses.unwrap_or_default();
            (
                "Replace the roller".into(),
                format!("Used {uses} of {limit} times; blunt needles tear the skin"),
            )
        }
    }
}

/// The terminal bell rings for these when `notify.bell` is on. A zone's first direction
/// starts with the zone, whose ZoneStart already rang.
pub fn rings_bell(o: &Occasion) -> bool {
    match o.event() {
        EventKind::StepEnd | EventKind::ZoneStart | EventKind::SessionComplete => true,
        EventKind::PassStart => o.pass.is_some_and(|(_, index)| index > 0),
        _ => false,
    }
}

/// A desktop notification is sent for this kind when `notify.desktop` is on. A change
/// of direction comes every few seconds: the bell and hooks say it, a popup would crowd.
pub fn notifies(kind: EventKind) -> bool {
    kind != EventKind::PassStart
}

/// The spoken cue for an occasion, short enough to hear with busy hands: the step that
/// starts ("Roll."), the zone ("Left cheek."), the warning ("Ten seconds."), the end
/// ("Evening done."). None: nothing is said (a step's end is followed by the next
/// start, which says more).
pub fn cue(o: &Occasion) -> Option<String> {
    let sentence = |text: &str| {
        let text = text.trim().trim_end_matches(['.', '!', '?', ':', ';', ',']);
        (!text.is_empty()).then(|| format!("{}.", capitalised(text)))
    };
    match o.event() {
        EventKind::StepStart => sentence(&o.step.as_ref()?.0),
        EventKind::ZoneStart => sentence(o.zone.as_deref()?),
        EventKind::StepWarning => sentence(&spoken_time(o.remaining_secs?)),
        EventKind::SessionComplete => sentence(&format!("{} done", o.routine)),
        // A zone's first direction is said with the zone; the later ones on their own.
        EventKind::PassStart => match o.pass? {
            (direction, index) if index > 0 => sentence(direction.as_str()),
            _ => None,
        },
        EventKind::SessionStart
        | EventKind::StepEnd
        | EventKind::RoutineDue
        | EventKind::RollerWorn => None,
    }
}

/// The cues of one moment said as one: a step start and its first zone are "Roll.
/// Forehead.", not a first cue cut off by the second.
/// A direction passed over by a later cue of the same moment (a late wake-up, a zone
/// that starts) is left out: only the direction being rolled now is worth saying.
/// Each cue comes with whether it is a change of direction.
pub fn join_cues(cues: &[(String, bool)]) -> Option<String> {
    let kept: Vec<&str> = cues
        .iter()
        .enumerate()
        .filter(|(i, (_, direction))| i + 1 == cues.len() || !direction)
        .map(|(_, (cue, _))| cue.as_str())
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

/// "Ten seconds", "One minute", "90 seconds": words where a speech engine might read a
/// clock's "0:10" as a time of day.
fn spoken_time(secs: u64) -> String {
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let (n, unit) = if secs >= 60 && secs.is_multiple_of(60) {
        (secs / 60, "minute")
    } else {
        (secs, "second")
    };
    let number = usize::try_from(n)
        .ok()
        .and_then(|i| WORDS.get(i))
        .map_or_else(|| n.to_string(), |w| (*w).to_string());
    let plural = if n == 1 { "" } else { "s" };
    format!("{number} {unit}{plural}")
}

/// The first letter upper case: a sentence start is read with its stress.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The environment a hook runs with; variables that do not apply are set empty.
pub fn hook_env(o: &Occasion) -> Vec<(String, String)> {
    let or_empty = |v: Option<String>| v.unwrap_or_default();
    [
        ("ROLLCOACH_EVENT", format!("{:?}", o.event())),
        ("ROLLCOACH_ROUTINE", o.routine.clone()),
        (
            "ROLLCOACH_STEP",
            or_empty(o.step.as_ref().map(|s| s.0.clone())),
        ),
        (
            "ROLLCOACH_STEP_KIND",
            or_empty(o.step.as_ref().map(|s| s.1.as_str().to_string())),
        ),
        ("ROLLCOACH_ZONE", or_empty(o.zone.clone())),
        (
            "ROLLCOACH_PASS",
            or_empty(o.pass.map(|(d, _)| d.as_str().to_string())),
        ),
        (
            "ROLLCOACH_NEXT_STEP",
            or_empty(o.next_step.as_ref().map(|s| s.0.clone())),
        ),
        (
            "ROLLCOACH_REMAINING_SECS",
            or_empty(o.remaining_secs.map(|s| s.to_string())),
        ),
        ("ROLLCOACH_DAY", or_empty(o.day.map(|d| d.to_string()))),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Text for the markup notification servers read: &, < and > escaped.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(escape_markup("AHA & BHA <b>"), "AHA &amp; BHA &lt;b&gt;");
    }

    #[test]
    fn step_end_says_what_comes_next() {
        let o = Occasion {
            kind: Some(EventKind::StepEnd),
            routine: "evening".into(),
            step: Some(("Cleanse".into(), StepKind::Cleanse)),
            outcome: Some(StepOutcome::Done),
            next_step: Some(("Roll".into(), 180)),
            ..Occasion::default()
        };
        assert_eq!(
            notification(&o),
            (
                "Cleanse done".into(),
                "Next: Roll, 3:00 — press Space".into()
            )
        );
    }

    fn occasion(kind: EventKind) -> Occasion {
        Occasion {
            kind: Some(kind),
            routine: "evening".into(),
            step: Some(("Roll".into(), StepKind::Roll)),
            ..Occasion::default()
        }
    }

    #[test]
    fn a_step_start_says_the_step() {
        assert_eq!(cue(&occasion(EventKind::StepStart)), Some("Roll.".into()));
    }

    #[test]
    fn a_zone_start_says_the_zone() {
        let o = Occasion {
            zone: Some("left cheek".into()),
            ..occasion(EventKind::ZoneStart)
        };
        assert_eq!(cue(&o), Some("Left cheek.".into()));
    }

    #[test]
    fn the_warning_says_the_time_left_in_words() {
        let said = |secs| {
            cue(&Occasion {
                remaining_secs: Some(secs),
                ..occasion(EventKind::StepWarning)
            })
        };
        assert_eq!(said(10), Some("Ten seconds.".into()));
        assert_eq!(said(1), Some("One second.".into()));
        assert_eq!(said(60), Some("One minute.".into()));
        assert_eq!(said(120), Some("Two minutes.".into()));
        assert_eq!(said(45), Some("45 seconds.".into()));
    }

    #[test]
    fn the_end_says_the_routine_is_done() {
        assert_eq!(
            cue(&occasion(EventKind::SessionComplete)),
            Some("Evening done.".into())
        );
    }

    #[test]
    fn a_name_that_ends_in_punctuation_is_one_sentence() {
        let o = Occasion {
            step: Some(("Wait!".into(), StepKind::Wait)),
            ..occasion(EventKind::StepStart)
        };
        assert_eq!(cue(&o), Some("Wait.".into()));
    }

    #[test]
    fn ends_due_and_worn_say_nothing() {
        for kind in [
            EventKind::SessionStart,
            EventKind::StepEnd,
            EventKind::RoutineDue,
            EventKind::RollerWorn,
        ] {
            assert_eq!(cue(&occasion(kind)), None, "{kind:?}");
        }
    }

    #[test]
    fn a_change_of_direction_says_the_direction_the_first_goes_with_the_zone() {
        use crate::routine::config::Direction;
        let pass = |direction, index| Occasion {
            pass: Some((direction, index)),
            ..occasion(EventKind::PassStart)
        };
        assert_eq!(cue(&pass(Direction::Vertical, 1)), Some("Vertical.".into()));
        assert_eq!(cue(&pass(Direction::Horizontal, 0)), None);
    }

    #[test]
    fn cues_of_one_moment_are_said_as_one() {
        assert_eq!(
            join_cues(&[("Roll.".into(), false), ("Forehead.".into(), false)]),
            Some("Roll. Forehead.".into())
        );
        assert_eq!(join_cues(&[]), None);
        // Directions passed over in one moment are not said; the last one is.
        assert_eq!(
            join_cues(&[
                ("Vertical.".into(), true),
                ("Diagonal.".into(), true),
                ("Left cheek.".into(), false)
            ]),
            Some("Left cheek.".into())
        );
        assert_eq!(
            join_cues(&[("Vertical.".into(), true), ("Diagonal.".into(), true)]),
            Some("Diagonal.".into())
        );
    }

    #[test]
    fn unset_variables_are_empty() {
        let o = Occasion {
            kind: Some(EventKind::SessionStart),
            routine: "evening".into(),
            ..Occasion::default()
        };
        let env = hook_env(&o);
        assert!(env.contains(&("ROLLCOACH_EVENT".into(), "SessionStart".into())));
        assert!(env.contains(&("ROLLCOACH_ZONE".into(), String::new())));
        assert!(env.contains(&("ROLLCOACH_PASS".into(), String::new())));
        assert_eq!(env.len(), 9);
    }
}
