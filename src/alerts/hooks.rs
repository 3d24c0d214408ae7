//! User hook commands: run directly (no shell), off the UI thread, with a timeout that
//! ends the hook and everything it started; output and failures go to hooks.log.

pub mod log;
pub mod tree;

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use self::log::{HookLog, LOG_LIMIT, RUN_BUDGET};
use self::tree::{GRACE, Running};
use super::Report;
use super::failure::{HookFailure, HookWhy};

/// The hook log's file name in the data dir.
pub const LOG_NAME: &str = "hooks.log";

/// One hook to run.
#[derive(Debug, Clone, PartialEq)]
pub struct HookRun {
    /// The event's name, for the log.
    pub event: String,
    /// Program and arguments.
    pub argv: Vec<String>,
    /// Environment added for it.
    pub env: Vec<(String, String)>,
    /// How long it may run.
    pub timeout: Duration,
}

pub use super::guard::guard;

/// Runs hooks, each on a thread of its own so that a slow one delays no other.
pub struct Hooks {
    log: Arc<HookLog>,
    running: Arc<Running>,
    report: Report,
}

impl Hooks {
    /// Hooks logging to `hooks.log` in the data dir; failures reported as one line.
    pub fn new(data_dir: &Path, report: Report) -> Hooks {
        Hooks {
            log: Arc::new(HookLog::new(data_dir.join(LOG_NAME), LOG_LIMIT)),
            running: Arc::default(),
            report,
        }
    }

    /// The running hooks, for whoever ends them at quit.
    pub fn running(&self) -> Arc<Running> {
        self.running.clone()
    }

    /// Starts a hook and returns at once.
    pub fn run(&self, hook: HookRun) {
        let log = self.log.clone();
        let running = self.running.clone();
        let report = self.report.clone();
        let (event, program) = (
            hook.event.clone(),
            hook.argv.first().cloned().unwrap_or_default(),
        );
        let spawned = thread::Builder::new().name("hook".into()).spawn(move || {
            if let Err(failure) = run_one(&hook, &log, &running) {
                report(failure.into());
            }
        });
        if let Err(e) = spawned {
            (self.report)(
                HookFailure {
                    event,
                    program,
                    why: HookWhy::Start(format!("no thread to run it: {e}")),
                }
                .into(),
            );
        }
    }

    /// Ends every running hook and all it started, and starts no more: SIGTERM, then
    /// SIGKILL after a short grace. Returns how many processes there were.
    pub fn end_all(&self) -> usize {
        self.running.end_all(GRACE)
    }
}

