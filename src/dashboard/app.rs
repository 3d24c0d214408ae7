//! The dashboard's state and its pure update: `update(msg, now) -> effects`.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::alerts::{Occasion, What};
use crate::routine::config::Config;
use crate::routine::journal::{Journal, Record, SessionRecord};
use crate::routine::plan::{self, Plan, RoutinePlan, day_of};
use crate::session::Moment;
use crate::session::event::Event;
use crate::session::run::{Run, Saved};

mod alongside;
mod clock;
mod effects;
mod help;
mod holds;
mod photos;
mod prompts;
mod remote;
mod runs;
mod week;

use self::effects::writes;
pub use self::photos::{Compared, PhotoView, SPANS};
use self::runs::{leftover, new_run};
use super::photos::Picture;

pub use super::messages::{Action, Answer, Effect, InputKey, Msg, Topic};

use super::keymap::Keymap;
use super::occasions;
use crate::routine::words::short_date;

/// What the read-only dashboard says once the one that owned the session has quit.
pub const OWNER_GONE: &str = "the dashboard that owned the session quit";
/// How often a running session is saved, at most this much is lost to a crash.
pub const SAVE_EVERY: Duration = Duration::from_secs(30);

/// How long a one-line message stays over the keys (lasting conditions are notices).
pub const MESSAGE_FOR: Duration = Duration::from_secs(6);

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
    /// Every key, scrolled down `scroll` lines where the pane is short.
    Help { scroll: u16 },
    /// The calendar, streaks and recent sessions.
    History,
    /// Every lasting notice, one line each.
    Notices,
    /// The pre-roll check-in: every question on one screen.
    CheckIn(CheckIn),
    /// "Replace the roller?"
    ConfirmReplace,
    /// "Run this routine, done today, once more?"
    ConfirmAgain,
    /// The lasting answers that hold rolling: a number clears one.
    Holds,
    /// The steps running alongside, the one a number chose marked: Enter finishes it
    /// early, `+`/`-` give or take 30 s.
    Alongside(usize),
    /// A Roll step ended before a third of its time: "did you roll?"
    ConfirmRoll {
        /// The time rolled.
        rolled: Duration,
        /// The step's time.
        length: Duration,
    },
    /// The rating and note at the end of a session.
    Note(NoteDraft),
    /// Two progress photos side by side, opened from the history.
    Photos(PhotoView),
    /// The nights ahead (`App::week`), a cursor on a day and a row.
    Week(WeekCursor),
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
    /// The question last marked or scrolled to: a pane too small for the list shows it.
    pub focus: usize,
    /// `n` was pressed with questions marked: refused, and said so on the check-in.
    pub refused: bool,
}

