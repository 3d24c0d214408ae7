//! Time passing and the world changing under an open dashboard: ticks, clock jumps
//! (a suspend), the day turning, routines coming due, the journal read again, and
//! when to wake next.

use chrono::TimeDelta;

use super::*;

impl App {
    /// Time passed: the run's deadlines, the half-minute save, the day, the plan, and
    /// the routines that became due.
    pub(super) fn tick(&mut self, now: Moment) -> Vec<Effect> {
        let events = self.run.tick(now);
        // The roll went on past a third of its time, or its time ran out: no question.
        if matches!(self.overlay, Some(Overlay::ConfirmRoll { .. }))
            && self.run.roll_cut_short(now.instant).is_none()
        {
            self.overlay = None;
        }
        let mut effects = self.after(events, now);
        // A soak running alongside is checkpointed as the step in hand is.
        let running = self.run.countdown.is_running()
            || self
                .run
                .steps
                .iter()
                .any(|s| s.aside.is_some_and(|c| c.is_running()));
        if !writes(&effects)
            && running
            && self
                .last_save
                .is_none_or(|at| now.instant >= at + SAVE_EVERY)
        {
            self.last_save = Some(now.instant);
            effects.push(Effect::Checkpoint(self.run.saved(now)));
        }
        // The day first: what became due is judged on the day it became due on.
        self.roll_over(now);
        if self.replan_at.is_some_and(|at| at <= now.wall) {
            self.refresh(now);
        }
        effects.extend(self.announce_due(now));
        effects
    }

    /// Notes `now` and says whether the wall clock moved more or less than the
    /// monotonic one since the last message. Forward, the machine slept: a running
    /// countdown catches up (the skin did not pause). Either way the plan is made again
    /// at the next tick.
    pub(super) fn clock_jumped(&mut self, now: Moment) -> bool {
        let (instant, wall) = std::mem::replace(&mut self.seen, (now.instant, now.wall));
        let mono = TimeDelta::from_std(now.instant.saturating_duration_since(instant))
            .unwrap_or(TimeDelta::MAX);
        let gap = (now.wall - wall) - mono;
        let jump = TimeDelta::from_std(JUMP).unwrap_or(TimeDelta::MAX);
        if gap.abs() <= jump {
            return false;
        }
        if let Ok(slept) = gap.to_std() {
            self.run.catch_up(slept, now.instant);
        }
        self.replan_at = Some(now.wall);
        true
    }

    /// The plan of the day shown, from the journal and config in memory, and when it
    /// next changes by itself.
    pub(super) fn replan(&mut self, now: Moment) {
        self.plan = self.plan_of(&self.journal, now);
        self.replan_at = plan::next_change(&self.config, &self.journal, self.day, &now.wall);
    }

    /// The plan of the day shown as this dashboard makes it from `journal`: a second
    /// session under way is planned as one (no second roll).
    pub fn plan_of(&self, journal: &Journal, now: Moment) -> Plan {
        let mut planned = plan::plan(&self.config, journal, self.day, &now.wall);
        if self.run.again && !self.run.is_closed() {
            let index = self
                .config
                .routines
                .iter()
                .position(|r| r.name == self.run.routine);
            if let Some(index) = index
                && let Some(again) = plan::again(&self.config, journal, self.day, &now.wall, index)
            {
                planned.routines[index] = again;
            }
        }
        planned
    }

    /// The plan again, after the journal or the time changed it: a run not started is
    /// made anew from it; one under way, or finished with its summary on screen, is kept.
    pub(super) fn refresh(&mut self, now: Moment) {
        let before = self.plan.clone();
        self.replan(now);
        if self.plan != before && !self.run.has_started() {
            self.new_run(self.selected, self.run.again);
            if !self.needs_checkin() && matches!(self.overlay, Some(Overlay::CheckIn(_))) {
                self.overlay = None;
            }
        }
    }

    /// The journal as read again from the file, which another process may have
    /// appended to (`rollcoach done`, `roller --replaced`). What this dashboard
    /// journaled and the file does not show yet stays.
    pub(super) fn reread(&mut self, mut journal: Journal, now: Moment) {
        self.own
            .retain(|mine| !journal.records.iter().rev().any(|r| same_entry(r, mine)));
        for record in &self.own {
            journal.add(record.clone());
        }
        self.journal = journal;
        self.refresh(now);
    }

