//! Today's plan: which steps run, which are off and why, when the next roll is due. Pure.
//!
//! Pauses around a roll count routine times, not minutes (docs/DOMAIN.md): a pause after
//! rolling runs from the due time of the routine that rolled, and a step is judged at the
//! due time of its own routine. Due times are instants (with their UTC offset), so a
//! person who changes time zone gets the same answer at the same instant.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, TimeZone};
use serde::{Serialize, Serializer};

use super::config::{ClockTime, Config, Routine, StepKind};
use super::journal::{Journal, SessionRecord, StepOutcome};
use super::shelf;
use super::when::{Night, RollNight};

mod aftercare;
mod day;
mod pauses;
mod roller;
mod time;

use self::aftercare::after_roll;
pub use self::aftercare::{AfterRoll, aftercare_from};
use self::day::Day;
use self::pauses::{Anchor, anchors, off_reason};
pub use self::pauses::{PAUSED_AFTER, PAUSED_AFTER_WHY};
pub use self::roller::{RollerState, held_text};
use self::roller::{after_rest, replace_warning, roller_state};
pub use self::time::{clock_on, day_of, place, routine_time};

/// What a day holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The day planned.
    pub date: NaiveDate,
    /// Rolling is due (or was done) this day.
    pub rolling_day: bool,
    /// The roller's state, when the config has one.
    pub roller: Option<RollerState>,
    /// Every routine, in config order.
    pub routines: Vec<RoutinePlan>,
    /// Things the person should know (a worn roller, a clinical needle, a torn journal line).
    pub warnings: Vec<String>,
    /// After a roll: what to keep off the skin, and until when, for what of it reaches
    /// into this day.
    pub aftercare: Vec<AfterRoll>,
}

/// One routine on the planned day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutinePlan {
    /// Its name.
    pub name: String,
    /// When it is due.
    pub at: Option<ClockTime>,
    /// A completed session of it is in the journal for the day.
    pub done: bool,
    /// Seconds of the steps that are not off.
    pub total_secs: u64,
    /// Every step, off ones included.
    pub steps: Vec<StepPlan>,
    /// The config's warnings about this routine (actives that conflict, a step that can
    /// never run), without the routine's name; in full in the plan's `warnings`.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One step on the planned day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepPlan {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: StepKind,
    /// Its length in seconds.
    pub secs: u64,
    /// Pending, done, skipped or off.
    pub status: StepState,
    /// Why it is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How the step depends on the roll planned in its own routine tonight.
    #[serde(skip)]
    pub hinge: Hinge,
    /// Why it would still be off were tonight's roll declined (its own pauses).
    #[serde(skip)]
    pub reason_without_roll: Option<String>,
    /// What the person should know about it: the product it uses has expired.
    #[serde(skip)]
    pub warning: Option<String>,
}

/// How a step of the routine that rolls tonight depends on that roll being done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hinge {
    /// It does not.
    #[default]
    None,
    /// It runs only with the roll (a `RollDay` step, the Roll itself): skipped when the
    /// roll is skipped or declined at the check-in.
    WithRoll,
    /// It is off because of the roll (a `RestDay` step, a pause around the roll): it
    /// comes on when the roll is skipped or declined, a rest night.
    WithoutRoll,
}

pub use super::when::ROLLING_DAY_REASON;

/// Why a step with actives placed before tonight's roll is off.
pub const BEFORE_NEEDLES_REASON: &str =
    "before rolling: skin clean and dry, nothing pushed in by the needles";

/// Why the Roll step and the steps that run only with it are off while a lasting
/// check-in answer holds rolling.
pub const HELD_REASON: &str = "rolling held by a lasting answer (see the notices)";

/// Why a retinoid step is off while a pregnancy or breastfeeding hold stands
/// (docs/DOMAIN.md: bakuchiol or peptides instead).
pub const RETINOIDS_HELD_REASON: &str =
    "retinoids are avoided in pregnancy and breastfeeding; ask your doctor";

/// Why a `RestDay` step was passed by in a session that rolled.
pub const ROLLED_TONIGHT_REASON: &str = "rest-day step: rolled tonight";

