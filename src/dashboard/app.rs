//! The dashboard's state and its pure update: `update(msg, now) -> effects`.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};

use crate::alerts::Occasion;
use crate::alerts::hooks::HookRun;
use crate::routine::config::{Config, EventKind};
use crate::routine::journal::{Journal, Record, Session, StepRecord};
use crate::routine::plan::{self, Plan, RoutinePlan, day_of};
use crate::session::Moment;
use crate::session::event::Event;
use crate::session::run::{Run, Saved};

mod prompts;

use super::keymap::Keymap;
use super::occasions;
use super::ui::theme::Styles;

/// How often a running session is saved, at most this much is lost to a crash.
pub const SAVE_EVERY: Duration = Duration::from_secs(30);

/// Longest sleep when nothing on screen is due to change. The monotonic clock stops
/// while the machine is suspended; the shell's timer that counts a suspend wakes the
/// loop at a resume, and where there is none an hourly look at the wall clock is the
/// most a resume can be missed by.
const IDLE_WAIT: Duration = Duration::from_secs(3600);

/// How far the wall clock may run ahead of (or behind) the monotonic one between two
/// messages before it counts as a jump: more than NTP's slewing, less than a nap.
const JUMP: Duration = Duration::from_secs(2);

/// What the person can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    StartPause,
    Finish,
    Skip,
    Back,
    Restart,
    AddTime,
    TakeTime,
    NextRoutine,
    Help,
    History,
    ReplaceRoller,
    Notices,
    Close,
    Quit,
}

/// A lasting condition the dashboard keeps in sight until it is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Topic {
    /// Another dashboard owns the session.
    ReadOnly,
    /// Writes to the data dir fail.
    Disk,
    /// Hooks are refused.
    Hooks,
    /// Desktop notifications fail.
    Desktop,
    /// The config file is not watched.
    Watch,
    /// The journal is not watched.
    WatchJournal,
    /// Cues cannot be spoken.
    Speech,
}

/// A key typed into a question or a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKey {
    Char(char),
    Backspace,
    Enter,
    Esc,
}

/// What reaches `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key bound to an action.
    Key(Action),
    /// A key typed while a question or the note is open.
    Input(InputKey),
    /// Time passed (the wake-up the app asked for).
    Tick,
    /// The terminal changed size.
    Resize,
    /// A worker reports something worth a status line.
    Status(String),
    /// The config file changed: the new config (with a note), or its first error.
    Config(Result<(Box<Config>, Option<String>), String>),
    /// A lasting condition began (with what to do), or ended (None).
    Notice(Topic, Option<String>),
    /// The journal file changed: read again (off the UI thread), or why it could not be.
    Journal(Result<Box<Journal>, String>),
    /// A signal asks the dashboard to end: the same way out as `q`.
    Quit,
}

/// What the shell does for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ring the terminal bell.
    Bell,
    /// Append a record to the journal.
    Append(Record),
    /// Save the run in progress (fsynced: a step change, a pause, quitting).
    Save(Saved),
    /// Save the running countdown's time (every 30 s; not fsynced).
    Checkpoint(Saved),
    /// Remove the saved run (it was journaled).
    ClearSaved,
    /// Show a desktop notification.
    Notify { summary: String, body: String },
    /// Run a user hook.
    Hook(HookRun),
    /// Speak a cue, with the config's program (None: the one found on PATH).
    Speak {
        cue: String,
        with: Option<Vec<String>>,
    },
}

/// An overlay over the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// Every key.
    Help,
    /// The calendar, streaks and recent sessions.
    History,
    /// Every lasting notice, one line each.
    Notices,
    /// The pre-roll check-in: every question on one screen.
    CheckIn(CheckIn),
    /// "Replace the roller?"
    ConfirmReplace,
    /// The rating and note at the end of a session.
    Note(NoteDraft),
}

/// The check-in being answered before a session with a roll starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    /// The questions marked as applying (one a question).
    pub marked: Vec<bool>,
    /// The key that began the session, carried out once the check-in is answered.
    pub then: Action,
    /// The step that key was aimed at: after a "yes" moves the run past it, the key
    /// only starts the session (Enter must not finish a step never shown).
    pub aimed: usize,
}

