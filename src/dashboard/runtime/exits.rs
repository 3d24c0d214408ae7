//! The ways out of the dashboard and what they keep: the run saved, the terminal given
//! back, the lines the disk never took printed, on a key, a signal or a panic.

use super::*;
use crate::alerts::hooks::tree::Running;
use crate::alerts::speech::Speaking;
use crate::dashboard::disk::{Files, Store};

/// Writes the disk refused to the end are printed, so that the person can keep them.
pub(super) fn keep_leftovers(jobs: Vec<Job>) {
    // A save followed by a clear was journaled after it: only the journal line matters.
    let cleared = jobs.iter().rposition(|j| *j == Job::Clear).unwrap_or(0);
    for (i, job) in jobs.into_iter().enumerate() {
        if i < cleared && matches!(job, Job::Save(_) | Job::Checkpoint(_)) {
            continue;
        }
        match job {
            Job::Append(record) => say!(
                "rollcoach: not written to the journal (add this line to journal.jsonl): {}",
                serde_json::to_string(&record).unwrap_or_default()
            ),
            Job::Save(saved) | Job::Checkpoint(saved) => say!(
                "rollcoach: the session in progress was not saved: {}",
                serde_json::to_string(&saved).unwrap_or_default()
            ),
            Job::Clear => {}
        }
    }
}

/// A line on stderr that is lost, not a panic, when stderr is gone with the terminal.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(super) use say;

/// Raw mode off, the main screen back, the cursor shown.
/// A terminal that is gone (the pane closed) cannot be restored: nothing is said then,
/// since there is nowhere to say it.
pub(super) fn restore_terminal() {
    let _ = ratatui::try_restore();
    show_cursor();
}

/// ratatui's restore leaves the cursor as the last frame left it (hidden).
fn show_cursor() {
    let _ = ratatui::crossterm::execute!(io::stdout(), ratatui::crossterm::cursor::Show);
}

pub(super) fn share(app: &App, shared: &Shared) {
    let run = app.in_progress().then(|| app.run.clone());
    if let Ok(mut slot) = shared.lock() {
        *slot = run;
    }
}

fn save_now(run: &Run, data_dir: &Path) -> io::Result<()> {
    Files(data_dir.to_path_buf(), None).save(&run.saved(Moment::now()), true)
}

/// On a panic, save the run in progress before the terminal is restored and the panic
/// is printed (ratatui's hook, installed after this one, restores the terminal).
pub(super) fn install_panic_save(shared: Shared, data_dir: PathBuf) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(slot) = shared.try_lock()
            && let Some(run) = slot.as_ref()
        {
            let _ = save_now(run, &data_dir);
        }
        previous(info);
        show_cursor();
    }));
}

/// SIGTERM, SIGHUP and SIGINT become a `Msg::Quit` for the event loop, so that they
/// take the way out `q` takes: the run saved, the disk queue flushed, what could not be
/// written printed. A thread of its own, because signals come at any time.
///
/// When the loop does not take the way out within `ANSWER_WAIT` (it is stuck), or a
/// second signal comes, this thread saves the run itself, restores the terminal, ends
/// the running hooks and the cue being spoken, and exits 0.
pub(super) fn watch_signals(
    shared: Shared,
    data_dir: PathBuf,
    hooks: Arc<Running>,
    speaking: Arc<Speaking>,
    inbox: Inbox,
    leaving: Arc<AtomicBool>,
) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])
        .context("cannot watch for signals")?;
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if signals.forever().next().is_none() {
                return;
            }
            inbox.post(Msg::Quit);
            let asked = Instant::now();
            loop {
                if signals.pending().next().is_some() {
                    break;
                }
                // On its way out the loop is bounded by the disk's wait; only a second
                // signal cuts it short.
                if leaving.load(Ordering::SeqCst) {
                    if signals.forever().next().is_none() {
                        return;
                    }
                    break;
                }
                if asked.elapsed() >= ANSWER_WAIT {
                    break;
                }
                thread::sleep(Duration::from_millis(20));
            }
            if let Ok(slot) = shared.lock()
                && let Some(run) = slot.as_ref()
            {
                let _ = save_now(run, &data_dir);
            }
            // Held until exit, so that the UI thread cannot draw over the shell.
            let _screen = SCREEN.try_lock();
            restore_terminal();
            hooks.end_all(tree::GRACE);
            speaking.end();
            std::process::exit(0);
        })
        .context("cannot start the signal thread")?;
    Ok(())
}
