//! The harness of the end-to-end tests (tests/e2e.rs, tests/notify.rs): the real binary
//! in a sandbox of its own, driven in tmux ([`tmux`]) and, for notifications, talking
//! to a private D-Bus session bus ([`dbus`]).
//!
//! Every test has its own temp dir: its config file, data dir, HOME and XDG dirs, its
//! private `TMUX_TMPDIR` (so its own tmux server) and the socket of its own bus. No
//! `ROLLCOACH_*` and no `DBUS_SESSION_BUS_ADDRESS` from the environment reaches what it
//! starts, and every process it starts carries [`TOKEN_VAR`], so a test finds its own
//! processes and no other's. Dropping the sandbox kills its tmux server, its
//! notification server and its bus, then removes the temp dir, failed or not.
//!
//! Nothing is asserted after a fixed sleep: every wait polls the screen, a file or
//! /proc with a deadline, and says what it saw last when the deadline passes.
//!
//! The tests that use it are `#[ignore = "needs tmux"]` (or the tools they need):
//! `cargo test` leaves them out, `cargo test -- --include-ignored` runs them, and there
//! a missing tool fails the test, naming what to install.

// Each test binary uses part of the harness.
#![allow(dead_code)]

pub mod dbus;
pub mod tmux;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use dbus::{Bus, Server};
pub use tmux::Pane;

/// How long any one wait may take: generous, for a loaded 2-core machine.
pub const DEADLINE: Duration = Duration::from_secs(15);

/// How often a wait looks again.
pub const POLL: Duration = Duration::from_millis(60);

/// A variable every process a sandbox starts carries, with the sandbox's temp dir as
/// its value. Not `ROLLCOACH_*`: hooks are shown those.
pub const TOKEN_VAR: &str = "E2E_TEST_TOKEN";

/// The interpreter that has the dbus and gi modules.
pub const PYTHON: &str = "/usr/bin/python3";

/// What a test needs beyond the binary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Need {
    Tmux,
    /// `dbus-daemon`, for a private session bus.
    Bus,
    /// [`PYTHON`] with the dbus and gi modules, for the notification server.
    Server,
    /// A program that answers `--version`.
    Program(&'static str),
}

/// Whether a tool is there (looked up once per test binary): why not, if it is not.
fn check(need: Need) -> Result<(), String> {
    static FOUND: OnceLock<std::sync::Mutex<BTreeMap<String, Result<(), String>>>> =
        OnceLock::new();
    let key = format!("{need:?}");
    let found = FOUND.get_or_init(Default::default);
    if let Some(known) = found.lock().expect("the lookups").get(&key) {
        return known.clone();
    }
    let runs = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let result = match need {
        Need::Tmux => runs("tmux", &["-V"])
            .then_some(())
            .ok_or_else(|| "tmux is not on PATH".to_string()),
        Need::Bus => runs("dbus-daemon", &["--version"])
            .then_some(())
            .ok_or_else(|| "dbus-daemon is not on PATH (package dbus-daemon)".to_string()),
        Need::Server => {
            let probe = "import dbus, dbus.service, dbus.mainloop.glib; \
                         from gi.repository import GLib";
            runs(PYTHON, &["-c", probe]).then_some(()).ok_or_else(|| {
                format!(
                    "{PYTHON} with the dbus and gi modules (python3-dbus, python3-gi) is missing"
                )
            })
        }
        Need::Program(program) => runs(program, &["--version"])
            .then_some(())
            .ok_or_else(|| format!("{program} is not on PATH")),
    };
    found
        .lock()
        .expect("the lookups")
        .insert(key, result.clone());
    result
}

/// Fails the test, naming what to install, unless everything in `needs` is there.
pub fn require(needs: &[Need]) {
    for need in needs {
        if let Err(why) = check(*need) {
            panic!(
                "this end-to-end test cannot run: {why}. Install it, or run the tests \
                 without --include-ignored to leave the end-to-end tests out"
            );
        }
    }
}

/// Polls `probe` until it gives a value; panics with `what` and `seen()` at the
/// deadline.
pub fn poll<T>(
    what: &str,
    deadline: Duration,
    mut probe: impl FnMut() -> Option<T>,
    seen: impl Fn() -> String,
) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        if start.elapsed() > deadline {
            panic!(
                "timed out after {deadline:?} waiting for {what}; last seen:\n{}",
                seen()
            );
        }
        thread::sleep(POLL);
    }
}

/// A word (a path, say) quoted for a shell.
pub fn quote(word: impl AsRef<Path>) -> String {
    format!(
        "'{}'",
        word.as_ref().display().to_string().replace('\'', r"'\''")
    )
}

/// One test's private world. Dropping it kills its tmux server, then its notification
/// server and its bus (the fields, in order), then removes its temp dir.
pub struct Sandbox {
    pub(crate) server: Option<Server>,
    pub(crate) bus: Option<Bus>,
    root: TempDir,
}

impl Sandbox {
    /// A sandbox with `config` written to its config file (mode 0644: hooks refuse a
    /// config others can write).
    pub fn new(config: &str) -> Sandbox {
        let sandbox = Sandbox {
            server: None,
            bus: None,
            root: tempfile::tempdir().expect("a temp dir"),
        };
        fs::write(sandbox.config(), config).expect("write the config");
        sandbox.chmod(&sandbox.config(), 0o644);
        sandbox
    }