/// Runs one hook to its end or its timeout; Err says why it failed (also written to
/// the log). Processes it leaves behind get what is left of its timeout, then are ended
/// too.
pub fn run_one(hook: &HookRun, log: &Arc<HookLog>, running: &Running) -> Result<(), HookFailure> {
    let program = hook.argv.first().cloned().unwrap_or_default();
    let what = format!("hook `{program}` on {}", hook.event);
    let stamp = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    let note = |line: &str| {
        let _ = log.write(format!("[{stamp}] {line}\n").as_bytes());
    };
    let failure = |why: HookWhy| HookFailure {
        event: hook.event.clone(),
        program: program.clone(),
        why,
    };
    let fail = |why: HookWhy| {
        let failure = failure(why);
        note(&failure.to_string());
        Err(failure)
    };
    note(&format!("{}: {}", hook.event, hook.argv.join(" ")));
    // Output goes through a pipe, not straight into the file, so that the log's
    // limits hold while a hook floods it.
    let (output, out, err) = match io::pipe().and_then(|(r, w)| Ok((r, w.try_clone()?, w))) {
        Ok(pipe) => pipe,
        Err(e) => return fail(HookWhy::Io(e.to_string())),
    };
    let mut command = Command::new(&program);
    command
        .args(&hook.argv[1..])
        .envs(hook.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    let started = Instant::now();
    let spawned = running.spawn(&mut command);
    // Our copies of the pipe's write end must close, or the copy never sees its end.
    drop(command);
    let (id, mut child) = match spawned {
        Ok(Some(spawned)) => spawned,
        Ok(None) => return Ok(()),
        Err(e) => return fail(HookWhy::Start(e.to_string())),
    };
    let copied = {
        let (done, copied) = mpsc::channel();
        let log = log.clone();
        let _ = thread::Builder::new()
            .name("hook output".into())
            .spawn(move || {
                let _ = done.send(log.copy(output, RUN_BUDGET));
            });
        copied
    };
    let deadline = started + hook.timeout;
    // Its own process group (`Running::spawn`): keys typed in the pane never signal it,
    // and it is ended whole. The hook's process is not reaped until the group is let
    // go, so that the group's id stays the hook's.
    let outcome = match wait(&child, deadline, running, &id) {
        Ok(true) => Ok(()),
        Ok(false) => {
            running.end(&id, GRACE);
            Err(HookWhy::TimedOut(hook.timeout))
        }
        Err(e) => {
            running.end(&id, GRACE);
            Err(HookWhy::Io(e.to_string()))
        }
    };
    if outcome.is_ok() && !running.closed() {
        while running.lingers(&id) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(250).min(deadline - Instant::now()));
        }
        let left = running.end(&id, GRACE);
        if left > 0 {
            note(&format!(
                "{what}: {left} process(es) it started still ran at its timeout, ended"
            ));
        }
    }
    running.release(&id);
    let waited = child.wait();
    running.finish(&id);
    let mut outcome = outcome.and_then(|()| waited.map_err(|e| HookWhy::Io(e.to_string())));
    // Whatever could still hold the pipe open was just ended; an escaped process
    // holding it is not waited for.
    if let Ok(Ok(dropped)) = copied.recv_timeout(Duration::from_secs(1))
        && dropped > 0
    {
        note(&format!(
            "{what}: {dropped} more bytes of output left out (a run keeps {} KiB)",
            RUN_BUDGET / 1024
        ));
    }
    if running.closed() {
        outcome = outcome.and(Err(HookWhy::EndedWithDashboard));
    }
    match outcome {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => fail(HookWhy::Failed(status.to_string())),
        Err(why) => fail(why),
    }
}

