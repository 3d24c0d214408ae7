//! What `rollcoach done ROUTINE` records, decided here so that the command line and any
//! test judge it alike: a routine done away from the dashboard. Pure: the time is given.
//!
//! The rules that hold over the day: a routine already done is not recorded again unless
//! asked (`again`), and then with no second roll; a session saved in the dashboard for
//! that routine and day is finished there, never recorded over (its skips and a roll
//! declined at the check-in would be lost); nothing is recorded on a day after today or
//! ending after now.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone};

use super::run::Saved;
use crate::routine::config::Config;
use crate::routine::journal::{Journal, SessionRecord, StepOutcome, StepRecord};
use crate::routine::plan::{self, Hinge, StepState};
use crate::routine::words::short_date;

/// Why `done` recorded nothing: one line for the person, with what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotRecorded {
    /// No routine of that name.
    #[error("no routine named {name:?}; the routines are: {names}")]
    NoRoutine { name: String, names: String },
    /// The journal has it done that day and `again` was not given.
    #[error(
        "{routine} is already done on {day}: nothing recorded (`--again` records another \
         session, with no second roll)"
    )]
    AlreadyDone { routine: String, day: String },
    /// The dashboard has a session of it saved for that day.
    #[error(
        "{routine} of {day} was started in the dashboard and is saved there: nothing \
         recorded; open rollcoach to finish it where it stopped"
    )]
    Saved { routine: String, day: String },
    /// The day is after today.
    #[error("{day} is after today: nothing recorded (a routine is recorded once done)")]
    Future { day: String },
    /// The routine's length does not fit a date.
    #[error("the routine is too long to record")]
    TooLong,
}

/// What the person asked `done` to record.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The routine's name.
    pub routine: &'a str,
    /// The day it was done on.
    pub date: NaiveDate,
    /// `--again`: a second session of a routine done that day.
    pub again: bool,
    /// `--no-roll`: done without the roll planned in it, a rest night.
    pub no_roll: bool,
}

/// Why the Roll step (and a step that runs only with it) of a routine recorded with
/// `done --no-roll` was skipped.
pub const NOT_ROLLED_REASON: &str = "not rolled (done --no-roll): a rest night";

/// The session `done` journals for the routine asked on its day, seen at `now` (`today` is
/// the day `now` belongs to): every step that runs that day done, a roll included unless
/// the day already rolled or declined it; a step off because of that roll passed by with
/// why. Timed at the routine's `at` (noon without one), but ending no later than now.
pub fn record<Tz: TimeZone>(
    config: &Config,
    journal: &Journal,
    saved: Option<&Saved>,
    asked: Asked,
    now: &DateTime<Tz>,
    today: NaiveDate,
) -> Result<SessionRecord, NotRecorded> {
    let Asked {
        routine: name,
        date,
        again,
        no_roll,
    } = asked;
    let Some(index) = config.routines.iter().position(|r| r.name == name) else {
        let names: Vec<&str> = config.routines.iter().map(|r| r.name.as_str()).collect();
        return Err(NotRecorded::NoRoutine {
            name: name.into(),
            names: names.join(", "),
        });
    };
    let routine = &config.routines[index];
    let day = short_date(date);
    if date > today {
        return Err(NotRecorded::Future { day });
    }
    if saved.is_some_and(|s| s.routine == routine.name && s.day == date && s.started.is_some()) {
        return Err(NotRecorded::Saved {
            routine: routine.name.clone(),
            day,
        });
    }
    let full = plan::plan(config, journal, date, now);
    let mut planned = full.routines[index].clone();
    if planned.done {
        if !again {
            return Err(NotRecorded::AlreadyDone {
                routine: routine.name.clone(),
                day,
            });
        }
        planned = plan::again(config, journal, date, now, index).ok_or(NotRecorded::TooLong)?;
    }
    // Every step that runs is recorded done, the roll included; a step off because of
    // that roll (a pause after rolling, a rest-day step) is recorded skipped with why,
    // as the dashboard passes it by.
    // Without the roll: the steps that run only with it are skipped with why, those it
    // held off come on unless something else holds them.
    let rest_night = no_roll && planned.steps.iter().any(|s| s.hinge != Hinge::None);
    let steps: Vec<StepRecord> = planned
        .steps
        .iter()
        .filter(|s| {
            if rest_night && s.hinge == Hinge::WithoutRoll {
                return s.reason_without_roll.is_none();
            }
            s.status != StepState::Off || s.hinge == Hinge::WithoutRoll
        })
        .map(|s| {
            if rest_night && s.hinge == Hinge::WithRoll {
                return StepRecord {
                    name: s.name.clone(),
                    kind: s.kind.as_str().into(),
                    status: StepOutcome::Skipped,
                    secs: 0,
                    reason: Some(NOT_ROLLED_REASON.into()),
                    started: None,
                    ended: None,
                };
            }
            let off = s.status == StepState::Off && !(rest_night && s.hinge == Hinge::WithoutRoll);
            StepRecord {
                name: s.name.clone(),
                kind: s.kind.as_str().into(),
                status: if off {
                    StepOutcome::Skipped
                } else {
                    StepOutcome::Done
                },
                secs: if off { 0 } else { s.secs },
                reason: s.reason.as_deref().filter(|_| off).map(|r| {
                    if r == plan::ROLLING_DAY_REASON {
                        plan::ROLLED_TONIGHT_REASON.to_string()
                    } else {
                        r.to_string()
                    }
                }),
                started: None,
                ended: None,
            }
        })
        .collect();
    let secs: u64 = steps.iter().map(|s| s.secs).sum();
    let length = i64::try_from(secs)
        .ok()
        .and_then(TimeDelta::try_seconds)
        .ok_or(NotRecorded::TooLong)?;
    let zone = now.timezone();
    let naive = plan::clock_on(date, plan::routine_time(routine), config.day_starts_at);
    let mut started = plan::place(&zone, naive);
    let now = now.fixed_offset();
    let mut ended = started
        .checked_add_signed(length)
        .ok_or(NotRecorded::TooLong)?;
    // Recorded before its time came: it happened just now.
    if ended > now {
        ended = now;
        started = now.checked_sub_signed(length).ok_or(NotRecorded::TooLong)?;
    }
    Ok(SessionRecord {
        routine: routine.name.clone(),
        day: date,
        started,
        ended,
        complete: true,
        steps,
        rating: None,
        note: None,
    })
}
