//! What a run does by itself as time passes: parts and steps ending on their deadlines,
//! the directions within a zone, a catch-up after a suspend, and when to wake next.

use super::*;

impl Run {
    /// Time passes: parts and steps whose deadline has passed end, in order of their
    /// deadlines, those alongside included (at the same instant, the step in hand's
    /// part first).
    pub fn tick(&mut self, now: Moment) -> Vec<Event> {
        let mut events = Vec::new();
        loop {
            let main = match self.countdown {
                Countdown::Running { ends_at } if ends_at <= now.instant => Some(ends_at),
                _ => None,
            };
            let aside = self.next_aside_end().filter(|&(_, at)| at <= now.instant);
            match (main, aside) {
                (Some(m), Some((i, a))) if a < m => self.aside_ended(i, a, now, &mut events),
                (Some(m), _) => self.part_ended(m, now, &mut events),
                (None, Some((i, a))) => self.aside_ended(i, a, now, &mut events),
                (None, None) => break,
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

    /// The part in hand reached its deadline `ends_at`: the next zone, or the step ends.
    fn part_ended(&mut self, ends_at: Instant, now: Moment, events: &mut Vec<Event>) {
        let parts = self.steps[self.current].parts.len();
        // Directions a late wake-up slept through are announced before what follows.
        let whole = self.steps[self.current].parts[self.part].length;
        self.announce_passes(whole, events);
        if self.part + 1 < parts {
            self.bank(ends_at);
            self.part += 1;
            let length = self.steps[self.current].parts[self.part].length;
            self.countdown = Countdown::Running {
                ends_at: countdown::deadline(ends_at, length),
            };
            self.since = Some(ends_at);
            self.zone_started(events);
        } else {
            let at = Moment {
                instant: ends_at,
                wall: now.wall_at(ends_at),
            };
            events.extend(self.end_step(at, StepOutcome::Done));
        }
    }

    /// Step `i`, running alongside, reached its deadline `ends_at`.
    fn aside_ended(&mut self, i: usize, ends_at: Instant, now: Moment, events: &mut Vec<Event>) {
        let at = Moment {
            instant: ends_at,
            wall: now.wall_at(ends_at),
        };
        self.close_aside(i, at, StepOutcome::Done, events);
    }

    /// The machine slept for `gap` while the countdowns ran: the skin did not pause, so
    /// each deadline moves back by the time the monotonic clock missed, and `tick` then
    /// ends what ended while asleep, each at its own deadline.
    pub fn catch_up(&mut self, gap: Duration, now: Instant) {
        // An Instant before the clock's origin cannot be made: the step ends now.
        let back = |ends_at: Instant| ends_at.checked_sub(gap).unwrap_or(now.min(ends_at));
        if let Countdown::Running { ends_at } = self.countdown {
            self.countdown = Countdown::Running {
                ends_at: back(ends_at),
            };
            self.since = self.since.map(|s| s.checked_sub(gap).unwrap_or(s));
        }
        for step in &mut self.steps {
            if let Some(Countdown::Running { ends_at }) = step.aside {
                step.aside = Some(Countdown::Running {
                    ends_at: back(ends_at),
                });
            }
        }
    }

    /// The next moment something changes by itself: a displayed second, a direction, a
    /// zone, a step. The seconds are those of one countdown, the step in hand's or else
    /// the first running alongside; the others are redrawn on its seconds (each still
    /// counting down one a second) and wake the run only when they end, so countdowns
    /// started at different moments never make two wake-ups a second.
    pub fn next_change(&self, now: Instant) -> Option<Instant> {
        let running = |c: &Countdown| c.is_running();
        let asides: Vec<Countdown> = self.steps.iter().filter_map(|s| s.aside).collect();
        let second = match self.countdown.next_second(now) {
            Some(second) => Some(self.next_pass(now).map_or(second, |at| at.min(second))),
            None => asides
                .iter()
                .find(|c| running(c))
                .and_then(|c| c.next_second(now)),
        };
        let ends = asides.iter().filter_map(|c| match *c {
            Countdown::Running { ends_at } => Some(ends_at.max(now)),
            _ => None,
        });
        second.into_iter().chain(ends).min()
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
    /// the end of the current part, the warning before the step ends, the end of a step
    /// alongside.
    pub fn next_event(&self, now: Instant) -> Option<Instant> {
        let aside = self.next_aside_end().map(|(_, at)| at);
        let Countdown::Running { ends_at } = self.countdown else {
            return aside;
        };
        let left = self.step_left(now);
        let warning = (!self.warned && !self.warn_before.is_zero() && left > self.warn_before)
            .then(|| countdown::deadline(now, left - self.warn_before));
        let first = warning.map_or(ends_at, |w| w.min(ends_at));
        let first = aside.map_or(first, |a| a.min(first));
        Some(self.next_pass(now).map_or(first, |p| p.min(first)))
    }
}
