//! The control socket: `rollcoach ctl ACTION` sends one of the dashboard's own actions
//! to the dashboard that owns a data dir, and hears whether it was taken.
//!
//! The socket lives in `$XDG_RUNTIME_DIR/rollcoach/` (a directory only its user can
//! enter), named after the data dir, or as `ctl.sock` in the data dir when there is no
//! runtime dir; it is made 0600 either way. Only the dashboard that holds the data
//! dir's lock serves it, so a socket found there at start was left by a dashboard that
//! was killed: it is replaced. A second, read-only dashboard does not touch it.
//!
//! One request per connection: the action's name and a newline; the answer is `ok` or
//! `refused: WHY`, and a newline.

use std::io::{self, BufRead, BufReader, Read as _, Write};
use std::os::unix::fs::{DirBuilderExt as _, FileTypeExt as _, PermissionsExt as _};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::thread;
use std::time::Duration;

use crate::routine::keys::Action;

/// How long a client has to send its line, and waits for the answer.
const TALK: Duration = Duration::from_secs(5);

/// The longest request read: an action's name is a few bytes.
const LONGEST_LINE: u64 = 64;

/// Clients answered at once, each on a thread of its own: one that connects and says
/// nothing holds up no other. Past this many, a client is told to try again.
const MOST_CLIENTS: usize = 8;

/// The longest socket path a Unix socket takes (`sun_path` holds 108 bytes with its
/// terminating zero).
const LONGEST_PATH: usize = 107;

/// Where the control socket of the dashboard of `data_dir` is: in the runtime dir, or
/// the data dir where there is none (or its path would be too long for a socket).
pub fn socket_path(data_dir: &Path) -> PathBuf {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from);
    socket_path_in(runtime.as_deref(), data_dir)
}

/// `socket_path` with the runtime dir given. A `rollcoach` there that is a link, not a
/// directory or another user's is not used (a link planted there would be followed):
/// the data dir's socket is.
fn socket_path_in(runtime: Option<&Path>, data_dir: &Path) -> PathBuf {
    let in_runtime = match runtime {
        Some(runtime) if runtime.is_absolute() && runtime.is_dir() => {
            let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
            let name = format!("{:016x}.sock", fnv1a(dir.as_os_str().as_encoded_bytes()));
            let ours = runtime.join("rollcoach");
            match std::fs::symlink_metadata(&ours) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Some(ours.join(name)),
                Ok(meta) if owned_dir(&meta) => Some(ours.join(name)),
                _ => None,
            }
        }
        _ => None,
    };
    in_runtime
        .filter(|p| p.as_os_str().len() <= LONGEST_PATH)
        .unwrap_or_else(|| data_dir.join("ctl.sock"))
}

/// The uid at the other end of `stream` when it is not this user's (SO_PEERCRED);
/// None when it is ours, or where it cannot be asked.
fn stranger(stream: &UnixStream) -> Option<u32> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsFd as _;
        let uid = crate::os::sys::peer_uid(stream.as_fd()).ok()?;
        (uid != crate::os::sys::effective_uid()).then_some(uid)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = stream;
        None
    }
}

/// A real directory (not a link to one) of this user.
fn owned_dir(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    meta.file_type().is_dir() && meta.uid() == crate::os::sys::effective_uid()
}

/// Makes the socket's directory in the runtime dir without following a link, and
/// makes it ours alone (0700) through an open that does not follow one either.
fn make_socket_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_DIRECTORY | libc::O_NONBLOCK)
        .open(dir)?;
    if !owned_dir(&opened.metadata()?) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} is not a directory of yours", dir.display()),
        ));
    }
    // A directory found there (made by hand, say) is made ours alone too.
    opened.set_permissions(std::fs::Permissions::from_mode(0o700))
}

