//! End to end: the real binary, driven in tmux, each test in a sandbox of its own (see
//! tests/support: its own tmux server, data dir, config file, HOME and XDG dirs). The
//! pane's shell runs `rollcoach`, then writes its exit code and `stty -a` to files and
//! stays alive, so a test can wait for the exit and look at the terminal it left
//! behind.
//!
//! Nothing is asserted after a fixed sleep: every wait polls the screen or a file with a
//! deadline and prints the last screen when the deadline passes.
//!
//! These tests are `#[ignore = "needs tmux"]`: `cargo test -- --include-ignored` runs
//! them, and there a missing tmux fails them.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use support::{DEADLINE, Need, POLL, Pane, Sandbox, gone, quote, require};

/// Short steps that run through by themselves: 1 + (1 + 1) + 2 seconds.
const RUN_THROUGH: &str = r#"(
    checkin: [],
    notify: (desktop: false),
    roller: (needle_mm: 0.5),
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1s"),
            (name: "Roll", kind: Roll, zones: [
                (name: "Forehead", duration: "1s"),
                (name: "Chin", duration: "1s"),
            ]),
            (name: "Moisturise", kind: Moisturise, duration: "2s"),
        ],
    )],
)"#;

/// A one-second step, then a long one that is still running when the test acts.
const LONG_SECOND: &str = r#"(
    checkin: [],
    notify: (desktop: false),
    roller: (needle_mm: 0.5),
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1s"),
            (name: "Serum", kind: Serum, duration: "5m"),
        ],
    )],
)"#;

/// The long step's length in seconds.
const LONG_SECS: u64 = 300;

/// A note that would turn the text red and retitle the window if it reached the
/// terminal as it is.
const HOSTILE_NOTE: &str = r#"(
    checkin: [],
    notify: (desktop: false),
    roller: (needle_mm: 0.5),
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m",
             notes: "\u{1b}[31mRED \u{1b}]2;pwned\u{7}after"),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ],
    )],
)"#;

/// On screen while the long step runs (its title in the timer block, then the state).
fn long_step_running(screen: &str) -> bool {
    screen.contains("Serum · serum") && screen.contains("running")
}

/// On screen when the long step was resumed from a saved session.
fn long_step_resumed(screen: &str) -> bool {
    screen.contains("Serum · serum") && screen.contains("paused") && screen.contains("resumed")
}

/// "4:57" or "1:02:03" in seconds.
fn parse_clock(text: &str) -> Option<u64> {
    let mut secs = 0;
    for part in text.split(':') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        secs = secs * 60 + part.parse::<u64>().ok()?;
    }
    Some(secs)
}

/// The session time left, from the gauge label "session 4:57 left of 5:01".
fn session_left(screen: &str) -> Option<u64> {
    screen.match_indices("session ").find_map(|(at, word)| {
        let rest = &screen[at + word.len()..];
        let end = rest.find(" left of")?;
        parse_clock(&rest[..end])
    })
}

/// The screen's session time left; it must be there.
fn shown_left(screen: &str) -> u64 {
    session_left(screen)
        .unwrap_or_else(|| panic!("no \"session M:SS left of\" on screen:\n{screen}"))
}

/// The routine of that name in a plan.
fn routine<'a>(plan: &'a Value, name: &str) -> &'a Value {
    plan["routines"]
        .as_array()
        .expect("routines")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no routine {name:?} in {plan:#}"))
}

/// Starts the long-step config and waits until its second step runs.
fn start_long_step(pane: &Pane) -> String {
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_for("the second step running", long_step_running)
}

#[test]
#[ignore = "needs tmux"]
fn a_session_run_through_is_journaled_and_shown_as_done() {
    let sandbox = Sandbox::new(RUN_THROUGH);
    let pane = sandbox.open("one");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_for("the summary", |s| {
        s.contains("summary") && s.contains("evening done")
    });
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0, "q exits with 0");
    pane.assert_terminal_restored();

    let plan = sandbox.plan();
    let evening = routine(&plan, "evening");
    assert_eq!(evening["done"], true, "evening is done today: {evening:#}");
    let roll = evening["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["name"] == "Roll")
        .expect("a Roll step in the plan");
    assert_eq!(roll["status"], "done", "{evening:#}");

    let journal = fs::read_to_string(sandbox.journal_path()).expect("the journal exists");
    let records: Vec<Value> = journal
        .lines()
        .map(|l| serde_json::from_str(l).expect("a journal line is JSON"))
        .collect();
    assert_eq!(records.len(), 1, "one record: {journal}");
    let session = &records[0];
    assert_eq!(session["type"], "session", "{session:#}");
    assert_eq!(session["routine"], "evening", "{session:#}");
    assert_eq!(session["complete"], true, "{session:#}");
    let statuses: Vec<(&str, &str)> = session["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("Cleanse", "done"),
            ("Roll", "done"),
            ("Moisturise", "done")
        ]
    );
    assert!(
        !sandbox.saved_path().exists(),
        "a journaled session leaves no session.json behind"
    );
}

/// A Roll step of one 3 s zone: its three directions, 1 s each, each run a PassStart
/// hook that appends the zone and the direction to `passes.log`.
const PACED: &str = r#"(
    checkin: [],
    notify: (desktop: false),
    hooks: [(on: PassStart, run: ["sh", "-c", "echo \"$ROLLCOACH_ZONE $ROLLCOACH_PASS\" >> LOG"])],
    roller: (needle_mm: 0.5),
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Roll", kind: Roll, zones: [(name: "Chin", duration: "3s")]),
        ],
    )],
)"#;