/// Where a step stands on the planned day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepState {
    Pending,
    Done,
    Skipped,
    Off,
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The routine that holds the Roll step on `date`, and the index of that step: the first
/// routine with a Roll step that can run on that day.
pub fn roll_routine(config: &Config, date: NaiveDate) -> Option<(usize, usize)> {
    config.routines.iter().enumerate().find_map(|(r, routine)| {
        // Judged as a rolling day with its roll planned: the weekday, the cycle night.
        let night = Night {
            date,
            rolling_day: true,
            roll: RollNight::Planned,
            next_roll: Some(date),
        };
        let step = routine
            .steps
            .iter()
            .position(|s| s.kind == StepKind::Roll && s.when.holds(&night))?;
        Some((r, step))
    })
}

/// What the planned day holds for the roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tonight {
    /// Not a rolling day, or no roller.
    NoRoll,
    /// The roll is due in this routine (index), at this step, and not done yet.
    Planned { routine: usize, step: usize },
    /// A roll is in the journal for the day.
    Done,
    /// The roll was skipped or declined at the check-in: a rest night.
    Declined,
}

/// Computes the plan for `date`, with `now` the current time in the person's time zone
/// (due times on other days are placed in that zone).
pub fn plan<Tz: TimeZone>(
    config: &Config,
    journal: &Journal,
    date: NaiveDate,
    now: &DateTime<Tz>,
) -> Plan {
    plan_with(config, journal, date, now, None)
}

/// The plan of routine `index` run once more on `date`, after a session of it is in the
/// journal for that day: nothing of that session counts as done, a roll done that day
/// counts for every step (one before the Roll step too), and neither the Roll step nor
/// a step that runs only with the roll runs again: one roll a day.
pub fn again<Tz: TimeZone>(
    config: &Config,
    journal: &Journal,
    date: NaiveDate,
    now: &DateTime<Tz>,
    index: usize,
) -> Option<RoutinePlan> {
    plan_with(config, journal, date, now, Some(index))
        .routines
        .into_iter()
        .nth(index)
}

/// Why a step does not run in a second session of its routine on a day that rolled.
pub const ROLLED_ALREADY_REASON: &str = "rolled already today: one roll a day";

fn plan_with<Tz: TimeZone>(
    config: &Config,
    journal: &Journal,
    date: NaiveDate,
    now: &DateTime<Tz>,
    again: Option<usize>,
) -> Plan {
    let zone = now.timezone();
    let place = move |naive: NaiveDateTime| place(&zone, naive);
    let now = now.fixed_offset();
    let anchors = anchors(config, journal, date);
    let anchors_of_day: Vec<DateTime<FixedOffset>> = anchors.iter().map(|a| a.at).collect();
    let roller = config
        .roller
        .as_ref()
        .map(|roller| roller_state(roller, config, journal, &anchors, date));
    // While a hold stands no roll is planned; one done that day before it still counts.
    let rolling_day = roller
        .as_ref()
        .is_some_and(|r| r.next_roll == date && (r.held.is_empty() || r.last_roll == Some(date)));
    let tonight = match (&roller, roll_routine(config, date)) {
        (Some(r), Some((routine, step))) if rolling_day => {
            if r.last_roll == Some(date) {
                Tonight::Done
            } else if declined(journal, date) {
                Tonight::Declined
            } else {
                Tonight::Planned { routine, step }
            }
        }
        _ => Tonight::NoRoll,
    };
    let mut roller = roller;
    if let Some(r) = roller.as_mut() {
        r.declined = tonight == Tonight::Declined;
    }
    let rolls_in = roll_routine(config, date).map(|(routine, _)| routine);
    let shelf = shelf::shelf(config, journal, date);
    let day = Day {
        config,
        shelf: &shelf,
        date,
        today: day_of(now.naive_local(), config.day_starts_at) == date,
        now,
        place: &place,
        rolling_day,
        roller: roller.as_ref(),
        anchors,
        broken_skin: broken_skin(config, journal, date),
        retinoids_held: journal
            .holds(date)
            .into_iter()
            .find(|h| h.holds_retinoids)
            .map(|h| h.ask.clone()),
    };
    let routines = config
        .routines
        .iter()
        .enumerate()
        .map(|(index, routine)| {
            let session = journal
                .sessions()
                .rev()
                .find(|s| s.complete && s.day == date && s.routine == routine.name)
                .filter(|_| again != Some(index));
            // On a day that rolled, a run of the routine that holds the roll and has no
            // complete session (the one that rolled was cut short) is a second run too.
            let second = again == Some(index)
                || (session.is_none() && tonight == Tonight::Done && rolls_in == Some(index));
            plan_routine(index, routine, &day, tonight, session, second)
        })
        .collect();

    let mut warnings = config.warnings();
    warnings.extend(expired_products(config, &shelf));
    if let Some(r) = roller.as_ref().filter(|r| r.replace) {
        warnings.push(replace_warning(r));
    }
    warnings.extend(journal.holds(date).into_iter().map(held_text));
    warnings.extend(journal.warnings.iter().cloned());
    let aftercare = after_roll(config, &anchors_of_day, date, &place);
    Plan {
        date,
        rolling_day,
        roller,
        routines,
        warnings,
        aftercare,
    }
}

