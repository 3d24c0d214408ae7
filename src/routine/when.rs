//! Which days a step runs on: `when`, its parts (rolling days, rest days, weekdays, a
//! repeating cycle) and the combinators over them, judged on a day with the reason in
//! words; and whether a `when` can ever be true, or two can be true on one day.

use chrono::{Datelike as _, NaiveDate};
use serde::Deserialize;

use super::calendar::ConfigDate;
use super::values::Weekday;

/// Which days a step runs on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub enum When {
    /// Every day.
    #[default]
    Always,
    /// Only on rolling days.
    RollDay,
    /// Only on days that are not rolling days.
    RestDay,
    /// Only on these weekdays.
    Weekdays(Vec<Weekday>),
    /// A cycle of `days` days counted from `from` (its night 1), running on the nights
    /// listed in `on`: skin cycling is `Cycle(days: 4, on: [1])` for the exfoliant and
    /// `Cycle(days: 4, on: [2])` for the retinoid.
    Cycle {
        days: u32,
        on: Vec<u32>,
        #[serde(default)]
        from: Option<ConfigDate>,
    },
    /// Every one of these.
    All(Vec<When>),
    /// At least one of these.
    Any(Vec<When>),
    /// Not this.
    Not(Box<When>),
}

/// Night 1 of a cycle without `from`: the Unix epoch, so that every such cycle of a file
/// counts from the same night and steps on `on: [1]` and `on: [2]` alternate as meant.
pub const CYCLE_EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a day");

/// The longest cycle: a year.
pub const MAX_CYCLE_DAYS: u32 = 366;

/// What a day holds for the roll, as far as a `when` cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollNight {
    /// Not a rolling day, or one with no routine to roll in.
    NoRoll,
    /// The roll is planned and not done yet.
    Planned,
    /// A roll is in the journal for the day.
    Done,
    /// The roll was skipped or declined: a rest night.
    Declined,
}

/// The day a `when` is judged on.
#[derive(Debug, Clone, Copy)]
pub struct Night {
    pub date: NaiveDate,
    /// Rolling is due (or was done) this day.
    pub rolling_day: bool,
    pub roll: RollNight,
    /// The next rolling day, for the reason; None without a roller.
    pub next_roll: Option<NaiveDate>,
}

/// Why a `RestDay` step is off while tonight's roll is planned.
pub const ROLLING_DAY_REASON: &str = "rolling day: on if you skip the roll";

impl When {
    /// Ok with why the step runs, or Err with why it is off, in words.
    pub fn judge(&self, night: &Night) -> Result<String, String> {
        match self {
            When::Always => Ok("every day".into()),
            When::RollDay if !night.rolling_day => Err(match night.next_roll {
                Some(next) => format!("next rolling day {}", next.format("%a %-d %b")),
                None => "no roller in the config".into(),
            }),
            When::RollDay if night.roll == RollNight::Declined => {
                Err("no roll tonight: a rest night".into())
            }
            When::RollDay => Ok("rolling day".into()),
            When::RestDay if night.rolling_day => match night.roll {
                RollNight::Planned => Err(ROLLING_DAY_REASON.into()),
                RollNight::Done => Err("rolling day: rolled today".into()),
                RollNight::Declined => Ok("no roll tonight".into()),
                RollNight::NoRoll => Ok("no roll planned today".into()),
            },
            When::RestDay => Ok("rest day".into()),
            When::Weekdays(days) => {
                let today = night.date.weekday();
                if days.iter().any(|d| chrono::Weekday::from(*d) == today) {
                    Ok(format!("on {today}"))
                } else {
                    let names: Vec<String> = days.iter().map(|d| format!("{d:?}")).collect();
                    Err(format!("only on {}", names.join(", ")))
                }
            }
            When::Cycle { days, on, from } => {
                let n = cycle_night(*days, from.map_or(CYCLE_EPOCH, |f| f.0), night.date);
                let text = format!("cycle night {n} of {days}");
                if on.contains(&n) { Ok(text) } else { Err(text) }
            }
            When::All(parts) => {
                let mut why = Vec::new();
                for part in parts {
                    why.push(part.judge(night)?);
                }
                Ok(why.join(" and "))
            }
            When::Any(parts) => {
                let mut why = Vec::new();
                for part in parts {
                    match part.judge(night) {
                        Ok(on) => return Ok(on),
                        Err(off) => why.push(off),
                    }
                }
                Err(why.join("; "))
            }
            When::Not(inner) => match inner.judge(night) {
                Ok(on) => Err(on),
                Err(off) => Ok(off),
            },
        }
    }

