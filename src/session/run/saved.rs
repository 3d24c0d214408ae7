//! A run saved to disk and put back: what `session.json` holds, what no run could have
//! written (set aside, never deleted), and restoring without trusting a number in it.

use serde::{Deserialize, Serialize};

use super::*;

/// The file a run in progress is saved to, in the data dir.
pub const SAVED_FILE: &str = "session.json";

/// What a restored run ever takes from a file, whatever it says: sums of a few of these
/// stay far from overflowing a `Duration`, an `Instant` or a chrono date.
const MOST_RESTORED: Duration = Duration::from_secs(366 * 24 * 3600);

/// A saved run is kept for this long before it goes to the journal as unfinished; one
/// of a day further back was not written by a dashboard of this machine's clock.
const OLDEST_SAVED_DAYS: i64 = 366;

/// How far ahead of the wall clock a saved time may be (a clock set back by hand).
const CLOCK_SLACK: chrono::TimeDelta = chrono::TimeDelta::hours(26);

/// A saved run that no run could have written; it is set aside rather than put back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unrestorable(pub String);

impl Saved {
    /// Turns away a saved run holding what no run of `routine` (the config's routine of
    /// that name, if any) writes: an empty name, a day after `today` or more than a year
    /// before it, a start or a save more than a day ahead of `now` (a clock set back or
    /// a change of zone is not impossible), a step spent longer than a
    /// day, more time left than the part holds, a zone the step does not have.
    pub fn check(
        &self,
        routine: Option<&Routine>,
        today: NaiveDate,
        now: DateTime<FixedOffset>,
    ) -> Result<(), Unrestorable> {
        let no = |why: String| Err(Unrestorable(why));
        if self.routine.trim().is_empty() {
            return no("it names no routine".into());
        }
        // A clock set back or a flight west can put a real session a day ahead; such a
        // session is journaled as one of another day, not set aside.
        if self.day > today.succ_opt().unwrap_or(today) {
            return no(format!("its day, {}, is after today", self.day));
        }
        if (today - self.day).num_days() > OLDEST_SAVED_DAYS {
            return no(format!("its day, {}, is more than a year ago", self.day));
        }
        let future = now + CLOCK_SLACK;
        if let Some(started) = self.started {
            if started > future {
                return no(format!("it started in the future ({started})"));
            }
            // A day starts at `day_starts_at` on its date, so a session of it starts on
            // that date or early on the next.
            let off = (started.date_naive() - self.day).num_days();
            if !(-1..=2).contains(&off) {
                return no(format!(
                    "it started on {}, not on its day {}",
                    started.date_naive(),
                    self.day
                ));
            }
        }
        if let Some(at) = self.saved_at.filter(|at| *at > future) {
            return no(format!("it was saved in the future ({at})"));
        }
        let longest = LONGEST_STEP.as_secs();
        if let Some(s) = self.steps.iter().find(|s| s.spent_secs > longest) {
            return no(format!(
                "{:?} took {} s, longer than a day",
                s.name, s.spent_secs
            ));
        }
        if self.current_spent_secs > longest {
            return no(format!(
                "the current step took {} s, longer than a day",
                self.current_spent_secs
            ));
        }
        // A configured part longer than a day is the person's choice; allow a day more.
        let longest_part = routine
            .into_iter()
            .flat_map(|r| &r.steps)
            .map(|step| match step.zones.iter().map(|z| z.duration.0).max() {
                Some(zone) => zone,
                None => step.length(),
            })
            .max()
            .unwrap_or_default();
        let limit = longest_part.saturating_add(LONGEST_STEP).as_millis();
        if u128::from(self.part_length_ms) > limit {
            return no(format!(
                "its part lasts {} ms, longer than a day",
                self.part_length_ms
            ));
        }
        for a in &self.alongside {
            if u128::from(a.length_ms) > limit || a.left_ms > a.length_ms {
                return no(format!(
                    "{:?}, alongside, has {} ms left of {} ms",
                    a.name, a.left_ms, a.length_ms
                ));
            }
        }
        if self.left_ms > self.part_length_ms {
            return no(format!(
                "{} ms left of a part of {} ms",
                self.left_ms, self.part_length_ms
            ));
        }
        // A zone past the step's is not refused: the config may have lost a zone since
        // the save, and `Run::restore` takes the step's last one instead.
        Ok(())
    }
}

/// A run in progress as written to disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// When it was written.
    #[serde(default)]
    pub saved_at: Option<DateTime<FixedOffset>>,
    /// The countdown was running then (so `left_ms` has shrunk since).
    #[serde(default)]
    pub running: bool,
    /// The current step had not started (a Roll step then still asks the check-in).
    #[serde(default)]
    pub idle: bool,
    /// The routine's name.
    pub routine: String,
    /// The day it belongs to.
    pub day: NaiveDate,
    /// When it started.
    pub started: Option<DateTime<FixedOffset>>,
    /// The current step's name.
    pub current: Option<String>,
    /// The current part (zone).
    pub part: usize,
    /// Milliseconds left of the current part.
    pub left_ms: u64,
    /// The current part's length, adjustments included.
    pub part_length_ms: u64,
    /// Seconds spent on the current step.
    pub current_spent_secs: u64,
    /// When the current step started (absent: not started, or an earlier version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_began: Option<DateTime<FixedOffset>>,
    /// The pre-roll check-in was answered (absent in sessions saved by earlier versions).
    #[serde(default)]
    pub checked_in: bool,
    /// A second session of a routine done that day (absent: the first).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub again: bool,
    /// Steps done or skipped.
    pub steps: Vec<SavedStep>,
    /// Steps running alongside, each with its own countdown (absent in sessions saved
    /// by earlier versions: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alongside: Vec<SavedAside>,
}