/// The next instant after `now` at which the plan of `date` can change by itself,
/// though neither the journal nor the config changed: the end of a pause after rolling
/// (a step of a routine without `at` is judged at `now`, so it comes on then), or a roll
/// journaled ahead of `now` becoming past. None when nothing is ahead.
pub fn next_change(
    config: &Config,
    journal: &Journal,
    date: NaiveDate,
    now: &DateTime<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    let pauses: Vec<TimeDelta> = config
        .routines
        .iter()
        .flat_map(|r| &r.steps)
        .filter_map(|s| s.pause_after_roll)
        .map(|p| TimeDelta::from_std(p.0).unwrap_or(TimeDelta::MAX))
        .collect();
    anchors(config, journal, date)
        .iter()
        .flat_map(|a| {
            let ends = pauses.iter().filter_map(|p| a.at.checked_add_signed(*p));
            std::iter::once(a.at).chain(ends)
        })
        .filter(|t| t > now)
        .min()
}

/// One warning per expired product a step uses, naming the steps (they still run: the
/// person decides).
fn expired_products(config: &Config, shelf: &[shelf::Shelved]) -> Vec<String> {
    shelf
        .iter()
        .filter(|item| item.expired)
        .filter_map(|item| {
            let users: Vec<String> = config
                .routines
                .iter()
                .flat_map(|r| {
                    r.steps
                        .iter()
                        .filter(|s| s.product.as_deref() == Some(item.name.as_str()))
                        .map(move |s| format!("{:?} in {:?}", s.name, r.name))
                })
                .collect();
            (!users.is_empty()).then(|| {
                format!(
                    "{}; used by step {} (it still runs): {}",
                    shelf::expired_text(item),
                    users.join(", step "),
                    shelf::open_advice(&item.name)
                )
            })
        })
        .collect()
}

/// The check-in answer journaled on `date` (the reason a Roll step was skipped) that
/// names a question the config marks broken skin.
fn broken_skin(config: &Config, journal: &Journal, date: NaiveDate) -> Option<String> {
    journal
        .sessions()
        .filter(|s| s.day == date)
        .flat_map(|s| &s.steps)
        .filter(|x| x.kind == "roll" && x.status == StepOutcome::Skipped)
        .filter_map(|x| x.reason.as_deref())
        .find(|reason| {
            reason.strip_prefix("check-in: ").is_some_and(|answers| {
                answers
                    .split("; ")
                    .any(|a| config.checkin.iter().any(|q| q.broken_skin && q.ask == a))
            })
        })
        .map(String::from)
}

/// A session of the day skipped its roll (the Roll step, or a "yes" at the check-in).
fn declined(journal: &Journal, date: NaiveDate) -> bool {
    journal.sessions().any(|s| {
        s.day == date
            && s.steps
                .iter()
                .any(|x| x.kind == "roll" && x.status == StepOutcome::Skipped)
    })
}

