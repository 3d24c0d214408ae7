//! Today's plan: which steps run, which are off and why, when the next roll is due. Pure.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Serialize, Serializer};

use super::config::{ClockTime, Config, Routine, Step, StepKind, When};
use super::journal::{Journal, Record, Session, StepOutcome};

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
}

/// The roller on the planned day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollerState {
    /// Needle length in millimetres.
    pub needle_mm: f64,
    /// Days from one rolling day to the next.
    pub rest_days: u32,
    /// The day of the last completed roll, if any.
    pub last_roll: Option<NaiveDate>,
    /// The first rolling day on or after the planned day.
    pub next_roll: NaiveDate,
    /// Completed rolls since the last replacement.
    pub uses: u32,
    /// Uses after which to replace it.
    pub replace_after_uses: u32,
    /// Time to replace it.
    pub replace: bool,
}

impl RollerState {
    /// The next rolling day still to come: after a roll on `date` itself, the one after
    /// the rest days.
    pub fn next_after(&self, date: NaiveDate) -> NaiveDate {
        match self.last_roll {
            Some(last) if last == date => after_rest(date, self.rest_days),
            _ => self.next_roll,
        }
    }
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
    pub status: Status,
    /// Why it is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Where a step stands on the planned day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
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

/// The day a local time belongs to: before `day_starts_at` it is still the previous day.
pub fn day_of(time: NaiveDateTime, day_starts_at: ClockTime) -> NaiveDate {
    (time - (day_starts_at.0 - NaiveTime::MIN)).date()
}

/// A date as people read it in a reason: "Thu 26 Nov".
pub fn short_date(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

/// Seconds as "m:ss" (or "h:mm:ss").
pub fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The moment a routine is looked at on `date`: now when the date is today, else its `at`
/// (noon without one), the same time `rollcoach done` records.
pub fn moment(
    routine: &Routine,
    date: NaiveDate,
    now: NaiveDateTime,
    config: &Config,
) -> NaiveDateTime {
    if day_of(now, config.day_starts_at) == date {
        now
    } else {
        clock_on(date, routine_time(routine), config.day_starts_at)
    }
}

/// The moment a clock time falls on a day: a time before `day_starts_at` is after midnight.
pub fn clock_on(date: NaiveDate, time: NaiveTime, day_starts_at: ClockTime) -> NaiveDateTime {
    if time < day_starts_at.0 {
        (date + Duration::days(1)).and_time(time)
    } else {
        date.and_time(time)
    }
}

/// A routine's `at`, or noon.
pub fn routine_time(routine: &Routine) -> NaiveTime {
    routine
        .at
        .map(|at| at.0)
        .unwrap_or(NaiveTime::from_hms_opt(12, 0, 0).expect("noon is a time"))
}

/// Rolls found in the journal up to a day: (day, end) of each completed roll, in file order.
struct Rolls {
    rolls: Vec<(NaiveDate, NaiveDateTime)>,
}

impl Rolls {
    fn up_to(journal: &Journal, date: NaiveDate) -> Rolls {
        let rolls = journal
            .sessions()
            .filter(|s| s.day <= date && s.rolled())
            .map(|s| (s.day, s.ended.naive_local()))
            .collect();
        Rolls { rolls }
    }

    fn last_day(&self) -> Option<NaiveDate> {
        self.rolls.iter().map(|(day, _)| *day).max()
    }

    /// The end of the last roll that ended at or before `moment`.
    fn last_end_before(&self, moment: NaiveDateTime) -> Option<NaiveDateTime> {
        self.rolls
            .iter()
            .map(|(_, end)| *end)
            .filter(|end| *end <= moment)
            .max()
    }
}

/// Computes the plan for `date`, with `now` the current local time.
pub fn plan(config: &Config, journal: &Journal, date: NaiveDate, now: NaiveDateTime) -> Plan {
    let rolls = Rolls::up_to(journal, date);
    let roller = config.roller.as_ref().map(|roller| {
        let rest_days = roller.rest_days();
        let last_roll = rolls.last_day();
        let next_roll = match last_roll {
            Some(last) if last == date => date,
            Some(last) => after_rest(last, rest_days).max(date),
            None => date,
        };
        let uses = uses_since_replacement(journal, config, date);
        RollerState {
            needle_mm: roller.needle_mm,
            rest_days,
            last_roll,
            next_roll,
            uses,
            replace_after_uses: roller.replace_after_uses,
            replace: uses >= roller.replace_after_uses,
        }
    });
    let rolling_day = roller.as_ref().is_some_and(|r| r.next_roll == date);

    let routines = config
        .routines
        .iter()
        .map(|routine| {
            let at = moment(routine, date, now, config);
            let session = journal
                .sessions()
                .rev()
                .find(|s| s.complete && s.day == date && s.routine == routine.name);
            let day = Day {
                date,
                moment: at,
                rolling_day,
                roller: roller.as_ref(),
                last_roll_end: rolls.last_end_before(at),
            };
            plan_routine(routine, &day, session)
        })
        .collect();

    let mut warnings = config.warnings();
    if let Some(r) = roller.as_ref().filter(|r| r.replace) {
        warnings.push(format!(
            "the roller has been used {} of {} times: replace it \
             (`rollcoach roller --replaced` records the new one)",
            r.uses, r.replace_after_uses
        ));
    }
    warnings.extend(journal.warnings.iter().cloned());
    Plan {
        date,
        rolling_day,
        roller,
        routines,
        warnings,
    }
}

/// The rolling day `rest_days` after `day`; the last date there is when that is beyond it.
fn after_rest(day: NaiveDate, rest_days: u32) -> NaiveDate {
    day.checked_add_days(chrono::Days::new(u64::from(rest_days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Completed rolls on or before `date` since the last roller replacement on or before it.
/// Judged by date, not file order, since both can be recorded after the fact.
fn uses_since_replacement(journal: &Journal, config: &Config, date: NaiveDate) -> u32 {
    let replaced = journal
        .records
        .iter()
        .filter_map(|r| match r {
            Record::RollerReplaced { at } => Some(at.naive_local()),
            _ => None,
        })
        .filter(|at| day_of(*at, config.day_starts_at) <= date)
        .max();
    let after_replacement = |s: &Session| match replaced {
        None => true,
        Some(at) => {
            let day = day_of(at, config.day_starts_at);
            s.day > day || (s.day == day && s.ended.naive_local() >= at)
        }
    };
    journal
        .sessions()
        .filter(|s| s.day <= date && s.rolled() && after_replacement(s))
        .count() as u32
}

/// What a routine's steps are judged against.
struct Day<'a> {
    date: NaiveDate,
    /// When the routine is looked at (see [`moment`]).
    moment: NaiveDateTime,
    rolling_day: bool,
    roller: Option<&'a RollerState>,
    /// The end of the last roll before the moment.
    last_roll_end: Option<NaiveDateTime>,
}

fn plan_routine(routine: &Routine, day: &Day, session: Option<&Session>) -> RoutinePlan {
    let steps: Vec<StepPlan> = routine
        .steps
        .iter()
        .map(|step| {
            let reason = off_reason(step, day);
            let recorded = session
                .and_then(|s| s.steps.iter().find(|r| r.name == step.name))
                .map(|r| match r.status {
                    StepOutcome::Done => Status::Done,
                    StepOutcome::Skipped => Status::Skipped,
                });
            let status = match (recorded, &reason) {
                (Some(status), _) => status,
                (None, Some(_)) => Status::Off,
                (None, None) => Status::Pending,
            };
            StepPlan {
                name: step.name.clone(),
                kind: step.kind,
                secs: step.length().as_secs(),
                status,
                reason: reason.filter(|_| status == Status::Off),
            }
        })
        .collect();
    RoutinePlan {
        name: routine.name.clone(),
        at: routine.at,
        done: session.is_some(),
        total_secs: steps
            .iter()
            .filter(|s| s.status != Status::Off)
            .map(|s| s.secs)
            .sum(),
        steps,
    }
}

/// Why a step does not run on the day, or None when it runs.
fn off_reason(step: &Step, day: &Day) -> Option<String> {
    use chrono::Datelike;
    match &step.when {
        When::Always => {}
        When::RollDay if !day.rolling_day => {
            return Some(match day.roller {
                Some(r) => format!("next rolling day {}", short_date(r.next_roll)),
                None => "no roller in the config".into(),
            });
        }
        When::RestDay if day.rolling_day => return Some("rest-day step".into()),
        When::Weekdays(days)
            if !days
                .iter()
                .any(|d| chrono::Weekday::from(*d) == day.date.weekday()) =>
        {
            let names: Vec<String> = days.iter().map(|d| format!("{d:?}")).collect();
            return Some(format!("only on {}", names.join(", ")));
        }
        _ => {}
    }
    let pause = TimeDelta::from_std(step.pause_after_roll?.0).unwrap_or(TimeDelta::MAX);
    // A pause too long for the calendar lasts for ever rather than not at all.
    let until = day
        .last_roll_end?
        .checked_add_signed(pause)
        .unwrap_or(NaiveDateTime::MAX);
    (day.moment < until).then(|| {
        format!(
            "paused after rolling until {} {}",
            short_date(until.date()),
            until.format("%H:%M")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::config::parse;
    use crate::routine::journal::{Record, Session, StepRecord};
    use chrono::{DateTime, FixedOffset};

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
        Record::Session(Session {
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
                },
                StepRecord {
                    name: "Roll".into(),
                    kind: "roll".into(),
                    status: StepOutcome::Done,
                    secs: 45,
                    reason: None,
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
        assert_eq!(step(&plan, "evening", "Roll").status, Status::Pending);
        assert_eq!(
            step(&plan, "evening", "Retinol").reason.as_deref(),
            Some("rest-day step")
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
        assert_eq!(step(&sunday, "evening", "Retinol").status, Status::Pending);
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
        assert_eq!(step(&plan, "evening", "Roll").status, Status::Done);
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
    fn pause_after_roll_ends_exactly_at_its_edge() {
        let j = journal(vec![rolled("2026-11-23", "2026-11-23T21:30:00")]);
        let c = config();
        let before = plan(&c, &j, date("2026-11-25"), at("2026-11-25T21:29:59"));
        assert_eq!(
            step(&before, "morning", "Vitamin C").reason.as_deref(),
            Some("paused after rolling until Wed 25 Nov 21:30")
        );
        let edge = plan(&c, &j, date("2026-11-25"), at("2026-11-25T21:30:00"));
        assert_eq!(step(&edge, "morning", "Vitamin C").status, Status::Pending);
    }

    #[test]
    fn another_date_is_judged_at_the_routines_time() {
        let j = journal(vec![rolled("2026-11-23", "2026-11-23T21:30:00")]);
        // Asked on Mon about Wed: morning is 07:30 Wed, still inside the 48 h pause.
        let wed = plan(&config(), &j, date("2026-11-25"), at("2026-11-23T22:00:00"));
        assert_eq!(step(&wed, "morning", "Vitamin C").status, Status::Off);
        let thu = plan(&config(), &j, date("2026-11-26"), at("2026-11-23T22:00:00"));
        assert_eq!(step(&thu, "morning", "Vitamin C").status, Status::Pending);
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
        assert_eq!(step(&mon, "evening", "Exfoliant").status, Status::Pending);
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
