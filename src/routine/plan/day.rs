//! A planned day: what its steps are judged against (the config, the shelf, the rolls
//! in the journal, the roller), when a routine is due on it, and the next roll a step
//! must keep its pause before.

use super::*;

/// What a day's steps are judged against.
pub(super) struct Day<'a> {
    pub(super) config: &'a Config,
    /// The products on the day, opened and expired or not.
    pub(super) shelf: &'a [shelf::Shelved],
    pub(super) date: NaiveDate,
    /// The planned day is the day `now` belongs to.
    pub(super) today: bool,
    pub(super) now: DateTime<FixedOffset>,
    /// A local time placed in the person's time zone.
    pub(super) place: &'a dyn Fn(NaiveDateTime) -> DateTime<FixedOffset>,
    pub(super) rolling_day: bool,
    pub(super) roller: Option<&'a RollerState>,
    pub(super) anchors: Vec<Anchor>,
    /// The check-in answer of the day that means broken or burnt skin, if any.
    pub(super) broken_skin: Option<String>,
    /// The lasting answer standing on the day that holds retinoids off (pregnancy).
    pub(super) retinoids_held: Option<String>,
}

impl Day<'_> {
    /// When a routine is due on `date`: its `at`; without one, now on the day that is
    /// today and noon on any other (the time `rollcoach done` records).
    pub(super) fn due(&self, routine: &Routine, date: NaiveDate) -> DateTime<FixedOffset> {
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
    pub(super) fn next_roll(
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
        // While a hold stands no roll is planned: no pause before one.
        if !roller.held.is_empty() {
            return None;
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
