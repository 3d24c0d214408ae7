//! A countdown kept as a deadline, so that late wake-ups cannot make it drift.

use std::time::{Duration, Instant};

/// The timer of one part of a step (the step, or one zone of a Roll step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// Not started; the full time is left.
    Idle { left: Duration },
    /// Counting down to a deadline.
    Running { ends_at: Instant },
    /// Stopped with this much left.
    Paused { left: Duration },
}

/// The most a countdown holds: a step is at most a day, and the 30 s nudges and a saved
/// run from the disk cannot push a deadline past what an `Instant` can hold.
pub const LONGEST: Duration = Duration::from_secs(366 * 24 * 3600);

/// The deadline `left` after `now`, with `left` at most `LONGEST`.
pub fn deadline(now: Instant, left: Duration) -> Instant {
    let left = left.min(LONGEST);
    now.checked_add(left).unwrap_or(now)
}

impl Countdown {
    /// Time left at `now`, never below zero.
    pub fn left(&self, now: Instant) -> Duration {
        match *self {
            Countdown::Idle { left } | Countdown::Paused { left } => left,
            Countdown::Running { ends_at } => ends_at.saturating_duration_since(now),
        }
    }

    /// Counting down.
    pub fn is_running(&self) -> bool {
        matches!(self, Countdown::Running { .. })
    }

    /// Starts or resumes at `now`.
    pub fn resume(self, now: Instant) -> Countdown {
        Countdown::Running {
            ends_at: deadline(now, self.left(now)),
        }
    }

    /// Pauses at `now` with what is left.
    pub fn pause(self, now: Instant) -> Countdown {
        Countdown::Paused {
            left: self.left(now),
        }
    }

    /// Adds time (or takes it, never below zero; a running one may then end at once).
    pub fn adjust(self, by: Duration, add: bool, now: Instant) -> Countdown {
        let left = self.left(now);
        let left = if add {
            left.saturating_add(by).min(LONGEST)
        } else {
            left.saturating_sub(by)
        };
        match self {
            Countdown::Idle { .. } => Countdown::Idle { left },
            Countdown::Paused { .. } => Countdown::Paused { left },
            Countdown::Running { .. } => Countdown::Running {
                ends_at: deadline(now, left),
            },
        }
    }

    /// The next moment the displayed whole second changes, while running.
    pub fn next_second(&self, now: Instant) -> Option<Instant> {
        let Countdown::Running { ends_at } = *self else {
            return None;
        };
        let left = ends_at.saturating_duration_since(now);
        if left.is_zero() {
            return Some(now);
        }
        // Shown rounded up (1.2 s shows "0:02"), so the display changes when the
        // time left crosses a whole second.
        let sub = left.subsec_nanos();
        let until = if sub == 0 {
            Duration::from_secs(1)
        } else {
            Duration::from_nanos(u64::from(sub))
        };
        Some(now + until)
    }
}

/// Whole seconds shown for a time left: rounded up, so "0:00" appears only at the end.
pub fn shown_secs(left: Duration) -> u64 {
    left.as_secs() + u64::from(left.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_lengths_never_overflow_a_deadline() {
        let now = Instant::now();
        let c = Countdown::Idle {
            left: Duration::MAX,
        }
        .resume(now);
        assert_eq!(c.left(now), LONGEST);
        let c = c.adjust(Duration::MAX, true, now);
        assert_eq!(c.left(now), LONGEST);
        assert!(c.next_second(now).is_some());
    }

    #[test]
    fn a_deadline_does_not_drift_with_late_wakeups() {
        let t0 = Instant::now();
        let c = Countdown::Idle {
            left: Duration::from_secs(600),
        }
        .resume(t0);
        assert_eq!(
            c.left(t0 + Duration::from_secs(599)),
            Duration::from_secs(1)
        );
        assert_eq!(c.left(t0 + Duration::from_secs(700)), Duration::ZERO);
    }

    #[test]
    fn pause_keeps_what_is_left() {
        let t0 = Instant::now();
        let c = Countdown::Idle {
            left: Duration::from_secs(60),
        }
        .resume(t0)
        .pause(t0 + Duration::from_secs(20));
        assert_eq!(
            c.left(t0 + Duration::from_secs(500)),
            Duration::from_secs(40)
        );
    }

    #[test]
    fn taking_time_never_goes_below_zero() {
        let t0 = Instant::now();
        let c = Countdown::Paused {
            left: Duration::from_secs(10),
        };
        assert_eq!(
            c.adjust(Duration::from_secs(30), false, t0).left(t0),
            Duration::ZERO
        );
    }

    #[test]
    fn the_next_second_is_when_the_display_changes() {
        let t0 = Instant::now();
        let c = Countdown::Running {
            ends_at: t0 + Duration::from_millis(2500),
        };
        assert_eq!(c.next_second(t0), Some(t0 + Duration::from_millis(500)));
        assert_eq!(shown_secs(Duration::from_millis(2500)), 3);
        assert_eq!(shown_secs(Duration::from_secs(2)), 2);
    }
}
