//! Notifications and hooks end to end: the real binary, a real private D-Bus session
//! bus, a test notification server on it, and the dashboard driven in tmux, each test
//! in a sandbox of its own (see tests/support: its own tmux server, bus, notification
//! server, data dir, config file, HOME and XDG dirs; the server records every Notify
//! call as a JSON line).
//!
//! Nothing is asserted after a fixed sleep: every wait polls the screen, a file or
//! /proc with a deadline, and says what it saw last when the deadline passes.
//!
//! These tests are `#[ignore]`d with the tools they need (`tmux`, `dbus-daemon`,
//! `/usr/bin/python3` with the dbus and gi modules): `cargo test -- --include-ignored`
//! runs them, and there a missing tool fails them.

mod support;

use std::fs;
use std::path::PathBuf;
use std::thread;
use std::time::{Duration, Instant};

use support::dbus::{Call, NO_BUS};
use support::{DEADLINE, POLL, Pane, Sandbox, poll, processes, quote};

/// How late a session may complete after its steps' total time and still be on time.
const ON_TIME: Duration = Duration::from_secs(3);

/// One-second steps run through by themselves, with a warning a second before the end
/// of the longer ones: 2 + (1 + 1) + 1 seconds. The first step's name has markup in
/// it.
const ONE_SECOND_STEPS: &str = r#"(
    checkin: [],
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

/// A sandbox with `config` written to its config file, ENVFILE in it replaced by the
/// sandbox's environment file.
fn sandbox_with(config: &str) -> Sandbox {
    let sandbox = Sandbox::new("");
    let config = config.replace("ENVFILE", &env_file(&sandbox).display().to_string());
    fs::write(sandbox.config(), config).expect("write the config");
    sandbox
}

/// Where the environment hook writes.
fn env_file(sandbox: &Sandbox) -> PathBuf {
    sandbox.path("hook-env.txt")
}

/// The hooks' environment dumps written so far: one map per complete dump.
fn env_dumps(sandbox: &Sandbox) -> Vec<Vec<(String, String)>> {
    let text = fs::read_to_string(env_file(sandbox)).unwrap_or_default();
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

/// Opens the dashboard in a detached tmux session `width` columns wide, with `bus` as
/// its session bus; returns once it waits for Space.
fn open<'s>(sandbox: &'s Sandbox, width: u16, bus: &str) -> Pane<'s> {
    let env = format!("DBUS_SESSION_BUS_ADDRESS={} ", quote(bus));
    let pane = sandbox.open_sized("notify", width, &env);
    pane.wait_text("Space starts the step");
    pane
}