    /// `judge(night).is_ok()`, without the words: what the search over days runs.
    pub fn holds(&self, night: &Night) -> bool {
        match self {
            When::Always => true,
            When::RollDay => night.rolling_day && night.roll != RollNight::Declined,
            When::RestDay => {
                !night.rolling_day || !matches!(night.roll, RollNight::Planned | RollNight::Done)
            }
            When::Weekdays(days) => days
                .iter()
                .any(|d| chrono::Weekday::from(*d) == night.date.weekday()),
            When::Cycle { days, on, from } => on.contains(&cycle_night(
                *days,
                from.map_or(CYCLE_EPOCH, |f| f.0),
                night.date,
            )),
            When::All(parts) => parts.iter().all(|p| p.holds(night)),
            When::Any(parts) => parts.iter().any(|p| p.holds(night)),
            When::Not(inner) => !inner.holds(night),
        }
    }

    /// Its parts, itself included: the work of judging it once.
    fn size(&self) -> u64 {
        match self {
            When::All(parts) | When::Any(parts) => 1 + parts.iter().map(When::size).sum::<u64>(),
            When::Not(inner) => 1 + inner.size(),
            _ => 1,
        }
    }

    /// What is wrong with this `when`, every problem in words.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        self.collect_problems(&mut problems);
        problems
    }

    fn collect_problems(&self, problems: &mut Vec<String>) {
        match self {
            When::Weekdays(days) if days.is_empty() => problems.push(
                "`Weekdays([])` names no day: list at least one, e.g. Weekdays([Mon])".into(),
            ),
            When::Cycle { days, on, .. } => {
                if !(1..=MAX_CYCLE_DAYS).contains(days) {
                    problems.push(format!(
                        "`Cycle(days: {days})` is out of range: a cycle is 1 to {MAX_CYCLE_DAYS} days"
                    ));
                } else if on.is_empty() {
                    problems.push(
                        "`Cycle(on: [])` names no night: list at least one, e.g. on: [1]".into(),
                    );
                } else if let Some(n) = on.iter().find(|n| !(1..=*days).contains(*n)) {
                    problems.push(format!(
                        "`Cycle(days: {days}, on: [.. {n} ..])`: night {n} is not in a {days}-day cycle (nights 1 to {days})"
                    ));
                }
            }
            When::All(parts) | When::Any(parts) if parts.is_empty() => {
                let name = if matches!(self, When::All(_)) {
                    "All"
                } else {
                    "Any"
                };
                problems.push(format!(
                    "`{name}([])` names nothing: list at least one `when`, e.g. {name}([RestDay])"
                ));
            }
            When::All(parts) | When::Any(parts) => {
                for part in parts {
                    part.collect_problems(problems);
                }
            }
            When::Not(inner) => inner.collect_problems(problems),
            _ => {}
        }
    }

    /// The lengths of the cycles in it.
    fn cycles(&self, out: &mut Vec<u32>) {
        match self {
            When::Cycle { days, .. } => out.push(*days),
            When::All(parts) | When::Any(parts) => parts.iter().for_each(|p| p.cycles(out)),
            When::Not(inner) => inner.cycles(out),
            _ => {}
        }
    }

    /// It is true on at least one day (a rolling one or not). A `when` too large to
    /// look at every day its parts can make, within the budget, counts as true: no
    /// warning on a guess.
    pub fn can_be_true(&self, budget: &mut Budget) -> bool {
        if matches!(
            self,
            When::Always | When::RollDay | When::RestDay | When::Weekdays(_)
        ) {
            return true;
        }
        some_night(&[self], budget, |night| self.holds(night)).unwrap_or(true)
    }

    /// This and `other` are both true on at least one day. Two too large to look at
    /// every day their parts can make, within the budget, count as apart: no warning
    /// on a guess.
    pub fn overlaps(&self, other: &When, budget: &mut Budget) -> bool {
        some_night(&[self, other], budget, |night| {
            self.holds(night) && other.holds(night)
        })
        .unwrap_or(false)
    }
}

