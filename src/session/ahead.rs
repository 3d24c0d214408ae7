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

/// A row of the nights ahead: a step that is not on every day, or the Roll step.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// "evening · Retinol".
    pub label: String,
    /// The routine's and the step's index in the config.
    pub routine: usize,
    /// The step's index in its routine.
    pub step: usize,
    /// It is the Roll step.
    pub roll: bool,
    /// Whether it runs (is not off), day by day.
    pub on: Vec<bool>,
}

/// The rows worth a look over `plans`: every step that is off on some day, and the
/// Roll step; the Roll steps first, the rest in config order.
pub fn rows(config: &Config, plans: &[Plan]) -> Vec<Row> {
    use crate::routine::config::StepKind;
    use crate::routine::plan::StepState;
    let mut rows = Vec::new();
    for (r, routine) in config.routines.iter().enumerate() {
        for (s, step) in routine.steps.iter().enumerate() {
            let on: Vec<bool> = plans
                .iter()
                .map(|p| {
                    p.routines
                        .get(r)
                        .and_then(|rp| rp.steps.get(s))
                        .is_some_and(|sp| sp.status != StepState::Off)
                })
                .collect();
            let roll = step.kind == StepKind::Roll;
            if on.iter().all(|o| *o) && !roll {
                continue;
            }
            rows.push(Row {
                label: format!("{} · {}", routine.name, step.name),
                routine: r,
                step: s,
                roll,
                on,
            });
        }
    }
    rows.sort_by_key(|row| !row.roll);
    rows
}
