//! After-care after a roll: what to keep off freshly needled skin and until when,
//! counted from the due time of the routine that rolled (docs/DOMAIN.md, "After-care").

use super::*;

impl Plan {
    /// The after-care as one line, items that end together said together: "after
    /// rolling: no makeup, no sweating until Tue 24 Nov 21:00; no …". None without any.
    pub fn aftercare_line(&self) -> Option<String> {
        let mut groups: Vec<(DateTime<FixedOffset>, Vec<&str>)> = Vec::new();
        for item in &self.aftercare {
            match groups.iter_mut().find(|(until, _)| *until == item.until) {
                Some((_, avoid)) => avoid.push(&item.avoid),
                None => groups.push((item.until, vec![&item.avoid])),
            }
        }
        if groups.is_empty() {
            return None;
        }
        groups.sort_by_key(|(until, _)| *until);
        let parts: Vec<String> = groups
            .iter()
            .map(|(until, avoid)| {
                let no: Vec<String> = avoid.iter().map(|a| format!("no {a}")).collect();
                format!(
                    "{} until {} {}",
                    no.join(", "),
                    crate::routine::words::short_date(until.date_naive()),
                    until.format("%H:%M")
                )
            })
            .collect();
        Some(format!("after rolling: {}", parts.join("; ")))
    }
}

/// One line of after-care in force on a day: what to avoid, until when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AfterRoll {
    /// What to avoid ("makeup").
    pub avoid: String,
    /// Until when, in the time zone of the roll.
    pub until: DateTime<FixedOffset>,
}

/// The after-care of the latest roll on or before `date` that reaches into that day
/// (from `day_starts_at` to the next day's): each item with the time it ends.
pub(super) fn after_roll(
    config: &Config,
    rolls: &[DateTime<FixedOffset>],
    date: NaiveDate,
    place: &dyn Fn(NaiveDateTime) -> DateTime<FixedOffset>,
) -> Vec<AfterRoll> {
    let start = place(clock_on(date, config.day_starts_at.0, config.day_starts_at));
    let end = date
        .succ_opt()
        .map(|next| place(clock_on(next, config.day_starts_at.0, config.day_starts_at)));
    let Some(rolled) = rolls
        .iter()
        .filter(|at| end.is_none_or(|end| **at < end))
        .max()
    else {
        return Vec::new();
    };
    aftercare_from(config, *rolled)
        .into_iter()
        .filter(|item| item.until > start)
        .collect()
}

/// The after-care of a roll counted from `rolled` (the due time of the routine that
/// rolled, or its start when earlier), every item.
pub fn aftercare_from(config: &Config, rolled: DateTime<FixedOffset>) -> Vec<AfterRoll> {
    config
        .aftercare
        .iter()
        .filter_map(|item| {
            let lasts = TimeDelta::from_std(item.lasts.0).ok()?;
            Some(AfterRoll {
                avoid: item.avoid.clone(),
                until: rolled.checked_add_signed(lasts)?,
            })
        })
        .collect()
}