/// Waits for the hook's own process to exit (not reaping it) until `deadline`,
/// recording what it starts meanwhile; false at the deadline.
fn wait(child: &Child, deadline: Instant, running: &Running, id: &str) -> io::Result<bool> {
    let exit = ExitWatch::new(child.id());
    let pid = i32::try_from(child.id()).map_err(io::Error::other)?;
    // Often at first, when a hook most likely forks, then every half second.
    let mut pause = Duration::from_millis(20);
    loop {
        if crate::os::sys::exited_unreaped(pid)? {
            return Ok(true);
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(false);
        }
        exit.wait(pause.min(deadline - now));
        running.watch(id);
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

/// Wakes when a process exits, without a SIGCHLD handler: a pidfd (Linux 5.3), or
/// short sleeps where there is none.
struct ExitWatch {
    pidfd: Option<OwnedFd>,
}

impl ExitWatch {
    fn new(pid: u32) -> ExitWatch {
        ExitWatch {
            pidfd: crate::os::sys::pidfd_open(pid),
        }
    }

    /// Returns when the process has exited or `most` has passed.
    fn wait(&self, most: Duration) {
        match &self.pidfd {
            Some(fd) => {
                crate::os::sys::wait_readable(fd.as_fd(), most);
            }
            None => thread::sleep(most.min(Duration::from_millis(25))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::time::Instant;

    fn log_in(dir: &Path) -> Arc<HookLog> {
        Arc::new(HookLog::new(dir.join(LOG_NAME), LOG_LIMIT))
    }

    fn hook(argv: &[&str], timeout_ms: u64) -> HookRun {
        HookRun {
            event: "StepEnd".into(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            env: vec![("ROLLCOACH_STEP".into(), "Cleanse".into())],
            timeout: Duration::from_millis(timeout_ms),
        }
    }

    #[test]
    fn output_and_environment_reach_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_in(dir.path());
        run_one(
            &hook(
                &["sh", "-c", "echo step=$ROLLCOACH_STEP; echo oops >&2"],
                5000,
            ),
            &log,
            &Running::default(),
        )
        .unwrap();
        let text = fs::read_to_string(log.path()).unwrap();
        assert!(text.contains("StepEnd: sh -c"), "{text}");
        assert!(text.contains("step=Cleanse\noops\n"), "{text}");
    }

    #[test]
    fn failures_are_reported_and_logged() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_in(dir.path());
        let err = run_one(
            &hook(&["sh", "-c", "exit 3"], 5000),
            &log,
            &Running::default(),
        )
        .unwrap_err();
        assert_eq!(err.why, HookWhy::Failed("exit status: 3".into()), "{err}");
        let err = run_one(
            &hook(&["/nonexistent/hook"], 5000),
            &log,
            &Running::default(),
        )
        .unwrap_err();
        assert!(matches!(err.why, HookWhy::Start(_)), "{err}");
        assert!(err.to_string().contains("cannot start"), "{err}");
        let text = fs::read_to_string(log.path()).unwrap();
        assert!(
            text.contains("exit status: 3") && text.contains("cannot start"),
            "{text}"
        );
    }

    #[test]
    fn a_hook_past_its_timeout_is_killed_with_its_children() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_in(dir.path());
        let pidfile = dir.path().join("child.pid");
        let script = format!("sleep 30 & echo $! > {}; wait", pidfile.display());
        let started = Instant::now();
        let err = run_one(
            &hook(&["sh", "-c", &script], 300),
            &log,
            &Running::default(),
        )
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            err.why,
            HookWhy::TimedOut(Duration::from_millis(300)),
            "{err}"
        );
        let pid: i32 = fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The grandchild `sleep` is gone too (signal 0 only checks it exists); it may
        // linger as a zombie for a moment until init reaps it.
        let deadline = Instant::now() + Duration::from_secs(5);
        while crate::os::sys::kill(pid, 0) && !is_zombie(pid) {
            assert!(
                Instant::now() < deadline,
                "sleep {pid} survived the timeout"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// The pid a hook wrote to `path`, waited for.
    fn pid_in(path: &Path) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(pid) = fs::read_to_string(path)
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                return pid;
            }
            assert!(Instant::now() < deadline, "nothing in {}", path.display());
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits up to `most` for a process to be gone (or a zombie); whether it went.
    fn gone_within(pid: i32, most: Duration) -> bool {
        let deadline = Instant::now() + most;
        loop {
            // Signal 0 only checks that the process exists.
            if !crate::os::sys::kill(pid, 0) || is_zombie(pid) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn processes_that_leave_the_session_end_at_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_in(dir.path());
        let marked = dir.path().join("marked.pid");
        let bare = dir.path().join("bare.pid");
        // One keeps the marker, one clears its environment: both in new sessions.
        let script = format!(
            "setsid sh -c 'echo $$ > {}; exec sleep 300' & \
             setsid env -i sh -c 'echo $$ > {}; exec sleep 300' & sleep 30",
            marked.display(),
            bare.display()
        );
        let started = Instant::now();
        let err = run_one(
            &hook(&["sh", "-c", &script], 1000),
            &log,
            &Running::default(),
        )
        .unwrap_err();
        assert_eq!(err.why, HookWhy::TimedOut(Duration::from_secs(1)), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
        for pid in [pid_in(&marked), pid_in(&bare)] {
            assert!(
                gone_within(pid, Duration::from_secs(2)),
                "sleep {pid} outlived the hook's timeout"
            );
        }
    }

    #[test]
    fn what_a_finished_hook_left_running_ends_at_its_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_in(dir.path());
        let pidfile = dir.path().join("left.pid");
        let script = format!(
            "setsid sh -c 'echo $$ > {}; exec sleep 300' &",
            pidfile.display()
        );
        run_one(
            &hook(&["sh", "-c", &script], 800),
            &log,
            &Running::default(),
        )
        .unwrap();
        let pid = pid_in(&pidfile);
        assert!(
            gone_within(pid, Duration::from_secs(2)),
            "sleep {pid} lives"
        );
        let text = fs::read_to_string(log.path()).unwrap();
        assert!(text.contains("still ran at its timeout, ended"), "{text}");
    }

    /// The live processes (zombies aside) in process group `group`, from /proc.
    fn alive_in_group(group: i32) -> Vec<i32> {
        let Ok(entries) = fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter(|pid| {
                let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                // After the command's closing parenthesis: state, ppid, pgrp.
                let fields: Vec<&str> = stat
                    .rsplit_once(')')
                    .map(|(_, rest)| rest.split_whitespace().collect())
                    .unwrap_or_default();
                fields.get(2).and_then(|g| g.parse::<i32>().ok()) == Some(group)
                    && fields.first() != Some(&"Z")
            })
            .collect()
    }

    #[test]
    fn a_child_that_clears_its_environment_and_is_orphaned_at_once_still_ends() {
        // `env -i` takes the marker away, and the subshell that started it exits at
        // once, so no look at the hook's tree ever sees it as a child: only the process
        // group still says whose it is. The hook ends on its own (first) or runs into
        // its timeout (then): either way nothing of it is left running.
        for (tail, timeout_ms, timed_out) in [("", 800, false), ("; sleep 30", 800, true)] {
            let dir = tempfile::tempdir().unwrap();
            let log = log_in(dir.path());
            let (root, bare) = (dir.path().join("root.pid"), dir.path().join("bare.pid"));
            let script = format!(
                "echo $$ > {root}; (env -i sh -c 'echo $$ > {bare}; exec sleep 600' &); \
                 while [ ! -s {bare} ]; do :; done{tail}",
                root = root.display(),
                bare = bare.display(),
            );
            let started = Instant::now();
            let ran = run_one(
                &hook(&["sh", "-c", &script], timeout_ms),
                &log,
                &Running::default(),
            );
            assert_eq!(ran.is_err(), timed_out, "{ran:?}");
            assert!(started.elapsed() < Duration::from_secs(5));
            let (group, sleeper) = (pid_in(&root), pid_in(&bare));
            let deadline = Instant::now() + Duration::from_secs(2);
            while !alive_in_group(group).is_empty() {
                if Instant::now() > deadline {
                    let left = alive_in_group(group);
                    // Not left behind by a failing test either.
                    crate::os::sys::kill(-group, libc::SIGKILL);
                    panic!(
                        "still running in the hook's group {group}: {left:?} (the sleep is {sleeper})"
                    );
                }
                thread::sleep(Duration::from_millis(20));
            }
        }
    }

    #[test]
    fn ending_all_hooks_kills_one_that_ignores_sigterm_after_the_grace() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("stubborn.pid");
        let hooks = Hooks::new(dir.path(), Arc::new(|_| {}));
        let script = format!("trap '' TERM; echo $$ > {}; sleep 60", pidfile.display());
        hooks.run(hook(&["sh", "-c", &script], 30_000));
        let pid = pid_in(&pidfile);
        let started = Instant::now();
        assert!(hooks.end_all() >= 2, "the shell and its sleep");
        let took = started.elapsed();
        eprintln!("ending a hook that ignores SIGTERM took {took:?}");
        assert!(took < Duration::from_secs(1), "ending took {took:?}");
        assert!(gone_within(pid, Duration::from_millis(500)), "{pid} lives");
        // No hook starts once the dashboard is quitting.
        let late = dir.path().join("late");
        let touch = hook(&["touch", &late.display().to_string()], 1000);
        run_one(&touch, &log_in(dir.path()), &hooks.running()).unwrap();
        assert!(!late.exists());
    }

    #[test]
    fn a_flooding_hook_keeps_the_log_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let log = log_in(dir.path());
        for _ in 0..6 {
            run_one(
                &hook(
                    &["sh", "-c", "yes 0123456789abcdef | head -c 5000000"],
                    20_000,
                ),
                &log,
                &Running::default(),
            )
            .unwrap();
        }
        let now = fs::metadata(log.path()).unwrap().len();
        let old = fs::metadata(log.rotated()).unwrap().len();
        eprintln!("after six 5 MB floods: hooks.log {now} bytes, hooks.log.1 {old} bytes");
        assert!(
            now <= LOG_LIMIT && old <= LOG_LIMIT,
            "{now} and {old} bytes"
        );
        let text = fs::read_to_string(log.path()).unwrap();
        assert!(
            text.contains("more bytes of output left out"),
            "{}",
            &text[..200]
        );
    }

    fn is_zombie(pid: i32) -> bool {
        fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                s.rsplit(')')
                    .next()
                    .is_some_and(|rest| rest.trim_start().starts_with('Z'))
            })
            .unwrap_or(true)
    }
}
