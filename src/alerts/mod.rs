//! Reaching the person outside the pane: what to say for each event (pure), and the
//! workers that say it (desktop notifications, hook commands) off the UI thread.

pub mod desktop;
pub mod failure;
pub mod guard;
pub mod hooks;
pub mod occasion;
pub mod speech;

use std::sync::Arc;

use crate::routine::config::EventKind;
use crate::routine::journal::StepOutcome;
use crate::routine::words::{clock, short_date};

pub use self::occasion::{Occasion, StepAt, What};

pub use self::failure::Failure;

/// Where workers report what they could not do (the shell shows it).
pub type Report = Arc<dyn Fn(Failure) + Send + Sync>;

/// Summary and body of the desktop notification for an occasion: what to do now.
pub fn notification(o: &Occasion) -> (String, String) {
    let step = o.step().map_or("", |s| s.name.as_str());
    let next = match o.step() {
        Some(StepAt {
            alongside: true, ..
        }) => "Its time ran out alongside the step in hand".into(),
        Some(StepAt {
            next: Some((name, secs)),
            auto_advance,
            ..
        }) => {
            let then = if *auto_advance {
                "started"
            } else {
                "press Space"
            };
            format!("Next: {name}, {} — {then}", clock(*secs))
        }
        _ => "That was the last step".into(),
    };
    match &o.what {
        What::SessionStart { .. } => (format!("{} started", o.routine), format!("First: {step}")),
        What::StepStart { remaining_secs, .. } => (
            step.to_string(),
            format!("{} on the clock", clock(*remaining_secs)),
        ),
        What::StepWarning { remaining_secs, .. } => {
            (format!("{step}: {} left", clock(*remaining_secs)), next)
        }
        What::StepEnd { outcome, .. } => {
            let verb = if *outcome == StepOutcome::Skipped {
                "skipped"
            } else {
                "done"
            };
            (format!("{step} {verb}"), next)
        }
        What::ZoneStart {
            zone, technique, ..
        } => (
            zone.clone().unwrap_or_default(),
            technique.clone().unwrap_or_default(),
        ),
        // Not sent to the desktop (see `notifies`); said if a caller asks all the same.
        What::PassStart {
            direction,
            technique,
            ..
        } => (direction.as_str().to_string(), technique.clone()),
        What::SessionComplete {
            secs,
            done,
            skipped,
            next_roll,
        } => {
            let mut body = format!("{done} done, {skipped} skipped in {}", clock(*secs));
            if let Some(day) = next_roll {
                body.push_str(&format!(" · next roll {}", short_date(*day)));
            }
            (format!("{} complete", o.routine), body)
        }
        What::RoutineDue { at } => (
            format!("{} is due", o.routine),
            format!("{at} · open the rollcoach pane and press Space"),
        ),
        What::RollerWorn { uses, limit } => (
            "Replace the roller".into(),
            format!("Used {uses} of {limit} times; blunt needles tear the skin"),
        ),
    }
}