#[test]
#[ignore = "needs tmux"]
fn a_pass_hook_runs_for_each_direction_of_a_zone() {
    let sandbox = Sandbox::new("");
    let log = sandbox.path("passes.log");
    let config = PACED.replace("LOG", &quote(&log));
    fs::write(sandbox.config(), config).expect("write the config");
    let pane = sandbox.open("one");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_text("evening done");
    let expected = "Chin horizontal\nChin vertical\nChin diagonal\n";
    let start = Instant::now();
    let mut written = String::new();
    while start.elapsed() < DEADLINE {
        written = fs::read_to_string(&log).unwrap_or_default();
        if written.lines().count() >= 3 {
            break;
        }
        thread::sleep(POLL);
    }
    assert_eq!(written, expected, "one line per direction, in order");
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn a_session_killed_with_sigkill_resumes_paused_at_its_step() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let pane = sandbox.open("one");
    start_long_step(&pane);
    sandbox.wait_file(&sandbox.saved_path(), &pane);
    // The session was saved when it started (at Cleanse) and again at the step change;
    // the writes are on a worker, so wait for the second.
    let started = Instant::now();
    let saved = loop {
        let saved = sandbox.saved();
        if saved["current"] == "Serum" {
            break saved;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "never saved at the step change: {saved:#}"
        );
        thread::sleep(POLL);
    };
    let saved_left = saved["left_ms"].as_u64().expect("left_ms");
    let before = shown_left(&pane.screen());

    pane.signal(libc::SIGKILL);
    assert_eq!(pane.wait_exit(), 128 + libc::SIGKILL, "killed by SIGKILL");
    assert!(
        sandbox.saved_path().exists(),
        "session.json survives kill -9"
    );

    let again = sandbox.open("two");
    let screen = again.wait_for("the second step resumed, paused", long_step_resumed);
    let after = shown_left(&screen);
    // At most the 30 s since the last save are lost; none are gained.
    assert!(
        before.saturating_sub(1) <= after && after <= before + 31,
        "{after} s left after the resume, {before} s before kill -9:\n{screen}"
    );
    assert!(
        after.abs_diff(saved_left.div_ceil(1000)) <= 1,
        "{after} s left on screen, {saved_left} ms saved:\n{screen}"
    );
    again.keys(&["q"]);
    assert_eq!(again.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn quitting_mid_session_saves_and_reopening_resumes_with_the_time_left() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let pane = sandbox.open("one");
    start_long_step(&pane);
    // A few seconds into the step, so that only a save on quit has this time.
    let screen = pane.wait_for("3 s of the second step", |s| {
        session_left(s).is_some_and(|left| left <= LONG_SECS - 3)
    });
    let before = shown_left(&screen);
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0, "q exits with 0");
    pane.assert_terminal_restored();
    let saved = sandbox.saved();
    assert_eq!(saved["current"], "Serum", "{saved:#}");

    let again = sandbox.open("two");
    let screen = again.wait_for("the second step resumed, paused", long_step_resumed);
    let after = shown_left(&screen);
    assert!(
        before.saturating_sub(2) <= after && after <= before,
        "{after} s left after the resume, {before} s when q was pressed:\n{screen}"
    );
    assert!(
        screen.contains("✓ Cleanse"),
        "the first step is done:\n{screen}"
    );
    // Paused means paused: the time does not move until Space.
    assert!(!screen.contains("running"), "{screen}");
    again.keys(&["q"]);
    assert_eq!(again.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn a_second_instance_is_read_only_and_writes_nothing() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let owner = sandbox.open("one");
    owner.wait_text("Space starts the step");
    let files = sandbox.data_files();

    let other = sandbox.open("two");
    other.wait_text("read-only");
    other.keys(&["Space"]);
    let screen = other.wait_text("read-only: another rollcoach owns this session");
    assert!(!screen.contains("running"), "nothing started:\n{screen}");
    other.keys(&["q"]);
    // On exit rollcoach waits for its disk writes: whatever it wrote is there now.
    assert_eq!(other.wait_exit(), 0);
    assert_eq!(
        sandbox.data_files(),
        files,
        "the read-only instance changed the data dir"
    );
    assert!(!sandbox.saved_path().exists());

    // The owner still owns the session.
    let screen = owner.screen();
    assert!(!screen.contains("read-only"), "{screen}");
    owner.keys(&["Space"]);
    owner.wait_for("the second step running", long_step_running);
    owner.keys(&["q"]);
    assert_eq!(owner.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn a_read_only_instance_says_so_when_the_owner_quits() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let owner = sandbox.open("one");
    owner.wait_text("Space starts the step");
    let other = sandbox.open("two");
    other.wait_text("read-only");
    owner.keys(&["q"]);
    assert_eq!(owner.wait_exit(), 0);
    other.wait_text("owned the session quit");
    other.keys(&["Space"]);
    let screen = other.wait_text("start rollcoach again");
    assert!(!screen.contains("running"), "{screen}");
    other.keys(&["q"]);
    assert_eq!(other.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn resizing_to_compact_to_one_cell_and_back_keeps_it_running() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let pane = sandbox.open("one");
    start_long_step(&pane);

    pane.resize(40, 12);
    let blocks = |s: &str| s.chars().any(|c| ('▀'..='▟').contains(&c));
    pane.wait_for("the compact layout: step name and countdown", |s| {
        s.contains("▶ Serum")
            && s.contains("2/2")
            && blocks(s)
            && !s.contains("steps")
            && s.lines().all(|l| l.chars().count() <= 40)
    });

    pane.resize(1, 1);
    // Space at 1x1: once the pause is saved, rollcoach has read the resize before it
    // and drawn at that size.
    let saved = fs::read(sandbox.saved_path()).expect("session.json at the step change");
    pane.keys(&["Space"]);
    let start = Instant::now();
    while fs::read(sandbox.saved_path()).ok().as_ref() == Some(&saved) {
        assert!(
            start.elapsed() < DEADLINE,
            "no save after Space at 1x1; screen:\n{}",
            pane.screen()
        );
        thread::sleep(POLL);
    }

    pane.resize(100, 30);
    pane.wait_for("the full layout, paused", |s| {
        s.contains("steps") && s.contains("Serum · serum") && s.contains("paused")
    });
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0, "q exits with 0 after the resizes");
}

/// Starts the long step, waits 3 s into it, sends SIGTERM; the time left then.
fn terminate_a_few_seconds_in(pane: &Pane) -> u64 {
    signal_a_few_seconds_in(pane, libc::SIGTERM)
}

/// Starts the long step, lets 3 s run, sends `signal`; the time shown before it.
fn signal_a_few_seconds_in(pane: &Pane, signal: libc::c_int) -> u64 {
    start_long_step(pane);
    let screen = pane.wait_for("3 s of the second step", |s| {
        session_left(s).is_some_and(|left| left <= LONG_SECS - 3)
    });
    let before = shown_left(&screen);
    pane.signal(signal);
    let rc = pane.wait_exit();
    assert!(
        rc == 0 || rc == 128 + signal,
        "a clean exit on signal {signal}, not {rc}"
    );
    before
}

#[test]
#[ignore = "needs tmux"]
fn sigterm_mid_session_saves_restores_the_terminal_and_resumes() {
    signal_saves_restores_and_resumes(libc::SIGTERM);
}

/// A signal mid-session: the session saved, the terminal restored, and the next start
/// resumes where the signal came.
fn signal_saves_restores_and_resumes(signal: libc::c_int) {
    let sandbox = Sandbox::new(LONG_SECOND);
    let pane = sandbox.open("one");
    let before = signal_a_few_seconds_in(&pane, signal);
    pane.assert_screen_and_modes_restored();
    let saved = sandbox.saved();
    assert_eq!(saved["current"], "Serum", "{saved:#}");

    let again = sandbox.open("two");
    let screen = again.wait_for("the second step resumed, paused", long_step_resumed);
    let after = shown_left(&screen);
    assert!(
        before.saturating_sub(2) <= after && after <= before,
        "{after} s left after the resume, {before} s at signal {signal} (saved first?):\n{screen}"
    );
    again.keys(&["q"]);
    assert_eq!(again.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn sigterm_mid_session_leaves_the_cursor_visible() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let pane = sandbox.open("one");
    terminate_a_few_seconds_in(&pane);
    pane.assert_terminal_restored();
}

#[test]
#[ignore = "needs tmux"]
fn escape_sequences_in_config_text_are_shown_as_text() {
    let sandbox = Sandbox::new(HOSTILE_NOTE);
    let pane = sandbox.open("one");
    let title = pane.format("#{pane_title}");
    let screen = pane.wait_text("RED");
    assert!(
        screen.contains("\u{fffd}[31mRED"),
        "the escape shows as a replacement character:\n{screen}"
    );
    assert!(
        screen.contains("\u{fffd}]2;pwned\u{fffd}after"),
        "the title sequence shows as text:\n{screen}"
    );
    let escaped = pane.screen_escaped();
    assert!(
        !escaped.contains("\x1b[31m") && !escaped.contains("\x1b[38;5;1m"),
        "the note turned the text red:\n{escaped:?}"
    );
    assert_eq!(
        pane.format("#{pane_title}"),
        title,
        "the note retitled the pane"
    );
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

/// The run-through routine with a two-question check-in.
fn with_checkin() -> String {
    RUN_THROUGH.replacen(
        "checkin: [],",
        r#"checkin: ["Active acne or a cold sore where you roll?", "Sunburn or strong sun in the last two days?"],"#,
        1,
    )
}

#[test]
#[ignore = "needs tmux"]
fn a_yes_at_the_checkin_skips_the_roll_and_tomorrow_stays_a_rolling_day() {
    let sandbox = Sandbox::new(&with_checkin());
    let pane = sandbox.open("one");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    // The checklist comes before the first step, every question on one screen, and
    // nothing runs while it is open.
    let screen = pane.wait_for("the checklist", |s| {
        s.contains("Active acne or a cold sore") && s.contains("Sunburn or strong sun")
    });
    assert!(
        screen.contains("1 [ ]") && screen.contains("2 [ ]"),
        "{screen}"
    );
    assert!(
        !sandbox.data_dir().join("session.json").exists(),
        "the session started before the check-in was answered"
    );
    pane.keys(&["2"]);
    pane.wait_text("2 [x]");
    pane.keys(&["y"]);
    pane.wait_for("the summary", |s| s.contains("evening done"));
    // The rating question is open; q skips it and quits.
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);

    let plan = sandbox.plan();
    let evening = routine(&plan, "evening");
    let roll = evening["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["name"] == "Roll")
        .expect("a Roll step");
    assert_eq!(roll["status"], "skipped", "{evening:#}");
    assert_eq!(plan["roller"]["uses"], 0, "{plan:#}");
    assert_eq!(plan["roller"]["last_roll"], Value::Null, "{plan:#}");
    let journal = fs::read_to_string(sandbox.journal_path()).expect("the journal");
    assert!(
        journal.contains(r#""reason":"check-in: Sunburn or strong sun in the last two days?""#),
        "{journal}"
    );

    let today: chrono::NaiveDate = plan["date"].as_str().unwrap().parse().unwrap();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let out = sandbox.rollcoach(&["today", "--json", "--date", &tomorrow]);
    let next: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(next["rolling_day"], true, "{next:#}");
    assert_eq!(next["roller"]["next_roll"], tomorrow.as_str(), "{next:#}");
}

/// A roll, then an acid paused for 72 h after rolling, with the check-in.
const ROLL_THEN_ACID: &str = r#"(
    notify: (desktop: false),
    roller: (needle_mm: 0.5),
    checkin: ["Sunburn or strong sun in the last two days?"],
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1s"),
            (name: "Roll", kind: Roll, zones: [(name: "Forehead", duration: "1s")]),
            (name: "Acid", kind: Treatment, duration: "1s", pause_after_roll: "72h"),
            (name: "Moisturise", kind: Moisturise, duration: "1s"),
        ],
    )],
)"#;

#[test]
#[ignore = "needs tmux"]
fn after_a_roll_the_paused_acid_is_passed_by_and_journaled_as_skipped() {
    let sandbox = Sandbox::new(ROLL_THEN_ACID);
    let pane = sandbox.open("acid");
    pane.wait_text("paused after rolling: 72 h");
    pane.keys(&["Space"]);
    pane.wait_text("Sunburn or strong sun");
    pane.keys(&["n"]);
    let summary = pane.wait_for("the summary", |s| s.contains("evening done"));
    assert!(summary.contains("3 done"), "{summary}");
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
    let journal = fs::read_to_string(sandbox.journal_path()).expect("the journal");
    assert!(
        journal.contains(
            r#"{"name":"Acid","kind":"treatment","status":"skipped","secs":0,"reason":"paused after rolling: 72 h"}"#
        ),
        "{journal}"
    );
    let plan = sandbox.plan();
    let acid = routine(&plan, "evening")["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["name"] == "Acid")
        .cloned()
        .expect("the acid");
    assert_eq!(acid["status"], "skipped", "{plan:#}");
    assert_eq!(plan["roller"]["uses"], 1, "{plan:#}");
}

#[test]
#[ignore = "needs tmux"]
fn a_data_dir_that_refuses_writes_keeps_the_session_and_retries() {
    let sandbox = Sandbox::new(RUN_THROUGH);
    // A file where the data dir should be: nothing can be written under it.
    fs::write(sandbox.data_dir(), "not a directory").unwrap();
    let pane = sandbox.open("one");
    pane.wait_text("cannot write the data dir");
    pane.keys(&["Space"]);
    pane.wait_for("the summary", |s| s.contains("evening done"));
    assert!(!sandbox.journal_path().exists());

    // The disk is back: the journal line kept in memory goes through on a retry.
    fs::remove_file(sandbox.data_dir()).unwrap();
    fs::create_dir(sandbox.data_dir()).unwrap();
    sandbox.wait_file(&sandbox.journal_path(), &pane);
    pane.wait_text("nothing was lost");
    pane.keys(&["Escape", "q"]);
    assert_eq!(pane.wait_exit(), 0);
    let journal = fs::read_to_string(sandbox.journal_path()).unwrap();
    assert_eq!(journal.lines().count(), 1, "{journal}");
    assert!(journal.contains(r#""complete":true"#), "{journal}");
    assert!(
        !sandbox.saved_path().exists(),
        "cleared after the journal took it"
    );
}

#[test]
#[ignore = "needs tmux"]
fn sighup_and_sigint_save_and_restore_like_sigterm() {
    signal_saves_restores_and_resumes(libc::SIGHUP);
    signal_saves_restores_and_resumes(libc::SIGINT);
}

#[test]
#[ignore = "needs tmux"]
fn a_hundred_resizes_in_a_second_end_in_the_right_layout() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let pane = sandbox.open("one");
    start_long_step(&pane);
    let sizes = [(1, 1), (40, 12), (200, 60), (7, 3), (100, 30), (59, 19)];
    for i in 0..100 {
        let (w, h) = sizes[i % sizes.len()];
        sandbox.tmux_ok(&[
            "resize-window",
            "-t",
            "one",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
    }
    pane.resize(100, 30);
    pane.wait_for("the full layout at 100x30", |s| {
        s.contains("┌ steps") && s.contains("Serum") && s.lines().count() >= 29
    });
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn terminals_it_runs_in_or_says_why_not() {
    let sandbox = Sandbox::new(RUN_THROUGH);
    for term in ["linux", "xterm-256color", "screen-256color"] {
        let pane = sandbox.open_with_term(term, term);
        pane.wait_text("Space starts the step");
        pane.keys(&["q"]);
        assert_eq!(pane.wait_exit(), 0, "TERM={term}");
    }
    let dumb = sandbox.open_with_term("dumb", "dumb");
    assert_eq!(dumb.wait_exit(), 1);
    dumb.wait_text("TERM=dumb cannot show the dashboard");
    let unset = sandbox.open_with_term("unset", "");
    unset.wait_text("Space starts the step");
    unset.keys(&["q"]);
    assert_eq!(unset.wait_exit(), 0, "TERM unset");

    // Not a terminal: the dashboard exits 1 with one line; headless commands work.
    let out = Command::new(env!("CARGO_BIN_EXE_rollcoach"))
        .args(["--config"])
        .arg(sandbox.config())
        .arg("--data-dir")
        .arg(sandbox.data_dir())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(sandbox.rollcoach(&["today", "--json"]).status.success());
}

/// The long-step config with a SessionStart hook that runs for a minute (a 30 s
/// timeout) and starts a process in a new session with its environment cleared; each
/// writes its pid to a file of the sandbox.
fn with_lingering_hook(sandbox: &Sandbox) -> (PathBuf, PathBuf) {
    let (hook, escaped) = (sandbox.path("hook.pid"), sandbox.path("escaped.pid"));
    let script = format!(
        "echo $$ > {}; setsid env -i sh -c 'echo $$ > {}; exec sleep 300' & sleep 60",
        quote(&hook),
        quote(&escaped)
    );
    let config = LONG_SECOND.replacen(
        "roller:",
        &format!(
            "hooks: [(on: SessionStart, run: [\"sh\", \"-c\", {}], timeout: \"30s\")],\n    roller:",
            serde_json::to_string(&script).expect("a string")
        ),
        1,
    );
    fs::write(sandbox.config(), config).expect("write the config");
    (hook, escaped)
}

/// The pid in a file the hook writes, waited for.
fn hook_pid(sandbox: &Sandbox, pane: &Pane, path: &Path) -> i32 {
    sandbox.wait_file(path, pane);
    let start = Instant::now();
    loop {
        if let Ok(pid) = fs::read_to_string(path).unwrap_or_default().trim().parse() {
            return pid;
        }
        assert!(start.elapsed() < DEADLINE, "no pid in {}", path.display());
        thread::sleep(POLL);
    }
}

/// Starts a session with the lingering hook, stops the dashboard with `stop`, and
/// checks that the dashboard exits promptly and the hook's processes are gone within
/// two seconds of it.
fn hooks_end_with_the_dashboard(how: &str, stop: impl Fn(&Pane)) {
    let sandbox = Sandbox::new(LONG_SECOND);
    let (hook_file, escaped_file) = with_lingering_hook(&sandbox);
    let pane = sandbox.open("one");
    start_long_step(&pane);
    let hook = hook_pid(&sandbox, &pane, &hook_file);
    let escaped = hook_pid(&sandbox, &pane, &escaped_file);
    let rollcoach = pane.rollcoach_pid();
    assert!(!gone(hook) && !gone(escaped), "the hook runs before {how}");

    let asked = Instant::now();
    stop(&pane);
    while !gone(rollcoach) {
        assert!(
            asked.elapsed() < DEADLINE,
            "rollcoach still runs after {how}"
        );
        thread::sleep(Duration::from_millis(5));
    }
    let quit = asked.elapsed();
    eprintln!("{how}: rollcoach exited {quit:?} after it was asked, with a hook running");
    assert!(quit < Duration::from_secs(2), "{how} took {quit:?}");
    assert_eq!(pane.wait_exit(), 0);
    let exited = Instant::now();
    for (what, pid) in [
        ("the hook", hook),
        ("what it started in a new session", escaped),
    ] {
        while !gone(pid) {
            assert!(
                exited.elapsed() < Duration::from_secs(2),
                "{what} ({pid}) outlived the dashboard after {how}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
#[ignore = "needs tmux"]
fn a_running_hook_ends_when_the_dashboard_quits() {
    hooks_end_with_the_dashboard("q", |pane| pane.keys(&["q"]));
}

#[test]
#[ignore = "needs tmux"]
fn a_running_hook_ends_when_the_dashboard_is_terminated() {
    hooks_end_with_the_dashboard("SIGTERM", |pane| pane.signal(libc::SIGTERM));
}

/// `rollcoach status --format json`, parsed.
fn status_json(sandbox: &Sandbox) -> Value {
    let out = sandbox.rollcoach(&["status", "--format", "json"]);
    serde_json::from_slice(&out.stdout).expect("status --format json prints JSON")
}

#[test]
#[ignore = "needs tmux"]
fn done_refuses_while_the_dashboard_runs_it_and_status_pauses_once_the_dashboard_is_killed() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let pane = sandbox.open("one");
    start_long_step(&pane);
    let started = Instant::now();
    while sandbox.saved()["current"] != "Serum" {
        assert!(
            started.elapsed() < DEADLINE,
            "never saved at the step change"
        );
        thread::sleep(POLL);
    }
    for args in [&["done", "evening"][..], &["done", "evening", "--again"]] {
        let out = sandbox.rollcoach_output(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("is in progress in the dashboard"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert!(!sandbox.journal_path().exists(), "nothing journaled");
    assert_eq!(status_json(&sandbox)["state"], "running");

    pane.signal(libc::SIGKILL);
    assert_eq!(pane.wait_exit(), 128 + libc::SIGKILL);
    let saved_left = sandbox.saved()["left_ms"].as_u64().expect("left_ms");
    let first = status_json(&sandbox);
    assert_eq!(first["state"], "paused", "{first:#}");
    assert_eq!(first["left_secs"].as_u64(), Some(saved_left.div_ceil(1000)));
    // It holds: no countdown runs without a dashboard.
    thread::sleep(Duration::from_millis(1500));
    assert_eq!(status_json(&sandbox)["left_secs"], first["left_secs"]);
    assert!(
        !sandbox
            .data_files()
            .keys()
            .any(|name| name.contains("unreadable")),
        "nothing set aside"
    );
}

/// Sessions of today's evening (LONG_SECOND) that no run could have saved.
fn impossible_sessions() -> Vec<(&'static str, Value)> {
    use chrono::{Duration as Days, Local};
    let now = Local::now().fixed_offset();
    let today = (now.naive_local() - Days::hours(4)).date().to_string();
    let at = |minutes: i64| (now + Days::minutes(minutes)).to_rfc3339();
    let session = |changes: Value| {
        let mut saved = serde_json::json!({
            "routine": "evening", "day": today, "started": at(-3), "saved_at": at(-1),
            "running": false, "current": "Serum", "part": 0, "left_ms": 200_000,
            "part_length_ms": 300_000, "current_spent_secs": 100,
            "steps": [{"name": "Cleanse", "outcome": "done", "spent_secs": 1}],
        });
        for (key, value) in changes.as_object().expect("an object") {
            saved[key] = value.clone();
        }
        saved
    };
    vec![
        (
            "more time left than any step",
            session(serde_json::json!({"left_ms": u64::MAX, "part_length_ms": u64::MAX})),
        ),
        (
            "steps spent longer than a day",
            session(serde_json::json!({
                "current_spent_secs": u64::MAX,
                "steps": [{"name": "Cleanse", "outcome": "done", "spent_secs": u64::MAX}],
            })),
        ),
        (
            // Saved again on Space or q, this overflowed, and so did the panic hook's
            // save: exit 134 on every start.
            "the current step spent longer than a day",
            session(serde_json::json!({"current_spent_secs": u64::MAX})),
        ),
        (
            "started in the future",
            session(serde_json::json!({"started": at(60 * 24 * 3), "saved_at": null})),
        ),
        (
            "a day far from today",
            session(serde_json::json!({"day": "+200000-01-01", "started": null})),
        ),
        (
            "an empty routine name",
            session(serde_json::json!({"routine": ""})),
        ),
    ]
}

#[test]
#[ignore = "needs tmux"]
fn an_impossible_saved_session_is_set_aside_and_the_dashboard_opens() {
    for (what, saved) in impossible_sessions() {
        let sandbox = Sandbox::new(LONG_SECOND);
        fs::create_dir_all(sandbox.data_dir()).expect("create the data dir");
        let bytes = saved.to_string().into_bytes();
        fs::write(sandbox.saved_path(), &bytes).expect("write session.json");

        let pane = sandbox.open("one");
        let screen = pane.wait_for(&format!("the notice ({what})"), |s| {
            s.contains("the saved session could not be restored")
        });
        let notices = screen.matches("the saved session").count();
        assert_eq!(notices, 1, "{what}: one line:\n{screen}");
        let files = sandbox.data_files();
        assert_eq!(
            files.get("session.json.unreadable"),
            Some(&bytes),
            "{what}: the file is kept aside as it was: {:?}",
            files.keys()
        );
        // It runs: a new session starts from the first step.
        start_long_step(&pane);
        pane.keys(&["q"]);
        assert_eq!(pane.wait_exit(), 0, "{what}: q exits with 0");

        // The next start resumes the new session, with nothing more set aside.
        let again = sandbox.open("two");
        again.wait_for(
            &format!("the new session resumed ({what})"),
            long_step_resumed,
        );
        again.keys(&["q"]);
        assert_eq!(again.wait_exit(), 0, "{what}");
        let files = sandbox.data_files();
        assert!(
            !files.contains_key("session.json.unreadable.1"),
            "{what}: {:?}",
            files.keys()
        );
    }
}

#[test]
#[ignore = "needs tmux"]
fn a_session_recorded_from_another_terminal_shows_in_the_open_dashboard() {
    let sandbox = Sandbox::new(RUN_THROUGH);
    let pane = sandbox.open("one");
    pane.wait_text("roller 0 of");
    // From another terminal: appended to the journal while the dashboard is open.
    let asked = Instant::now();
    sandbox.rollcoach(&["done", "evening"]);
    let screen = pane.wait_text("roller 1 of");
    println!(
        "`rollcoach done` to the dashboard showing it: {} ms",
        asked.elapsed().as_millis()
    );
    assert!(screen.contains("next roll"), "{screen}");
    // And a session caught up for an earlier day, recorded the same way.
    let earlier = (chrono::Local::now() - chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    sandbox.rollcoach(&["done", "evening", "--date", &earlier]);
    pane.wait_text("roller 2 of");
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
    // Nothing was written twice: the dashboard appended nothing of its own.
    let journal = fs::read_to_string(sandbox.journal_path()).unwrap();
    assert_eq!(journal.lines().count(), 2, "{journal}");
}

/// A finished session waits for a disk that refuses writes; a signal then takes the way
/// out `q` takes: the journal line it could not write is printed, and it exits 0.
fn a_signal_while_writes_fail_prints_what_was_not_written(signal: libc::c_int) {
    let sandbox = Sandbox::new(RUN_THROUGH);
    // A file where the data dir should be: nothing can be written under it.
    fs::write(sandbox.data_dir(), "not a directory").unwrap();
    let pane = sandbox.open("one");
    pane.wait_text("cannot write the data dir");
    pane.keys(&["Space"]);
    pane.wait_for("the summary", |s| s.contains("evening done"));
    let sent = Instant::now();
    pane.signal(signal);
    assert_eq!(pane.wait_exit(), 0, "signal {signal}");
    println!(
        "signal {signal} with the disk failing to exit: {} ms",
        sent.elapsed().as_millis()
    );
    pane.assert_terminal_restored();
    let screen = pane.wait_text("rollcoach exited");
    assert!(
        screen.contains("not written to the journal"),
        "signal {signal}: {screen}"
    );
    assert!(screen.contains(r#""complete":true"#), "{screen}");
}

#[test]
#[ignore = "needs tmux"]
fn sigterm_while_writes_fail_prints_what_was_not_written() {
    a_signal_while_writes_fail_prints_what_was_not_written(libc::SIGTERM);
}

#[test]
#[ignore = "needs tmux"]
fn sighup_while_writes_fail_prints_what_was_not_written() {
    a_signal_while_writes_fail_prints_what_was_not_written(libc::SIGHUP);
}

/// A routine whose cues come about a second apart: a warning (`warn_before` 1 s) in the
/// second zone and in the last step, none in the one-second first step.
fn spoken(speak_with: &[&str]) -> String {
    format!(
        r#"(
    checkin: [],
    notify: (desktop: false, speak: true, warn_before: "1s", speak_with: {}),
    roller: (needle_mm: 0.5),
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1s"),
            // One direction a zone: the cues of a zone's later directions ("Vertical.")
            // are checked where pacing is (unit tests), not timed against the warning.
            (name: "Roll", kind: Roll, zones: [
                (name: "Forehead", duration: "2s", directions: [Horizontal]),
                (name: "left cheek", duration: "2s", directions: [Horizontal]),
            ]),
            (name: "Moisturise", kind: Moisturise, duration: "2s"),
        ],
    )],
)"#,
        serde_json::to_string(speak_with).expect("a list")
    )
}

/// Writes an executable sh script.
fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    fs::write(path, format!("#!/bin/sh\n{body}\n")).expect("write the script");
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod the script");
}

#[test]
#[ignore = "needs tmux"]
fn spoken_cues_come_in_order_one_for_each_moment() {
    let sandbox = Sandbox::new("");
    let (speaker, said) = (sandbox.path("speaker.sh"), sandbox.path("said.txt"));
    script(&speaker, &format!("echo \"$1\" >> {}", quote(&said)));
    fs::write(
        sandbox.config(),
        spoken(&[speaker.to_str().expect("utf-8")]),
    )
    .unwrap();
    let pane = sandbox.open("one");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_for("the summary", |s| s.contains("evening done"));
    let lines = pane.wait_lines(&said, 7);
    assert_eq!(
        lines,
        [
            "Cleanse.",
            "Roll. Forehead.",
            "Left cheek.",
            "One second.",
            "Moisturise.",
            "One second.",
            "Evening done.",
        ]
    );
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn a_new_cue_ends_the_one_being_spoken_and_quitting_ends_the_last() {
    a_new_cue_ends_the_last_and_leaving_ends_it_too("q", |pane| pane.keys(&["q"]));
}

#[test]
#[ignore = "needs tmux"]
fn a_terminated_dashboard_leaves_no_cue_speaking() {
    a_new_cue_ends_the_last_and_leaving_ends_it_too("SIGTERM", |pane| pane.signal(libc::SIGTERM));
}

/// A slow stand-in speaker: the step's cue is cut off by the next step's, and that one
/// by the dashboard ending (`how`, by `stop`).
fn a_new_cue_ends_the_last_and_leaving_ends_it_too(how: &str, stop: impl Fn(&Pane)) {
    let sandbox = Sandbox::new(LONG_SECOND);
    let (speaker, said) = (sandbox.path("slow.sh"), sandbox.path("said.txt"));
    // Speaks for half a minute, longer than the test: only a kill ends it early.
    script(
        &speaker,
        &format!(
            "echo \"$$ $1\" >> {said}; sleep 30; echo \"ended $1\" >> {said}",
            said = quote(&said)
        ),
    );
    let config = LONG_SECOND.replacen(
        "notify: (desktop: false)",
        &format!(
            "notify: (desktop: false, speak: true, speak_with: [{}])",
            serde_json::to_string(speaker.to_str().expect("utf-8")).unwrap()
        ),
        1,
    );
    fs::write(sandbox.config(), config).unwrap();
    let pane = sandbox.open("one");
    start_long_step(&pane);
    let lines = pane.wait_lines(&said, 2);
    let pid = |line: &str| -> i32 {
        line.split_whitespace()
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a pid first")
    };
    assert!(lines[0].ends_with(" Cleanse."), "{lines:?}");
    assert!(lines[1].ends_with(" Serum."), "{lines:?}");
    let (first, second) = (pid(&lines[0]), pid(&lines[1]));
    let until_gone = |pid: i32, what: &str| {
        let start = Instant::now();
        while !gone(pid) {
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "{what} ({pid}) still speaks"
            );
            thread::sleep(Duration::from_millis(20));
        }
    };
    until_gone(first, "the cue the next one replaced");
    assert!(!gone(second), "the latest cue is still being spoken");
    stop(&pane);
    assert_eq!(pane.wait_exit(), 0, "{how}");
    until_gone(second, &format!("the cue being spoken at {how}"));
    let text = fs::read_to_string(&said).unwrap();
    assert!(
        !text.contains("ended"),
        "no cue was spoken to its end: {text}"
    );
}

#[test]
#[ignore = "needs tmux, espeak-ng and sox"]
fn espeak_ng_speaks_the_last_cue_into_a_wav_file() {
    require(&[Need::Program("espeak-ng"), Need::Program("sox")]);
    let sandbox = Sandbox::new("");
    let wav = sandbox.path("out.wav");
    let wav_arg = wav.to_str().expect("utf-8");
    fs::write(sandbox.config(), spoken(&["espeak-ng", "-w", wav_arg])).unwrap();
    let pane = sandbox.open("one");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_for("the summary", |s| s.contains("evening done"));
    // Each cue writes the file anew: "Evening done." is the one left.
    let start = Instant::now();
    let secs = loop {
        let out = Command::new("sox")
            .args(["--i", "-D", wav_arg])
            .output()
            .expect("run sox");
        let secs: f64 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0.0);
        if secs > 0.3 || start.elapsed() > DEADLINE {
            break secs;
        }
        thread::sleep(POLL);
    };
    assert!(secs > 0.3, "{} is {secs} s long", wav.display());
    assert!(secs < 5.0, "one short cue, not {secs} s");
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn without_a_speech_program_the_dashboard_says_so_and_goes_on() {
    let sandbox = Sandbox::new(&RUN_THROUGH.replacen(
        "notify: (desktop: false)",
        "notify: (desktop: false, speak: true)",
        1,
    ));
    let empty = sandbox.path("empty-bin");
    fs::create_dir_all(&empty).unwrap();
    let pane = sandbox.open_with_env("one", &format!("PATH={} ", quote(&empty)));
    let screen = pane.wait_text("speech is off: no spd-say, espeak-ng or espeak on PATH");
    assert!(screen.contains("notify.speak_with"), "{screen}");
    pane.keys(&["Space"]);
    pane.wait_for("the summary", |s| s.contains("evening done"));
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

/// A product opened long ago: expired whatever today is.
const EXPIRED_TONER: &str = r#"(
    products: [(name: "Toner", actives: [Aha], opened: "2020-01-06", lasts: "6M")],
    routines: [
        (name: "evening", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Toner", kind: Treatment, duration: "30s", product: "Toner"),
        ]),
    ],
)"#;

#[test]
#[ignore = "needs tmux"]
fn an_expired_product_shows_on_its_step_until_a_new_bottle_is_recorded() {
    require(&[Need::Tmux]);
    let sandbox = Sandbox::new(EXPIRED_TONER);
    let pane = sandbox.open("one");
    let screen = pane.wait_text("\"Toner\" expired Mon 6 Jul");
    assert!(screen.contains("⚠ 1 notice"), "{screen}");
    // A new bottle, recorded from another terminal: the open dashboard sees it.
    sandbox.rollcoach(&["shelf", "open", "Toner"]);
    let screen = pane.wait_for("the warning gone", |s| !s.contains("expired"));
    assert!(!screen.contains("notice"), "{screen}");
    let plan = sandbox.plan();
    assert_eq!(plan["warnings"], serde_json::json!([]));
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

/// A 90 × 60 PNG: `colour` below the diagonal, white above it.
fn write_photo(path: &Path, colour: [u8; 3]) {
    image::RgbImage::from_fn(90, 60, |x, y| {
        image::Rgb(if y * 90 > x * 60 {
            colour
        } else {
            [255, 255, 255]
        })
    })
    .save(path)
    .expect("write a PNG");
}

#[test]
#[ignore = "needs tmux"]
fn the_photo_view_opens_from_the_history_and_draws_both_photos_in_half_blocks() {
    let sandbox = Sandbox::new(LONG_SECOND);
    for (file, date, colour) in [
        ("before.png", "2026-10-26", [200, 0, 0]),
        ("between.png", "2026-11-09", [0, 150, 0]),
        ("after.png", "2026-11-23", [0, 0, 220]),
    ] {
        let path = sandbox.path(file);
        write_photo(&path, colour);
        let out = sandbox.rollcoach(&["photo", "add", path.to_str().unwrap(), "--date", date]);
        assert!(out.status.success(), "{out:?}");
    }
    let pane = sandbox.open("photos");
    pane.wait_text("Cleanse");
    pane.keys(&["h"]);
    pane.wait_text("p photos");
    pane.keys(&["p"]);
    // Both pictures come from the worker: no place still says it is scaling, and the
    // half blocks of their diagonal edges are on screen.
    let drawn = |s: &str| !s.contains("scaling…") && s.contains('▀');
    let screen = pane.wait_for("both photos drawn", |s| {
        s.contains("photo 3 of 3") && s.contains("Mon 26 Oct 2026") && drawn(s)
    });
    assert!(screen.contains("Mon 23 Nov 2026"), "{screen}");
    assert!(screen.contains("28 days apart"), "{screen}");
    // Stepping back compares the middle photo with the first.
    pane.keys(&["Left"]);
    pane.wait_for("the middle photo", |s| {
        s.contains("photo 2 of 3") && s.contains("Mon 9 Nov 2026") && drawn(s)
    });
    // A smaller pane gets pictures made again for it.
    pane.resize(70, 24);
    pane.wait_for("the photos redrawn smaller", |s| {
        s.contains("photo 2 of 3") && drawn(s)
    });
    pane.keys(&["p"]);
    pane.wait_text("history ·");
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
    pane.assert_terminal_restored();
}

/// Two short steps without a roller or a due time: the status line says only what the
/// session does (and the tooltip whether the routine is done).
const FOLLOWED: &str = r#"(
    notify: (desktop: false),
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "4s"),
            (name: "Moisturise", kind: Moisturise, duration: "1s"),
        ],
    )],
)"#;

/// `rollcoach status --follow --format json` running on a sandbox, its lines read as
/// they come; killed when dropped.
struct Follower {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<Value>,
}

impl Follower {
    fn start(sandbox: &Sandbox) -> Follower {
        use std::io::BufRead;
        let mut follower = Follower::start_unread(sandbox);
        let out = follower.child.stdout.take().expect("a stdout pipe");
        let (tx, lines) = std::sync::mpsc::channel();
        thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { return };
                let value = serde_json::from_str(&line).expect("each line is JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        follower.lines = lines;
        follower
    }

    /// Started, its stdout left for the test to read.
    fn start_unread(sandbox: &Sandbox) -> Follower {
        let child = Command::new(env!("CARGO_BIN_EXE_rollcoach"))
            .env_remove("ROLLCOACH_CONFIG")
            .env_remove("ROLLCOACH_DATA_DIR")
            .env("HOME", sandbox.path("home"))
            .arg("--config")
            .arg(sandbox.config())
            .arg("--data-dir")
            .arg(sandbox.data_dir())
            .args(["status", "--follow", "--format", "json"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start status --follow");
        Follower {
            child,
            lines: std::sync::mpsc::channel().1,
        }
    }

    /// The next line; one must come within the deadline.
    fn next(&self) -> Value {
        self.lines
            .recv_timeout(DEADLINE)
            .expect("a status line within the deadline")
    }

    /// Lines until one that `ok` takes; that one.
    fn until(&self, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        let mut seen = Vec::new();
        while start.elapsed() < DEADLINE {
            match self.lines.recv_timeout(POLL) {
                Ok(line) if ok(&line) => return line,
                Ok(line) => seen.push(line),
                Err(_) => {}
            }
        }
        panic!("no status line with {what} within {DEADLINE:?}; saw {seen:#?}");
    }

    /// Its exit status, once it has exited within the deadline.
    fn wait_exit(&mut self) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "status --follow still runs after {DEADLINE:?}"
            );
            thread::sleep(POLL);
        }
    }

    /// Context switches of all its threads (voluntary, all), from /proc.
    fn switches(&self) -> (u64, u64) {
        let tasks = format!("/proc/{}/task", self.child.id());
        let (mut voluntary, mut all) = (0, 0);
        for task in fs::read_dir(tasks).expect("its /proc dir").flatten() {
            let status = fs::read_to_string(task.path().join("status")).unwrap_or_default();
            for line in status.lines() {
                let count = |name: &str| {
                    line.strip_prefix(name)
                        .and_then(|n| n.trim().parse::<u64>().ok())
                };
                if let Some(n) = count("voluntary_ctxt_switches:") {
                    voluntary += n;
                    all += n;
                } else if let Some(n) = count("nonvoluntary_ctxt_switches:") {
                    all += n;
                }
            }
        }
        (voluntary, all)
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
#[ignore = "needs tmux"]
fn status_follow_prints_a_line_when_a_session_starts_pauses_and_ends() {
    let sandbox = Sandbox::new(FOLLOWED);
    let follower = Follower::start(&sandbox);
    let first = follower.next();
    // A routine without `at` is due all day until it is done.
    assert_eq!(first["state"], "due", "{first:#}");
    assert_eq!(first["tooltip"], "evening: 0:05");

    let pane = sandbox.open("one");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    let running = follower.until("the session running", |l| l["state"] == "running");
    assert_eq!(running["step"], "Cleanse", "{running:#}");
    pane.keys(&["Space"]);
    let paused = follower.until("the session paused", |l| l["state"] == "paused");
    assert!(
        paused["text"].as_str().unwrap().ends_with("· paused"),
        "{paused:#}"
    );
    assert_eq!(paused["step"], "Cleanse", "{paused:#}");
    pane.keys(&["Space"]);
    let resumed = follower.until("the session running again", |l| l["state"] == "running");
    assert_eq!(resumed["step"], "Cleanse", "{resumed:#}");
    // The journal gets the session before session.json goes: the line may say the
    // last step a moment longer.
    let done = follower.until("the routine done, no session left", |l| {
        l["tooltip"] == "evening: done" && l["state"] == "idle"
    });
    assert_eq!(done["text"], "all done today", "{done:#}");
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn status_follow_prints_nothing_and_sleeps_while_nothing_changes() {
    let sandbox = Sandbox::new(FOLLOWED);
    let follower = Follower::start(&sandbox);
    follower.next();
    // Its threads settle into their waits.
    let mut before = follower.switches();
    let start = Instant::now();
    loop {
        thread::sleep(Duration::from_millis(300));
        let now = follower.switches();
        if now == before {
            break;
        }
        before = now;
        assert!(start.elapsed() < DEADLINE, "status --follow never settles");
    }
    // A quiet window: measured, not waited on for any logic.
    thread::sleep(Duration::from_secs(3));
    assert_eq!(
        follower.switches(),
        before,
        "status --follow woke up while nothing changed"
    );
    assert!(
        follower.lines.try_recv().is_err(),
        "a line while nothing changed"
    );
    // Something written to the data dir that is not its business prints nothing (the
    // watcher's thread sees the event and drops it).
    fs::write(sandbox.data_dir().join("notes.txt"), "x").unwrap();
    assert!(
        follower
            .lines
            .recv_timeout(Duration::from_millis(500))
            .is_err(),
        "a line for an unrelated file"
    );
    // Its own business does.
    sandbox.rollcoach(&["done", "evening"]);
    let done = follower.next();
    assert_eq!(done["tooltip"], "evening: done", "{done:#}");
}

#[test]
#[ignore = "needs tmux"]
fn status_follow_exits_when_stdout_or_stdin_closes_or_on_a_signal() {
    let sandbox = Sandbox::new(FOLLOWED);
    // stdout: the reader goes away while nothing changes.
    let mut follower = Follower::start_unread(&sandbox);
    let mut out = std::io::BufReader::new(follower.child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    assert!(first.contains("\"state\""), "{first}");
    drop(out);
    assert!(follower.wait_exit().success(), "exit 0 when stdout closes");

    // stdin: the bar closes its end.
    let mut follower = Follower::start(&sandbox);
    follower.next();
    drop(follower.child.stdin.take());
    assert!(follower.wait_exit().success(), "exit 0 when stdin closes");

    // A signal.
    let mut follower = Follower::start(&sandbox);
    follower.next();
    // SAFETY: kill(2) on a child this test started.
    assert_eq!(
        unsafe { libc::kill(follower.child.id() as i32, libc::SIGTERM) },
        0
    );
    let status = follower.wait_exit();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?}");
}

/// CPU time (user + system, in clock ticks) of all the threads of `pid`, from /proc.
fn cpu_ticks(pid: i32) -> u64 {
    let mut ticks = 0;
    for task in fs::read_dir(format!("/proc/{pid}/task"))
        .expect("its /proc dir")
        .flatten()
    {
        let stat = fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        // After "(comm)": state is field 3, utime and stime fields 14 and 15.
        let rest = &stat[stat.rfind(')').map_or(0, |i| i + 1)..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        ticks += fields
            .get(11)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0);
        ticks += fields
            .get(12)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0);
    }
    ticks
}

#[test]
#[ignore = "needs tmux"]
fn two_dashboards_on_one_config_do_not_wake_each_other() {
    let sandbox = Sandbox::new(LONG_SECOND);
    let owner = sandbox.open("one");
    owner.wait_text("Space starts the step");
    let other = sandbox.open("two");
    other.wait_text("read-only");
    let (first, second) = (owner.rollcoach_pid(), other.rollcoach_pid());
    let before = (cpu_ticks(first), cpu_ticks(second));
    // A measuring window, not a wait for something to happen.
    thread::sleep(Duration::from_secs(2));
    let used = (cpu_ticks(first) - before.0, cpu_ticks(second) - before.1);
    // Idle, each uses nothing; reading the config for each other's reads kept both
    // busy (over a second of CPU in two).
    assert!(used.0 < 20 && used.1 < 20, "CPU ticks in 2 s: {used:?}");
    for pane in [&owner, &other] {
        pane.keys(&["q"]);
        assert_eq!(pane.wait_exit(), 0);
    }
}

#[test]
#[ignore = "needs tmux"]
fn status_follow_follows_the_config_and_keeps_the_last_good_one() {
    let sandbox = Sandbox::new(FOLLOWED);
    let mut follower = Follower::start(&sandbox);
    assert_eq!(follower.next()["tooltip"], "evening: 0:05");
    // An editor's save: a new file renamed over the config.
    let tmp = sandbox.path(".config.ron.tmp");
    fs::write(&tmp, FOLLOWED.replace("\"4s\"", "\"14s\"")).unwrap();
    fs::rename(&tmp, sandbox.config()).unwrap();
    assert_eq!(follower.next()["tooltip"], "evening: 0:15");
    // A config that does not load: the line stays, and stderr says why.
    fs::write(sandbox.config(), "(routines: [\n  (name: 1)])").unwrap();
    assert!(
        follower.lines.recv_timeout(Duration::from_secs(1)).is_err(),
        "a line for a config that does not load"
    );
    drop(follower.child.stdin.take());
    assert!(follower.wait_exit().success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut follower.child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("config.ron:2:") && stderr.contains("keeps the last config"),
        "{stderr}"
    );
}

#[test]
#[ignore = "needs tmux"]
fn a_dashboard_whose_terminal_goes_away_saves_and_exits_without_a_crash() {
    // SIGHUP ignored (nohup, a detached job): the pane closing is seen as a terminal that
    // cannot be read any more, and nothing can be written to it either.
    let sandbox = Sandbox::new(LONG_SECOND);
    let pane = sandbox.open_after("one", 100, "trap '' HUP; ", "");
    start_long_step(&pane);
    sandbox.tmux_ok(&["kill-session", "-t", "one"]);
    let rc = pane.wait_exit();
    assert_eq!(rc, 1, "a runtime failure, not an abort (134)");
    let saved = sandbox.saved();
    assert_eq!(saved["current"], "Serum", "{saved:#}");
    assert!(saved["left_ms"].as_u64().is_some(), "{saved:#}");
    // The pane's shell ignores SIGHUP too: with its terminal gone it ends by itself,
    // leaving nothing of this test running.
    let root = pane.rc_path().parent().unwrap().display().to_string();
    let left = || -> Vec<String> {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
            .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
            .filter(|c| c.contains(&root))
            .collect()
    };
    let until = std::time::Instant::now() + Duration::from_secs(5);
    while !left().is_empty() && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(left(), Vec::<String>::new(), "left running");
}
