//! Notifications and hooks end to end: the real binary, a real private D-Bus session
//! bus, a test notification server on it, and the dashboard driven in tmux.
//!
//! Every test has its own temp dir: its data dir, config file, HOME / XDG dirs, its
//! private `TMUX_TMPDIR` (so its own tmux server) and the socket of its own bus
//! (`dbus-daemon` with tests/fixtures/notify/bus.conf: no service activation, so a
//! notification daemon installed on the machine is never started on it). The server,
//! tests/fixtures/notify/server.py, records every Notify call as a JSON line. A guard
//! kills the tmux server, the notification server and the bus when the test ends,
//! failed or not; the bus and the server also die with the test's thread
//! (PR_SET_PDEATHSIG) should the test binary itself be killed.
//!
//! Nothing is asserted after a fixed sleep: every wait polls the screen, a file or
//! /proc with a deadline, and says what it saw last when the deadline passes.
//!
//! Without `tmux`, `dbus-daemon`, or `/usr/bin/python3` with the dbus and gi modules
//! these tests are skipped with a printed reason, except when `CI` is set (CI installs
//! them): then they fail.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// How long any one wait may take: generous, for a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(15);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(60);

/// How late a session may complete after its steps' total time and still be on time.
const ON_TIME: Duration = Duration::from_secs(3);

/// The interpreter that has the dbus and gi modules.
const PYTHON: &str = "/usr/bin/python3";

/// A bus address where there is no bus at all.
const NO_BUS: &str = "unix:path=/nonexistent/rollcoach-test-bus";

/// A variable every process started from a test's pane carries, with the test's temp
/// dir as its value: how a test finds the processes it started (and no other's).
const TOKEN_VAR: &str = "NOTIFY_TEST_TOKEN";

/// One-second steps run through by themselves, with a warning a second before the end
/// of the longer ones: 2 + (1 + 1) + 1 seconds. The first step's name has markup in
/// it.
const ONE_SECOND_STEPS: &str = r#"(
    notify: (desktop: true, bell: false, warn_before: "1s"),
    roller: (needle_mm: 0.5),
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse & tone", kind: Cleanse, duration: "2s"),
            (name: "Roll", kind: Roll, zones: [
                (name: "Forehead", duration: "1s"),
                (name: "Left cheek", duration: "1s"),
            ]),
            (name: "Moisturise", kind: Moisturise, duration: "1s"),
        ],
    )],
)"#;

/// The steps' total time of ONE_SECOND_STEPS.
const ONE_SECOND_STEPS_SECS: u64 = 5;

/// What the server must be told, in order, for ONE_SECOND_STEPS (warnings aside).
const EXPECTED_SUMMARIES: [&str; 10] = [
    "evening started",
    "Cleanse &amp; tone",
    "Cleanse &amp; tone done",
    "Roll",
    "Forehead",
    "Left cheek",
    "Roll done",
    "Moisturise",
    "Moisturise done",
    "evening complete",
];

/// About four seconds of steps, for the slow server.
const FOUR_SECONDS: &str = r#"(
    notify: (desktop: true, warn_before: "1s"),
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "2s"),
            (name: "Moisturise", kind: Moisturise, duration: "2s"),
        ],
    )],
)"#;

/// The steps' total time of FOUR_SECONDS.
const FOUR_SECONDS_SECS: u64 = 4;

/// A hook that writes its environment to ENVFILE at each step's end, and one that
/// sleeps past its timeout at each step's start: 2 + 1 seconds.
const HOOKS: &str = r#"(
    notify: (desktop: false),
    hooks: [
        (on: StepEnd, run: ["sh", "-c", "env | grep ^ROLLCOACH_ >> 'ENVFILE'; echo ---- >> 'ENVFILE'"]),
        (on: StepStart, run: ["sleep", "30"], timeout: "1s"),
    ],
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "2s"),
            (name: "Moisturise", kind: Moisturise, duration: "1s"),
        ],
    )],
)"#;