/// A step running alongside, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAside {
    /// Its name.
    pub name: String,
    /// Milliseconds left.
    pub left_ms: u64,
    /// Its length, adjustments included.
    pub length_ms: u64,
    /// Its countdown was running then (so `left_ms` has shrunk since).
    #[serde(default)]
    pub running: bool,
    /// When it started.
    #[serde(default)]
    pub began: Option<DateTime<FixedOffset>>,
}

/// A step done or skipped, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedStep {
    /// Its name.
    pub name: String,
    /// Done or skipped.
    pub outcome: Option<StepOutcome>,
    /// Seconds spent on it.
    pub spent_secs: u64,
    /// Why it was skipped, when the app skipped it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it started, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub began: Option<DateTime<FixedOffset>>,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<DateTime<FixedOffset>>,
}

impl Run {
    /// What is saved while the run is in progress.
    pub fn saved(&self, at: Moment) -> Saved {
        let now = at.instant;
        Saved {
            saved_at: Some(at.wall),
            running: self.countdown.is_running(),
            idle: matches!(self.countdown, Countdown::Idle { .. }),
            routine: self.routine.clone(),
            day: self.day,
            started: self.started,
            current: self.current_step().map(|s| s.name.clone()),
            part: self.part,
            left_ms: self.part_left(now).as_millis() as u64,
            // Also called from the panic hook: no indexing, no arithmetic that can panic.
            part_length_ms: self
                .current_step()
                .and_then(|s| s.parts.get(self.part))
                .map_or(0, |p| p.length.as_millis() as u64),
            steps: self
                .steps
                .iter()
                .filter(|s| s.outcome.is_some())
                .map(|s| SavedStep {
                    name: s.name.clone(),
                    outcome: s.outcome,
                    spent_secs: s.spent.as_secs(),
                    reason: s.reason.clone(),
                    began: s.began,
                    ended: s.ended,
                })
                .collect(),
            alongside: self
                .steps
                .iter()
                .filter_map(|s| {
                    let countdown = s.aside?;
                    Some(SavedAside {
                        name: s.name.clone(),
                        left_ms: countdown.left(now).as_millis() as u64,
                        length_ms: s.parts.first().map_or(0, |p| p.length.as_millis() as u64),
                        running: countdown.is_running(),
                        began: s.began,
                    })
                })
                .collect(),
            checked_in: self.checked_in,
            again: self.again,
            current_began: self.current_step().and_then(|s| s.began),
            current_spent_secs: self.current_step().map_or(0, |s| {
                let running = self
                    .since
                    .map_or(Duration::ZERO, |since| now.saturating_duration_since(since));
                s.spent.saturating_add(running).as_secs()
            }),
        }
    }

    /// Puts a saved run back, paused at its step with the time that was left. Steps are
    /// matched by name, so a config edited in between loses nothing that still exists;
    /// the first step neither done nor skipped is the current one, so a step added
    /// before the one in progress is not passed by.
    pub fn restore(&mut self, saved: &Saved) {
        // Whatever the file says, no number taken from it can make a later sum overflow
        // or an index go out of bounds (`Saved::check` turns such files away first).
        let secs = |s: u64| Duration::from_secs(s).min(MOST_RESTORED);
        let millis = |ms: u64| Duration::from_millis(ms).min(MOST_RESTORED);
        self.started = saved.started;
        self.checked_in = saved.checked_in;
        self.again = saved.again;
        for s in &saved.steps {
            if let Some(step) = self.steps.iter_mut().find(|x| x.name == s.name) {
                step.outcome = s.outcome;
                step.spent = secs(s.spent_secs);
                step.reason = s.reason.clone();
                step.began = s.began;
                step.ended = s.ended;
                // Only the app gives a skip a reason.
                step.auto = s.outcome == Some(StepOutcome::Skipped) && s.reason.is_some();
            }
        }
        // Steps alongside go on from where they were, paused as the step in hand is.
        for a in &saved.alongside {
            let Some(step) = self
                .steps
                .iter_mut()
                .find(|x| x.name == a.name && x.outcome.is_none())
            else {
                continue;
            };
            if let Some(part) = step.parts.first_mut() {
                part.length = millis(a.length_ms);
                let left = millis(a.left_ms).min(part.length);
                step.aside = Some(Countdown::Paused { left });
            }
            step.began = a.began;
        }
        // Steps off after a roll done before the save are passed by again.
        self.current = 0;
        if self.has_started() {
            self.settle();
        } else {
            self.point_at_first_open();
        }
        let current = self.current;
        if self.is_finished() {
            self.current = self.steps.len();
            self.countdown = Countdown::Idle {
                left: Duration::ZERO,
            };
            self.ended = saved.saved_at.or(saved.started);
            return;
        };
        self.enter_step(self.first_length(current));
        let Some(step) = self.steps.get_mut(current) else {
            return;
        };
        if saved.current.as_deref() != Some(step.name.as_str()) || saved.idle {
            return;
        }
        step.spent = secs(saved.current_spent_secs);
        step.began = saved.current_began;
        self.part = saved.part.min(step.parts.len().saturating_sub(1));
        let Some(part) = step.parts.get_mut(self.part) else {
            return;
        };
        if saved.part_length_ms > 0 {
            part.length = millis(saved.part_length_ms);
        }
        let left = millis(saved.left_ms).min(part.length);
        // The directions up to the one it stopped in were announced before the save.
        self.announced =
            passes::at(&part.slots(), part.length.saturating_sub(left)).map_or(0, |p| p.index);
        self.countdown = Countdown::Paused { left };
    }
}
