//! Today's plan: which steps run, which are off and why, when the next roll is due. Pure.
//!
//! Pauses around a roll count routine times, not minutes (DOMAIN.md): a pause after
//! rolling runs from the due time of the routine that rolled, and a step is judged at the
//! due time of its own routine. Due times are instants (with their UTC offset), so a
//! person who changes time zone gets the same answer at the same instant.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone,
};
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
    /// Days since it was replaced (or first used, when no replacement is recorded).
    pub days_in_use: Option<u32>,
    /// Days after which to replace it.
    pub replace_after_days: u32,
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
    /// How the step depends on the roll planned in its own routine tonight.
    #[serde(skip)]
    pub hinge: Hinge,
    /// Why it would still be off were tonight's roll declined (its own pauses).
    #[serde(skip)]
    pub reason_without_roll: Option<String>,
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

/// Why a `RestDay` step is off while tonight's roll is planned.
pub const ROLLING_DAY_REASON: &str = "rolling day: on if you skip the roll";

/// Why a `RestDay` step was passed by in a session that rolled.
pub const ROLLED_TONIGHT_REASON: &str = "rest-day step: rolled tonight";

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

/// A pause as people read it: "72 h", else humantime ("90m" → "1h 30m").
pub fn pause_text(pause: std::time::Duration) -> String {
    let secs = pause.as_secs();
    if secs > 0 && secs.is_multiple_of(3600) {
        format!("{} h", secs / 3600)
    } else {
        humantime::format_duration(pause).to_string()
    }
}