/// The rating and note being written at the end of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteDraft {
    /// The rating chosen, once past the first question.
    pub rating: Option<u8>,
    /// The rating question was answered (or passed with Enter).
    pub rated: bool,
    /// The note so far.
    pub text: String,
}

/// The dashboard.
#[derive(Debug, Clone)]
pub struct App {
    /// The loaded config.
    pub config: Config,
    /// The journal as read at start, plus what this dashboard appended.
    pub journal: Journal,
    /// The plan of `day`.
    pub plan: Plan,
    /// The day shown.
    pub day: NaiveDate,
    /// Index of the routine shown.
    pub selected: usize,
    /// The run of the routine shown.
    pub run: Run,
    /// An overlay, if open.
    pub overlay: Option<Overlay>,
    /// One line for the status bar.
    pub status: Option<String>,
    /// The config file's first error, shown until the file is fixed.
    pub config_error: Option<String>,
    /// Lasting conditions from the shell, by topic, until resolved.
    pub standing: Vec<(Topic, String)>,
    /// Another instance owns the session: look, don't touch.
    pub read_only: bool,
    /// The keys, from the config over the defaults.
    pub keymap: Keymap,
    /// NO_COLOR is set: marks and bold only.
    pub no_color: bool,
    /// The person asked to quit.
    pub quit: bool,
    /// When the run was last saved.
    last_save: Option<Instant>,
    /// Routines whose `at` passes after this local time are announced as due.
    due_checked: chrono::NaiveDateTime,
    /// When the plan can next change by itself (a pause after rolling ends).
    replan_at: Option<DateTime<FixedOffset>>,
    /// The last moment seen, to notice the wall clock jumping against the monotonic one.
    seen: (Instant, DateTime<FixedOffset>),
    /// Records journaled here that a re-read of the file did not hold yet (the disk
    /// worker is behind, or the disk refuses them): kept over every re-read.
    own: Vec<Record>,
}

impl App {
    /// Opens on the routine due now, resuming a saved run of today; a saved run of an
    /// earlier day is journaled as unfinished and cleared.
    pub fn new(
        config: Config,
        journal: Journal,
        saved: Option<Saved>,
        read_only: bool,
        now: Moment,
    ) -> (App, Vec<Effect>) {
        let day = day_of(now.local(), config.day_starts_at);
        let plan = plan::plan(&config, &journal, day, &now.wall);
        let selected = due_routine(&plan, &config, now);
        let run = new_run(&config, &plan, selected, day);
        let keymap = Keymap::new(&config.keys);
        let mut app = App {
            config,
            journal,
            plan,
            day,
            selected,
            run,
            overlay: None,
            status: None,
            config_error: None,
            standing: Vec::new(),
            keymap,
            no_color: false,
            read_only,
            quit: false,
            last_save: None,
            due_checked: now.local(),
            replan_at: None,
            seen: (now.instant, now.wall),
            own: Vec::new(),
        };
        app.replan(now);
        let mut effects = Vec::new();
        match saved {
            Some(saved) if saved.day == day => effects.extend(app.resume(&saved, now)),
            Some(saved) => {
                let record = Record::Session(leftover(&saved, &app.config, now));
                effects.extend(app.journaled(record, now));
                app.status = Some(format!(
                    "the unfinished {} session of {} was saved to the journal",
                    saved.routine,
                    plan::short_date(saved.day)
                ));
            }
            None => {}
        }
        (app, effects)
    }