/// Where the cursor of the nights ahead is: a day and a row of the grid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeekCursor {
    /// Days from the first shown.
    pub day: usize,
    /// The row (see `session::ahead::rows`).
    pub row: usize,
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
    /// A one-line message shown in the footer in place of the keys.
    pub message: Option<String>,
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
    /// The photo view's pictures as the worker made them (none while it is closed).
    pub pictures: Vec<Picture>,
    /// The nights ahead while their view is open, from the day shown.
    pub week: Vec<Plan>,
    /// The person asked to quit.
    pub quit: bool,
    /// When the run was last saved.
    last_save: Option<Instant>,
    /// When the message was put up; it goes `MESSAGE_FOR` later.
    message_since: Option<Instant>,
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
        let run = new_run(&config, &journal, &plan, selected, day, false);
        let keymap = Keymap::new(&config.keys);
        let mut app = App {
            config,
            journal,
            plan,
            day,
            selected,
            run,
            overlay: None,
            message: None,
            config_error: None,
            standing: Vec::new(),
            keymap,
            no_color: false,
            pictures: Vec::new(),
            week: Vec::new(),
            read_only,
            quit: false,
            last_save: None,
            message_since: None,
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
                app.message = Some(format!(
                    "the unfinished {} session of {} was saved to the journal",
                    saved.routine,
                    short_date(saved.day)
                ));
            }
            None => {}
        }
        (app, effects)
    }

    /// The plan of the routine shown.
    pub fn routine_plan(&self) -> &RoutinePlan {
        &self.plan.routines[self.selected]
    }

    /// Handles one message at `now`.
    pub fn update(&mut self, msg: Msg, now: Moment) -> Vec<Effect> {
        let effects = self.handle(msg, now);
        // A new message stays a few seconds; an old one goes at the first wake after.
        match (&self.message, self.message_since) {
            (None, _) => self.message_since = None,
            (Some(_), Some(since)) if now.instant >= since + MESSAGE_FOR => {
                self.message = None;
                self.message_since = None;
            }
            (Some(_), _) => {}
        }
        effects
    }

    /// When the message on screen goes.
    pub(super) fn message_ends(&self) -> Option<Instant> {
        self.message.as_ref()?;
        self.message_since.map(|since| since + MESSAGE_FOR)
    }

    fn handle(&mut self, msg: Msg, now: Moment) -> Vec<Effect> {
        let before = self.message.clone();
        let effects = self.handle_msg(msg, now);
        if self.message.is_some() && (self.message != before || self.message_since.is_none()) {
            self.message_since = Some(now.instant);
        }
        effects
    }

    fn handle_msg(&mut self, msg: Msg, now: Moment) -> Vec<Effect> {
        let mut effects = Vec::new();
        // After a resume the first message may be a key: what happened while asleep
        // comes first.
        if self.clock_jumped(now) && msg != Msg::Tick {
            effects = self.tick(now);
        }
        match msg {
            Msg::Key(action) => {
                self.message = None;
                effects.extend(self.act(action, now));
            }
            Msg::Input(key) => effects.extend(self.input(key, now)),
            Msg::Tick => effects = self.tick(now),
            Msg::Quit => effects.extend(self.act(Action::Quit, now)),
            // A client told the dashboard was busy (it was stopped, say) has given up:
            // carrying its action out later would do what it was told failed.
            Msg::Sent(_, answer) if now.instant > answer.1 => {
                effects.push(Effect::Answer(
                    answer,
                    Err("the dashboard is busy: try again".into()),
                ));
            }
            Msg::Sent(action, answer) => {
                let (done, taken) = self.sent(action, now);
                effects.extend(done);
                effects.push(Effect::Answer(answer, taken));
            }
            Msg::Journal(Ok(journal)) => self.reread(*journal, now),
            Msg::Journal(Err(error)) => {
                self.message = Some(format!("the journal could not be read again: {error}"));
            }
            Msg::Resize => effects.extend(self.want_pictures(true)),
            Msg::Photo(picture) => self.take_picture(picture),
            Msg::Report(line) => self.message = Some(line),
            Msg::Failed(failure) => self.message = Some(failure.to_string()),
            Msg::Config(Ok((config, note))) => {
                effects.extend(self.reload(*config, now));
                self.config_error = None;
                self.message = Some(note.unwrap_or_else(|| "config reloaded".into()));
            }
            Msg::Config(Err(error)) => {
                // The first problem: the footer has one line.
                let text = error.to_string();
                let first = text.lines().next().unwrap_or_default();
                self.config_error = Some(format!("config not reloaded: {first}"));
                self.message = None;
            }
            Msg::Notice(topic, line) => {
                if let Some(line) = &line {
                    self.message = Some(line.clone());
                }
                self.set_notice(topic, line);
            }
        }
        // Pictures take memory: they are kept only while the photo view is open; so are
        // the nights ahead while theirs is.
        if !matches!(self.overlay, Some(Overlay::Photos(_))) {
            self.pictures.clear();
        }
        if !matches!(self.overlay, Some(Overlay::Week(_))) {
            self.week.clear();
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
                let (wanted, open) = match action {
                    Action::Help => (
                        Overlay::Help { scroll: 0 },
                        matches!(self.overlay, Some(Overlay::Help { .. })),
                    ),
                    Action::History => (Overlay::History, self.overlay == Some(Overlay::History)),
                    _ => (Overlay::Notices, self.overlay == Some(Overlay::Notices)),
                };
                self.overlay = (!open).then_some(wanted);
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
            Action::Again if !self.read_only => {
                self.ask_again();
                return Vec::new();
            }
            Action::Week => {
                self.open_week(now);
                return Vec::new();
            }
            Action::Photos
            | Action::EarlierPhoto
            | Action::LaterPhoto
            | Action::LongerSpan
            | Action::ShorterSpan => return self.photo_act(action),
            _ => {}
        }
        if self.read_only {
            // Once the owner has quit, the notice says what to do instead.
            let gone = self
                .standing
                .iter()
                .find(|(t, line)| *t == Topic::ReadOnly && line.contains(OWNER_GONE))
                .map(|(_, line)| line.clone());
            self.message = Some(
                gone.unwrap_or_else(|| "read-only: another rollcoach owns this session".into()),
            );
            return Vec::new();
        }
        if action == Action::ReplaceRoller {
            self.ask_replace();
            return Vec::new();
        }
        if action == Action::Holds {
            self.ask_holds();
            return Vec::new();
        }
        if action == Action::Alongside {
            self.ask_alongside();
            return Vec::new();
        }
        // Space, Enter or s asks first; on a Roll step of a session already under way
        // (saved by an earlier version) Enter asks too, s needs no answer.
        let begins = matches!(action, Action::StartPause | Action::Next | Action::Skip);
        if begins && self.run.is_closed() {
            self.message = Some(format!(
                "{} is done today · a runs it once more",
                self.run.routine
            ));
            return Vec::new();
        }
        if begins && self.needs_checkin() && !(action == Action::Skip && self.run.has_started()) {
            self.ask_checkin(action);
            return Vec::new();
        }
        // A roll keyed through in seconds is asked about before it counts.
        if action == Action::Next
            && let Some((rolled, length)) = self.run.roll_cut_short(now.instant)
        {
            self.overlay = Some(Overlay::ConfirmRoll { rolled, length });
            return Vec::new();
        }
        let was_running = self.run.countdown.is_running();
        let events = match action {
            Action::StartPause => self.run.start_pause(now),
            Action::Next => self.run.finish(now),
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
        // Space while a step waits pauses or resumes those alongside: saved too.
        let moved = matches!(
            action,
            Action::Back
                | Action::Restart
                | Action::AddTime
                | Action::TakeTime
                | Action::StartPause
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

    /// A run of routine `index` on the day shown becomes the one on screen (see
    /// [`new_run`]).
    fn new_run(&mut self, index: usize, again: bool) {
        self.run = new_run(
            &self.config,
            &self.journal,
            &self.plan,
            index,
            self.day,
            again,
        );
    }

    /// A run has started and is not finished.
    pub fn in_progress(&self) -> bool {
        self.run.has_started() && !self.run.is_finished()
    }
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
