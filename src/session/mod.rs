//! One run of a routine: a pure state machine with the time passed in.

pub mod ahead;
pub mod countdown;
pub mod done;
pub mod event;
pub mod passes;
pub mod run;
pub mod timer;

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDateTime};

/// A moment as the session sees it: a monotonic instant for countdowns and the wall
/// clock for calendar questions and the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// For deadlines.
    pub instant: Instant,
    /// Local wall-clock time with its offset.
    pub wall: DateTime<FixedOffset>,
}

impl Moment {
    /// The current moment (the shell calls this; the core is always given one).
    pub fn now() -> Moment {
        Moment {
            instant: Instant::now(),
            wall: chrono::Local::now().fixed_offset(),
        }
    }

    /// This moment plus `d`.
    pub fn after(self, d: Duration) -> Moment {
        Moment {
            instant: self.instant + d,
            wall: self.wall + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX),
        }
    }

    /// The wall-clock time at another instant, seen from this moment.
    pub fn wall_at(&self, instant: Instant) -> DateTime<FixedOffset> {
        let back = self.instant.saturating_duration_since(instant);
        let ahead = instant.saturating_duration_since(self.instant);
        let to = |d: Duration| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::zero());
        self.wall - to(back) + to(ahead)
    }

    /// Local wall-clock time without the offset.
    pub fn local(&self) -> NaiveDateTime {
        self.wall.naive_local()
    }
}