/// The moment a clock time falls on a day: a time before `day_starts_at` is after midnight.
pub fn clock_on(date: NaiveDate, time: NaiveTime, day_starts_at: ClockTime) -> NaiveDateTime {
    if time < day_starts_at.0 {
        // The last date there is keeps its own day rather than overflow.
        date.succ_opt().unwrap_or(date).and_time(time)
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

/// A local clock reading as an instant in `zone`: a time in a spring-forward gap is the
/// instant just after the gap (the clock then reads an hour later); a time repeated in
/// autumn is the first of the two.
pub fn place<Tz: TimeZone>(zone: &Tz, naive: NaiveDateTime) -> DateTime<FixedOffset> {
    use chrono::Offset;
    // The offsets in force a day either side cover any transition near `naive` (the
    // zone's own answer for a repeated time is not always the first instant).
    let offset_at = |delta: i64| {
        let utc = naive.checked_add_signed(TimeDelta::days(delta))?;
        Some(zone.offset_from_utc_datetime(&utc).fix())
    };
    let before = offset_at(-1);
    let candidates = [before, offset_at(1)]
        .into_iter()
        .flatten()
        .filter_map(|offset| {
            let at = offset.from_local_datetime(&naive).single()?;
            let reads = zone.from_utc_datetime(&at.naive_utc()).naive_local();
            (reads == naive).then_some(at)
        })
        .min();
    candidates
        // In a gap: the reading the clock would have shown without the jump, which is
        // the instant just after the gap.
        .or_else(|| {
            before
                .and_then(|offset| offset.from_local_datetime(&naive).single())
                .map(|at| zone.from_utc_datetime(&at.naive_utc()).fixed_offset())
        })
        .unwrap_or_else(|| naive.and_utc().fixed_offset())
}

/// The routine that holds the Roll step on `date`, and the index of that step: the first
/// routine with a Roll step that can run on that day.
pub fn roll_routine(config: &Config, date: NaiveDate) -> Option<(usize, usize)> {
    config.routines.iter().enumerate().find_map(|(r, routine)| {
        let step = routine.steps.iter().position(|s| {
            s.kind == StepKind::Roll
                && match &s.when {
                    When::RestDay => false,
                    When::Weekdays(days) => days
                        .iter()
                        .any(|d| chrono::Weekday::from(*d) == date.weekday()),
                    _ => true,
                }
        })?;
        Some((r, step))
    })
}

/// A completed roll in the journal: the due time its pauses count from.
struct Anchor {
    /// The due time of the routine that rolled, on the roll's day, in the UTC offset the
    /// session was recorded with; the session's start when the routine has no `at` or
    /// the roll started before it was due.
    at: DateTime<FixedOffset>,
    /// The journal day of the roll.
    day: NaiveDate,
    /// The routine that rolled.
    routine: String,
}

fn anchors(config: &Config, journal: &Journal, date: NaiveDate) -> Vec<Anchor> {
    journal
        .sessions()
        .filter(|s| s.day <= date && s.rolled())
        .map(|s| {
            // A roll done before its routine was due counts from when it was done.
            let at = match config.routine(&s.routine).and_then(|r| r.at) {
                Some(at) => {
                    let naive = clock_on(s.day, at.0, config.day_starts_at);
                    s.started
                        .offset()
                        .from_local_datetime(&naive)
                        .single()
                        .map_or(s.started, |due| due.min(s.started))
                }
                None => s.started,
            };
            Anchor {
                at,
                day: s.day,
                routine: s.routine.clone(),
            }
        })
        .collect()
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
    let zone = now.timezone();
    let place = move |naive: NaiveDateTime| place(&zone, naive);
    let now = now.fixed_offset();
    let anchors = anchors(config, journal, date);
    let roller = config
        .roller
        .as_ref()
        .map(|roller| roller_state(roller, config, journal, &anchors, date));
    let rolling_day = roller.as_ref().is_some_and(|r| r.next_roll == date);
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
    let day = Day {
        config,
        date,
        today: day_of(now.naive_local(), config.day_starts_at) == date,
        now,
        place: &place,
        rolling_day,
        roller: roller.as_ref(),
        anchors,
    };
    let routines = config
        .routines
        .iter()
        .enumerate()
        .map(|(index, routine)| {
            let session = journal
                .sessions()
                .rev()
                .find(|s| s.complete && s.day == date && s.routine == routine.name);
            plan_routine(index, routine, &day, tonight, session)
        })
        .collect();

    let mut warnings = config.warnings();
    if let Some(r) = roller.as_ref().filter(|r| r.replace) {
        warnings.push(replace_warning(r));
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

/// Why the roller is due for replacement (DOMAIN.md: 10 uses or about 3 months).
fn replace_warning(r: &RollerState) -> String {
    let why = if r.uses >= r.replace_after_uses {
        format!("used {} of {} times", r.uses, r.replace_after_uses)
    } else {
        format!(
            "in use for {} days (replace after {})",
            r.days_in_use.unwrap_or_default(),
            r.replace_after_days
        )
    };
    format!(
        "the roller has been {why}: replace it \
         (`rollcoach roller --replaced` records the new one)"
    )
}

fn roller_state(
    roller: &super::config::Roller,
    config: &Config,
    journal: &Journal,
    anchors: &[Anchor],
    date: NaiveDate,
) -> RollerState {
    let rest_days = roller.rest_days();
    let last_roll = anchors.iter().map(|a| a.day).max();
    let next_roll = match last_roll {
        Some(last) if last == date => date,
        Some(last) => after_rest(last, rest_days).max(date),
        None => date,
    };
    let (uses, since) = uses_since_replacement(journal, config, date);
    let days_in_use = since.map(|since| (date - since).num_days().max(0) as u32);
    RollerState {
        needle_mm: roller.needle_mm,
        rest_days,
        last_roll,
        next_roll,
        uses,
        replace_after_uses: roller.replace_after_uses,
        days_in_use,
        replace_after_days: roller.replace_after_days,
        replace: uses >= roller.replace_after_uses
            || days_in_use.is_some_and(|d| d >= roller.replace_after_days),
    }
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

/// The rolling day `rest_days` after `day`; the last date there is when that is beyond it.
fn after_rest(day: NaiveDate, rest_days: u32) -> NaiveDate {
    day.checked_add_days(chrono::Days::new(u64::from(rest_days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Completed rolls on or before `date` since the last roller replacement on or before it,
/// and the day the roller came into use (the replacement, else the first roll). Judged by
/// date, not file order, since both can be recorded after the fact.
fn uses_since_replacement(
    journal: &Journal,
    config: &Config,
    date: NaiveDate,
) -> (u32, Option<NaiveDate>) {
    // The day of a replacement is read on the clock it was recorded with; which came
    // first, a roll or a replacement, is judged between instants, whatever the zones.
    let replaced = journal
        .records
        .iter()
        .filter_map(|r| match r {
            Record::RollerReplaced { at } => Some(*at),
            _ => None,
        })
        .filter(|at| day_of(at.naive_local(), config.day_starts_at) <= date)
        .max();
    let after_replacement = |s: &Session| match replaced {
        None => true,
        Some(at) => {
            let day = day_of(at.naive_local(), config.day_starts_at);
            s.day > day || (s.day == day && s.ended >= at)
        }
    };
    let rolls = journal
        .sessions()
        .filter(|s| s.day <= date && s.rolled() && after_replacement(s));
    let (mut uses, mut first) = (0, None::<NaiveDate>);
    for s in rolls {
        uses += 1;
        first = Some(first.map_or(s.day, |f| f.min(s.day)));
    }
    let since = replaced
        .map(|at| day_of(at.naive_local(), config.day_starts_at))
        .or(first);
    (uses, since)
}

/// What a day's steps are judged against.
struct Day<'a> {
    config: &'a Config,
    date: NaiveDate,
    /// The planned day is the day `now` belongs to.
    today: bool,
    now: DateTime<FixedOffset>,
    /// A local time placed in the person's time zone.
    place: &'a dyn Fn(NaiveDateTime) -> DateTime<FixedOffset>,
    rolling_day: bool,
    roller: Option<&'a RollerState>,
    anchors: Vec<Anchor>,
}

impl Day<'_> {
    /// When a routine is due on `date`: its `at`; without one, now on the day that is
    /// today and noon on any other (the time `rollcoach done` records).
    fn due(&self, routine: &Routine, date: NaiveDate) -> DateTime<FixedOffset> {
        match routine.at {
            None if date == self.date && self.today => self.now,
            _ => (self.place)(clock_on(
                date,
                routine_time(routine),
                self.config.day_starts_at,
            )),
        }
    }

    /// The next roll planned at or after `due` for step `step` of routine `routine`: the
    /// roll of tonight when it is still ahead of the step, else the next rolling day's.
    fn next_roll(
        &self,
        due: DateTime<FixedOffset>,
        routine: usize,
        step: usize,
        tonight: Tonight,
    ) -> Option<(DateTime<FixedOffset>, NaiveDate)> {
        let roller = self.roller?;
        // A roll already journaled later on the same day is the next one for this step.
        if let Some(a) = self
            .anchors
            .iter()
            .filter(|a| a.day == self.date && a.at > due)
            .min_by_key(|a| a.at)
        {
            return Some((a.at, a.day));
        }
        if let Tonight::Planned {
            routine: r,
            step: s,
        } = tonight
        {
            let at = self.due(&self.config.routines[r], self.date);
            if at > due || (at == due && (r != routine || step < s)) {
                return Some((at, self.date));
            }
        }
        let tomorrow = self.date.succ_opt()?;
        let next = match tonight {
            Tonight::NoRoll => roller.next_roll.max(tomorrow),
            Tonight::Planned { .. } | Tonight::Done => after_rest(self.date, roller.rest_days),
            Tonight::Declined => tomorrow,
        };
        let (r, _) = roll_routine(self.config, next)?;
        Some((self.due(&self.config.routines[r], next), next))
    }
}

fn plan_routine(
    index: usize,
    routine: &Routine,
    day: &Day,
    tonight: Tonight,
    session: Option<&Session>,
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
                hinge,
                reason_without_roll: reason_without_roll.filter(|_| status == Status::Off),
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

/// A step and the moment it is judged at.
struct Judged {
    routine: usize,
    step: usize,
    due: DateTime<FixedOffset>,
}

/// Why a step does not run on the day, or None when it runs.
fn off_reason(
    routine: &Routine,
    step: &Step,
    at: &Judged,
    day: &Day,
    tonight: Tonight,
) -> Option<String> {
    when_reason(step, day, tonight)
        .or_else(|| pause_after_reason(routine, step, at, day, tonight))
        .or_else(|| pause_before_reason(step, at, day, tonight))
}

/// The step's `when` (a Roll step runs only when rolling is due, whatever it says).
fn when_reason(step: &Step, day: &Day, tonight: Tonight) -> Option<String> {
    let roll_only = step.when == When::RollDay || step.kind == StepKind::Roll;
    if roll_only && !day.rolling_day {
        return Some(match day.roller {
            Some(r) => format!("next rolling day {}", short_date(r.next_roll)),
            None => "no roller in the config".into(),
        });
    }
    if roll_only && tonight == Tonight::Declined {
        return Some("no roll tonight: a rest night".into());
    }
    match &step.when {
        When::RestDay if day.rolling_day => match tonight {
            Tonight::Planned { .. } => Some(ROLLING_DAY_REASON.into()),
            Tonight::Done => Some("rolling day: rolled today".into()),
            _ => None,
        },
        When::Weekdays(days)
            if !days
                .iter()
                .any(|d| chrono::Weekday::from(*d) == day.date.weekday()) =>
        {
            let names: Vec<String> = days.iter().map(|d| format!("{d:?}")).collect();
            Some(format!("only on {}", names.join(", ")))
        }
        _ => None,
    }
}

/// `pause_after_roll`: off from the due time of the routine that rolled until the pause
/// has passed, judged at the step's own due time. A roll planned tonight counts (the
/// steps after it in its own routine, and routines due after it).
fn pause_after_reason(
    routine: &Routine,
    step: &Step,
    at: &Judged,
    day: &Day,
    tonight: Tonight,
) -> Option<String> {
    let pause_std = step.pause_after_roll?.0;
    let pause = TimeDelta::from_std(pause_std).unwrap_or(TimeDelta::MAX);
    let roll_index = routine.steps.iter().position(|s| s.kind == StepKind::Roll);
    // A roll in this routine on this day comes after the steps before it.
    let before_own_roll = roll_index.is_none_or(|r| at.step <= r);
    let own = |day_of_roll: NaiveDate, name: &str| {
        day_of_roll == day.date && name == routine.name && before_own_roll
    };
    let mut latest: Option<(DateTime<FixedOffset>, bool)> = day
        .anchors
        .iter()
        // A roll already done today counts for a routine done after it, even one due
        // earlier (a morning routine caught up after the evening's roll).
        .filter(|a| {
            let rolled_since = day.today && a.day == day.date && a.at <= day.now;
            (a.at <= at.due || rolled_since) && !own(a.day, &a.routine)
        })
        .map(|a| (a.at, a.day == day.date && a.routine == routine.name))
        .max_by_key(|(a, _)| *a);
    if let Tonight::Planned {
        routine: r,
        step: s,
    } = tonight
    {
        let planned = day.due(&day.config.routines[r], day.date);
        let counts = planned < at.due || (planned == at.due && (r != at.routine || at.step > s));
        if counts && latest.is_none_or(|(a, _)| a <= planned) {
            latest = Some((planned, r == at.routine));
        }
    }
    let (from, same_session) = latest?;
    let until = from.checked_add_signed(pause);
    if until.is_some_and(|until| at.due >= until) {
        return None;
    }
    if same_session {
        return Some(format!("paused after rolling: {}", pause_text(pause_std)));
    }
    Some(match until {
        Some(until) => {
            let local = until.with_timezone(&at.due.timezone());
            format!(
                "paused after rolling until {} {}",
                short_date(local.date_naive()),
                local.format("%H:%M")
            )
        }
        None => "paused after rolling".into(),
    })
}

/// `pause_before_roll`: off in a routine due less than the pause before the next planned
/// roll (the due time of the routine that holds the Roll step on the next rolling day).
fn pause_before_reason(step: &Step, at: &Judged, day: &Day, tonight: Tonight) -> Option<String> {
    let pause = TimeDelta::from_std(step.pause_before_roll?.0).unwrap_or(TimeDelta::MAX);
    let (next, date) = day.next_roll(at.due, at.routine, at.step, tonight)?;
    (next - at.due < pause).then(|| format!("paused before rolling: roll due {}", short_date(date)))
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
    fn pause_after_roll_ends_at_the_due_time_a_pause_after_the_roll() {
        // Rolled Mon (evening due 21:00), ended 21:30: the 48 h pause of the morning
        // vitamin C ends Wed 21:00, so Wed morning is off and Thu morning on.
        let j = journal(vec![rolled("2026-11-23", "2026-11-23T21:30:00")]);
        let c = config();
        let wed = plan(&c, &j, date("2026-11-25"), at("2026-11-25T07:00:00"));
        assert_eq!(
            step(&wed, "morning", "Vitamin C").reason.as_deref(),
            Some("paused after rolling until Wed 25 Nov 21:00")
        );
        let thu = plan(&c, &j, date("2026-11-26"), at("2026-11-26T07:00:00"));
        assert_eq!(step(&thu, "morning", "Vitamin C").status, Status::Pending);
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