/// FNV-1a, 64 bits: a name for a data dir that stays the same across builds.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Why an action sent to the dashboard was not carried out.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Nothing listens: no dashboard runs for this data dir.
    #[error("no dashboard runs for {0} (nothing listens on {1})")]
    NoDashboard(String, String),
    /// The dashboard said no.
    #[error("the dashboard refused: {0}")]
    Refused(String),
    /// The dashboard took the request but gave no answer in time.
    #[error("the dashboard did not answer within {} s", TALK.as_secs())]
    NoAnswer,
    /// The socket could not be used.
    #[error("cannot reach the dashboard through {0}: {1}")]
    Io(String, io::Error),
}

/// Sends `action` to the dashboard of `data_dir` and waits for its answer.
pub fn send(data_dir: &Path, action: Action) -> Result<(), SendError> {
    let path = socket_path(data_dir);
    let shown = path.display().to_string();
    // A socket another user made there is not our dashboard's: nothing is sent to it.
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        use std::os::unix::fs::MetadataExt as _;
        if !meta.file_type().is_socket() || meta.uid() != crate::os::sys::effective_uid() {
            return Err(SendError::Io(
                shown,
                io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "not a socket of yours: nothing sent",
                ),
            ));
        }
    }
    let mut stream = match UnixStream::connect(&path) {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Err(SendError::NoDashboard(
                data_dir.display().to_string(),
                shown,
            ));
        }
        Err(e) => return Err(SendError::Io(shown, e)),
    };
    let io_error = |e| SendError::Io(shown.clone(), e);
    // Only a dashboard of this user hears the action, and only its answer is printed.
    if let Some(uid) = stranger(&stream) {
        return Err(io_error(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("it is answered by uid {uid}, not by you: nothing sent"),
        )));
    }
    stream.set_read_timeout(Some(TALK)).map_err(io_error)?;
    stream.set_write_timeout(Some(TALK)).map_err(io_error)?;
    writeln!(stream, "{}", action.command_name()).map_err(io_error)?;
    let mut answer = String::new();
    match BufReader::new(stream.take(1024)).read_line(&mut answer) {
        Ok(_) => {}
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            return Err(SendError::NoAnswer);
        }
        Err(e) => return Err(io_error(e)),
    }
    match answer.trim_end() {
        "ok" => Ok(()),
        "" => Err(SendError::NoAnswer),
        // Printed to a terminal: whatever answered, no escape sequence gets through.
        other => Err(SendError::Refused(crate::dashboard::ui::clean(
            other.strip_prefix("refused: ").unwrap_or(other),
        ))),
    }
}

/// The socket being served; removed when dropped (the dashboard ends).
pub struct Control {
    path: PathBuf,
}

