//! What a run does by itself as time passes: parts and steps ending on their deadlines,
//! the directions within a zone, a catch-up after a suspend, and when to wake next.

use super::*;

impl Run {
    /// Time passes: parts and steps whose deadline has passed end, in order.
    pub fn tick(&mut self, now: Moment) -> Vec<Event> {
        let mut events = Vec::new();
        while let Countdown::Running { ends_at } = self.countdown {
            if now.instant < ends_at {
                break;
            }
            let parts = self.steps[self.current].parts.len();
            // Directions a late wake-up slept through are announced before what follows.
            let whole = self.steps[self.current].parts[self.part].length;
            self.announce_passes(whole, &mut events);
            if self.part + 1 < parts {
                self.bank(ends_at);
                self.part += 1;
                let length = self.steps[self.current].parts[self.part].length;
                self.countdown = Countdown::Running {
                    ends_at: countdown::deadline(ends_at, length),
                };
                self.since = Some(ends_at);
                self.zone_started(&mut events);
            } else {
                let at = Moment {
                    instant: ends_at,
                    wall: now.wall_at(ends_at),
                };
                events.extend(self.end_step(at, StepOutcome::Done));
            }
        }
        if self.countdown.is_running() {
            self.announce_passes(self.part_elapsed(now.instant), &mut events);
        }
        if self.countdown.is_running() && !self.warned && !self.warn_before.is_zero() {
            let length = self.steps[self.current].length();
            if length > self.warn_before && self.step_left(now.instant) <= self.warn_before {
                self.warned = true;
                events.push(Event::StepWarning {
                    step: self.current,
                    left: self.step_left(now.instant),
                });
            }
        }
        events
    }

    /// The machine slept for `gap` while the countdown ran: the skin did not pause, so
    /// the deadline moves back by the time the monotonic clock missed, and `tick` then
    /// ends what ended while asleep, each at its own deadline.
    pub fn catch_up(&mut self, gap: Duration, now: Instant) {
        if let Countdown::Running { ends_at } = self.countdown {
            // An Instant before the clock's origin cannot be made: the step ends now.
            let ends_at = ends_at.checked_sub(gap).unwrap_or(now.min(ends_at));
            self.countdown = Countdown::Running { ends_at };
            self.since = self.since.map(|s| s.checked_sub(gap).unwrap_or(s));
        }
    }

    /// The next moment something changes by itself: a displayed second, a direction, a
    /// zone, a step.
    pub fn next_change(&self, now: Instant) -> Option<Instant> {
        let second = self.countdown.next_second(now)?;
        Some(self.next_pass(now).map_or(second, |at| at.min(second)))
    }

    /// When the next direction of the running zone starts.
    pub(super) fn next_pass(&self, now: Instant) -> Option<Instant> {
        if !self.countdown.is_running() {
            return None;
        }
        let part = self.current_part()?;
        passes::until_next(&part.slots(), self.part_elapsed(now))
            .map(|wait| countdown::deadline(now, wait))
    }

    /// The current part, unless finished.
    pub fn current_part(&self) -> Option<&Part> {
        self.current_step().and_then(|s| s.parts.get(self.part))
    }

    /// Time rolled of the current part: its length less what is left, so it follows the
    /// deadline and never drifts.
    pub fn part_elapsed(&self, now: Instant) -> Duration {
        self.current_part().map_or(Duration::ZERO, |p| {
            p.length.saturating_sub(self.countdown.left(now))
        })
    }

    /// The direction rolled now in the current zone, with its slot.
    pub fn current_pass(&self, now: Instant) -> Option<Pass> {
        let part = self.current_part()?;
        passes::at(&part.slots(), self.part_elapsed(now))
    }

    /// A PassStart for each direction of the current part started by `elapsed` and not
    /// yet announced.
    pub(super) fn announce_passes(&mut self, elapsed: Duration, events: &mut Vec<Event>) {
        let Some(part) = self.current_part() else {
            return;
        };
        for pass in passes::started_since(&part.slots(), self.announced, elapsed) {
            self.announced = pass.index;
            events.push(Event::PassStart {
                step: self.current,
                zone: self.part,
                pass: pass.index,
            });
        }
    }

    /// The current part, a zone, started: its ZoneStart, then its first direction's
    /// PassStart, so a PassStart hook sees every direction.
    pub(super) fn zone_started(&mut self, events: &mut Vec<Event>) {
        self.announced = 0;
        let Some(part) = self.current_part() else {
            return;
        };
        let first = !part.directions.is_empty();
        events.push(Event::ZoneStart {
            step: self.current,
            zone: self.part,
        });
        if first {
            events.push(Event::PassStart {
                step: self.current,
                zone: self.part,
                pass: 0,
            });
        }
    }

    /// The next moment something happens by itself when the seconds are not on screen:
    /// the end of the current part, or the warning before the step ends.
    pub fn next_event(&self, now: Instant) -> Option<Instant> {
        let Countdown::Running { ends_at } = self.countdown else {
            return None;
        };
        let left = self.step_left(now);
        let warning = (!self.warned && !self.warn_before.is_zero() && left > self.warn_before)
            .then(|| countdown::deadline(now, left - self.warn_before));
        let first = warning.map_or(ends_at, |w| w.min(ends_at));
        Some(self.next_pass(now).map_or(first, |p| p.min(first)))
    }
}
