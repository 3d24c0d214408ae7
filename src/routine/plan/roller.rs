//! The roller on a day: rest days, uses and age since its replacement.

use super::*;
use crate::routine::journal::{HoldRecord, Record};

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
    /// The roll of the planned day was declined (skipped, or a "yes" at the check-in).
    #[serde(skip)]
    pub declined: bool,
    /// Why the next roll is later than the rest days say: an active applied since.
    #[serde(skip)]
    pub moved: Option<String>,
    /// Lasting check-in answers standing on the planned day: while there is one, no
    /// roll is planned.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<HoldRecord>,
}

impl RollerState {
    /// The next rolling day still to come: after a roll on `date` itself, the one after
    /// the rest days; after that day's roll was declined, the next day. None while a
    /// hold stands: no roll is planned until it is cleared.
    pub fn next_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        if !self.held.is_empty() {
            return None;
        }
        Some(match self.last_roll {
            Some(last) if last == date => after_rest(date, self.rest_days),
            _ if self.declined && self.next_roll == date => {
                date.succ_opt().unwrap_or(self.next_roll)
            }
            _ => self.next_roll,
        })
    }
}

/// Why a roll is not planned while a hold stands: the first hold, and how to clear it.
pub fn held_text(hold: &HoldRecord) -> String {
    format!(
        "rolling held: {:?} answered yes {}{} (H clears it, or `rollcoach hold clear`)",
        hold.ask,
        crate::routine::words::short_date(hold.day),
        if hold.holds_retinoids {
            "; retinoids off"
        } else {
            ""
        }
    )
}

/// Why the roller is due for replacement (docs/DOMAIN.md: 10 uses or about 3 months).
pub(super) fn replace_warning(r: &RollerState) -> String {
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

pub(super) fn roller_state(
    roller: &crate::routine::config::Roller,
    config: &Config,
    journal: &Journal,
    anchors: &[Anchor],
    date: NaiveDate,
) -> RollerState {
    let rest_days = roller.rest_days();
    let last_roll = anchors.iter().map(|a| a.day).max();
    let due = match last_roll {
        Some(last) if last == date => date,
        Some(last) => after_rest(last, rest_days).max(date),
        None => date,
    };
    // A roll waits for what actually went on the skin: never inside the pause before
    // rolling of an active journaled as applied since the last roll.
    let (next_roll, moved) = if last_roll == Some(date) {
        (date, None)
    } else {
        wait_for_applied(config, journal, last_roll, due)
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
        declined: false,
        moved,
        held: journal.holds(date).into_iter().cloned().collect(),
    }
}

/// The first day from `due` on whose roll (at the due time of the routine that rolls)
/// is past the pause before rolling of every active applied since `last_roll`; and, when
/// that moved it, why ("roll moved to Thu 26 Nov: \"Retinol\" applied Tue 24 Nov").
fn wait_for_applied(
    config: &Config,
    journal: &Journal,
    last_roll: Option<NaiveDate>,
    due: NaiveDate,
) -> (NaiveDate, Option<String>) {
    use chrono::TimeZone as _;
    // Each active applied: when (its routine's due time) and until when it holds a roll.
    let applied: Vec<(DateTime<FixedOffset>, String, NaiveDate)> = journal
        .sessions()
        .filter(|s| last_roll.is_none_or(|last| s.day > last) && s.day <= due)
        .flat_map(|s| {
            let routine = config.routine(&s.routine);
            let at = routine.and_then(|r| r.at).and_then(|at| {
                let naive = clock_on(s.day, at.0, config.day_starts_at);
                s.started.offset().from_local_datetime(&naive).single()
            });
            // Judged on the routine's due time, as every pause is.
            let at = at.unwrap_or(s.started);
            s.steps
                .iter()
                .filter(|x| x.status == StepOutcome::Done)
                .filter_map(move |x| {
                    let step = routine?.steps.iter().find(|c| c.name == x.name)?;
                    let pause = TimeDelta::from_std(step.pause_before_roll?.0).ok()?;
                    let until = at.checked_add_signed(pause)?;
                    Some((until, x.name.clone(), s.day))
                })
        })
        .collect();
    let mut day = due;
    let mut why = None;
    // A pause before rolling is days at most: a month bounds the search.
    for _ in 0..31 {
        let Some((routine, _)) = super::roll_routine(config, day) else {
            break;
        };
        let naive = clock_on(
            day,
            super::routine_time(&config.routines[routine]),
            config.day_starts_at,
        );
        let blocking = applied.iter().find(|(until, _, _)| {
            until
                .offset()
                .from_local_datetime(&naive)
                .single()
                .is_some_and(|roll| roll < *until)
        });
        let Some((_, name, on)) = blocking else { break };
        why = Some((name.clone(), *on));
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    let moved = why.map(|(name, on)| {
        format!(
            "roll moved to {}: {name:?} applied {}",
            crate::routine::words::short_date(day),
            crate::routine::words::short_date(on)
        )
    });
    (day, moved)
}

/// The rolling day `rest_days` after `day`; the last date there is when that is beyond it.
pub(super) fn after_rest(day: NaiveDate, rest_days: u32) -> NaiveDate {
    day.checked_add_days(chrono::Days::new(u64::from(rest_days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Completed rolls on or before `date` since the last roller replacement on or before it,
/// and the day the roller came into use (the replacement, else the first roll). Judged by
/// date, not file order, since both can be recorded after the fact.
pub(super) fn uses_since_replacement(
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
    let after_replacement = |s: &SessionRecord| match replaced {
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
