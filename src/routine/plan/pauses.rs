//! Why a step is off: its `when`, the pause after a roll (counted between routine due
//! times, as instants) and the pause before the next planned roll (docs/DOMAIN.md).

use super::*;
use crate::routine::config::{Step, When};
use crate::routine::words::{pause_text, short_date};

/// A completed roll in the journal: the due time its pauses count from.
pub(super) struct Anchor {
    /// The due time of the routine that rolled, on the roll's day, in the UTC offset the
    /// session was recorded with; the session's start when the routine has no `at` or
    /// the roll started before it was due.
    pub(super) at: DateTime<FixedOffset>,
    /// The journal day of the roll.
    pub(super) day: NaiveDate,
    /// The routine that rolled.
    pub(super) routine: String,
}

pub(super) fn anchors(config: &Config, journal: &Journal, date: NaiveDate) -> Vec<Anchor> {
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

/// Why a step does not run on the day, or None when it runs.
pub(super) fn off_reason(
    routine: &Routine,
    step: &Step,
    at: &Judged,
    day: &Day,
    tonight: Tonight,
) -> Option<String> {
    let with_roll_only = || {
        when_reason(step, day, Tonight::Declined).is_some()
            && when_reason(step, day, Tonight::Done).is_none()
    };
    if at.again && tonight == Tonight::Done && (step.kind == StepKind::Roll || with_roll_only()) {
        return Some(ROLLED_ALREADY_REASON.into());
    }
    retinoids_held_reason(step, day)
        .or_else(|| broken_skin_reason(step, day))
        .or_else(|| held_reason(step, day))
        .or_else(|| moved_reason(step, day))
        .or_else(|| when_reason(step, day, tonight))
        .or_else(|| before_needles_reason(step, at, tonight))
        .or_else(|| pause_after_reason(routine, step, at, day, tonight))
        .or_else(|| pause_before_reason(step, at, day, tonight))
}

/// Why a retinoid step is off while a pregnancy or breastfeeding hold stands.
fn retinoids_held_reason(step: &Step, day: &Day) -> Option<String> {
    day.retinoids_held.as_ref()?;
    crate::routine::actives::avoided_in_pregnancy(&step.actives)
        .then(|| RETINOIDS_HELD_REASON.into())
}

/// Why a step that runs only with the roll is off while a hold stands (the plan's
/// warnings name the hold and how to clear it).
fn held_reason(step: &Step, day: &Day) -> Option<String> {
    day.roller?.held.first()?;
    let only_with_roll = step.kind == StepKind::Roll || step.when == When::RollDay;
    (!day.rolling_day && only_with_roll).then(|| HELD_REASON.into())
}

/// Why a retinoid, acid, benzoyl peroxide or fragrance step is off on a night the
/// check-in was answered with broken or burnt skin.
fn broken_skin_reason(step: &Step, day: &Day) -> Option<String> {
    let answer = day.broken_skin.as_deref()?;
    crate::routine::actives::spares_broken_skin(&step.actives)
        .then(|| crate::routine::actives::broken_skin_reason(answer))
}

/// Why a step with actives placed before tonight's Roll step in the routine that rolls
/// is off: nothing goes on the skin before the needles but a gentle cleanser
/// (docs/DOMAIN.md, granulomas after products applied before needling).
pub(super) fn before_needles_reason(step: &Step, at: &Judged, tonight: Tonight) -> Option<String> {
    match tonight {
        Tonight::Planned {
            routine,
            step: roll,
        } if routine == at.routine && at.step < roll && !step.actives.is_empty() => {
            Some(BEFORE_NEEDLES_REASON.into())
        }
        _ => None,
    }
}

/// The step's `when` (a Roll step runs only when rolling is due, whatever it says).
pub(super) fn when_reason(step: &Step, day: &Day, tonight: Tonight) -> Option<String> {
    let roll = match tonight {
        Tonight::NoRoll => RollNight::NoRoll,
        Tonight::Planned { .. } => RollNight::Planned,
        Tonight::Done => RollNight::Done,
        Tonight::Declined => RollNight::Declined,
    };
    let night = Night {
        date: day.date,
        rolling_day: day.rolling_day,
        roll,
        next_roll: day.roller.map(|r| r.next_roll),
    };
    if step.kind == StepKind::Roll
        && let Err(why) = When::RollDay.judge(&night)
    {
        return Some(why);
    }
    step.when.judge(&night).err()
}

/// `pause_after_roll`: off from the due time of the routine that rolled until the pause
/// has passed, judged at the step's own due time. A roll planned tonight counts (the
/// steps after it in its own routine, and routines due after it).
pub(super) fn pause_after_reason(
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
    // In a second session of the routine, its first session's roll is behind every step.
    let before_own_roll = !at.again && roll_index.is_none_or(|r| at.step <= r);
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
        .map(|a| {
            let same = !at.again && a.day == day.date && a.routine == routine.name;
            (a.at, same)
        })
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
    // Said in the step's own routine's time: the first time that routine is due once
    // the pause is over.
    let back = until.and_then(|until| {
        let pause_days = i64::try_from(pause_std.as_secs() / 86_400).unwrap_or(i64::MAX);
        (0..=pause_days.saturating_add(2)).find_map(|n| {
            let date = day.date.checked_add_signed(TimeDelta::try_days(n)?)?;
            (day.due(routine, date) >= until).then_some(date)
        })
    });
    Some(match back {
        Some(date) => format!(
            "{PAUSED_AFTER}: back {}, {}",
            short_date(date),
            routine.name
        ),
        None => PAUSED_AFTER.into(),
    })
}

/// How a reason of a step held off after a roll begins.
pub const PAUSED_AFTER: &str = "paused after rolling";

/// Why a step is held off after a roll, said once where the reasons are listed.
pub const PAUSED_AFTER_WHY: &str =
    "paused after rolling: only after-care goes on freshly needled skin (docs/DOMAIN.md)";

/// The Roll step, or a step only with it, on a day the roll was moved from by an active
/// applied since the last roll: says so ("roll moved to Thu 26 Nov: "Retinol" applied
/// Tue 24 Nov").
fn moved_reason(step: &Step, day: &Day) -> Option<String> {
    let moved = day.roller?.moved.as_ref()?;
    let only_with_roll = step.kind == StepKind::Roll || step.when == When::RollDay;
    (!day.rolling_day && only_with_roll).then(|| moved.clone())
}

/// `pause_before_roll`: off in a routine due less than the pause before the next planned
/// roll (the due time of the routine that holds the Roll step on the next rolling day).
pub(super) fn pause_before_reason(
    step: &Step,
    at: &Judged,
    day: &Day,
    tonight: Tonight,
) -> Option<String> {
    // A rest night after a declined roll keeps its actives: the next roll waits for
    // what actually goes on the skin (see `roller::wait_for_applied`).
    if tonight == Tonight::Declined {
        return None;
    }
    let pause = TimeDelta::from_std(step.pause_before_roll?.0).unwrap_or(TimeDelta::MAX);
    let (next, date) = day.next_roll(at.due, at.routine, at.step, tonight)?;
    (next - at.due < pause).then(|| format!("paused before rolling: roll due {}", short_date(date)))
}
