//! User hook commands: run directly (no shell), off the UI thread, with a timeout that
//! kills the hook and its children; output and failures go to hooks.log.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use wait_timeout::ChildExt;

use super::Report;

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
    log: PathBuf,
    report: Report,
}

impl Hooks {
    /// Hooks logging to `hooks.log` in the data dir; failures reported as one line.
    pub fn new(data_dir: &Path, report: Report) -> Hooks {
        Hooks {
            log: data_dir.join(LOG_NAME),
            report,
        }
    }

    /// Starts a hook and returns at once.
    pub fn run(&self, hook: HookRun) {
        let log = self.log.clone();
        let report = self.report.clone();
        let spawned = thread::Builder::new().name("hook".into()).spawn(move || {
            if let Err(line) = run_one(&hook, &log) {
                report(line);
            }
        });
        if let Err(e) = spawned {
            (self.report)(format!("cannot start a hook thread: {e}"));
        }
    }
}

/// Runs one hook to its end or its timeout; Err is the status line of a failure.
pub fn run_one(hook: &HookRun, log_path: &Path) -> Result<(), String> {
    let program = hook.argv.first().cloned().unwrap_or_default();
    let what = format!("hook `{program}` on {}", hook.event);
    let mut log = open_log(log_path)
        .map_err(|e| format!("{what}: cannot open {}: {e}", log_path.display()))?;
    let stamp = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    let _ = writeln!(log, "[{stamp}] {}: {}", hook.event, hook.argv.join(" "));
    let fail = |log: &mut File, line: String| {
        let _ = writeln!(log, "[{stamp}] {line}");
        Err(line)
    };
    let (out, err) = match (log.try_clone(), log.try_clone()) {
        (Ok(out), Ok(err)) => (out, err),
        (Err(e), _) | (_, Err(e)) => return fail(&mut log, format!("{what}: {e}")),
    };
    let mut command = Command::new(&program);
    command
        .args(&hook.argv[1..])
        .envs(hook.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        // Its own process group, so that a timeout kills its children too.
        .process_group(0);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return fail(&mut log, format!("{what} cannot start: {e}")),
    };
    match child.wait_timeout(hook.timeout) {
        Ok(Some(status)) if status.success() => Ok(()),
        Ok(Some(status)) => fail(&mut log, format!("{what} failed: {status}")),
        Ok(None) => {
            // SAFETY: signalling the process group we created for this child.
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            let _ = child.wait();
            fail(
                &mut log,
                format!(
                    "{what} timed out after {}, killed",
                    humantime::format_duration(hook.timeout)
                ),
            )
        }
        Err(e) => fail(&mut log, format!("{what}: {e}")),
    }
}

fn open_log(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    OpenOptions::new().create(true).append(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

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
        let log = dir.path().join(LOG_NAME);
        run_one(
            &hook(
                &["sh", "-c", "echo step=$ROLLCOACH_STEP; echo oops >&2"],
                5000,
            ),
            &log,
        )
        .unwrap();
        let text = fs::read_to_string(&log).unwrap();
        assert!(text.contains("StepEnd: sh -c"), "{text}");
        assert!(text.contains("step=Cleanse\noops\n"), "{text}");
    }

    #[test]
    fn failures_are_reported_and_logged() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join(LOG_NAME);
        let err = run_one(&hook(&["sh", "-c", "exit 3"], 5000), &log).unwrap_err();
        assert!(err.contains("failed: exit status: 3"), "{err}");
        let err = run_one(&hook(&["/nonexistent/hook"], 5000), &log).unwrap_err();
        assert!(err.contains("cannot start"), "{err}");
        let text = fs::read_to_string(&log).unwrap();
        assert!(
            text.contains("exit status: 3") && text.contains("cannot start"),
            "{text}"
        );
    }

    #[test]
    fn a_hook_past_its_timeout_is_killed_with_its_children() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join(LOG_NAME);
        let pidfile = dir.path().join("child.pid");
        let script = format!("sleep 30 & echo $! > {}; wait", pidfile.display());
        let started = Instant::now();
        let err = run_one(&hook(&["sh", "-c", &script], 300), &log).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(err.contains("timed out after 300ms"), "{err}");
        let pid: i32 = fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The grandchild `sleep` is gone too (signal 0 only checks it exists); it may
        // linger as a zombie for a moment until init reaps it.
        let deadline = Instant::now() + Duration::from_secs(5);
        while unsafe { libc::kill(pid, 0) } == 0 && !is_zombie(pid) {
            assert!(
                Instant::now() < deadline,
                "sleep {pid} survived the timeout"
            );
            thread::sleep(Duration::from_millis(20));
        }
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
