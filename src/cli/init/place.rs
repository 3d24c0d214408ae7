//! Where a product may go: the products before it in its routine whose actives conflict
//! with its own on a day both run (the rule `check` warns by: `actives::conflict` and
//! `When::overlaps`), and days or a routine that leave it none.

use crate::routine::actives::{Active, conflict};
use crate::routine::config::Weekday;
use crate::routine::when::{Budget, When};

use super::parse::WEEK;

/// A product as the answers place it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// Its name, on the shelf and as its step.
    pub name: String,
    /// Its classes of actives.
    pub actives: Vec<Active>,
    /// In the evening routine, the one that rolls (else the morning's).
    pub evening: bool,
    /// The days it runs on.
    pub when: When,
    /// Why it is not where it was first asked for, for its comment in the file.
    pub moved: Option<String>,
}

/// A product before it in its routine whose actives conflict with its own on a day both
/// run.
#[derive(Debug)]
pub struct Clash<'a> {
    /// The product before it.
    pub other: &'a Pick,
    /// Its own class, and the other's, that conflict.
    pub pair: (Active, Active),
    /// Why they should not meet, and what to do: `conflict`'s words.
    pub why: &'static str,
    pub what: &'static str,
}

impl Clash<'_> {
    /// The clash in one line, naming both products.
    pub fn text(&self, pick: &Pick) -> String {
        format!(
            "{:?} ({}) and {:?} ({}) would run on the same day in the {}: {}; {}",
            self.other.name,
            self.pair.1.as_str(),
            pick.name,
            self.pair.0.as_str(),
            routine_name(pick.evening),
            self.why,
            self.what
        )
    }
}

/// "evening" or "morning".
pub fn routine_name(evening: bool) -> &'static str {
    if evening { "evening" } else { "morning" }
}

/// The products of `placed` that `pick` would conflict with where it is.
pub fn clashes<'a>(placed: &'a [Pick], pick: &Pick) -> Vec<Clash<'a>> {
    let budget = &mut Budget::for_config();
    placed
        .iter()
        .filter(|other| other.evening == pick.evening)
        .filter_map(|other| {
            let (mine, theirs, (why, what)) = pick.actives.iter().find_map(|x| {
                other
                    .actives
                    .iter()
                    .find_map(|y| conflict(*x, *y).map(|c| (*x, *y, c)))
            })?;
            pick.when.overlaps(&other.when, budget).then_some(Clash {
                other,
                pair: (mine, theirs),
                why,
                what,
            })
        })
        .collect()
}

/// What to do with a product that clashes: other days, the other routine, or leave it
/// out.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// These days, in the same routine.
    Days(When),
    /// The other routine, on the days asked.
    Move,
    /// Leave it out of the file.
    Skip,
}

/// The first choice that leaves `pick` no clash: the weekdays or cycle nights the
/// products it clashes with leave free, rest days against roll-night ones, the other
/// routine (when there are two), else leaving it out.
pub fn suggest(placed: &[Pick], pick: &Pick, two_routines: bool) -> Choice {
    let against: Vec<&When> = clashes(placed, pick)
        .iter()
        .map(|c| &c.other.when)
        .collect();
    let mut candidates = Vec::new();
    if let Some(free) = free_weekdays(&against, &pick.when) {
        candidates.push(When::Weekdays(free));
    }
    if let Some(free) = free_night(&against, &pick.when) {
        candidates.push(free);
    }
    if against.iter().all(|w| **w == When::RollDay) {
        candidates.push(When::RestDay);
    }
    for when in candidates {
        let trial = Pick {
            when: when.clone(),
            ..pick.clone()
        };
        if clashes(placed, &trial).is_empty() {
            return Choice::Days(when);
        }
    }
    let moved = Pick {
        evening: !pick.evening,
        ..pick.clone()
    };
    if two_routines && clashes(placed, &moved).is_empty() {
        return Choice::Move;
    }
    Choice::Skip
}

/// The weekdays asked for (all, unless weekdays were) that none of `against` takes,
/// when each of them is a set of weekdays.
fn free_weekdays(against: &[&When], asked: &When) -> Option<Vec<Weekday>> {
    let mut taken = Vec::new();
    for when in against {
        let When::Weekdays(days) = when else {
            return None;
        };
        taken.extend(days.iter().copied());
    }
    let free: Vec<Weekday> = WEEK
        .iter()
        .map(|(_, d)| *d)
        .filter(|d| !taken.contains(d))
        .filter(|d| match asked {
            When::Weekdays(asked) => asked.contains(d),
            _ => true,
        })
        .collect();
    (!free.is_empty()).then_some(free)
}