/// The terminal bell rings for these when `notify.bell` is on. A zone's first direction
/// starts with the zone, whose ZoneStart already rang.
pub fn rings_bell(o: &Occasion) -> bool {
    match o.what {
        What::StepEnd { .. } | What::ZoneStart { .. } | What::SessionComplete { .. } => true,
        What::PassStart { index, .. } => index > 0,
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
    match &o.what {
        What::StepStart { step, .. } => sentence(&step.name),
        What::ZoneStart { zone, .. } => sentence(zone.as_deref()?),
        What::StepWarning { remaining_secs, .. } => sentence(&spoken_time(*remaining_secs)),
        What::SessionComplete { .. } => sentence(&format!("{} done", o.routine)),
        // No start follows the end of a step alongside: its end is said.
        What::StepEnd { step, .. } if step.alongside => sentence(&format!("{} done", step.name)),
        // A zone's first direction is said with the zone; the later ones on their own.
        What::PassStart {
            direction, index, ..
        } if *index > 0 => sentence(direction.as_str()),
        What::PassStart { .. }
        | What::SessionStart { .. }
        | What::StepEnd { .. }
        | What::RoutineDue { .. }
        | What::RollerWorn { .. } => None,
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
        ("ROLLCOACH_STEP", or_empty(o.step().map(|s| s.name.clone()))),
        (
            "ROLLCOACH_STEP_KIND",
            or_empty(o.step().map(|s| s.kind.as_str().to_string())),
        ),
        ("ROLLCOACH_ZONE", or_empty(o.zone().map(str::to_string))),
        (
            "ROLLCOACH_PASS",
            or_empty(match &o.what {
                What::PassStart { direction, .. } => Some(direction.as_str().to_string()),
                _ => None,
            }),
        ),
        (
            "ROLLCOACH_NEXT_STEP",
            or_empty(o.step().and_then(|s| s.next.as_ref()).map(|n| n.0.clone())),
        ),
        (
            "ROLLCOACH_REMAINING_SECS",
            or_empty(o.remaining_secs().map(|s| s.to_string())),
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

    fn roll() -> StepAt {
        StepAt {
            name: "Roll".into(),
            kind: crate::routine::config::StepKind::Roll,
            next: None,
            auto_advance: false,
            alongside: false,
        }
    }

    fn occasion(what: What) -> Occasion {
        Occasion {
            routine: "evening".into(),
            day: None,
            what,
        }
    }

    #[test]
    fn step_end_says_what_comes_next() {
        let o = occasion(What::StepEnd {
            step: StepAt {
                name: "Cleanse".into(),
                kind: crate::routine::config::StepKind::Cleanse,
                next: Some(("Roll".into(), 180)),
                auto_advance: false,
                alongside: false,
            },
            outcome: StepOutcome::Done,
        });
        assert_eq!(
            notification(&o),
            (
                "Cleanse done".into(),
                "Next: Roll, 3:00 — press Space".into()
            )
        );
    }

    #[test]
    fn a_step_start_says_the_step() {
        let o = occasion(What::StepStart {
            step: roll(),
            remaining_secs: 60,
        });
        assert_eq!(cue(&o), Some("Roll.".into()));
    }

    #[test]
    fn a_zone_start_says_the_zone() {
        let o = occasion(What::ZoneStart {
            step: roll(),
            zone: Some("left cheek".into()),
            technique: None,
            remaining_secs: 60,
        });
        assert_eq!(cue(&o), Some("Left cheek.".into()));
    }

    #[test]
    fn the_warning_says_the_time_left_in_words() {
        let said = |secs| {
            cue(&occasion(What::StepWarning {
                step: roll(),
                remaining_secs: secs,
            }))
        };
        assert_eq!(said(10), Some("Ten seconds.".into()));
        assert_eq!(said(1), Some("One second.".into()));
        assert_eq!(said(60), Some("One minute.".into()));
        assert_eq!(said(120), Some("Two minutes.".into()));
        assert_eq!(said(45), Some("45 seconds.".into()));
    }

    #[test]
    fn the_end_says_the_routine_is_done() {
        let o = occasion(What::SessionComplete {
            secs: 60,
            done: 1,
            skipped: 0,
            next_roll: None,
        });
        assert_eq!(cue(&o), Some("Evening done.".into()));
    }

    #[test]
    fn a_name_that_ends_in_punctuation_is_one_sentence() {
        let o = occasion(What::StepStart {
            step: StepAt {
                name: "Wait!".into(),
                ..roll()
            },
            remaining_secs: 60,
        });
        assert_eq!(cue(&o), Some("Wait.".into()));
    }

    #[test]
    fn ends_due_and_worn_say_nothing() {
        for what in [
            What::SessionStart {
                first: Some(roll()),
            },
            What::StepEnd {
                step: roll(),
                outcome: StepOutcome::Done,
            },
            What::RoutineDue { at: "21:00".into() },
            What::RollerWorn {
                uses: 10,
                limit: 10,
            },
        ] {
            assert_eq!(cue(&occasion(what.clone())), None, "{what:?}");
        }
    }

    #[test]
    fn a_change_of_direction_says_the_direction_the_first_goes_with_the_zone() {
        use crate::routine::config::Direction;
        let pass = |direction, index| {
            occasion(What::PassStart {
                step: roll(),
                zone: Some("forehead".into()),
                direction,
                index,
                technique: String::new(),
                remaining_secs: 30,
            })
        };
        assert_eq!(cue(&pass(Direction::Vertical, 1)), Some("Vertical.".into()));
        assert_eq!(cue(&pass(Direction::Horizontal, 0)), None);
        assert!(rings_bell(&pass(Direction::Vertical, 1)));
        assert!(!rings_bell(&pass(Direction::Horizontal, 0)));
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
        let o = occasion(What::SessionStart { first: None });
        let env = hook_env(&o);
        assert!(env.contains(&("ROLLCOACH_EVENT".into(), "SessionStart".into())));
        assert!(env.contains(&("ROLLCOACH_ZONE".into(), String::new())));
        assert!(env.contains(&("ROLLCOACH_PASS".into(), String::new())));
        assert!(env.contains(&("ROLLCOACH_REMAINING_SECS".into(), String::new())));
        assert_eq!(env.len(), 9);
        let end = hook_env(&occasion(What::StepEnd {
            step: roll(),
            outcome: StepOutcome::Skipped,
        }));
        assert!(end.contains(&("ROLLCOACH_REMAINING_SECS".into(), "0".into())));
        assert!(end.contains(&("ROLLCOACH_STEP_KIND".into(), "roll".into())));
    }
}
