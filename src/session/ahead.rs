//! The nights ahead: the plan of each of the coming days, assuming each planned roll
//! happens and each routine is done as planned. Each day is the same plan `today`
//! gives, made on the journal as it would stand by then: the days before it recorded
//! as `rollcoach done` records them. Pure: the time is given.

use chrono::{DateTime, Days, NaiveDate, TimeZone};

use super::done::{self, Asked};
use crate::routine::config::Config;
use crate::routine::journal::{Journal, Record};
use crate::routine::plan::{self, Plan};

/// The most days `nights` plans at once (a year).
pub const MOST_DAYS: u32 = 366;

/// The plans of `days` days from `from`, seen at `now`: each routine of each day is
/// taken as done as its plan says (a planned roll rolled), so the next day is planned
/// on that. A routine already in the journal for a day stays as it was.
pub fn nights<Tz: TimeZone>(
    config: &Config,
    journal: &Journal,
    from: NaiveDate,
    days: u32,
    now: &DateTime<Tz>,
) -> Vec<Plan> {
    let mut assumed = journal.clone();
    let zone = now.timezone();
    let mut plans = Vec::new();
    for offset in 0..days.min(MOST_DAYS) {
        let Some(day) = from.checked_add_days(Days::new(u64::from(offset))) else {
            break;
        };
        plans.push(plan::plan(config, &assumed, day, now));
        // Done as planned, at the end of the day: nothing of it is cut short.
        let Some(next) = day.succ_opt() else { break };
        let end = plan::place(
            &zone,
            plan::clock_on(next, config.day_starts_at.0, config.day_starts_at),
        );
        for routine in &config.routines {
            let asked = Asked {
                routine: &routine.name,
                date: day,
                again: false,
                no_roll: false,
            };
            if let Ok(session) = done::record(config, &assumed, None, asked, &end, day) {
                assumed.add(Record::Session(session));
            }
        }
    }
    plans
}
