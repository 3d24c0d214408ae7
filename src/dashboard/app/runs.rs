//! Which run the dashboard holds: resuming a saved one, a config reloaded under it, the
//! next routine, and what an unfinished run leaves in the journal.

use super::*;
use crate::routine::journal::StepRecord;

impl App {
    /// Puts a saved run of today back. One whose routine is gone from the config goes
    /// to the journal as unfinished; one with every step done is journaled now.
    pub(super) fn resume(&mut self, saved: &Saved, now: Moment) -> Vec<Effect> {
        let Some(index) = self
            .config
            .routines
            .iter()
            .position(|r| r.name == saved.routine)
        else {
            self.message = Some(format!(
                "{} is no longer in the config: its unfinished session went to the journal",
                saved.routine
            ));
            let record = Record::Session(leftover(saved, &self.config, now));
            return self.journaled(record, now);
        };
        self.selected = index;
        if saved.again {
            // Its plan is the second session's: made once the run says so.
            self.run.again = true;
            self.run.routine = saved.routine.clone();
            self.replan(now);
        }
        self.run = open_run(&self.config, &self.plan, index, self.day, saved.again);
        self.run.restore(saved);
        self.message = Some(format!("resumed {}: Space to go on", saved.routine));
        let finished = self.journal_if_finished(now);
        if !finished.is_empty() {
            return finished;
        }
        // Saved again as it now is (paused), so that `status` does not count down a
        // countdown the file still says is running.
        vec![self.save(now)]
    }

    /// A restored run with nothing left to do is journaled at once.
    pub(super) fn journal_if_finished(&mut self, now: Moment) -> Vec<Effect> {
        if self.run.is_finished() && self.run.has_started() {
            let record = Record::Session(self.run.record(now));
            return self.journaled(record, now);
        }
        Vec::new()
    }

    /// A new config at once: a new plan and step list; a session in progress keeps its
    /// steps done by name, and a running step keeps its time. A session whose routine
    /// is gone goes to the journal as unfinished.
    pub(super) fn reload(&mut self, config: Config, now: Moment) -> Vec<Effect> {
        let old = self.run.clone();
        let in_progress = self.in_progress();
        let saved = old.saved(now);
        self.config = config;
        self.keymap = Keymap::new(&self.config.keys);
        // Speech or desktop notifications turned off: that they failed no longer matters.
        if !self.config.notify.speak {
            self.set_notice(Topic::Speech, None);
        }
        if !self.config.notify.desktop {
            self.set_notice(Topic::Desktop, None);
        }
        // A config loaded from a file: the person has one of their own now.
        self.set_notice(Topic::BuiltIn, None);
        self.replan(now);
        let kept = self
            .config
            .routines
            .iter()
            .position(|r| r.name == old.routine);
        self.selected = kept.unwrap_or_else(|| due_routine(&self.plan, &self.config, now));
        let again = old.again && !old.is_closed() && kept.is_some();
        self.new_run(self.selected, again);
        self.overlay = self.overlay.take().filter(|o| match o {
            Overlay::CheckIn(c) => {
                c.marked.len() == self.config.checkin.len() && self.needs_checkin()
            }
            _ => true,
        });
        if !in_progress {
            return Vec::new();
        }
        if kept.is_none() {
            let record = Record::Session(old.record(now));
            return self.journaled(record, now);
        }
        self.run = open_run(&self.config, &self.plan, self.selected, self.day, again);
        self.run.restore(&saved);
        // Steps alongside that ran go on running, as the step in hand does below.
        if saved.alongside.iter().any(|a| a.running) {
            self.run.resume_asides(now.instant);
        }
        let effects = self.journal_if_finished(now);
        if !effects.is_empty() {
            return effects;
        }
        let same_step =
            self.run.current_step().map(|s| &s.name) == old.current_step().map(|s| &s.name);
        if old.countdown.is_running() && same_step {
            let events = self.run.start_pause(now);
            return self.after(events, now);
        }
        if !self.needs_checkin() && matches!(self.overlay, Some(Overlay::CheckIn { .. })) {
            self.overlay = None;
        }
        Vec::new()
    }

    pub(super) fn next_routine(&mut self, now: Moment) {
        if self.in_progress() {
            self.message = Some(format!(
                "{} is in progress: finish or skip its steps first",
                self.run.routine
            ));
            return;
        }
        self.selected = (self.selected + 1) % self.config.routines.len();
        self.run.again = false;
        self.replan(now);
        self.new_run(self.selected, false);
    }

    /// `a` on a routine the journal has as done today: asks once before a second session.
    pub(super) fn ask_again(&mut self) {
        if self.in_progress() {
            self.message = Some(format!(
                "{} is in progress: finish or skip its steps first",
                self.run.routine
            ));
        } else if !self.routine_plan().done {
            self.message = Some(format!(
                "{} is not done today: Space starts it",
                self.run.routine
            ));
        } else {
            self.overlay = Some(Overlay::ConfirmAgain);
        }
    }

    /// The person said yes: a second session of the routine shown, with no second roll
    /// and the steps that roll pauses passed by.
    pub(super) fn run_again(&mut self, now: Moment) {
        self.run.again = true;
        self.run.ended = None;
        self.run.current = 0;
        self.replan(now);
        self.new_run(self.selected, true);
        self.message = Some(format!(
            "{} once more: Space starts it; no second roll today",
            self.run.routine
        ));
    }
}

