//! A timer for anything (`rollcoach timer 10m "Sheet mask"`): one countdown with no
//! routine around it. Pure: time is passed in. What the shell saves while it runs
//! (`timer.json`, for `status`) and what the journal keeps when it ends.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeDelta};
use serde::{Deserialize, Serialize};

use super::Moment;
pub use crate::routine::journal::TimerRecord;

/// The timer file in the data dir while a timer runs or is paused.
pub const TIMER_FILE: &str = "timer.json";

/// What `+` and `-` add or take.
pub const NUDGE: Duration = Duration::from_secs(30);

/// The longest timer.
pub const LONGEST: Duration = Duration::from_secs(24 * 3600);

/// A one-off countdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Timer {
    /// What it times ("Sheet mask").
    pub name: String,
    /// Its length as asked for, with the nudges.
    pub length: Duration,
    /// When it started.
    pub started: DateTime<FixedOffset>,
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Counting down to `ends`, which the wall clock reads as `ends_wall`.
    Running {
        ends: Instant,
        ends_wall: DateTime<FixedOffset>,
    },
    /// Stopped with `left` to go.
    Paused { left: Duration },
}

impl Timer {
    /// A timer started `now`.
    pub fn start(name: &str, length: Duration, now: Moment) -> Timer {
        Timer {
            name: name.to_string(),
            length,
            started: now.wall,
            state: running(length, now),
        }
    }

    /// The time left at `now`.
    pub fn left(&self, now: Instant) -> Duration {
        match self.state {
            State::Running { ends, .. } => ends.saturating_duration_since(now),
            State::Paused { left } => left,
        }
    }

    /// It is counting down.
    pub fn is_running(&self) -> bool {
        matches!(self.state, State::Running { .. })
    }

    /// Its time has run out.
    pub fn is_done(&self, now: Instant) -> bool {
        self.left(now).is_zero()
    }

    /// Pauses a running timer, or goes on with a paused one.
    pub fn toggle(&mut self, now: Moment) {
        self.state = match self.state {
            State::Running { .. } => State::Paused {
                left: self.left(now.instant),
            },
            State::Paused { left } => running(left, now),
        };
    }

    /// Adds (or takes) 30 s; taking never goes below a second left.
    pub fn nudge(&mut self, more: bool, now: Moment) {
        let left = self.left(now.instant);
        let new = if more {
            (left + NUDGE).min(LONGEST)
        } else {
            left.saturating_sub(NUDGE)
                .max(Duration::from_secs(1).min(left))
        };
        self.length = (self.length + new).saturating_sub(left);
        self.state = match self.state {
            State::Running { .. } => running(new, now),
            State::Paused { .. } => State::Paused { left: new },
        };
    }

    /// When the next shown second begins (for a wake-up), while running.
    pub fn next_second(&self, now: Instant) -> Option<Duration> {
        if !self.is_running() {
            return None;
        }
        let left = self.left(now);
        let shown = super::countdown::shown_secs(left);
        Some(left.saturating_sub(Duration::from_secs(shown.saturating_sub(1))))
    }

    /// What `status` reads while it runs or is paused.
    pub fn saved(&self, now: Moment) -> SavedTimer {
        SavedTimer {
            name: self.name.clone(),
            length_secs: self.length.as_secs(),
            ends: match self.state {
                State::Running { ends_wall, .. } => Some(ends_wall),
                State::Paused { .. } => None,
            },
            left_secs: super::countdown::shown_secs(self.left(now.instant)),
            pid: None,
        }
    }

    /// The journal's record of it, ended `now`: run out (`complete`) or stopped.
    pub fn record(&self, now: Moment) -> TimerRecord {
        TimerRecord {
            name: self.name.clone(),
            started: self.started,
            ended: now.wall,
            secs: self.length.saturating_sub(self.left(now.instant)).as_secs(),
            complete: self.is_done(now.instant),
        }
    }
}

fn running(left: Duration, now: Moment) -> State {
    State::Running {
        ends: now.instant + left,
        ends_wall: now
            .wall
            .checked_add_signed(TimeDelta::from_std(left).unwrap_or(TimeDelta::MAX))
            .unwrap_or(now.wall),
    }
}

/// A timer as `timer.json` holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTimer {
    pub name: String,
    pub length_secs: u64,
    /// When a running timer ends; None while paused.
    pub ends: Option<DateTime<FixedOffset>>,
    /// Seconds left when it was saved (all that counts while paused).
    pub left_secs: u64,
    /// The process that runs it (a timer whose process is gone counts for nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
}

impl SavedTimer {
    /// Seconds left at `now` (a wall-clock time), as the countdown shows them.
    pub fn left_at(&self, now: DateTime<FixedOffset>) -> u64 {
        match self.ends {
            Some(ends) => {
                let left = (ends - now).to_std().unwrap_or(Duration::ZERO);
                super::countdown::shown_secs(left)
            }
            None => self.left_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Moment {
        Moment {
            instant: Instant::now(),
            wall: "2026-12-03T21:00:00+00:00".parse().unwrap(),
        }
    }

    #[test]
    fn it_counts_pauses_and_is_nudged() {
        let t = t0();
        let mut timer = Timer::start("Sheet mask", Duration::from_secs(600), t);
        let later = t.after(Duration::from_secs(100));
        assert_eq!(timer.left(later.instant), Duration::from_secs(500));
        assert_eq!(
            timer.saved(later).ends,
            Some("2026-12-03T21:10:00+00:00".parse().unwrap())
        );
        timer.toggle(later);
        assert!(!timer.is_running());
        // Paused: time passes, nothing moves.
        let much_later = t.after(Duration::from_secs(400));
        assert_eq!(timer.left(much_later.instant), Duration::from_secs(500));
        assert_eq!(timer.saved(much_later).ends, None);
        assert_eq!(timer.saved(much_later).left_at(much_later.wall), 500);
        timer.toggle(much_later);
        timer.nudge(true, much_later);
        assert_eq!(timer.left(much_later.instant), Duration::from_secs(530));
        assert_eq!(timer.length, Duration::from_secs(630));
        // Taking never ends it: a second is left.
        for _ in 0..30 {
            timer.nudge(false, much_later);
        }
        assert_eq!(timer.left(much_later.instant), Duration::from_secs(1));
        let end = much_later.after(Duration::from_secs(1));
        assert!(timer.is_done(end.instant));
        let record = timer.record(end);
        assert!(record.complete);
        assert_eq!(record.name, "Sheet mask");
    }

    #[test]
    fn the_next_wake_is_the_next_shown_second_and_none_while_paused() {
        let t = t0();
        let mut timer = Timer::start("x", Duration::from_secs(10), t);
        let at = t.after(Duration::from_millis(300));
        // 9.7 s left shows 10; it shows 9 from 9.0 s left: 0.7 s on.
        assert_eq!(
            timer.next_second(at.instant),
            Some(Duration::from_millis(700))
        );
        timer.toggle(at);
        assert_eq!(timer.next_second(at.instant), None);
        // Stopped early: not complete, the time it counted.
        let record = timer.record(at);
        assert!(!record.complete);
        assert_eq!(record.secs, 0);
    }
}