    /// Puts a saved run of today back. One whose routine is gone from the config goes
    /// to the journal as unfinished; one with every step done is journaled now.
    fn resume(&mut self, saved: &Saved, now: Moment) -> Vec<Effect> {
        let Some(index) = self
            .config
            .routines
            .iter()
            .position(|r| r.name == saved.routine)
        else {
            self.status = Some(format!(
                "{} is no longer in the config: its unfinished session went to the journal",
                saved.routine
            ));
            let record = Record::Session(leftover(saved, &self.config, now));
            return self.journaled(record, now);
        };
        self.selected = index;
        self.run = new_run(&self.config, &self.plan, index, self.day);
        self.run.restore(saved);
        self.status = Some(format!("resumed {}: Space to go on", saved.routine));
        let finished = self.journal_if_finished(now);
        if !finished.is_empty() {
            return finished;
        }
        // Saved again as it now is (paused), so that `status` does not count down a
        // countdown the file still says is running.
        vec![self.save(now)]
    }

    /// A restored run with nothing left to do is journaled at once.
    fn journal_if_finished(&mut self, now: Moment) -> Vec<Effect> {
        if self.run.is_finished() && self.run.has_started() {
            let record = Record::Session(self.run.record(now));
            return self.journaled(record, now);
        }
        Vec::new()
    }

    /// The colours of the theme in the config (none under NO_COLOR).
    pub fn styles(&self) -> Styles {
        Styles::new(&self.config.theme, self.no_color)
    }

    /// The plan of the routine shown.
    pub fn routine_plan(&self) -> &RoutinePlan {
        &self.plan.routines[self.selected]
    }

    /// Handles one message at `now`.
    pub fn update(&mut self, msg: Msg, now: Moment) -> Vec<Effect> {
        let mut effects = Vec::new();
        // After a resume the first message may be a key: what happened while asleep
        // comes first.
        if self.clock_jumped(now) && msg != Msg::Tick {
            effects = self.tick(now);
        }
        match msg {
            Msg::Key(action) => {
                self.status = None;
                effects.extend(self.act(action, now));
            }
            Msg::Input(key) => effects.extend(self.input(key, now)),
            Msg::Tick => effects = self.tick(now),
            Msg::Quit => effects.extend(self.act(Action::Quit, now)),
            Msg::Journal(Ok(journal)) => self.reread(*journal, now),
            Msg::Journal(Err(error)) => {
                self.status = Some(format!("the journal could not be read again: {error}"));
            }
            Msg::Resize => {}
            Msg::Status(line) => self.status = Some(line),
            Msg::Config(Ok((config, note))) => {
                effects.extend(self.reload(*config, now));
                self.config_error = None;
                self.status = Some(note.unwrap_or_else(|| "config reloaded".into()));
            }
            Msg::Config(Err(error)) => {
                self.config_error = Some(format!("config not reloaded: {error}"));
                self.status = None;
            }
            Msg::Notice(topic, line) => {
                if let Some(line) = &line {
                    self.status = Some(line.clone());
                }
                self.set_notice(topic, line);
            }
        }
        // A second, read-only dashboard only looks: the one that owns the session
        // reminds, rings and runs the hooks, once.
        if self.read_only {
            effects.retain(|e| {
                !matches!(
                    e,
                    Effect::Notify { .. } | Effect::Hook(_) | Effect::Bell | Effect::Speak { .. }
                )
            });
        }
        effects
    }