/// Presses Space and waits for "evening done" on screen; the time that took and the
/// screen then.
fn run_session(pane: &Pane) -> (Duration, String) {
    let start = Instant::now();
    pane.keys(&["Space"]);
    let screen = pane.wait_text("evening done");
    (start.elapsed(), screen)
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

#[test]
#[ignore = "needs dbus-daemon and python3-dbus with python3-gi"]
fn notify_test_says_delivered_when_a_server_takes_it() {
    let mut sandbox = sandbox_with(ONE_SECOND_STEPS);
    let bus = sandbox.start_server(None);
    let out = sandbox.rollcoach_on_bus(&bus, &["notify-test"]);
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
#[ignore = "needs dbus-daemon"]
fn notify_test_says_not_delivered_without_a_server_or_a_bus() {
    let mut sandbox = sandbox_with(ONE_SECOND_STEPS);
    let empty_bus = sandbox.start_bus();
    for (what, bus) in [
        ("a bus with no server", empty_bus.as_str()),
        ("no bus", NO_BUS),
    ] {
        let start = Instant::now();
        let out = sandbox.rollcoach_on_bus(bus, &["notify-test"]);
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
/// arrived.
fn one_second_session() -> (Sandbox, Vec<Call>) {
    let mut sandbox = sandbox_with(ONE_SECOND_STEPS);
    let bus = sandbox.start_server(None);
    let pane = open(&sandbox, 100, &bus);
    let (took, screen) = run_session(&pane);
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
    (sandbox, calls)
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
#[ignore = "needs tmux, dbus-daemon and python3-dbus with python3-gi"]
fn a_session_tells_the_server_each_step_in_order() {
    let (sandbox, calls) = one_second_session();
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
#[ignore = "needs tmux, dbus-daemon and python3-dbus with python3-gi"]
fn notifications_say_the_time_left_as_the_screen_does() {
    let (sandbox, calls) = one_second_session();
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
#[ignore = "needs tmux"]
fn without_a_bus_the_session_finishes_on_time_and_says_why_once() {
    let sandbox = sandbox_with(ONE_SECOND_STEPS);
    let pane = open(&sandbox, 100, NO_BUS);
    let (took, screen) = run_session(&pane);
    assert_on_time(took, ONE_SECOND_STEPS_SECS, &screen);
    let screen = pane.wait_text("desktop notifications are off");
    assert_eq!(
        screen.matches("desktop notifications are off").count(),
        1,
        "said once:\n{screen}"
    );
    assert!(screen.contains("evening done"), "still complete:\n{screen}");
}

#[test]
#[ignore = "needs tmux, dbus-daemon and python3-dbus with python3-gi"]
fn a_slow_server_does_not_hold_up_the_countdown() {
    let mut sandbox = sandbox_with(FOUR_SECONDS);
    let bus = sandbox.start_server(Some(Duration::from_secs(5)));
    let pane = open(&sandbox, 100, &bus);
    let (took, screen) = run_session(&pane);
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
#[ignore = "needs tmux"]
fn hooks_get_the_events_variables_and_one_past_its_timeout_is_killed() {
    let sandbox = sandbox_with(HOOKS);
    let day_before = session_day();
    let pane = open(&sandbox, 100, NO_BUS);
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
    let screen = pane.wait_text("evening done");
    assert_on_time(start.elapsed(), HOOKS_SECS, &screen);
    let day_after = session_day();

    // Both steps' StepEnd hooks wrote their environment.
    let dumps = poll(
        "two environment dumps",
        DEADLINE,
        || {
            let dumps = env_dumps(&sandbox);
            (dumps.len() >= 2).then_some(dumps)
        },
        || fs::read_to_string(env_file(&sandbox)).unwrap_or_default(),
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
#[ignore = "needs tmux"]
fn a_world_writable_config_refuses_hooks_and_the_session_goes_on() {
    let sandbox = sandbox_with(HOOKS);
    sandbox.chmod(&sandbox.config(), 0o666);
    // Wide enough for the whole message with the temp dir's path, twice.
    let pane = open(&sandbox, 200, NO_BUS);
    let screen = pane.wait_text("hooks are off");
    let line = screen
        .lines()
        .find(|l| l.contains("hooks are off"))
        .expect("the status line");
    let config = sandbox.config().display().to_string();
    assert!(line.contains(&config), "it names the file: {line}");
    assert!(line.contains("can be written by others"), "{line}");
    assert!(line.contains(&format!("chmod go-w {config}")), "{line}");

    let (took, screen) = run_session(&pane);
    assert_on_time(took, HOOKS_SECS, &screen);
    assert!(
        processes(&sandbox, &["sleep", "30"]).is_empty(),
        "a refused StepStart hook ran"
    );
    // Give a hook that would have run after the last step's end time to write.
    let end = Instant::now() + Duration::from_millis(500);
    while Instant::now() < end {
        assert!(
            !env_file(&sandbox).exists(),
            "a refused hook wrote {}",
            env_file(&sandbox).display()
        );
        thread::sleep(POLL);
    }
    assert!(
        !sandbox.hooks_log().exists(),
        "a refused hook was logged: {}",
        fs::read_to_string(sandbox.hooks_log()).unwrap_or_default()
    );
}
