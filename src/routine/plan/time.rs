//! Local clock readings: the day a time belongs to, due times, instants across zones.

use chrono::NaiveTime;

use super::*;

/// The day a local time belongs to: before `day_starts_at` it is still the previous day.
pub fn day_of(time: NaiveDateTime, day_starts_at: ClockTime) -> NaiveDate {
    (time - (day_starts_at.0 - NaiveTime::MIN)).date()
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