/// The journal record of a run saved on an earlier day and never finished.
pub(super) fn leftover(saved: &Saved, config: &Config, now: Moment) -> SessionRecord {
    let kind = |name: &str| {
        config
            .routine(&saved.routine)
            .and_then(|r| r.steps.iter().find(|s| s.name == name))
            .map_or("custom", |s| s.kind.as_str())
    };
    let started = saved.started.unwrap_or(now.wall);
    // Saturating: the numbers come from a file.
    let secs = saved.steps.iter().fold(saved.current_spent_secs, |sum, s| {
        sum.saturating_add(s.spent_secs)
    });
    let ended = i64::try_from(secs)
        .ok()
        .and_then(chrono::TimeDelta::try_seconds)
        .and_then(|taken| started.checked_add_signed(taken))
        .unwrap_or(started);
    SessionRecord {
        routine: saved.routine.clone(),
        day: saved.day,
        started,
        ended,
        complete: false,
        steps: saved
            .steps
            .iter()
            .filter_map(|s| {
                Some(StepRecord {
                    name: s.name.clone(),
                    kind: kind(&s.name).into(),
                    status: s.outcome?,
                    secs: s.spent_secs,
                    reason: s.reason.clone(),
                    started: s.began,
                    ended: s.ended,
                })
            })
            .collect(),
        rating: None,
        note: None,
    }
}

impl App {
    /// The run's steps done and skipped, counted as the journal's record of it is.
    pub fn run_tally(&self) -> (usize, usize) {
        use crate::routine::journal::StepOutcome::{Done, Skipped};
        (self.run.count(Done), self.run.count(Skipped))
    }

    /// The next rolling day still to come, as every screen of the dashboard says it: a
    /// roll declined in the run on screen (not journaled yet) moves it to tomorrow, as
    /// the journal will once the run ends.
    pub fn next_roll(&self) -> Option<NaiveDate> {
        let roller = self.plan.roller.as_ref()?;
        let declined = self.run.roll_declined() && !self.run.rolled();
        if self.run.day == self.plan.date && declined && roller.held.is_empty() {
            return self.plan.date.succ_opt();
        }
        roller.next_after(self.plan.date)
    }

    /// The after-care on screen: the plan's, or, once the run on screen has rolled and
    /// before it is journaled, that roll's, counted as the plan will count it (from the
    /// routine's due time, or the session's start when earlier).
    pub fn aftercare(&self) -> Vec<plan::AfterRoll> {
        if !self.plan.aftercare.is_empty() || !self.run.rolled() || self.run.day != self.plan.date {
            return self.plan.aftercare.clone();
        }
        let Some(started) = self.run.started else {
            return Vec::new();
        };
        let due = self
            .config
            .routine(&self.run.routine)
            .and_then(|r| r.at)
            .and_then(|at| {
                let naive = plan::clock_on(self.run.day, at.0, self.config.day_starts_at);
                chrono::TimeZone::from_local_datetime(started.offset(), &naive).single()
            })
            .map_or(started, |due| due.min(started));
        plan::aftercare_from(&self.config, due)
    }

    /// The kind of day shown: a rolling day, a rest day, or a rolling day whose roll the
    /// run on screen declined.
    pub fn day_kind(&self) -> &'static str {
        if !self.plan.rolling_day {
            "rest day"
        } else if self.run.day == self.plan.date && self.run.roll_declined() {
            "no roll tonight"
        } else {
            "rolling day"
        }
    }

    /// What comes next: the first routine not done on the day shown, by its time, else
    /// the first of the next day ("morning Thu 3 Dec 07:30").
    pub fn next_up(&self) -> Option<String> {
        let timed = |day: NaiveDate, i: usize| {
            let routine = &self.config.routines[i];
            let at = routine.at.map(|at| format!(" {}", at)).unwrap_or_default();
            format!("{} {}{at}", routine.name, short_date(day))
        };
        let by_time = |i: &usize| {
            let at = self.config.routines[*i].at;
            (at.is_none(), at)
        };
        let open = (0..self.plan.routines.len())
            .filter(|&i| !self.plan.routines[i].done && i != self.selected)
            .min_by_key(by_time);
        if let Some(i) = open {
            return Some(timed(self.day, i));
        }
        let tomorrow = self.day.succ_opt()?;
        (0..self.config.routines.len())
            .min_by_key(by_time)
            .map(|i| timed(tomorrow, i))
    }
}

/// A run of routine `index` on `day`. A routine the journal has as done that day is
/// closed as recorded (its summary; nothing starts it again) unless this is the second
/// session the person asked for (`again`, on a plan made by `plan::again`).
pub(super) fn new_run(
    config: &Config,
    journal: &Journal,
    plan: &Plan,
    index: usize,
    day: NaiveDate,
    again: bool,
) -> Run {
    let planned = &plan.routines[index];
    let mut run = open_run(config, plan, index, day, again);
    if !again
        && planned.done
        && let Some(record) = journal
            .sessions()
            .rev()
            .find(|s| s.complete && s.day == day && s.routine == planned.name)
    {
        run.close_as(record);
    }
    run
}

/// A run of routine `index` not yet started, for a saved one to be put back into.
pub(super) fn open_run(
    config: &Config,
    plan: &Plan,
    index: usize,
    day: NaiveDate,
    again: bool,
) -> Run {
    let mut run = Run::new(
        &config.routines[index],
        &plan.routines[index],
        day,
        config.notify.warn_before.0,
    );
    run.hold_before_roll = !config.checkin.is_empty();
    run.again = again;
    run
}