impl Drop for Control {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Serves the control socket of `data_dir` on a thread of its own: each action read is
/// handed to `deliver`, which answers whether the dashboard took it. Called only by the
/// dashboard that holds the data dir's lock.
pub fn serve(
    data_dir: &Path,
    deliver: impl Fn(Action) -> Result<(), String> + Send + Sync + 'static,
) -> io::Result<Control> {
    let path = socket_path(data_dir);
    if let Some(dir) = path.parent().filter(|d| *d != data_dir) {
        make_socket_dir(dir)?;
    }
    replace_stale(&path)?;
    let listener = UnixListener::bind(&path)?;
    let control = Control { path: path.clone() };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    let deliver = std::sync::Arc::new(deliver);
    let clients = std::sync::Arc::new(AtomicUsize::new(0));
    thread::Builder::new().name("ctl".into()).spawn(move || {
        let mut pause = None;
        for stream in listener.incoming() {
            let mut stream = match stream {
                Ok(stream) => stream,
                Err(e) => {
                    // Out of descriptors (EMFILE) or memory, a client gone before it was
                    // taken: wait a little longer each time and go on serving.
                    pause = backoff(e.kind(), pause);
                    if let Some(pause) = pause {
                        thread::sleep(pause);
                    }
                    continue;
                }
            };
            pause = None;
            // Only this user's clients act on this user's dashboard.
            if stranger(&stream).is_some() {
                let _ = writeln!(stream, "refused: not your dashboard");
                continue;
            }
            if clients.fetch_add(1, SeqCst) >= MOST_CLIENTS {
                clients.fetch_sub(1, SeqCst);
                let _ = writeln!(stream, "refused: the dashboard is busy: try again");
                continue;
            }
            let (deliver, done) = (deliver.clone(), clients.clone());
            let spawned = thread::Builder::new()
                .name("ctl client".into())
                .spawn(move || {
                    answer(stream, &*deliver);
                    done.fetch_sub(1, SeqCst);
                });
            if spawned.is_err() {
                clients.fetch_sub(1, SeqCst);
            }
        }
    })?;
    Ok(control)
}

/// How long to wait after a failed accept, from the wait before it: none for a signal,
/// else 10 ms doubling up to 1 s.
fn backoff(kind: io::ErrorKind, last: Option<Duration>) -> Option<Duration> {
    if kind == io::ErrorKind::Interrupted {
        return last;
    }
    Some(last.map_or(Duration::from_millis(10), |d| {
        (d * 2).min(Duration::from_secs(1))
    }))
}

/// A socket left where ours goes: one nobody answers on is a killed dashboard's and is
/// removed; one that answers is another dashboard's, and is not taken.
fn replace_stale(path: &Path) -> io::Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.file_type().is_socket() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is in the way and is not a socket", path.display()),
        ));
    }
    if UnixStream::connect(path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            format!("another dashboard answers on {}", path.display()),
        ));
    }
    std::fs::remove_file(path)
}

/// Reads one request and writes the answer; a client that says nothing in time, or
/// something that is not an action, is answered and let go.
fn answer(stream: UnixStream, deliver: &impl Fn(Action) -> Result<(), String>) {
    let _ = stream.set_read_timeout(Some(TALK));
    let _ = stream.set_write_timeout(Some(TALK));
    let Ok(reader) = stream.try_clone() else {
        return;
    };
    let mut line = String::new();
    if BufReader::new(reader.take(LONGEST_LINE))
        .read_line(&mut line)
        .is_err()
    {
        return;
    }
    let name = line.trim();
    let result = match Action::from_name(name).filter(|a| Action::SENDABLE.contains(a)) {
        Some(action) => deliver(action),
        None => Err(format!(
            "unknown action {name:?}: send one of {}",
            sendable_names()
        )),
    };
    let mut stream = stream;
    let _ = match result {
        Ok(()) => writeln!(stream, "ok"),
        Err(why) => writeln!(stream, "refused: {}", why.replace('\n', " ")),
    };
}

