//! Pacing a zone's passes: which direction is rolled at each point of the zone. Pure.
//!
//! The directions share the zone's configured time in whole seconds (a part-second
//! share only for zones shorter than a second per direction); what does not divide
//! evenly, and whatever `+`/`-` adds or takes, goes to the last direction, since the
//! zone ends when its last direction does. So a nudge never moves the hands back to a
//! direction already rolled, and the current direction is a function of the zone's
//! elapsed time alone: pauses, restarts and late wake-ups cannot make it drift.

use std::time::Duration;

use crate::routine::config::Direction;

/// One direction's slot in a zone, as offsets from the zone's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Its place among the zone's directions.
    pub index: usize,
    /// The direction rolled.
    pub direction: Direction,
    /// When it starts, from the zone's start.
    pub starts: Duration,
    /// When it ends, from the zone's start.
    pub ends: Duration,
}

impl Pass {
    /// Its time.
    pub fn length(&self) -> Duration {
        self.ends.saturating_sub(self.starts)
    }

    /// A later direction left with no time by `-`; it is passed over unannounced.
    fn is_empty(&self) -> bool {
        self.index > 0 && self.starts >= self.ends
    }
}

/// The slots of a zone of `base` configured time, `length` with `+`/`-` applied.
pub fn slots(directions: &[Direction], base: Duration, length: Duration) -> Vec<Pass> {
    let n = directions.len().max(1) as u32;
    let whole = Duration::from_secs(base.as_secs() / u64::from(n));
    let share = if whole.is_zero() { base / n } else { whole };
    let last = directions.len().saturating_sub(1);
    directions
        .iter()
        .enumerate()
        .map(|(i, &direction)| {
            // `i` is below `n`, a u32, and `share * n` is at most `base`: no overflow.
            let starts = (share * i as u32).min(length);
            let ends = if i == last {
                length
            } else {
                (share * (i as u32 + 1)).min(length)
            };
            Pass {
                index: i,
                direction,
                starts,
                ends,
            }
        })
        .collect()
}

/// The direction rolled once `elapsed` of the zone has passed; at or after the zone's
/// end, its last direction with time. None for a zone without directions.
pub fn at(slots: &[Pass], elapsed: Duration) -> Option<Pass> {
    slots
        .iter()
        .rev()
        .find(|p| p.starts <= elapsed && !p.is_empty())
        .copied()
}

/// The directions that start after `announced` and by `elapsed`, in order.
pub fn started_since(slots: &[Pass], announced: usize, elapsed: Duration) -> Vec<Pass> {
    slots
        .iter()
        .filter(|p| p.index > announced && p.starts <= elapsed && !p.is_empty())
        .copied()
        .collect()
}

/// How long after `elapsed` the next direction starts, if one does.
pub fn until_next(slots: &[Pass], elapsed: Duration) -> Option<Duration> {
    slots
        .iter()
        .find(|p| p.starts > elapsed && !p.is_empty())
        .map(|p| p.starts - elapsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn an_even_zone_is_shared_evenly() {
        let z = slots(&Direction::all(), S(30), S(30));
        let spans: Vec<_> = z.iter().map(|p| (p.starts, p.ends)).collect();
        assert_eq!(spans, vec![(S(0), S(10)), (S(10), S(20)), (S(20), S(30))]);
    }

    #[test]
    fn the_remainder_goes_to_the_last_direction() {
        let z = slots(&Direction::all(), S(10), S(10));
        let lengths: Vec<_> = z.iter().map(Pass::length).collect();
        assert_eq!(lengths, vec![S(3), S(3), S(4)]);
        // Less than a second each: shared exactly.
        let z = slots(
            &[Horizontal, Vertical],
            Duration::from_millis(900),
            Duration::from_millis(900),
        );
        assert_eq!(z[1].starts, Duration::from_millis(450));
    }

    #[test]
    fn the_direction_changes_at_the_exact_boundary() {
        let z = slots(&Direction::all(), S(30), S(30));
        let nano = Duration::from_nanos(1);
        assert_eq!(at(&z, S(10) - nano).map(|p| p.direction), Some(Horizontal));
        assert_eq!(at(&z, S(10)).map(|p| p.direction), Some(Vertical));
        assert_eq!(at(&z, S(20) - nano).map(|p| p.direction), Some(Vertical));
        assert_eq!(at(&z, S(20)).map(|p| p.direction), Some(Diagonal));
        assert_eq!(at(&z, S(30)).map(|p| p.direction), Some(Diagonal));
        assert_eq!(until_next(&z, S(4)), Some(S(6)));
        assert_eq!(until_next(&z, S(20)), None);
    }

    #[test]
    fn time_added_or_taken_changes_only_the_last_direction() {
        let more = slots(&Direction::all(), S(30), S(60));
        assert_eq!(
            (more[1].starts, more[2].starts, more[2].ends),
            (S(10), S(20), S(60))
        );
        // 30 s taken from a 45 s zone: 15 s, the horizontal's; the others are passed over.
        let less = slots(&Direction::all(), S(45), S(15));
        assert_eq!(less[1].length(), S(0));
        assert_eq!(less[2].length(), S(0));
        assert_eq!(at(&less, S(15)).map(|p| p.direction), Some(Horizontal));
        assert!(started_since(&less, 0, S(15)).is_empty());
        assert_eq!(until_next(&less, S(3)), None);
    }

    #[test]
    fn every_direction_crossed_is_started_once() {
        let z = slots(&Direction::all(), S(30), S(30));
        let late: Vec<_> = started_since(&z, 0, S(30))
            .iter()
            .map(|p| p.index)
            .collect();
        assert_eq!(late, vec![1, 2]);
        assert!(started_since(&z, 2, S(30)).is_empty());
        assert!(started_since(&z, 0, S(9)).is_empty());
    }
}
