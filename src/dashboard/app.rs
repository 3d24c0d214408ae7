//! The dashboard's state and its pure update: `update(msg, now) -> effects`.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::alerts::Occasion;
use crate::routine::config::{Config, EventKind};
use crate::routine::journal::{Journal, Record, Session};
use crate::routine::plan::{self, Plan, RoutinePlan, day_of};
use crate::session::Moment;
use crate::session::event::Event;
use crate::session::run::{Run, Saved};

mod clock;
mod messages;
mod prompts;
mod runs;

use self::runs::leftover;

pub use self::messages::{Action, Effect, InputKey, Msg, Topic};

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
        // A pause, a resume or a changed time is saved: the status line reads it.
        let toggled = was_running != self.run.countdown.is_running();
        let moved = matches!(
            action,
            Action::Back | Action::Restart | Action::AddTime | Action::TakeTime
        );
        if !writes(&effects) && (toggled || moved) && self.in_progress() {
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
        if let Effect::Speak {
            cue,
            with: w,
            direction,
        } = effect
        {
            cues.push((cue.clone(), *direction));
            with = w.clone();
            last = Some(i);
        }
    }
    let direction = cues.last().is_some_and(|(_, d)| *d);
    let (Some(last), Some(cue)) = (last, crate::alerts::join_cues(&cues)) else {
        return;
    };
    effects[last] = Effect::Speak {
        cue,
        with,
        direction,
    };
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