    /// The sandbox's temp dir.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    pub fn config(&self) -> PathBuf {
        self.path("config.ron")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path("data")
    }

    pub fn saved_path(&self) -> PathBuf {
        self.data_dir().join("session.json")
    }

    pub fn journal_path(&self) -> PathBuf {
        self.data_dir().join("journal.jsonl")
    }

    pub fn hooks_log(&self) -> PathBuf {
        self.data_dir().join("hooks.log")
    }

    /// The value of [`TOKEN_VAR`] in this sandbox's processes.
    pub fn token(&self) -> String {
        self.root.path().display().to_string()
    }

    pub fn chmod(&self, path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
    }

    /// The variables of this sandbox's processes: its own HOME and XDG dirs, and the
    /// token.
    pub fn isolated_env(&self) -> Vec<(&'static str, String)> {
        let path = |name: &str| self.path(name).display().to_string();
        vec![
            ("HOME", path("home")),
            ("XDG_CONFIG_HOME", path("xdg-config")),
            ("XDG_DATA_HOME", path("xdg-data")),
            ("XDG_RUNTIME_DIR", path("xdg-runtime")),
            (TOKEN_VAR, self.token()),
        ]
    }

    /// `command` with the environment every process of this sandbox starts with:
    /// [`Sandbox::isolated_env`], and no ROLLCOACH_*, session bus or tmux from outside.
    pub fn isolate<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("ROLLCOACH_")) {
            command.env_remove(name);
        }
        command
            .env_remove("ROLLCOACH_CONFIG")
            .env_remove("ROLLCOACH_DATA_DIR")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("TMUX")
            .envs(self.isolated_env())
    }

    /// `rollcoach ARGS` run headless on this sandbox's config and data dir, whatever it
    /// exits with; no session bus.
    pub fn rollcoach_output(&self, args: &[&str]) -> Output {
        self.rollcoach_command(args)
            .output()
            .expect("run rollcoach")
    }

    /// `rollcoach ARGS` run headless with `bus` as the session bus, whatever it exits
    /// with.
    pub fn rollcoach_on_bus(&self, bus: &str, args: &[&str]) -> Output {
        self.rollcoach_command(args)
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .output()
            .expect("run rollcoach")
    }

    fn rollcoach_command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rollcoach"));
        self.isolate(&mut command)
            .arg("--config")
            .arg(self.config())
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args)
            .stdin(Stdio::null());
        command
    }

    /// `rollcoach ARGS` run headless; it must succeed.
    pub fn rollcoach(&self, args: &[&str]) -> Output {
        let out = self.rollcoach_output(args);
        assert!(
            out.status.success(),
            "rollcoach {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `rollcoach today --json`, parsed.
    pub fn plan(&self) -> Value {
        let out = self.rollcoach(&["today", "--json"]);
        serde_json::from_slice(&out.stdout).expect("today --json prints JSON")
    }

    /// The saved session, parsed; it must exist.
    pub fn saved(&self) -> Value {
        let bytes = fs::read(self.saved_path()).expect("session.json exists");
        serde_json::from_slice(&bytes).expect("session.json is JSON")
    }

    /// Every regular file of the data dir with its bytes (not the dashboard's socket).
    pub fn data_files(&self) -> BTreeMap<String, Vec<u8>> {
        let Ok(entries) = fs::read_dir(self.data_dir()) else {
            return BTreeMap::new();
        };
        entries
            .map(|e| e.expect("a dir entry"))
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).expect("read a data file"),
                )
            })
            .collect()
    }

    /// Waits for a file to exist; the pane's screen is shown if it never does.
    pub fn wait_file(&self, path: &Path, pane: &Pane) {
        poll(
            &path.display().to_string(),
            DEADLINE,
            || path.exists().then_some(()),
            || pane.screen(),
        );
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Nothing left behind, whether the test passed or not; the server and the bus
        // go next (fields), the temp dir last.
        let _ = self.tmux().arg("kill-server").output();
    }
}

/// Pids of live processes (zombies aside) of this sandbox whose command line is `argv`.
pub fn processes(sandbox: &Sandbox, argv: &[&str]) -> Vec<i32> {
    let token = format!("{TOKEN_VAR}={}", sandbox.token());
    let mut wanted = Vec::new();
    for arg in argv {
        wanted.extend_from_slice(arg.as_bytes());
        wanted.push(0);
    }
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let dir = entry.path();
        if fs::read(dir.join("cmdline")).ok().as_deref() != Some(&wanted[..]) {
            continue;
        }
        let ours = fs::read(dir.join("environ"))
            .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == token.as_bytes()));
        if ours && !gone(pid) {
            found.push(pid);
        }
    }
    found
}

/// Whether a process is gone (or a zombie waiting for its parent).
pub fn gone(pid: i32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return true;
    };
    stat.rfind(')')
        .is_some_and(|close| stat[close + 1..].trim_start().starts_with('Z'))
}

/// The pid of a child of `parent` whose command name is `name`.
pub fn child_named(parent: i32, name: &str) -> Option<i32> {
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<i32>().ok());
        if comm == name && ppid == Some(parent) {
            return Some(pid);
        }
    }
    None
}