/// The night of a `days`-day cycle on `date`, counted from `from` as night 1 (before
/// `from` the cycle runs backwards the same way).
pub fn cycle_night(days: u32, from: NaiveDate, date: NaiveDate) -> u32 {
    let days = i64::from(days.max(1));
    ((date - from).num_days().rem_euclid(days) + 1) as u32
}

/// The work (days looked at × parts judged) the searches over days may still do: a
/// config is checked when it loads, and a file of many large `when`s must still load
/// at once.
#[derive(Debug)]
pub struct Budget(u64);

impl Budget {
    /// What checking one config may spend: well under a second.
    pub fn for_config() -> Budget {
        Budget(20_000_000)
    }
}

/// The most work one search does, so that one large `when` leaves some for the others.
const MOST_PER_SEARCH: u64 = 2_000_000;

/// Whether `test` holds on some day: every weekday and cycle night together (a window
/// of the least common multiple of their periods), each as a rest day, a rolling day
/// with its roll planned, and one with its roll declined. None when it held on none of
/// the days the budget allowed, and those were not all there are.
fn some_night(whens: &[&When], budget: &mut Budget, test: impl Fn(&Night) -> bool) -> Option<bool> {
    let mut lengths = Vec::new();
    for when in whens {
        when.cycles(&mut lengths);
    }
    // Each day is judged three ways, each judging every part.
    let per_day = 3 * whens.iter().map(|w| w.size()).sum::<u64>().max(1);
    let most = budget.0.min(MOST_PER_SEARCH) / per_day;
    if most < 7 {
        return None;
    }
    let period = lengths.iter().try_fold(7u64, |acc, &n| {
        Some(lcm(acc, u64::from(n.max(1)))).filter(|&l| l <= most)
    });
    let window = period.unwrap_or(most);
    let start = NaiveDate::from_ymd_opt(2000, 1, 3).expect("a day");
    let found = (0..window).any(|i| {
        budget.0 = budget.0.saturating_sub(per_day);
        let date = start + chrono::Days::new(i);
        [
            (false, RollNight::NoRoll),
            (true, RollNight::Planned),
            (true, RollNight::Declined),
        ]
        .into_iter()
        .any(|(rolling_day, roll)| {
            test(&Night {
                date,
                rolling_day,
                roll,
                next_roll: Some(date),
            })
        })
    });
    (found || period.is_some()).then_some(found)
}