/// "start-pause, next, …": the actions `ctl` can send.
pub fn sendable_names() -> String {
    Action::SENDABLE
        .iter()
        .map(|a| a.command_name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn data_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    /// Serves in a data dir of its own, with no runtime dir in the way: the socket is
    /// `ctl.sock` in the data dir.
    fn serving(
        dir: &Path,
        answer: impl Fn(Action) -> Result<(), String> + Send + Sync + 'static,
    ) -> Control {
        serve(dir, answer).unwrap()
    }

    #[test]
    fn an_action_reaches_the_dashboard_and_its_answer_comes_back() {
        let dir = data_dir();
        let got = Arc::new(Mutex::new(Vec::new()));
        let seen = got.clone();
        let _control = serving(dir.path(), move |a| {
            seen.lock().unwrap().push(a);
            if a == Action::Back {
                Err("`back` changes nothing now".into())
            } else {
                Ok(())
            }
        });
        let path = socket_path(dir.path());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
        send(dir.path(), Action::Next).unwrap();
        let refused = send(dir.path(), Action::Back).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the dashboard refused: `back` changes nothing now"
        );
        assert_eq!(*got.lock().unwrap(), [Action::Next, Action::Back]);
    }

    #[test]
    fn no_dashboard_says_so() {
        let dir = data_dir();
        let err = send(dir.path(), Action::Next).unwrap_err();
        assert!(matches!(err, SendError::NoDashboard(..)), "{err}");
    }

    #[test]
    fn a_stale_socket_is_replaced_and_a_live_one_is_not_taken() {
        let dir = data_dir();
        let path = socket_path(dir.path());
        // A killed dashboard leaves its socket behind: bound, nobody listening.
        drop(UnixListener::bind(&path).unwrap());
        assert!(path.exists());
        assert!(matches!(
            send(dir.path(), Action::Next),
            Err(SendError::NoDashboard(..))
        ));
        let first = serving(dir.path(), |_| Ok(()));
        send(dir.path(), Action::Next).unwrap();
        let second = serve(dir.path(), |_| Err("the second".into()));
        assert!(second.is_err(), "a second server took the socket");
        send(dir.path(), Action::Next).unwrap();
        drop(first);
        assert!(
            !path.exists(),
            "the socket is removed when the dashboard ends"
        );
    }

    #[test]
    fn clients_that_say_nothing_hold_up_no_other() {
        let dir = data_dir();
        let _control = serving(dir.path(), |_| Ok(()));
        let path = socket_path(dir.path());
        let silent: Vec<UnixStream> = (0..3)
            .map(|_| UnixStream::connect(&path).unwrap())
            .collect();
        let started = std::time::Instant::now();
        send(dir.path(), Action::Next).unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "answered after {:?}",
            started.elapsed()
        );
        drop(silent);
    }

    #[test]
    fn a_screen_action_or_noise_is_refused() {
        let dir = data_dir();
        let _control = serving(dir.path(), |_| Ok(()));
        let path = socket_path(dir.path());
        for line in ["history", "jump", "\u{0}\u{1}", ""] {
            let mut s = UnixStream::connect(&path).unwrap();
            writeln!(s, "{line}").unwrap();
            let mut answer = String::new();
            BufReader::new(s).read_line(&mut answer).unwrap();
            assert!(
                answer.starts_with("refused: unknown action"),
                "{line:?}: {answer}"
            );
        }
    }

    #[test]
    fn a_link_planted_as_the_socket_dir_is_not_followed() {
        let runtime = tempfile::tempdir().unwrap();
        let data = data_dir();
        let target = tempfile::tempdir().unwrap();
        std::fs::set_permissions(target.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let planted = runtime.path().join("rollcoach");
        std::os::unix::fs::symlink(target.path(), &planted).unwrap();
        let path = socket_path_in(Some(runtime.path()), data.path());
        assert_eq!(path, data.path().join("ctl.sock"), "the data dir's socket");
        assert!(make_socket_dir(&planted).is_err(), "refused, not followed");
        let mode = std::fs::metadata(target.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755, "the link's target is left as it was");
        // A real directory of ours is used, and made 0700.
        std::fs::remove_file(&planted).unwrap();
        let path = socket_path_in(Some(runtime.path()), data.path());
        assert_eq!(path.parent(), Some(planted.as_path()));
        make_socket_dir(&planted).unwrap();
        let mode = std::fs::metadata(&planted).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn accept_failures_back_off_and_never_end_the_serving() {
        let emfile = io::Error::from_raw_os_error(libc::EMFILE).kind();
        let mut pause = None;
        let mut waits = Vec::new();
        for _ in 0..10 {
            pause = backoff(emfile, pause);
            waits.push(pause.expect("serving goes on").as_millis());
        }
        assert_eq!(waits[..4], [10, 20, 40, 80]);
        assert_eq!(waits[9], 1000);
        assert_eq!(backoff(io::ErrorKind::Interrupted, None), None);
    }

    #[test]
    fn the_peer_of_a_socket_of_ours_is_us() {
        let (a, _b) = UnixStream::pair().unwrap();
        assert_eq!(stranger(&a), None);
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsFd as _;
            assert_eq!(
                crate::os::sys::peer_uid(a.as_fd()).unwrap(),
                crate::os::sys::effective_uid()
            );
        }
    }
}
