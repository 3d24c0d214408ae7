//! `status --follow`: the status line printed again each time it changes, for bars that
//! keep one process running (waybar without `interval`, polybar's `tail`, i3blocks'
//! `persist`, tmux's `#()`). It sleeps between changes: the data dir and the config are
//! watched (inotify), and the only timer is the next moment the line changes by itself
//! (a running step's next second, a routine falling due, the next day).

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read};
use std::os::fd::AsFd;
use std::os::unix::fs::FileTypeExt;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::report::current_status;
use super::*;
use crate::session::run::SAVED_FILE;

/// What wakes the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wake {
    /// The journal, the saved session or the lock changed.
    Data,
    /// The config changed.
    Config,
    /// The reader went away (stdout or stdin closed).
    Closed,
    /// The alarm: a moment waited for came, counting a suspend; or the wall clock was
    /// set (the line is worked out from the new time at once).
    Timer,
}

/// A waited-for moment is judged again this much after it, so that a wake-up a hair
/// early does not find the line unchanged and sleep again for a microsecond.
const LATE: Duration = Duration::from_millis(2);

/// Longer waits are also set on the alarm, which counts a suspend (a routine due while
/// the laptop slept shows at the resume); the channel's own timeout comes this much
/// after it, so that one of them, not both, wakes the loop.
const ALARM_FROM: Duration = Duration::from_secs(2);
const ALARM_SLACK: Duration = Duration::from_secs(5);

/// Prints the line, then again each time it changes, until the reader goes away.
pub(super) fn follow(ctx: &Context, format: Format, out: &mut impl Write) -> Result<()> {
    let mut ctx = ctx.clone();
    // A bar starts before the first dashboard: the dir is made to be watched.
    fs_create(&ctx.data_dir)?;
    let (tx, wakes) = mpsc::channel();
    let names = [
        journal::FILE_NAME,
        SAVED_FILE,
        lock::LOCK_FILE,
        crate::session::timer::TIMER_FILE,
    ];
    let mut _data = watch(&ctx.data_dir, &names, Wake::Data, tx.clone())
        .with_context(|| format!("cannot watch {}", ctx.data_dir.display()))?;
    let mut watched = dir_id(&ctx.data_dir);
    let _config = match ctx.built_in {
        true => None,
        false => {
            let path = &ctx.config_path;
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            Some(
                watch(dir, &[name], Wake::Config, tx.clone())
                    .with_context(|| format!("cannot watch {}", dir.display()))?,
            )
        }
    };
    let alarm = {
        let tx = tx.clone();
        crate::os::alarm::Alarm::start(move || {
            let _ = tx.send(Wake::Timer);
        })
    };
    {
        let tx = tx.clone();
        crate::os::alarm::on_clock_set(move || {
            let _ = tx.send(Wake::Timer);
        });
    }
    watch_stdin(tx.clone());
    watch_stdout(tx.clone());
    let mut shown: Option<String> = None;
    loop {
        // A data dir deleted and made again (a restore, a sync tool) is a new dir: the
        // old watch sees nothing of it. Watched again once it is there.
        let now_id = dir_id(&ctx.data_dir);
        if now_id != watched && now_id.is_some() {
            if let Ok(again) = watch(&ctx.data_dir, &names, Wake::Data, tx.clone()) {
                _data = again;
                watched = now_id;
            }
        } else if now_id.is_none() {
            watched = None;
        }
        let status = current_status(&ctx)?;
        let line = status::render(&status, format);
        if shown.as_ref() != Some(&line) {
            writeln!(out, "{line}")?;
            out.flush()?;
            shown = Some(line);
        }
        let wait = status
            .changes_at
            .map(|at| (at - ctx.now()).to_std().unwrap_or(Duration::ZERO) + LATE);
        // While the data dir is gone, look again each second for it to come back.
        let wait = match watched {
            None => Some(wait.map_or(DIR_GONE_LOOK, |w| w.min(DIR_GONE_LOOK))),
            Some(_) => wait,
        };
        let armed = alarm.set(wait.filter(|w| *w > ALARM_FROM));
        let wake = match wait {
            Some(wait) if armed => wakes.recv_timeout(wait + ALARM_SLACK),
            Some(wait) => wakes.recv_timeout(wait),
            None => wakes.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let mut woken = match wake {
            Ok(wake) => vec![wake],
            Err(RecvTimeoutError::Timeout) => Vec::new(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // One write brings several events: they are taken together.
        woken.extend(wakes.try_iter());
        if woken.contains(&Wake::Closed) {
            return Ok(());
        }
        if woken.contains(&Wake::Config) {
            reload(&mut ctx);
        }
    }
}

/// How often a follower whose data dir was deleted looks for it to come back.
const DIR_GONE_LOOK: Duration = Duration::from_secs(1);

/// The data dir's device and inode: which dir it is, not only its name.
fn dir_id(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    let meta = std::fs::metadata(dir).ok()?;
    Some((meta.dev(), meta.ino()))
}

fn fs_create(dir: &Path) -> Result<()> {
    crate::routine::private::make_dir(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
}

/// The config read again; a config that does not load leaves the last good one in use,
/// and says why on stderr.
fn reload(ctx: &mut Context) {
    match config::load(&ctx.config_path) {
        Ok(config) => ctx.config = config,
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or_default();
            let _ = writeln!(
                io::stderr(),
                "rollcoach: {first}; the status keeps the last config that loaded"
            );
        }
    }
}

/// Watches `dir` for changes to the files `names`, sending `wake` for each.
fn watch(
    dir: &Path,
    names: &[&str],
    wake: Wake,
    tx: Sender<Wake>,
) -> notify::Result<RecommendedWatcher> {
    let names: Vec<OsString> = names.iter().map(OsString::from).collect();
    let itself = dir.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // The dir itself removed or moved away wakes the loop too, to watch it anew.
        let named = event
            .paths
            .iter()
            .any(|p| *p == itself || p.file_name().is_some_and(|n| names.iter().any(|x| x == n)));
        if named && changes(&event.kind) {
            let _ = tx.send(wake);
        }
    })?;
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}

/// The event can change the line. Opening and reading (this process's own reads, and
/// the lock asked about) cannot; closing a file written can: a dashboard that dies
/// closes the lock file it held.
fn changes(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Ends the loop when stdin reaches its end, when it is a pipe or a socket (a bar that
/// talks to its module that way); a terminal or /dev/null is not watched.
fn watch_stdin(tx: Sender<Wake>) {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return;
    }
    let piped = stdin
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_socket());
    if !piped {
        return;
    }
    let _ = thread::Builder::new().name("stdin".into()).spawn(move || {
        // What comes in (i3blocks sends clicks) is read and dropped.
        let mut buf = [0u8; 4096];
        let mut input = stdin.lock();
        loop {
            match input.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send(Wake::Closed);
    });
}

/// Ends the loop when stdout's reader goes away, without waiting for the next line to
/// fail: poll reports an error on a pipe with no reader left (and a hangup on a
/// terminal closed) even when asked for no event.
fn watch_stdout(tx: Sender<Wake>) {
    let _ = thread::Builder::new().name("stdout".into()).spawn(move || {
        // Anything else than a hangup (no stdout at all) is not watched further.
        if crate::os::sys::wait_hangup(io::stdout().as_fd()).is_ok() {
            let _ = tx.send(Wake::Closed);
        }
    });
}