    /// RoutineDue for each routine whose `at` passed since the last look and that is
    /// not done today: once a day per routine, only while the dashboard is open.
    pub(super) fn announce_due(&mut self, now: Moment) -> Vec<Effect> {
        let (from, to) = (self.due_checked, now.local());
        // A clock set back must not announce a routine twice.
        self.due_checked = to.max(from);
        let mut effects = Vec::new();
        let mut fell_due = None;
        for (index, (routine, planned)) in self
            .config
            .routines
            .iter()
            .zip(&self.plan.routines)
            .enumerate()
        {
            let Some(at) = routine.at else { continue };
            let due = plan::clock_on(self.day, at.0, self.config.day_starts_at);
            if from < due && due <= to && !planned.done {
                let occasion = Occasion {
                    routine: routine.name.clone(),
                    day: Some(self.day),
                    what: What::RoutineDue { at: at.to_string() },
                };
                effects.extend(occasions::effects(&self.config, &occasion));
                fell_due = Some(index);
            }
        }
        // The pane follows the day: out of a session, it turns to what fell due.
        if let Some(index) = fell_due
            && index != self.selected
            && !self.in_progress()
            && !self.takes_text()
        {
            self.selected = index;
            self.run.again = false;
            self.replan(now);
            self.new_run(index, false);
        }
        effects
    }

    /// At `day_starts_at` a new day begins: a new plan, and the routine due then. The
    /// day shown only moves forward: when the clock goes back (the repeated autumn
    /// hour, a clock set back) the local time can fall before `day_starts_at` again.
    pub(super) fn roll_over(&mut self, now: Moment) {
        let day = day_of(now.local(), self.config.day_starts_at);
        if day <= self.day || self.in_progress() {
            return;
        }
        self.day = day;
        self.run.again = false;
        self.replan(now);
        self.selected = due_routine(&self.plan, &self.config, now);
        self.new_run(self.selected, false);
    }

    /// When the screen next changes by itself: the next displayed second of a running
    /// countdown, a routine becoming due, the next day, the plan changing (a pause after
    /// rolling ends); otherwise a long sleep.
    pub fn next_wake(&self, now: Moment) -> Instant {
        let replan = self.replan_at.map_or(now.instant + IDLE_WAIT, |at| {
            now.instant + (at - now.wall).to_std().unwrap_or(Duration::ZERO)
        });
        let wake = self.screen_wake(now).min(replan);
        // The message over the keys goes when its time is up.
        self.message_ends().map_or(wake, |ends| wake.min(ends))
    }

    pub(super) fn screen_wake(&self, now: Moment) -> Instant {
        // The history covers the countdown: wake for what happens (a zone, a step's end,
        // the warning, the half-minute save), not for seconds nobody sees.
        let run = if matches!(self.overlay, Some(Overlay::History | Overlay::Photos(_))) {
            let save = self.last_save.map(|at| at + SAVE_EVERY);
            self.run
                .next_event(now.instant)
                .map(|at| save.map_or(at, |s| at.min(s)))
        } else {
            self.run.next_change(now.instant)
        };
        if let Some(at) = run {
            return at;
        }
        let local = now.local();
        let mut times: Vec<chrono::NaiveDateTime> = self
            .config
            .routines
            .iter()
            .filter_map(|r| r.at)
            .map(|at| plan::clock_on(self.day, at.0, self.config.day_starts_at))
            .filter(|t| *t > local)
            .collect();
        times.push(plan::clock_on(
            self.day + chrono::Duration::days(1),
            self.config.day_starts_at.0,
            self.config.day_starts_at,
        ));
        let soonest = times
            .into_iter()
            .min()
            .expect("the next day is always there");
        let wait = (soonest - local).to_std().unwrap_or(Duration::ZERO);
        now.instant + wait.min(IDLE_WAIT)
    }
}

/// The same journal entry: a session is known by its routine and times, since the
/// rating and note that follow it are merged into it when read.
fn same_entry(a: &Record, b: &Record) -> bool {
    match (a, b) {
        (Record::Session(a), Record::Session(b)) => {
            a.routine == b.routine
                && a.day == b.day
                && a.started == b.started
                && a.ended == b.ended
                && a.complete == b.complete
        }
        _ => a == b,
    }
}
