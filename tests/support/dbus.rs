//! A private D-Bus session bus and the test notification server on it.
//!
//! The bus is `dbus-daemon` with tests/fixtures/notify/bus.conf: no service activation,
//! so a notification daemon installed on the machine is never started on it. The
//! server, tests/fixtures/notify/server.py, records every Notify call as a JSON line.
//! Both die with the test's thread (PR_SET_PDEATHSIG) should the test binary itself be
//! killed before the sandbox's guards run.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::{DEADLINE, Need, PYTHON, Sandbox, poll, require};

/// A bus address where there is no bus at all.
pub const NO_BUS: &str = "unix:path=/nonexistent/rollcoach-test-bus";

/// One recorded Notify call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

/// A fixture file of the notification tests.
pub fn fixture(name: &str) -> PathBuf {
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

/// A private session bus; dropping it kills the daemon.
pub struct Bus {
    daemon: Child,
    pub address: String,
    /// Kept open: the daemon printed its address there.
    _stdout: BufReader<ChildStdout>,
}

impl Bus {
    /// Starts `dbus-daemon` listening on a socket in `dir`; returns once it listens.
    pub fn start(dir: &Path) -> Bus {
        require(&[Need::Bus]);
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
pub struct Server {
    process: Child,
    record: PathBuf,
    log: PathBuf,
}

impl Server {
    /// Starts server.py on `bus`, recording to `record`, answering each Notify after
    /// `delay`; returns once it owns org.freedesktop.Notifications.
    pub fn start(bus: &Bus, record: PathBuf, delay: Option<Duration>) -> Server {
        require(&[Need::Server]);
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
    pub fn calls(&self) -> Vec<Call> {
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
    pub fn shown(&self) -> String {
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

impl Sandbox {
    /// Where the notification server records.
    pub fn record(&self) -> PathBuf {
        self.path("notifications.jsonl")
    }

    /// Starts this sandbox's bus; its address.
    pub fn start_bus(&mut self) -> String {
        let bus = Bus::start(self.root());
        let address = bus.address.clone();
        self.bus = Some(bus);
        address
    }

    /// Starts a bus and the notification server on it; the bus's address.
    pub fn start_server(&mut self, delay: Option<Duration>) -> String {
        let address = self.start_bus();
        let bus = self.bus.as_ref().expect("the bus just started");
        self.server = Some(Server::start(bus, self.record(), delay));
        address
    }

    pub fn server(&self) -> &Server {
        self.server.as_ref().expect("a notification server")
    }
}
