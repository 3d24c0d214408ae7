//! The shell: terminal in and out, the event loop, effects, signals, the lock.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use ratatui::crossterm::event::Event as TermEvent;

use super::app::{Answer, App, Effect, Msg, Topic};
use super::ctl;
use super::disk::{DiskNews, DiskReport, DiskWorker, Job, Known};
use super::inbox::{First, Inbox, Input, read_terminal};
use super::{keymap, ui, watch};
use crate::alerts::desktop::Desktop;
use crate::alerts::hooks::Hooks;
use crate::alerts::hooks::tree;
use crate::alerts::speech::{self, Speech};
use crate::alerts::{Failure, Report};
use crate::os::alarm::Alarm;
use crate::os::lock::Lock;
use crate::routine::config::Config;
use crate::routine::journal;
use crate::session::Moment;
use crate::session::run::Run;

mod exits;
mod outlets;
mod saved;
mod terminal;

use self::outlets::{Outlets, apply};

use self::terminal::{graphics_question, init_terminal, message};

use self::exits::{
    install_panic_save, keep_leftovers, restore_terminal, say, share, watch_signals,
};
use self::saved::read_saved;

/// The run in progress, shared with the signal thread and the panic hook so that they
/// can save it when the process is told to stop.
type Shared = Arc<Mutex<Option<Run>>>;

/// How long the way out waits for the disk worker to write what is queued.
const FLUSH_WAIT: Duration = Duration::from_secs(3);

/// How long a signal waits for the event loop to take the way out before it saves the
/// run itself and exits (the loop is stuck).
const ANSWER_WAIT: Duration = Duration::from_secs(2);

/// Waits shorter than this are left to the channel's own timeout (a countdown's seconds); a
/// suspend can only delay them by as much.
const SHORT_WAIT: Duration = Duration::from_secs(2);

/// How much later than a countdown's short wait the alarm behind it is set: the loop
/// has long woken and set it again by then, unless the channel's timeout failed.
const SHORT_SLACK: Duration = Duration::from_millis(150);

/// How much later than the alarm the channel's wait times out by itself, so that the alarm, not the
/// timeout, wakes the loop (once, not twice).
const ALARM_SLACK: Duration = Duration::from_secs(5);

/// Where a session in progress is saved.
pub fn saved_path(data_dir: &Path) -> PathBuf {
    data_dir.join(crate::session::run::SAVED_FILE)
}