/// The first night of a cycle that none of `against` takes, when each of them is a
/// night of the same cycle (skin cycling: the exfoliant's night 1 beside the
/// retinoid's night 2).
fn free_night(against: &[&When], asked: &When) -> Option<When> {
    let mut cycle = None;
    let mut taken = Vec::new();
    for when in against {
        let When::Cycle { days, on, from } = when else {
            return None;
        };
        if cycle.is_some_and(|c| c != (*days, *from)) {
            return None;
        }
        cycle = Some((*days, *from));
        taken.extend(on.iter().copied());
    }
    let (days, from) = cycle?;
    let wanted = |n: &u32| match asked {
        When::Cycle { days: d, on, .. } if *d == days => on.contains(n),
        _ => true,
    };
    let night = (1..=days).find(|n| !taken.contains(n) && wanted(n))?;
    Some(When::Cycle {
        days,
        on: vec![night],
        from,
    })
}

/// Days as `init` takes them typed: "every", "rest", "roll", "Mon,Wed", "4:1,3".
pub fn days_text(when: &When) -> String {
    match when {
        When::Always => "every".into(),
        When::RestDay => "rest".into(),
        When::RollDay => "roll".into(),
        When::Weekdays(days) => {
            let names: Vec<String> = days.iter().map(|d| format!("{d:?}")).collect();
            names.join(",")
        }
        When::Cycle { days, on, .. } => {
            let nights: Vec<String> = on.iter().map(u32::to_string).collect();
            format!("{days}:{}", nights.join(","))
        }
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::values::Weekday::*;

    fn pick(name: &str, actives: &[Active], when: When) -> Pick {
        Pick {
            name: name.into(),
            actives: actives.to_vec(),
            evening: true,
            when,
            moved: None,
        }
    }

    #[test]
    fn a_retinoid_and_an_acid_on_the_same_nights_clash() {
        let placed = [pick("Retinol", &[Active::Retinoid], When::Always)];
        let acid = pick("Exfoliant", &[Active::Aha], When::Always);
        let found = clashes(&placed, &acid);
        assert_eq!(found.len(), 1);
        assert!(found[0].text(&acid).contains("irritating together"));
        // On other nights they do not; nor in the other routine.
        let apart = [pick(
            "Retinol",
            &[Active::Retinoid],
            When::Weekdays(vec![Mon]),
        )];
        let tue = pick("Exfoliant", &[Active::Aha], When::Weekdays(vec![Tue]));
        assert!(clashes(&apart, &tue).is_empty());
        let morning = Pick {
            evening: false,
            ..acid.clone()
        };
        assert!(clashes(&placed, &morning).is_empty());
        // Vitamin C with niacinamide: no clash.
        let c = [pick("C", &[Active::VitaminC], When::Always)];
        assert!(clashes(&c, &pick("N", &[Active::Niacinamide], When::Always)).is_empty());
    }

    #[test]
    fn the_suggestion_takes_the_nights_left_free() {
        let retinol = pick(
            "Retinol",
            &[Active::Retinoid],
            When::Weekdays(vec![Mon, Wed, Fri]),
        );
        let acid = pick("Exfoliant", &[Active::Aha], When::Always);
        assert_eq!(
            suggest(std::slice::from_ref(&retinol), &acid, true),
            Choice::Days(When::Weekdays(vec![Tue, Thu, Sat, Sun]))
        );
        let cycled = pick(
            "Retinol",
            &[Active::Retinoid],
            When::Cycle {
                days: 4,
                on: vec![2],
                from: None,
            },
        );
        assert_eq!(
            suggest(&[cycled], &acid, true),
            Choice::Days(When::Cycle {
                days: 4,
                on: vec![1],
                from: None
            })
        );
        let every = pick("Retinol", &[Active::Retinoid], When::Always);
        assert_eq!(
            suggest(std::slice::from_ref(&every), &acid, true),
            Choice::Move
        );
        assert_eq!(suggest(&[every], &acid, false), Choice::Skip);
        assert_eq!(days_text(&When::Weekdays(vec![Tue, Sun])), "Tue,Sun");
    }
}