fn plan_routine(
    index: usize,
    routine: &Routine,
    day: &Day,
    tonight: Tonight,
    session: Option<&SessionRecord>,
    again: bool,
) -> RoutinePlan {
    let due = day.due(routine, day.date);
    let rolls_here = matches!(tonight, Tonight::Planned { routine: r, .. } if r == index);
    let steps: Vec<StepPlan> = routine
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let at = Judged {
                routine: index,
                step: i,
                due,
                again,
            };
            let with_roll = off_reason(routine, step, &at, day, tonight);
            let (reason, hinge, reason_without_roll) = if rolls_here {
                let without = off_reason(routine, step, &at, day, Tonight::Declined);
                match (with_roll, without) {
                    (Some(r), None) => (Some(r), Hinge::WithoutRoll, None),
                    (None, Some(_)) => (None, Hinge::WithRoll, None),
                    (r, without) => (r, Hinge::None, without),
                }
            } else {
                (with_roll, Hinge::None, None)
            };
            let recorded = session
                .and_then(|s| s.steps.iter().find(|r| r.name == step.name))
                .map(|r| match r.status {
                    StepOutcome::Done => StepState::Done,
                    StepOutcome::Skipped => StepState::Skipped,
                });
            let status = match (recorded, &reason) {
                (Some(status), _) => status,
                (None, Some(_)) => StepState::Off,
                (None, None) => StepState::Pending,
            };
            StepPlan {
                name: step.name.clone(),
                kind: step.kind,
                secs: step.length().as_secs(),
                status,
                reason: reason.filter(|_| status == StepState::Off),
                hinge,
                reason_without_roll: reason_without_roll.filter(|_| status == StepState::Off),
                warning: step
                    .product
                    .as_deref()
                    .and_then(|name| day.shelf.iter().find(|p| p.name == name))
                    .filter(|item| item.expired)
                    .map(shelf::expired_text),
            }
        })
        .collect();
    RoutinePlan {
        name: routine.name.clone(),
        at: routine.at,
        done: session.is_some(),
        // Steps alongside run beside the others: the time until the last one ends.
        total_secs: crate::routine::config::span(&routine.steps, |i| {
            steps.get(i).is_some_and(|s| s.status != StepState::Off)
        })
        .1
        .as_secs(),
        steps,
        warnings: day
            .config
            .advice
            .iter()
            .filter(|a| a.routine == routine.name)
            .map(|a| a.detail.clone())
            .collect(),
    }
}

/// A step and the moment it is judged at.
struct Judged {
    routine: usize,
    step: usize,
    due: DateTime<FixedOffset>,
    /// In a second session of its routine that day: a roll done that day counts for
    /// every step of it, and the roll is not done twice.
    again: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::config::parse;
    use crate::routine::journal::{Record, SessionRecord, StepRecord};
    use chrono::{DateTime, FixedOffset, NaiveTime};