/// The steps' total time of HOOKS.
const HOOKS_SECS: u64 = 3;

/// One recorded Notify call.
#[derive(Debug, Clone, PartialEq)]
struct Call {
    app_name: String,
    summary: String,
    body: String,
}

/// What a test needs beyond the binary.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Need {
    Tmux,
    Bus,
    Server,
}

/// Whether a tool is there, looked up once per test binary.
fn have(need: Need) -> Result<(), String> {
    static TMUX: OnceLock<Result<(), String>> = OnceLock::new();
    static BUS: OnceLock<Result<(), String>> = OnceLock::new();
    static SERVER: OnceLock<Result<(), String>> = OnceLock::new();
    let runs = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    match need {
        Need::Tmux => TMUX.get_or_init(|| {
            runs("tmux", &["-V"])
                .then_some(())
                .ok_or_else(|| "tmux is not on PATH".to_string())
        }),
        Need::Bus => BUS.get_or_init(|| {
            runs("dbus-daemon", &["--version"])
                .then_some(())
                .ok_or_else(|| "dbus-daemon is not on PATH".to_string())
        }),
        Need::Server => SERVER.get_or_init(|| {
            let check = "import dbus, dbus.service, dbus.mainloop.glib; \
                         from gi.repository import GLib";
            runs(PYTHON, &["-c", check]).then_some(()).ok_or_else(|| {
                format!(
                    "{PYTHON} with the dbus and gi modules (python3-dbus, python3-gi) is missing"
                )
            })
        }),
    }
    .clone()
}

/// True when everything needed is there; otherwise says why and returns false, or
/// fails under CI.
fn available(needs: &[Need]) -> bool {
    for need in needs {
        if let Err(why) = have(*need) {
            if std::env::var_os("CI").is_some() {
                panic!("{why}, and CI is set: CI must install it");
            }
            eprintln!("skipping a notification test: {why} (CI installs it)");
            return false;
        }
    }
    true
}

/// A fixture file's path.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/notify")
        .join(name)
}