/// Opens the dashboard on `config` (read from `config_path`, None for the built-in
/// routine), with files in `data_dir`.
pub fn run(
    mut config: Config,
    config_path: Option<&Path>,
    built_in: Option<&Path>,
    data_dir: &Path,
) -> Result<()> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        bail!(
            "the dashboard needs a terminal on stdin and stdout; \
             `rollcoach today` prints the plan without one"
        );
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        bail!(
            "TERM=dumb cannot show the dashboard (it needs cursor movement); \
             `rollcoach today` prints the plan"
        );
    }
    // A data dir that cannot be written (read-only, full) does not stop the dashboard:
    // the session is kept in memory, the writes are retried, and the status bar says so.
    let (lock, read_only, unlocked) =
        match crate::routine::private::make_dir(data_dir).and_then(|()| Lock::take(data_dir)) {
            Ok(Some(lock)) => (Some(lock), false, None),
            Ok(None) => (None, true, None),
            Err(e) => (
                None,
                false,
                Some(format!(
                    "cannot write the data dir {}: {e}; the session is kept in memory and retried",
                    data_dir.display()
                )),
            ),
        };
    // What this dashboard took: its writes stop if the dir is replaced under it.
    let took = match &lock {
        Some(_) => super::disk::Taken::Locked(super::disk::owned(data_dir)),
        None => super::disk::Taken::Unlocked,
    };
    let journal_path = journal::path(data_dir);
    // Stamped before the read: a write during it is then read again by the watcher.
    let known: Known = Arc::new(Mutex::new(super::disk::stamp(&journal_path)));
    // The first frame needs only today's plan: the rest comes from a thread (old
    // sessions keep only what the dashboard shows).
    let today =
        crate::routine::plan::day_of(Moment::now().wall.naive_local(), config.day_starts_at);
    let (journal, partial) = watch::opening(&journal_path, &config, today)
        .with_context(|| format!("cannot read {}", journal_path.display()))?;
    let (saved, saved_note) = if read_only {
        (None, None)
    } else {
        read_saved(data_dir, &config, Moment::now())
    };
    // Hooks and speak_with name programs: from a config others could change, neither runs.
    let refused = config_path.and_then(|path| crate::alerts::guard::disarm(&mut config, path));

    let (mut app, effects) = App::new(config, journal, saved, read_only, Moment::now());
    // no-color.org: set and not empty.
    app.no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    // Lasting conditions stay listed (the header counts them) until resolved; the
    // status line shows the latest once.
    if read_only {
        app.set_notice(
            Topic::ReadOnly,
            Some(
                "another rollcoach owns the session: read-only here; quit that one to act here"
                    .into(),
            ),
        );
        app.message = Some("another rollcoach owns the session: read-only here".into());
    }
    if let Some(note) = &unlocked {
        app.set_notice(Topic::Disk, Some(note.clone()));
    }
    // Said on screen, not after quitting behind the alternate screen.
    if let Some(path) = built_in {
        app.set_notice(
            Topic::BuiltIn,
            Some(format!(
                "this is the built-in routine: `rollcoach init` writes it to {} for you to \
                 edit (then open rollcoach again)",
                path.display()
            )),
        );
    }
    if let Some(note) = &refused {
        app.set_notice(Topic::Hooks, Some(note.clone()));
    }
    // Looked for once: a program installed later is found at the next start.
    let speaker = speech::find(
        app.config.notify.speak_with.as_deref(),
        std::env::var_os("PATH").as_deref(),
    );
    let speech_off = match &speaker {
        Err(line) if app.config.notify.speak && !read_only => {
            app.set_notice(Topic::Speech, Some(line.clone()));
            Some(line.clone())
        }
        _ => None,
    };
    let told = speech_off.is_some();
    if let Some(note) = unlocked.or(saved_note).or(refused).or(speech_off) {
        app.message = Some(note);
    }

    let (inbox, results) = Inbox::new();
    let report: Report = {
        let inbox = inbox.clone();
        Arc::new(move |failure| inbox.post(Msg::Failed(failure)))
    };
    let desktop_off: Report = {
        let inbox = inbox.clone();
        Arc::new(move |failure: Failure| {
            inbox.post(Msg::Notice(Topic::Desktop, Some(failure.to_string())))
        })
    };
    let speech_off: speech::SpeechReport = {
        let inbox = inbox.clone();
        Arc::new(move |failure: Option<Failure>| {
            inbox.post(Msg::Notice(Topic::Speech, failure.map(|f| f.to_string())))
        })
    };
    let disk: DiskReport = {
        let inbox = inbox.clone();
        Arc::new(move |news| match news {
            DiskNews::Failing(trouble) => {
                inbox.post(Msg::Notice(Topic::Disk, Some(trouble.to_string())))
            }
            DiskNews::Writable => {
                inbox.post(Msg::Notice(Topic::Disk, None));
                inbox.post(Msg::Report(
                    "the data dir takes writes again: nothing was lost".into(),
                ));
            }
            DiskNews::Said(line) => inbox.post(Msg::Report(line)),
        })
    };
    let hooks = Hooks::new(data_dir, report);
    if let Err(e) = tree::adopt_orphans(hooks.running()) {
        app.message = Some(e);
    }
    let shared: Shared = Arc::new(Mutex::new(None));
    install_panic_save(shared.clone(), data_dir.to_path_buf());
    let leaving = Arc::new(AtomicBool::new(false));
    let speech = Speech::start(speaker, told, speech_off);
    watch_signals(
        shared.clone(),
        data_dir.to_path_buf(),
        hooks.running(),
        speech.speaking(),
        inbox.clone(),
        leaving.clone(),
    )?;
    let alarm = {
        let inbox = inbox.clone();
        Alarm::start(move || inbox.post(Msg::Tick))
    };
    // A step of the wall clock wakes the loop at once: the tick compares the two
    // clocks (`clock_jumped`) and works the day and the plan out again.
    {
        let inbox = inbox.clone();
        crate::os::alarm::on_clock_set(move || inbox.post(Msg::Tick));
    }
    let outlets = Outlets {
        disk: DiskWorker::start(data_dir.to_path_buf(), took, known.clone(), disk),
        desktop: Desktop::start(desktop_off),
        hooks,
        speech,
        photos: None,
    };
    // Kept alive for the whole run: dropping the watcher stops it. A read-only
    // dashboard watches too: the one that owns the session writes the journal.
    if partial {
        watch::read_whole(journal_path.clone(), inbox.clone());
    }
    let _journal_watcher = match watch::journal(&journal_path, known, inbox.clone()) {
        Ok(watcher) => Some(watcher),
        Err(e) => {
            let line = format!(
                "the journal is not watched ({e}): what other terminals record shows after a restart"
            );
            app.set_notice(Topic::WatchJournal, Some(line.clone()));
            // A data dir that cannot be made cannot be watched either: that says more.
            app.message.get_or_insert(line);
            None
        }
    };
    // A read-only dashboard watches the lock: when its owner quits (closing the lock
    // file it wrote), it says so and what to do, instead of "quit that one" for good.
    let _owner_watch = read_only
        .then(|| watch_owner(data_dir, inbox.clone()))
        .flatten();
    // Only the dashboard that owns the session answers `rollcoach ctl`.
    let _control = if read_only {
        None
    } else {
        let sender = inbox.clone();
        let deliver = move |action| {
            let (answer, answered) = mpsc::sync_channel(1);
            // The dashboard acts only before this wait ends, with time left to answer.
            let by = Instant::now() + CTL_ANSWER - CTL_MARGIN;
            sender.post(Msg::Sent(action, Answer(answer, by)));
            answered
                .recv_timeout(CTL_ANSWER)
                .unwrap_or_else(|_| Err("the dashboard is busy: try again".into()))
        };
        match ctl::serve(data_dir, deliver) {
            Ok(control) => Some(control),
            Err(e) => {
                let line = format!("`rollcoach ctl` cannot reach this dashboard: {e}");
                app.set_notice(Topic::Control, Some(line.clone()));
                app.message.get_or_insert(line);
                None
            }
        }
    };
    let _watcher = match config_path {
        Some(path) => match watch::start(path, inbox.clone()) {
            Ok(watcher) => Some(watcher),
            Err(e) => {
                let line = format!(
                    "the config is not watched for changes ({e}): restart rollcoach after editing it"
                );
                app.set_notice(Topic::Watch, Some(line.clone()));
                app.message = Some(line);
                None
            }
        },
        None => None,
    };

    let mut terminal = init_terminal().context("cannot set up the terminal")?;
    let deliver = {
        let inbox = inbox.clone();
        Arc::new(move |picture| inbox.post(Msg::Photo(picture)))
    };
    let (photos, question) = super::photos::start(data_dir, deliver);
    let outlets = Outlets {
        photos: Some(photos),
        ..outlets
    };
    read_terminal(inbox, question.map(graphics_question));
    let outcome = event_loop(
        &mut terminal,
        &mut app,
        effects,
        &outlets,
        &results,
        &shared,
        &alarm,
    );
    // Every way out (q, a signal, an error) comes here: the signal thread now leaves
    // it to this path unless a second signal comes.
    leaving.store(true, Ordering::SeqCst);
    // A loop that stopped on an error (the terminal gone) saved nothing on the way.
    if outcome.is_err() && app.in_progress() && !app.read_only {
        outlets.disk.send(Job::Save(app.run.saved(Moment::now())));
    }
    // ratatui's terminal prints to stderr (and so panics) when it cannot show the cursor
    // on a terminal that is gone: it is let go without its drop then.
    if terminal.show_cursor().is_ok() {
        drop(terminal);
    } else {
        std::mem::forget(terminal);
    }
    {
        let _screen = SCREEN.lock();
        restore_terminal();
    }
    outlets.speech.speaking().end();
    outlets.hooks.end_all();
    match outlets.disk.finish(FLUSH_WAIT) {
        Ok(jobs) => keep_leftovers(jobs),
        Err(records) => {
            say!(
                "rollcoach: the data dir did not answer within {} s: the last writes may be lost",
                FLUSH_WAIT.as_secs()
            );
            for record in records {
                say!(
                    "rollcoach: maybe not written to the journal (add this line to journal.jsonl \
                     unless it is there): {}",
                    serde_json::to_string(&record).unwrap_or_default()
                );
            }
        }
    }
    drop(lock);
    outcome
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    mut effects: Vec<Effect>,
    outlets: &Outlets,
    results: &Receiver<Input>,
    shared: &Shared,
    alarm: &Alarm,
) -> Result<()> {
    let mut dirty = true;
    loop {
        apply(effects, outlets)?;
        share(app, shared);
        while let Ok(input) = results.try_recv() {
            if let Some(msg) = message(app, input, terminal)? {
                let more = app.update(msg, Moment::now());
                apply(more, outlets)?;
            }
            dirty = true;
        }
        // What the signal thread and the panic hook would save is never older than
        // what the messages just did (a step ended by the alarm's tick, say).
        share(app, shared);
        if app.quit {
            return Ok(());
        }
        if dirty {
            let _screen = SCREEN.lock();
            terminal.draw(|frame| ui::view(app, Instant::now(), frame))?;
            dirty = false;
        }
        let now = Moment::now();
        let mut wait = app.next_wake(now).saturating_duration_since(now.instant);
        // A long wait is the alarm's (it counts a suspend), the channel's timeout a little
        // later; a countdown's short wait is the channel's, with the alarm armed a little
        // later behind it: it never fires while the timeout works, and it fires where the
        // timeout cannot (a process whose clock is moved, as under libfaketime, computes a
        // deadline the kernel never reaches). One wake-up a second either way.
        if wait > SHORT_WAIT {
            if alarm.set(Some(wait)) {
                wait += ALARM_SLACK;
            }
        } else {
            alarm.set(Some(wait + SHORT_SLACK));
        }
        let msg = match results.recv_timeout(wait) {
            Ok(input) => message(app, input, terminal)?,
            Err(RecvTimeoutError::Timeout) => Some(Msg::Tick),
            Err(RecvTimeoutError::Disconnected) => bail!("the terminal input stopped"),
        };
        effects = match msg {
            Some(msg) => {
                dirty = true;
                app.update(msg, Moment::now())
            }
            None => Vec::new(),
        };
    }
}