    const CONFIG: &str = r#"(
        roller: (needle_mm: 0.5, replace_after_uses: 3),
        routines: [
            (name: "morning", at: "07:30", steps: [
                (name: "Cleanse", kind: Cleanse, duration: "1m"),
                (name: "Vitamin C", kind: Serum, duration: "1m", pause_after_roll: "48h"),
            ]),
            (name: "evening", at: "21:00", steps: [
                (name: "Cleanse", kind: Cleanse, duration: "90s"),
                (name: "Roll", kind: Roll, when: RollDay, zones: [(name: "Forehead", duration: "45s")]),
                (name: "Retinol", kind: Treatment, duration: "30s", when: RestDay, pause_after_roll: "72h"),
                (name: "Exfoliant", kind: Treatment, duration: "30s", when: Weekdays([Mon, Thu])),
            ]),
        ],
    )"#;

    fn config() -> Config {
        parse(CONFIG).unwrap()
    }

    /// The plan with `now` in UTC.
    fn plan(config: &Config, journal: &Journal, date: NaiveDate, now: NaiveDateTime) -> Plan {
        super::plan(config, journal, date, &now.and_utc())
    }

    fn at(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn offset(t: &str) -> DateTime<FixedOffset> {
        format!("{t}+00:00").parse().unwrap()
    }

    /// A completed evening session on `day` that rolled, ending at `ended`.
    fn rolled(day: &str, ended: &str) -> Record {
        Record::Session(SessionRecord {
            routine: "evening".into(),
            day: date(day),
            started: offset(ended) - chrono::Duration::minutes(5),
            ended: offset(ended),
            complete: true,
            steps: vec![
                StepRecord {
                    name: "Cleanse".into(),
                    kind: "cleanse".into(),
                    status: StepOutcome::Done,
                    secs: 90,
                    reason: None,
                    started: None,
                    ended: None,
                },
                StepRecord {
                    name: "Roll".into(),
                    kind: "roll".into(),
                    status: StepOutcome::Done,
                    secs: 45,
                    reason: None,
                    started: None,
                    ended: None,
                },
            ],
            rating: None,
            note: None,
        })
    }

    fn journal(records: Vec<Record>) -> Journal {
        Journal {
            records,
            warnings: vec![],
        }
    }

    fn step<'a>(plan: &'a Plan, routine: &str, step: &str) -> &'a StepPlan {
        plan.routines
            .iter()
            .find(|r| r.name == routine)
            .and_then(|r| r.steps.iter().find(|s| s.name == step))
            .unwrap()
    }

    #[test]
    fn the_day_starts_at_day_starts_at() {
        let four = ClockTime(NaiveTime::from_hms_opt(4, 0, 0).unwrap());
        assert_eq!(day_of(at("2026-11-24T03:59:59"), four), date("2026-11-23"));
        assert_eq!(day_of(at("2026-11-24T04:00:00"), four), date("2026-11-24"));
    }

    #[test]
    fn with_no_roll_yet_today_is_a_rolling_day() {
        let plan = plan(
            &config(),
            &Journal::default(),
            date("2026-11-23"),
            at("2026-11-23T08:00:00"),
        );
        assert!(plan.rolling_day);
        let roller = plan.roller.as_ref().unwrap();
        assert_eq!(
            (roller.last_roll, roller.next_roll, roller.uses),
            (None, date("2026-11-23"), 0)
        );
        assert_eq!(step(&plan, "evening", "Roll").status, StepState::Pending);
        assert_eq!(
            step(&plan, "evening", "Retinol").reason.as_deref(),
            Some(ROLLING_DAY_REASON)
        );
    }

    #[test]
    fn rest_days_count_from_the_day_of_the_last_roll() {
        let j = journal(vec![rolled("2026-11-16", "2026-11-16T21:10:00")]);
        let c = config();
        // 0.5 mm: 7 rest days, so Mon 16 → Mon 23.
        let sunday = plan(&c, &j, date("2026-11-22"), at("2026-11-22T08:00:00"));
        assert!(!sunday.rolling_day);
        assert_eq!(
            sunday.roller.as_ref().unwrap().next_roll,
            date("2026-11-23")
        );
        assert_eq!(
            step(&sunday, "evening", "Roll").reason.as_deref(),
            Some("next rolling day Mon 23 Nov")
        );
        assert_eq!(
            step(&sunday, "evening", "Retinol").status,
            StepState::Pending
        );
        let monday = plan(&c, &j, date("2026-11-23"), at("2026-11-23T08:00:00"));
        assert!(monday.rolling_day);
    }

    #[test]
    fn the_day_of_a_roll_stays_a_rolling_day() {
        let j = journal(vec![rolled("2026-11-23", "2026-11-23T21:10:00")]);
        let plan = plan(&config(), &j, date("2026-11-23"), at("2026-11-23T22:00:00"));
        assert!(plan.rolling_day);
        let evening = &plan.routines[1];
        assert!(evening.done);
        assert_eq!(step(&plan, "evening", "Roll").status, StepState::Done);
        assert_eq!(plan.roller.as_ref().unwrap().next_roll, date("2026-11-23"));
    }

    #[test]
    fn a_rolled_session_after_midnight_belongs_to_its_journal_day() {
        let j = journal(vec![rolled("2026-11-23", "2026-11-24T00:30:00")]);
        let plan = plan(&config(), &j, date("2026-11-24"), at("2026-11-24T08:00:00"));
        assert!(!plan.rolling_day);
        assert_eq!(plan.roller.unwrap().next_roll, date("2026-11-30"));
    }

    #[test]
    fn pause_after_roll_ends_at_the_due_time_a_pause_after_the_roll() {
        // Rolled Mon (evening due 21:00), ended 21:30: the 48 h pause of the morning
        // vitamin C ends Wed 21:00, so Wed morning is off and Thu morning on.
        let j = journal(vec![rolled("2026-11-23", "2026-11-23T21:30:00")]);
        let c = config();
        let wed = plan(&c, &j, date("2026-11-25"), at("2026-11-25T07:00:00"));
        assert_eq!(
            step(&wed, "morning", "Vitamin C").reason.as_deref(),
            Some("paused after rolling: back Thu 26 Nov, morning")
        );
        let thu = plan(&c, &j, date("2026-11-26"), at("2026-11-26T07:00:00"));
        assert_eq!(
            step(&thu, "morning", "Vitamin C").status,
            StepState::Pending
        );
    }

    #[test]
    fn another_date_is_judged_at_the_routines_time() {
        let j = journal(vec![rolled("2026-11-23", "2026-11-23T21:30:00")]);
        // Asked on Mon about Wed: morning is 07:30 Wed, still inside the 48 h pause.
        let wed = plan(&config(), &j, date("2026-11-25"), at("2026-11-23T22:00:00"));
        assert_eq!(step(&wed, "morning", "Vitamin C").status, StepState::Off);
        let thu = plan(&config(), &j, date("2026-11-26"), at("2026-11-23T22:00:00"));
        assert_eq!(
            step(&thu, "morning", "Vitamin C").status,
            StepState::Pending
        );
    }

    #[test]
    fn weekday_steps_run_only_on_their_days() {
        let c = config();
        let mon = plan(
            &c,
            &Journal::default(),
            date("2026-11-23"),
            at("2026-11-23T08:00:00"),
        );
        assert_eq!(
            step(&mon, "evening", "Exfoliant").status,
            StepState::Pending
        );
        let tue = plan(
            &c,
            &Journal::default(),
            date("2026-11-24"),
            at("2026-11-24T08:00:00"),
        );
        assert_eq!(
            step(&tue, "evening", "Exfoliant").reason.as_deref(),
            Some("only on Mon, Thu")
        );
    }

    #[test]
    fn total_secs_leaves_out_steps_that_are_off() {
        let plan = plan(
            &config(),
            &Journal::default(),
            date("2026-11-24"),
            at("2026-11-24T08:00:00"),
        );
        // Rolling day, Tuesday: Cleanse 90 + Roll 45; Retinol and Exfoliant off.
        assert_eq!(plan.routines[1].total_secs, 135);
    }

    #[test]
    fn uses_count_rolls_since_the_last_replacement_and_warn_at_the_limit() {
        let c = config();
        let mut records = vec![
            rolled("2026-10-01", "2026-10-01T21:10:00"),
            Record::RollerReplaced {
                at: offset("2026-10-02T12:00:00"),
            },
        ];
        for day in ["2026-10-10", "2026-10-20", "2026-10-30"] {
            records.push(rolled(day, &format!("{day}T21:10:00")));
        }
        let j = journal(records);
        let before = plan(&c, &j, date("2026-10-25"), at("2026-10-25T08:00:00"));
        assert_eq!(before.roller.as_ref().unwrap().uses, 2);
        assert!(!before.roller.as_ref().unwrap().replace);
        let after = plan(&c, &j, date("2026-11-23"), at("2026-11-23T08:00:00"));
        let roller = after.roller.as_ref().unwrap();
        assert_eq!((roller.uses, roller.replace), (3, true));
        assert!(
            after
                .warnings
                .iter()
                .any(|w| w.contains("used 3 of 3 times: replace it"))
        );
    }

    #[test]
    fn a_skipped_roll_is_not_a_roll() {
        let mut session = rolled("2026-11-20", "2026-11-20T21:10:00");
        if let Record::Session(s) = &mut session {
            s.steps[1].status = StepOutcome::Skipped;
        }
        let plan = plan(
            &config(),
            &journal(vec![session]),
            date("2026-11-21"),
            at("2026-11-21T08:00:00"),
        );
        assert!(plan.rolling_day);
        assert_eq!(plan.roller.unwrap().uses, 0);
    }
}