/// A process that dies with the thread that started it, should the test binary be
/// killed before its guards run.
fn dies_with_test(command: &mut Command) -> &mut Command {
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

/// Polls `probe` until it gives a value; panics with `what` and `seen()` at the
/// deadline.
fn poll<T>(
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

/// A private session bus; dropping it kills the daemon.
struct Bus {
    daemon: Child,
    address: String,
    /// Kept open: the daemon printed its address there.
    _stdout: BufReader<ChildStdout>,
}

impl Bus {
    /// Starts `dbus-daemon` listening on a socket in `dir`; returns once it listens.
    fn start(dir: &Path) -> Bus {
        let socket = dir.join("bus");
        let mut daemon = dies_with_test(
            Command::new("dbus-daemon")
                .arg(format!("--config-file={}", fixture("bus.conf").display()))
                .arg(format!("--address=unix:path={}", socket.display()))
                .args(["--nofork", "--print-address=1"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )
        .spawn()
        .expect("start dbus-daemon");
        let mut stdout = BufReader::new(daemon.stdout.take().expect("dbus-daemon's stdout"));
        // The daemon prints its address once it listens: no need to wait for the socket.
        let mut address = String::new();
        let read = stdout.read_line(&mut address);
        let address = address.trim().to_string();
        if !matches!(read, Ok(n) if n > 0) || !address.starts_with("unix:") {
            let _ = daemon.kill();
            let status = daemon.wait();
            panic!("dbus-daemon printed no address ({read:?}, {status:?}): {address:?}");
        }
        Bus {
            daemon,
            address,
            _stdout: stdout,
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// The test notification server; dropping it kills it.
struct Server {
    process: Child,
    record: PathBuf,
    log: PathBuf,
}

impl Server {
    /// Starts server.py on `bus`, recording to `record`, answering each Notify after
    /// `delay`; returns once it owns org.freedesktop.Notifications.
    fn start(bus: &Bus, record: PathBuf, delay: Option<Duration>) -> Server {
        let log = record.with_extension("log");
        let out = File::create(&log).expect("create the server's log");
        let err = out.try_clone().expect("the server's log again");
        let mut command = Command::new(PYTHON);
        command
            .arg(fixture("server.py"))
            .arg(&record)
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        if let Some(delay) = delay {
            command.arg(delay.as_secs_f64().to_string());
        }
        let process = dies_with_test(&mut command)
            .spawn()
            .expect("start the notification server");
        let mut server = Server {
            process,
            record,
            log,
        };
        let ready = PathBuf::from(format!("{}.ready", server.record.display()));
        poll(
            "the notification server to own its name",
            DEADLINE,
            || {
                if let Ok(Some(status)) = server.process.try_wait() {
                    panic!(
                        "the notification server exited ({status}): {}",
                        fs::read_to_string(&server.log).unwrap_or_default()
                    );
                }
                ready.exists().then_some(())
            },
            || fs::read_to_string(&server.log).unwrap_or_default(),
        );
        server
    }

    /// The Notify calls recorded so far (complete lines only).
    fn calls(&self) -> Vec<Call> {
        let text = fs::read_to_string(&self.record).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete
            .lines()
            .map(|line| {
                let v: Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("a recorded call is not JSON ({e}): {line}"));
                let field = |name: &str| {
                    v[name]
                        .as_str()
                        .unwrap_or_else(|| panic!("no {name} in a recorded call: {line}"))
                        .to_string()
                };
                Call {
                    app_name: field("app_name"),
                    summary: field("summary"),
                    body: field("body"),
                }
            })
            .collect()
    }

    /// The recorded calls, one a line, for failure messages.
    fn shown(&self) -> String {
        format!(
            "recorded calls:\n{}\nserver log:\n{}",
            fs::read_to_string(&self.record).unwrap_or_default(),
            fs::read_to_string(&self.log).unwrap_or_default()
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// One test's private world. Dropping it kills its tmux server, then its notification
/// server and its bus, then removes its temp dir.
struct Sandbox {
    server: Option<Server>,
    bus: Option<Bus>,
    root: TempDir,
}

impl Sandbox {
    /// A sandbox with `config` written to its config file (mode 0644); None (after
    /// saying why) when something needed is missing outside CI.
    fn new(config: &str, needs: &[Need]) -> Option<Sandbox> {
        if !available(needs) {
            return None;
        }
        let sandbox = Sandbox {
            server: None,
            bus: None,
            root: tempfile::tempdir().expect("a temp dir"),
        };
        let config = config.replace("ENVFILE", &sandbox.env_file().display().to_string());
        fs::write(sandbox.config(), config).expect("write the config");
        sandbox.chmod(&sandbox.config(), 0o644);
        Some(sandbox)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    fn config(&self) -> PathBuf {
        self.path("config.ron")
    }

    fn data_dir(&self) -> PathBuf {
        self.path("data")
    }

    fn hooks_log(&self) -> PathBuf {
        self.data_dir().join("hooks.log")
    }

    /// Where the environment hook writes.
    fn env_file(&self) -> PathBuf {
        self.path("hook-env.txt")
    }

    /// Where the notification server records.
    fn record(&self) -> PathBuf {
        self.path("notifications.jsonl")
    }

    /// The value of TOKEN_VAR in this sandbox's processes.
    fn token(&self) -> String {
        self.root.path().display().to_string()
    }

    fn chmod(&self, path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
    }

    /// Starts this sandbox's bus; its address.
    fn start_bus(&mut self) -> String {
        let bus = Bus::start(self.root.path());
        let address = bus.address.clone();
        self.bus = Some(bus);
        address
    }

    /// Starts a bus and the notification server on it; the bus's address.
    fn start_server(&mut self, delay: Option<Duration>) -> String {
        let address = self.start_bus();
        let bus = self.bus.as_ref().expect("the bus just started");
        self.server = Some(Server::start(bus, self.record(), delay));
        address
    }

    fn server(&self) -> &Server {
        self.server.as_ref().expect("a notification server")
    }

    /// The environment every process of this sandbox starts with: its own HOME and
    /// XDG dirs, and no ROLLCOACH_* from outside.
    fn isolate<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command
            .env_remove("ROLLCOACH_CONFIG")
            .env_remove("ROLLCOACH_DATA_DIR")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("TMUX")
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("XDG_RUNTIME_DIR", self.path("xdg-runtime"))
            .env(TOKEN_VAR, self.token())
    }

    /// `rollcoach ARGS` run headless with `bus` as the session bus.
    fn rollcoach(&self, bus: &str, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rollcoach"));
        self.isolate(&mut command)
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .arg("--config")
            .arg(self.config())
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run rollcoach")
    }

    /// `tmux` talking to this sandbox's server only.
    fn tmux(&self) -> Command {
        let mut command = Command::new("tmux");
        self.isolate(&mut command)
            .env("TMUX_TMPDIR", self.root.path())
            .env("SHELL", "/bin/sh")
            .args(["-f", "/dev/null"]);
        command
    }

    /// Runs a tmux command that must succeed; its stdout.
    fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Opens the dashboard in a detached tmux session `width` columns wide, with `bus`
    /// as its session bus; returns once it waits for Space.
    fn open(&self, width: u16, bus: &str) -> Pane<'_> {
        let isolated = [
            ("HOME", self.path("home")),
            ("XDG_CONFIG_HOME", self.path("xdg-config")),
            ("XDG_DATA_HOME", self.path("xdg-data")),
            ("XDG_RUNTIME_DIR", self.path("xdg-runtime")),
        ];
        let mut script = String::from("env -u ROLLCOACH_CONFIG -u ROLLCOACH_DATA_DIR");
        for (name, value) in isolated {
            script.push_str(&format!(" {name}={}", quote(&value.display().to_string())));
        }
        script.push_str(&format!(
            " DBUS_SESSION_BUS_ADDRESS={bus} {TOKEN_VAR}={token} {bin} --config {config} \
             --data-dir {data}; echo \"rollcoach exited: $?\"; sleep 600",
            bus = quote(bus),
            token = quote(&self.token()),
            bin = quote(env!("CARGO_BIN_EXE_rollcoach")),
            config = quote(&self.config().display().to_string()),
            data = quote(&self.data_dir().display().to_string()),
        ));
        self.tmux_ok(&[
            "new-session",
            "-d",
            "-s",
            "notify",
            "-x",
            &width.to_string(),
            "-y",
            "30",
            &script,
        ]);
        let pane = Pane { sandbox: self };
        pane.wait_text("Space starts the step");
        pane
    }

    /// The hooks' environment dumps written so far: one map per complete dump.
    fn env_dumps(&self) -> Vec<Vec<(String, String)>> {
        let text = fs::read_to_string(self.env_file()).unwrap_or_default();
        let mut dumps = Vec::new();
        let mut current = Vec::new();
        for line in text.lines() {
            if line == "----" {
                dumps.push(std::mem::take(&mut current));
            } else if let Some((name, value)) = line.split_once('=') {
                current.push((name.to_string(), value.to_string()));
            }
        }
        dumps
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Nothing left behind, whether the test passed or not; the server and the bus
        // go next (fields), the temp dir last.
        let _ = self.tmux().arg("kill-server").output();
    }
}

/// The dashboard in a tmux pane.
struct Pane<'a> {
    sandbox: &'a Sandbox,
}

impl Pane<'_> {
    /// The screen as text.
    fn screen(&self) -> String {
        self.sandbox
            .tmux_ok(&["capture-pane", "-p", "-t", "notify"])
    }

    /// Presses keys (tmux key names: "Space", "q").
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "notify"];
        args.extend_from_slice(keys);
        self.sandbox.tmux_ok(&args);
    }

    /// Polls the screen until it shows `text`; the screen then.
    fn wait_text(&self, text: &str) -> String {
        let mut last = String::new();
        poll(
            &format!("{text:?} on screen"),
            DEADLINE,
            || {
                last = self.screen();
                last.contains(text).then(|| last.clone())
            },
            || self.screen(),
        )
    }

    /// Presses Space and waits for "evening complete" on screen; the time that took and
    /// the screen then.
    fn run_session(&self) -> (Duration, String) {
        let start = Instant::now();
        self.keys(&["Space"]);
        let screen = self.wait_text("evening complete");
        (start.elapsed(), screen)
    }
}

/// A word quoted for the pane's shell.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Asserts a session of `secs` seconds of steps completed on time: not before its
/// steps could have run, and no more than ON_TIME after.
fn assert_on_time(took: Duration, secs: u64, screen: &str) {
    let total = Duration::from_secs(secs);
    assert!(
        took + Duration::from_millis(250) >= total,
        "the session completed in {took:?}, before its {total:?} of steps could run:\n{screen}"
    );
    assert!(
        took <= total + ON_TIME,
        "the session completed in {took:?}, more than {ON_TIME:?} after its {total:?} of \
         steps:\n{screen}"
    );
}

/// The day a session started now belongs to (the day starts at 04:00).
fn session_day() -> String {
    let now = chrono::Local::now().naive_local() - chrono::Duration::hours(4);
    now.date().to_string()
}

/// Pids of live processes (zombies aside) of this sandbox whose command line is `argv`.
fn processes(sandbox: &Sandbox, argv: &[&str]) -> Vec<i32> {
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
        let zombie = fs::read_to_string(dir.join("stat")).map_or(true, |stat| {
            stat.rsplit(')')
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with('Z'))
        });
        if ours && !zombie {
            found.push(pid);
        }
    }
    found
}

#[test]
fn notify_test_says_delivered_when_a_server_takes_it() {
    let Some(mut sandbox) = Sandbox::new(ONE_SECOND_STEPS, &[Need::Bus, Need::Server]) else {
        return;
    };
    let bus = sandbox.start_server(None);
    let out = sandbox.rollcoach(&bus, &["notify-test"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "notify-test with a server exits 0\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stdout.starts_with("delivered"), "{stdout}");
    assert!(
        stdout.contains("rollcoach-test-server"),
        "it names the server that took it: {stdout}"
    );
    let calls = sandbox.server().calls();
    assert_eq!(
        calls.len(),
        1,
        "one test notification\n{}",
        sandbox.server().shown()
    );
    assert_eq!(calls[0].app_name, "rollcoach", "{calls:?}");
    assert!(!calls[0].summary.is_empty(), "{calls:?}");
}

#[test]
fn notify_test_says_not_delivered_without_a_server_or_a_bus() {
    let Some(mut sandbox) = Sandbox::new(ONE_SECOND_STEPS, &[Need::Bus]) else {
        return;
    };
    let empty_bus = sandbox.start_bus();
    for (what, bus) in [
        ("a bus with no server", empty_bus.as_str()),
        ("no bus", NO_BUS),
    ] {
        let start = Instant::now();
        let out = sandbox.rollcoach(bus, &["notify-test"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "notify-test with {what} exits 1\nstdout: {stdout}\nstderr: {stderr}"
        );
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "with {what} notify-test took {:?} to say so",
            start.elapsed()
        );
        assert!(
            !stdout.contains("delivered"),
            "with {what} stdout claims nothing: {stdout}"
        );
        let line = stderr
            .lines()
            .find(|l| l.contains("not delivered"))
            .unwrap_or_else(|| panic!("with {what}, no \"not delivered\" line: {stderr}"));
        assert!(line.starts_with("rollcoach: not delivered: "), "{line}");
        assert!(
            stderr.contains(bus),
            "with {what}, it shows the bus it tried: {stderr}"
        );
    }
}

/// Runs ONE_SECOND_STEPS in tmux with the test server on the bus, and checks that it
/// completed on time; the sandbox and every call recorded once "evening complete" has
/// arrived. None when skipped.
fn one_second_session() -> Option<(Sandbox, Vec<Call>)> {
    let mut sandbox = Sandbox::new(ONE_SECOND_STEPS, &[Need::Tmux, Need::Bus, Need::Server])?;
    let bus = sandbox.start_server(None);
    let pane = sandbox.open(100, &bus);
    let (took, screen) = pane.run_session();
    assert_on_time(took, ONE_SECOND_STEPS_SECS, &screen);
    let server = sandbox.server();
    let calls = poll(
        "the \"evening complete\" notification",
        DEADLINE,
        || {
            let calls = server.calls();
            calls
                .iter()
                .any(|c| c.summary == "evening complete")
                .then_some(calls)
        },
        || server.shown(),
    );
    Some((sandbox, calls))
}

/// A warning's summary: "Cleanse: 0:01 left".
fn is_warning(call: &&Call) -> bool {
    call.summary.ends_with(" left") && call.summary.contains(": ")
}

/// The body of the first call with this summary.
fn body_of<'c>(calls: &'c [Call], summary: &str, shown: &str) -> &'c str {
    calls
        .iter()
        .find(|c| c.summary == summary)
        .map(|c| c.body.as_str())
        .unwrap_or_else(|| panic!("no {summary:?}\n{shown}"))
}

#[test]
fn a_session_tells_the_server_each_step_in_order() {
    let Some((sandbox, calls)) = one_second_session() else {
        return;
    };
    let shown = sandbox.server().shown();

    for call in &calls {
        assert_eq!(call.app_name, "rollcoach", "{shown}");
        for text in [&call.summary, &call.body] {
            for (at, _) in text.match_indices('&') {
                let rest = &text[at..];
                assert!(
                    ["&amp;", "&lt;", "&gt;"]
                        .iter()
                        .any(|e| rest.starts_with(e)),
                    "an unescaped & in {text:?}\n{shown}"
                );
            }
            assert!(!text.contains(['<', '>']), "unescaped markup in {text:?}");
        }
    }
    let summaries: Vec<&str> = calls
        .iter()
        .filter(|c| !is_warning(c))
        .map(|c| c.summary.as_str())
        .collect();
    assert_eq!(summaries, EXPECTED_SUMMARIES, "{shown}");
    let warnings: Vec<&Call> = calls.iter().filter(is_warning).collect();
    assert!(
        warnings
            .iter()
            .any(|c| c.summary.starts_with("Cleanse &amp; tone: ")),
        "a warning before the two-second step ends\n{shown}"
    );

    let body = |summary: &str| body_of(&calls, summary, &shown);
    assert_eq!(
        body("evening started"),
        "First: Cleanse &amp; tone",
        "{shown}"
    );
    assert_eq!(
        body("Cleanse &amp; tone done"),
        "Next: Roll, 0:02 — started",
        "{shown}"
    );
    assert_eq!(
        body("Left cheek"),
        "horizontal ×4 → vertical ×4 → diagonal ×4",
        "{shown}"
    );
    assert_eq!(body("Moisturise done"), "That was the last step", "{shown}");
    assert!(
        body("evening complete").starts_with("3 done, 0 skipped in "),
        "{shown}"
    );
}

#[test]
fn notifications_say_the_time_left_as_the_screen_does() {
    let Some((sandbox, calls)) = one_second_session() else {
        return;
    };
    let shown = sandbox.server().shown();
    // warn_before is 1s: the warnings come a second before the two-second steps end.
    let warnings: Vec<&str> = calls
        .iter()
        .filter(is_warning)
        .map(|c| c.summary.as_str())
        .collect();
    assert_eq!(
        warnings,
        ["Cleanse &amp; tone: 0:01 left", "Roll: 0:01 left"],
        "{shown}"
    );
    // Each step starts with its whole length on the clock, started by Space or not.
    for (step, clock) in [
        ("Cleanse &amp; tone", "0:02"),
        ("Roll", "0:02"),
        ("Moisturise", "0:01"),
    ] {
        assert_eq!(
            body_of(&calls, step, &shown),
            format!("{clock} on the clock"),
            "{shown}"
        );
    }
}

#[test]
fn without_a_bus_the_session_finishes_on_time_and_says_why_once() {
    let Some(sandbox) = Sandbox::new(ONE_SECOND_STEPS, &[Need::Tmux]) else {
        return;
    };
    let pane = sandbox.open(100, NO_BUS);
    let (took, screen) = pane.run_session();
    assert_on_time(took, ONE_SECOND_STEPS_SECS, &screen);
    let screen = pane.wait_text("desktop notifications are off");
    assert_eq!(
        screen.matches("desktop notifications are off").count(),
        1,
        "said once:\n{screen}"
    );
    assert!(
        screen.contains("evening complete"),
        "still complete:\n{screen}"
    );
}

#[test]
fn a_slow_server_does_not_hold_up_the_countdown() {
    let Some(mut sandbox) = Sandbox::new(FOUR_SECONDS, &[Need::Tmux, Need::Bus, Need::Server])
    else {
        return;
    };
    let bus = sandbox.start_server(Some(Duration::from_secs(5)));
    let pane = sandbox.open(100, &bus);
    let (took, screen) = pane.run_session();
    assert_on_time(took, FOUR_SECONDS_SECS, &screen);
    // The server was really asked, and is slow: only the first call has arrived.
    let calls = sandbox.server().calls();
    assert!(
        !calls.is_empty() && calls.len() < 3,
        "the slow server had one call in hand when the session completed\n{}",
        sandbox.server().shown()
    );
    assert_eq!(calls[0].summary, "evening started");
    assert!(
        !screen.contains("notifications are off"),
        "a slow server is not a missing one:\n{screen}"
    );
}

#[test]
fn hooks_get_the_events_variables_and_one_past_its_timeout_is_killed() {
    let Some(sandbox) = Sandbox::new(HOOKS, &[Need::Tmux]) else {
        return;
    };
    let day_before = session_day();
    let pane = sandbox.open(100, NO_BUS);
    let start = Instant::now();
    pane.keys(&["Space"]);
    // The StepStart hook's `sleep 30` runs while the first step counts down.
    let sleeping = poll(
        "the StepStart hook's `sleep 30`",
        DEADLINE,
        || {
            let pids = processes(&sandbox, &["sleep", "30"]);
            (!pids.is_empty()).then_some(pids)
        },
        || fs::read_to_string(sandbox.hooks_log()).unwrap_or_default(),
    );
    let screen = pane.wait_text("evening complete");
    assert_on_time(start.elapsed(), HOOKS_SECS, &screen);
    let day_after = session_day();

    // Both steps' StepEnd hooks wrote their environment.
    let dumps = poll(
        "two environment dumps",
        DEADLINE,
        || {
            let dumps = sandbox.env_dumps();
            (dumps.len() >= 2).then_some(dumps)
        },
        || fs::read_to_string(sandbox.env_file()).unwrap_or_default(),
    );
    assert_eq!(dumps.len(), 2, "{dumps:#?}");
    let var = |dump: &[(String, String)], name: &str| {
        let values: Vec<&str> = dump
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(values.len(), 1, "{name} once in {dump:#?}");
        values[0].to_string()
    };
    for (dump, step, kind, next) in [
        (&dumps[0], "Cleanse", "cleanse", "Moisturise"),
        (&dumps[1], "Moisturise", "moisturise", ""),
    ] {
        assert_eq!(
            dump.len(),
            10,
            "nine ROLLCOACH_ variables and the hook's marker: {dump:#?}"
        );
        assert!(!var(dump, "ROLLCOACH_HOOK_ID").is_empty());
        assert_eq!(var(dump, "ROLLCOACH_EVENT"), "StepEnd");
        assert_eq!(var(dump, "ROLLCOACH_ROUTINE"), "evening");
        assert_eq!(var(dump, "ROLLCOACH_STEP"), step);
        assert_eq!(var(dump, "ROLLCOACH_STEP_KIND"), kind);
        assert_eq!(var(dump, "ROLLCOACH_NEXT_STEP"), next);
        assert_eq!(var(dump, "ROLLCOACH_PASS"), "");
        assert_eq!(var(dump, "ROLLCOACH_ZONE"), "");
        assert_eq!(var(dump, "ROLLCOACH_REMAINING_SECS"), "0");
        let day = var(dump, "ROLLCOACH_DAY");
        assert!(
            day == day_before || day == day_after,
            "ROLLCOACH_DAY={day}, not the session's day {day_before}"
        );
    }
    assert_ne!(
        var(&dumps[0], "ROLLCOACH_HOOK_ID"),
        var(&dumps[1], "ROLLCOACH_HOOK_ID"),
        "each run has a marker of its own"
    );

    // Each step's `sleep 30` was killed at its one-second timeout, and logged.
    let log = poll(
        "two timeouts in hooks.log",
        DEADLINE,
        || {
            let log = fs::read_to_string(sandbox.hooks_log()).ok()?;
            (log.matches("timed out after 1s, killed").count() >= 2).then_some(log)
        },
        || fs::read_to_string(sandbox.hooks_log()).unwrap_or_default(),
    );
    assert!(log.contains("StepStart: sleep 30"), "{log}");
    assert!(
        log.contains("hook `sleep` on StepStart timed out after 1s, killed"),
        "{log}"
    );
    assert!(
        !log.contains("hook `sh` on StepEnd"),
        "the environment hook did not fail: {log}"
    );
    poll(
        "no `sleep 30` of the hooks left",
        Duration::from_secs(5),
        || {
            processes(&sandbox, &["sleep", "30"])
                .is_empty()
                .then_some(())
        },
        || {
            format!(
                "first seen {sleeping:?}, now {:?}",
                processes(&sandbox, &["sleep", "30"])
            )
        },
    );
    // The timeout shows in the status line.
    pane.wait_text("hook `sleep` on StepStart timed out after 1s, killed");
}

#[test]
fn a_world_writable_config_refuses_hooks_and_the_session_goes_on() {
    let Some(sandbox) = Sandbox::new(HOOKS, &[Need::Tmux]) else {
        return;
    };
    sandbox.chmod(&sandbox.config(), 0o666);
    // Wide enough for the whole message with the temp dir's path, twice.
    let pane = sandbox.open(200, NO_BUS);
    let screen = pane.wait_text("hooks are off");
    let line = screen
        .lines()
        .find(|l| l.contains("hooks are off"))
        .expect("the status line");
    let config = sandbox.config().display().to_string();
    assert!(line.contains(&config), "it names the file: {line}");
    assert!(line.contains("can be written by others"), "{line}");
    assert!(line.contains(&format!("chmod go-w {config}")), "{line}");

    let (took, screen) = pane.run_session();
    assert_on_time(took, HOOKS_SECS, &screen);
    assert!(
        processes(&sandbox, &["sleep", "30"]).is_empty(),
        "a refused StepStart hook ran"
    );
    // Give a hook that would have run after the last step's end time to write.
    let end = Instant::now() + Duration::from_millis(500);
    while Instant::now() < end {
        assert!(
            !sandbox.env_file().exists(),
            "a refused hook wrote {}",
            sandbox.env_file().display()
        );
        thread::sleep(POLL);
    }
    assert!(
        !sandbox.hooks_log().exists(),
        "a refused hook was logged: {}",
        fs::read_to_string(sandbox.hooks_log()).unwrap_or_default()
    );
}