/// Posts a notice when no dashboard holds the lock of `data_dir` any more; None when
/// the dir cannot be watched (the notice then stays as it was).
fn watch_owner(data_dir: &Path, inbox: Inbox) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher as _;
    let dir = data_dir.to_path_buf();
    let lock_path = dir.join(crate::os::lock::LOCK_FILE);
    let told = std::sync::atomic::AtomicBool::new(false);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // The owner's exit closes the lock file it opened for writing; looking at the
        // lock here opens it only to read, so it wakes nothing.
        let closed = matches!(
            event.kind,
            notify::EventKind::Access(notify::event::AccessKind::Close(
                notify::event::AccessMode::Write
            )) | notify::EventKind::Remove(_)
        );
        if !closed || !event.paths.contains(&lock_path) || told.load(Ordering::SeqCst) {
            return;
        }
        if !crate::os::lock::held(&dir) {
            told.store(true, Ordering::SeqCst);
            inbox.post(Msg::Notice(
                Topic::ReadOnly,
                Some(format!(
                    "{}: q, then start rollcoach again to act here",
                    super::app::OWNER_GONE
                )),
            ));
        }
    })
    .ok()?;
    watcher
        .watch(data_dir, notify::RecursiveMode::NonRecursive)
        .ok()?;
    Some(watcher)
}

/// How long `rollcoach ctl` waits for the UI thread to take its action.
const CTL_ANSWER: Duration = Duration::from_secs(4);

/// How long before the end of that wait the UI thread stops taking the action, so that
/// its answer reaches a client still waiting for it.
const CTL_MARGIN: Duration = Duration::from_millis(500);

/// Drawing and restoring the terminal take turns, so a signal that restores it while
/// a frame is being drawn waits for the frame.
static SCREEN: Mutex<()> = Mutex::new(());