fn lcm(a: u64, b: u64) -> u64 {
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    a / gcd(a, b) * b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn rest(day: &str) -> Night {
        Night {
            date: date(day),
            rolling_day: false,
            roll: RollNight::NoRoll,
            next_roll: Some(date("2026-12-07")),
        }
    }

    fn rolling(day: &str, roll: RollNight) -> Night {
        Night {
            date: date(day),
            rolling_day: true,
            roll,
            next_roll: Some(date(day)),
        }
    }

    fn when(text: &str) -> When {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .unwrap()
    }

    #[test]
    fn a_cycle_counts_from_its_first_night_across_month_and_year_ends() {
        let from = date("2026-12-30");
        let nights: Vec<u32> = (0..8)
            .map(|i| cycle_night(4, from, from + chrono::Days::new(i)))
            .collect();
        // 30 Dec .. 6 Jan: over the year's end, and on round.
        assert_eq!(nights, [1, 2, 3, 4, 1, 2, 3, 4]);
        // Over a month's end (30 Nov → 1 Dec): the count goes on.
        let from = date("2026-11-29");
        assert_eq!(cycle_night(4, from, date("2026-11-30")), 2);
        assert_eq!(cycle_night(4, from, date("2026-12-01")), 3);
        assert_eq!(cycle_night(4, from, date("2026-12-03")), 1);
        // Before its first night it runs backwards the same way.
        assert_eq!(cycle_night(4, from, date("2026-11-28")), 4);
        // A leap day is a night like any other.
        assert_eq!(
            cycle_night(3, date("2028-02-27"), date("2028-03-01")),
            1,
            "27, 28, 29 Feb, then night 1"
        );
    }

    #[test]
    fn the_reason_names_the_part_that_keeps_a_step_off() {
        let cycle = when(r#"Cycle(days: 4, on: [1], from: "2026-11-02")"#);
        assert_eq!(
            cycle.judge(&rest("2026-11-04")),
            Err("cycle night 3 of 4".into())
        );
        assert_eq!(
            cycle.judge(&rest("2026-11-06")),
            Ok("cycle night 1 of 4".into())
        );
        let rest_fridays = when("All([RestDay, Weekdays([Fri])])");
        assert_eq!(
            rest_fridays.judge(&rest("2026-11-27")),
            Ok("rest day and on Fri".into())
        );
        assert_eq!(
            rest_fridays.judge(&rest("2026-11-26")),
            Err("only on Fri".into())
        );
        assert_eq!(
            rest_fridays.judge(&rolling("2026-11-27", RollNight::Planned)),
            Err(ROLLING_DAY_REASON.into())
        );
        let not_rolling = when("Not(RollDay)");
        assert_eq!(
            not_rolling.judge(&rolling("2026-11-27", RollNight::Planned)),
            Err("rolling day".into())
        );
        assert!(not_rolling.judge(&rest("2026-11-27")).is_ok());
        // Declined: RollDay is off, so Not(RollDay) is on.
        assert!(
            not_rolling
                .judge(&rolling("2026-11-27", RollNight::Declined))
                .is_ok()
        );
        let any = when("Any([Weekdays([Mon]), Cycle(days: 2, on: [2], from: \"2026-11-01\")])");
        // Thu 26 Nov: not a Monday, but night 2 of 2.
        assert_eq!(
            any.judge(&rest("2026-11-26")),
            Ok("cycle night 2 of 2".into())
        );
        assert_eq!(
            any.judge(&rest("2026-11-27")),
            Err("only on Mon; cycle night 1 of 2".into())
        );
        assert_eq!(any.judge(&rest("2026-11-30")), Ok("on Mon".into()));
    }

    #[test]
    fn whens_that_are_never_true_are_found() {
        for (text, can) in [
            ("Always", true),
            ("All([RollDay, RestDay])", false),
            ("Not(Always)", false),
            ("All([Weekdays([Mon]), Weekdays([Tue])])", false),
            ("All([Weekdays([Mon]), Not(Weekdays([Mon]))])", false),
            ("All([RestDay, Weekdays([Fri])])", true),
            ("Any([All([RollDay, RestDay]), Weekdays([Sun])])", true),
            // 4 and 6 share a factor: night 1 of 4 and night 2 of 6 never meet.
            (
                "All([Cycle(days: 4, on: [1], from: \"2026-01-01\"), Cycle(days: 6, on: [2], from: \"2026-01-01\")])",
                false,
            ),
            (
                "All([Cycle(days: 4, on: [1]), Cycle(days: 5, on: [2])])",
                true,
            ),
            // A 5-day cycle meets every weekday: its night 3 falls on a Wednesday.
            ("All([Cycle(days: 5, on: [3]), Weekdays([Wed])])", true),
            // A 7-day cycle is a weekday: night 1 of this one is always a Monday.
            (
                "All([Cycle(days: 7, on: [1], from: \"2026-11-02\"), Weekdays([Tue])])",
                false,
            ),
        ] {
            assert_eq!(
                when(text).can_be_true(&mut Budget::for_config()),
                can,
                "{text}"
            );
        }
    }

    #[test]
    fn skin_cycling_nights_never_overlap_but_always_and_a_cycle_do() {
        let exfoliant = when("Cycle(days: 4, on: [1])");
        let retinoid = when("Cycle(days: 4, on: [2])");
        assert!(!exfoliant.overlaps(&retinoid, &mut Budget::for_config()));
        assert!(exfoliant.overlaps(&When::Always, &mut Budget::for_config()));
        assert!(!When::RollDay.overlaps(&When::RestDay, &mut Budget::for_config()));
        assert!(
            !when("Weekdays([Mon, Wed])")
                .overlaps(&when("Weekdays([Tue])"), &mut Budget::for_config()),
            "disjoint weekdays"
        );
    }

    #[test]
    fn holds_is_judge_without_the_words() {
        for text in [
            "Always",
            "RollDay",
            "RestDay",
            "Weekdays([Tue, Sat])",
            "Cycle(days: 3, on: [1, 3], from: \"2026-02-27\")",
            "All([RestDay, Weekdays([Fri])])",
            "Any([RollDay, Cycle(days: 5, on: [2])])",
            "Not(Any([RollDay, Weekdays([Mon])]))",
            "Not(All([]))",
        ] {
            let w = when(text);
            for i in 0..30 {
                let day = date("2026-12-20") + chrono::Days::new(i);
                for (rolling_day, roll) in [
                    (false, RollNight::NoRoll),
                    (true, RollNight::NoRoll),
                    (true, RollNight::Planned),
                    (true, RollNight::Done),
                    (true, RollNight::Declined),
                ] {
                    let night = Night {
                        date: day,
                        rolling_day,
                        roll,
                        next_roll: Some(day),
                    };
                    assert_eq!(w.holds(&night), w.judge(&night).is_ok(), "{text} {night:?}");
                }
            }
        }
    }

    #[test]
    fn a_when_too_large_to_search_is_given_the_benefit_of_the_doubt() {
        // Two long cycles whose common period (133 590 days) is past what the budget
        // lets a when this large look at; they meet once in it, on a day not looked
        // at. Not called never true, and no conflict claimed; quickly.
        let parts: Vec<String> = (0..200)
            .map(|_| "Cycle(days: 366, on: [1])".to_string())
            .collect();
        let big = when(&format!(
            "All([Cycle(days: 365, on: [2]), {}])",
            parts.join(", ")
        ));
        let started = std::time::Instant::now();
        assert!(big.can_be_true(&mut Budget::for_config()));
        assert!(!big.overlaps(
            &when("Cycle(days: 366, on: [1])"),
            &mut Budget::for_config()
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // Small enough to search the whole period: the day they meet is found.
        let small = when("All([Cycle(days: 365, on: [2]), Cycle(days: 366, on: [1])])");
        assert!(
            small.can_be_true(&mut Budget::for_config()),
            "365 and 366 are coprime: they meet once"
        );
    }

    #[test]
    fn bad_cycles_and_empty_lists_are_problems() {
        let problems = |t: &str| when(t).problems();
        assert!(problems("Cycle(days: 0, on: [1])")[0].contains("1 to 366 days"));
        assert!(problems("Cycle(days: 4, on: [])")[0].contains("names no night"));
        assert!(problems("Cycle(days: 4, on: [5])")[0].contains("night 5 is not in a 4-day cycle"));
        assert!(problems("Any([])")[0].contains("`Any([])` names nothing"));
        assert!(problems("Not(All([Weekdays([])]))")[0].contains("Weekdays([])"));
        assert!(problems("All([RestDay, Cycle(days: 4, on: [2])])").is_empty());
    }
}