    /// Time passed: the run's deadlines, the half-minute save, the day, the plan, and
    /// the routines that became due.
    fn tick(&mut self, now: Moment) -> Vec<Effect> {
        let events = self.run.tick(now);
        let mut effects = self.after(events, now);
        if !writes(&effects)
            && self.run.countdown.is_running()
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
    fn clock_jumped(&mut self, now: Moment) -> bool {
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
    fn replan(&mut self, now: Moment) {
        self.plan = plan::plan(&self.config, &self.journal, self.day, &now.wall);
        self.replan_at = plan::next_change(&self.config, &self.journal, self.day, &now.wall);
    }

    /// The plan again, after the journal or the time changed it: a run not started is
    /// made anew from it; one under way, or finished with its summary on screen, is kept.
    fn refresh(&mut self, now: Moment) {
        let before = self.plan.clone();
        self.replan(now);
        if self.plan != before && !self.run.has_started() {
            self.run = new_run(&self.config, &self.plan, self.selected, self.day);
            if !self.needs_checkin() && matches!(self.overlay, Some(Overlay::CheckIn(_))) {
                self.overlay = None;
            }
        }
    }

    /// The journal as read again from the file, which another process may have
    /// appended to (`rollcoach done`, `roller --replaced`). What this dashboard
    /// journaled and the file does not show yet stays.
    fn reread(&mut self, mut journal: Journal, now: Moment) {
        self.own
            .retain(|mine| !journal.records.iter().rev().any(|r| same_entry(r, mine)));
        for record in &self.own {
            journal.add(record.clone());
        }
        self.journal = journal;
        self.refresh(now);
    }

    fn act(&mut self, action: Action, now: Moment) -> Vec<Effect> {
        match action {
            Action::Help | Action::History | Action::Notices => {
                let wanted = match action {
                    Action::Help => Overlay::Help,
                    Action::History => Overlay::History,
                    _ => Overlay::Notices,
                };
                self.overlay = (self.overlay.as_ref() != Some(&wanted)).then_some(wanted);
                return Vec::new();
            }
            Action::Close => {
                self.overlay = None;
                return Vec::new();
            }
            Action::Quit => {
                self.quit = true;
                return if self.in_progress() && !self.read_only {
                    vec![self.save(now)]
                } else {
                    Vec::new()
                };
            }
            Action::NextRoutine => {
                self.next_routine(now);
                return Vec::new();
            }
            _ => {}
        }
        if self.read_only {
            self.status = Some("read-only: another rollcoach owns this session".into());
            return Vec::new();
        }
        if action == Action::ReplaceRoller {
            self.ask_replace();
            return Vec::new();
        }
        // Space, Enter or s asks first; on a Roll step of a session already under way
        // (saved by an earlier version) Enter asks too, s needs no answer.
        let begins = matches!(action, Action::StartPause | Action::Finish | Action::Skip);
        if begins && self.needs_checkin() && !(action == Action::Skip && self.run.has_started()) {
            self.ask_checkin(action);
            return Vec::new();
        }
        let was_running = self.run.countdown.is_running();
        let events = match action {
            Action::StartPause => self.run.start_pause(now),
            Action::Finish => self.run.finish(now),
            Action::Skip => self.run.skip(now),
            Action::Back => self.run.back(now),
            Action::Restart => self.run.restart(now),
            Action::AddTime => self.run.nudge(true, now),
            Action::TakeTime => self.run.nudge(false, now),
            _ => Vec::new(),
        };
        let mut effects = self.after(events, now);
        let paused = was_running && !self.run.countdown.is_running();
        let moved = matches!(action, Action::Back | Action::Restart);
        if !writes(&effects) && (paused || moved) && self.in_progress() {
            effects.push(self.save(now));
        }
        effects
    }

    /// Starts (Some) or ends (None) a lasting notice about `topic`.
    pub fn set_notice(&mut self, topic: Topic, line: Option<String>) {
        self.standing.retain(|(t, _)| *t != topic);
        if let Some(line) = line {
            let at = self.standing.partition_point(|(t, _)| *t < topic);
            self.standing.insert(at, (topic, line));
        }
    }

    /// Everything lasting the person should know, one line each with what to do: the
    /// config's error, the shell's conditions, the plan's warnings (a worn roller, a
    /// clinical needle, an unreadable journal line).
    pub fn notices(&self) -> Vec<String> {
        self.config_error
            .iter()
            .cloned()
            .chain(self.standing.iter().map(|(_, line)| line.clone()))
            .chain(self.plan.warnings.iter().cloned())
            .collect()
    }

    /// A run has started and is not finished.
    pub fn in_progress(&self) -> bool {
        self.run.has_started() && !self.run.is_finished()
    }

    /// Turns run events into effects: what reaches the person, a save at a step change,
    /// the journal record at the end.
    fn after(&mut self, events: Vec<Event>, now: Moment) -> Vec<Effect> {
        let mut effects = Vec::new();
        let mut step_changed = false;
        for event in events {
            // Zones advance by themselves; the bell tells busy hands (bell or not).
            if matches!(event, Event::ZoneStart { zone, .. } if zone > 0) {
                effects.push(Effect::Bell);
            }
            step_changed |= matches!(
                event,
                Event::StepEnd { .. } | Event::StepStart { .. } | Event::SessionStart
            );
            let mut occasion = occasions::from_event(&self.run, event, now.instant);
            if event == Event::SessionComplete {
                let record = Record::Session(self.run.record(now));
                effects.extend(self.journaled(record, now));
                step_changed = false;
                occasion.next_roll = self.plan.roller.as_ref().map(|r| r.next_after(self.day));
                self.overlay = Some(Overlay::Note(NoteDraft::default()));
            }
            effects.extend(occasions::effects(&self.config, &occasion));
            if event == Event::SessionStart
                && let Some(r) = self.plan.roller.as_ref().filter(|r| r.replace)
            {
                let worn = Occasion {
                    kind: Some(EventKind::RollerWorn),
                    uses: Some((r.uses, r.replace_after_uses)),
                    ..occasion
                };
                effects.extend(occasions::effects(&self.config, &worn));
            }
        }
        if step_changed {
            effects.push(self.save(now));
        }
        if self.needs_checkin() && self.run.has_started() && self.overlay.is_none() {
            self.ask_checkin(Action::StartPause);
        }
        dedup_bell(&mut effects);
        join_speech(&mut effects);
        effects
    }

    /// RoutineDue for each routine whose `at` passed since the last look and that is
    /// not done today: once a day per routine, only while the dashboard is open.
    fn announce_due(&mut self, now: Moment) -> Vec<Effect> {
        let (from, to) = (self.due_checked, now.local());
        // A clock set back must not announce a routine twice.
        self.due_checked = to.max(from);
        let mut effects = Vec::new();
        for (routine, planned) in self.config.routines.iter().zip(&self.plan.routines) {
            let Some(at) = routine.at else { continue };
            let due = plan::clock_on(self.day, at.0, self.config.day_starts_at);
            if from < due && due <= to && !planned.done {
                let occasion = Occasion {
                    kind: Some(EventKind::RoutineDue),
                    routine: routine.name.clone(),
                    day: Some(self.day),
                    at: Some(at.to_string()),
                    ..Occasion::default()
                };
                effects.extend(occasions::effects(&self.config, &occasion));
            }
        }
        effects
    }

    /// Appends a record: to the journal on disk (an effect) and to the one in memory, so
    /// that the plan (done, next roll, roller uses) sees it at once.
    fn journaled(&mut self, record: Record, now: Moment) -> Vec<Effect> {
        self.journal.add(record.clone());
        self.own.push(record.clone());
        self.replan(now);
        self.last_save = None;
        vec![Effect::Append(record), Effect::ClearSaved]
    }

    fn save(&mut self, now: Moment) -> Effect {
        self.last_save = Some(now.instant);
        Effect::Save(self.run.saved(now))
    }

    /// A new config at once: a new plan and step list; a session in progress keeps its
    /// steps done by name, and a running step keeps its time. A session whose routine
    /// is gone goes to the journal as unfinished.
    fn reload(&mut self, config: Config, now: Moment) -> Vec<Effect> {
        let old = self.run.clone();
        let in_progress = self.in_progress();
        let saved = old.saved(now);
        self.config = config;
        self.keymap = Keymap::new(&self.config.keys);
        // Speech turned off: that it could not speak no longer matters.
        if !self.config.notify.speak {
            self.set_notice(Topic::Speech, None);
        }
        self.replan(now);
        let kept = self
            .config
            .routines
            .iter()
            .position(|r| r.name == old.routine);
        self.selected = kept.unwrap_or_else(|| due_routine(&self.plan, &self.config, now));
        self.run = new_run(&self.config, &self.plan, self.selected, self.day);
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
        self.run.restore(&saved);
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

    fn next_routine(&mut self, now: Moment) {
        if self.in_progress() {
            self.status = Some(format!(
                "{} is in progress: finish or skip its steps first",
                self.run.routine
            ));
            return;
        }
        self.selected = (self.selected + 1) % self.config.routines.len();
        self.replan(now);
        self.run = new_run(&self.config, &self.plan, self.selected, self.day);
    }

    /// At `day_starts_at` a new day begins: a new plan, and the routine due then. The
    /// day shown only moves forward: when the clock goes back (the repeated autumn
    /// hour, a clock set back) the local time can fall before `day_starts_at` again.
    fn roll_over(&mut self, now: Moment) {
        let day = day_of(now.local(), self.config.day_starts_at);
        if day <= self.day || self.in_progress() {
            return;
        }
        self.day = day;
        self.replan(now);
        self.selected = due_routine(&self.plan, &self.config, now);
        self.run = new_run(&self.config, &self.plan, self.selected, day);
    }

    /// When the screen next changes by itself: the next displayed second of a running
    /// countdown, a routine becoming due, the next day, the plan changing (a pause after
    /// rolling ends); otherwise a long sleep.
    pub fn next_wake(&self, now: Moment) -> Instant {
        let replan = self.replan_at.map_or(now.instant + IDLE_WAIT, |at| {
            now.instant + (at - now.wall).to_std().unwrap_or(Duration::ZERO)
        });
        self.screen_wake(now).min(replan)
    }

    fn screen_wake(&self, now: Moment) -> Instant {
        // The history covers the countdown: wake for what happens (a zone, a step's end,
        // the warning, the half-minute save), not for seconds nobody sees.
        let run = if self.overlay == Some(Overlay::History) {
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

/// The effects already save or journal the run.
fn writes(effects: &[Effect]) -> bool {
    effects.iter().any(|e| {
        matches!(
            e,
            Effect::Save(_) | Effect::Checkpoint(_) | Effect::Append(_)
        )
    })
}

/// One bell is enough for one update.
fn dedup_bell(effects: &mut Vec<Effect>) {
    let mut rung = false;
    effects.retain(|e| {
        let first = !(rung && *e == Effect::Bell);
        rung |= *e == Effect::Bell;
        first
    });
}

/// One cue for one update, said where the last one was: each would cut off the one
/// before it ("Roll." by "Forehead.").
fn join_speech(effects: &mut Vec<Effect>) {
    let mut cues = Vec::new();
    let mut with = None;
    let mut last = None;
    for (i, effect) in effects.iter().enumerate() {
        if let Effect::Speak { cue, with: w } = effect {
            cues.push(cue.clone());
            with = w.clone();
            last = Some(i);
        }
    }
    let (Some(last), Some(cue)) = (last, crate::alerts::join_cues(&cues)) else {
        return;
    };
    effects[last] = Effect::Speak { cue, with };
    let mut i = 0;
    effects.retain(|e| {
        let keep = i == last || !matches!(e, Effect::Speak { .. });
        i += 1;
        keep
    });
}

fn new_run(config: &Config, plan: &Plan, index: usize, day: NaiveDate) -> Run {
    let mut run = Run::new(
        &config.routines[index],
        &plan.routines[index],
        day,
        config.notify.warn_before.0,
    );
    run.hold_before_roll = !config.checkin.is_empty();
    run
}

/// The routine due now: the latest whose `at` has passed and that is not done today,
/// else the first not done, else the first.
pub fn due_routine(plan: &Plan, config: &Config, now: Moment) -> usize {
    let local = now.local();
    let passed = |i: usize| {
        config.routines[i]
            .at
            .is_some_and(|at| plan::clock_on(plan.date, at.0, config.day_starts_at) <= local)
    };
    let open: Vec<usize> = (0..plan.routines.len())
        .filter(|&i| !plan.routines[i].done)
        .collect();
    open.iter()
        .copied()
        .filter(|&i| passed(i))
        .max_by_key(|&i| config.routines[i].at)
        .or_else(|| open.first().copied())
        .unwrap_or(0)
}

/// The journal record of a run saved on an earlier day and never finished.
fn leftover(saved: &Saved, config: &Config, now: Moment) -> Session {
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
    Session {
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
                })
            })
            .collect(),
        rating: None,
        note: None,
    }
}
