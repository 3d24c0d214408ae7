//! End to end over a day: the real binary in tmux (see tests/support). A finished
//! evening stays done through a config edit; running it again is asked for and never
//! rolls twice; `done` after a check-in declined in the dashboard records nothing.
//!
//! These tests are `#[ignore = "needs tmux"]`: `cargo test -- --include-ignored` runs
//! them, and there a missing tmux fails them.

mod support;

use std::fs;

use serde_json::Value;

use support::Sandbox;

/// Short steps that run through by themselves (1 + 2 + 1 s), a check-in before the roll,
/// and a rest-day step the roll holds off.
const EVENING: &str = r#"(
    notify: (desktop: false),
    roller: (needle_mm: 0.5),
    checkin: ["Active acne or a cold sore where you roll?", "Sunburn or strong sun in the last two days?"],
    routines: [(
        name: "evening",
        auto_advance: true,
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1s"),
            (name: "Roll", kind: Roll, zones: [
                (name: "Forehead", duration: "1s"),
                (name: "Chin", duration: "1s"),
            ]),
            (name: "Retinol", kind: Treatment, duration: "1s", when: RestDay),
            (name: "Moisturise", kind: Moisturise, duration: "1s"),
        ],
    )],
)"#;

/// The journal's session lines.
fn sessions(sandbox: &Sandbox) -> Vec<Value> {
    fs::read_to_string(sandbox.journal_path())
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|v| v["type"] == "session")
        .collect()
}

fn rolled(session: &Value) -> bool {
    session["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .any(|s| s["kind"] == "roll" && s["status"] == "done")
}

#[test]
#[ignore = "needs tmux"]
fn a_finished_evening_stays_done_through_a_config_edit_and_never_rolls_twice() {
    let sandbox = Sandbox::new(EVENING);
    let pane = sandbox.open("day");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_text("Sunburn or strong sun");
    pane.keys(&["n"]);
    pane.wait_for("the summary", |s| {
        s.contains("evening done · rolled") && s.contains("Rate your skin")
    });
    pane.keys(&["Escape"]);
    assert_eq!(sessions(&sandbox).len(), 1);

    // A harmless edit: the dashboard reloads it and the day stays done.
    fs::write(
        sandbox.config(),
        EVENING.replace(
            "(name: \"Moisturise\", kind: Moisturise, duration: \"1s\")",
            "(name: \"Moisturise\", kind: Moisturise, duration: \"2s\")",
        ),
    )
    .expect("write the config");
    let screen = pane.wait_text("config reloaded");
    assert!(screen.contains("evening done · rolled"), "{screen}");
    assert!(!screen.contains("Space starts the step"), "{screen}");
    // Space starts nothing and asks nothing: it says how to run it once more.
    pane.keys(&["Space"]);
    let screen = pane.wait_text("evening is done today · a runs it once more");
    assert!(!screen.contains("Sunburn or strong sun"), "{screen}");
    assert_eq!(sessions(&sandbox).len(), 1);

    // Quit and reopen: still done.
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
    let pane = sandbox.open("again");
    let screen = pane.wait_text("evening done · rolled");
    assert!(!screen.contains("Space starts the step"), "{screen}");

    // Once more, deliberately: asked, then a run without the roll.
    pane.keys(&["a"]);
    pane.wait_text("Run it once more?");
    pane.keys(&["y"]);
    let screen = pane.wait_text("rolled already today");
    assert!(!screen.contains("Sunburn or strong sun"), "{screen}");
    pane.keys(&["Space"]);
    pane.wait_for("the second summary", |s| {
        s.contains("evening done · once more") && s.contains("Rate your skin")
    });
    pane.keys(&["Escape", "q"]);
    assert_eq!(pane.wait_exit(), 0);

    let all = sessions(&sandbox);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(all.iter().filter(|s| rolled(s)).count(), 1, "{all:#?}");
    let second: Vec<&str> = all[1]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(second, ["Cleanse", "Moisturise"], "{all:#?}");
    let plan = sandbox.plan();
    assert_eq!(plan["roller"]["uses"], 1, "{plan:#}");
}

/// A long first step, so the session can be left while it runs.
const LONG_EVENING: &str = r#"(
    notify: (desktop: false),
    roller: (needle_mm: 0.5),
    checkin: ["A cold sore now or in the last two weeks?", "Sunburn or strong sun in the last two days?"],
    routines: [(
        name: "evening",
        at: "00:00",
        steps: [
            (name: "Cleanse", kind: Cleanse, duration: "10m"),
            (name: "Roll", kind: Roll, duration: "2m"),
            (name: "Retinol", kind: Treatment, duration: "1m", when: RestDay),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ],
    )],
)"#;

#[test]
#[ignore = "needs tmux"]
fn done_after_a_checkin_declined_in_the_dashboard_records_nothing() {
    let sandbox = Sandbox::new(LONG_EVENING);
    let pane = sandbox.open("declined");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_text("A cold sore now");
    pane.keys(&["1"]);
    pane.wait_text("1 [x]");
    // n with a mark would drop it: refused, said on the check-in.
    pane.keys(&["n"]);
    pane.wait_text("1 marked: y skips rolling tonight");
    pane.keys(&["y"]);
    pane.wait_text("no rolling tonight");
    // Left mid-session: saved, paused.
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
    assert!(sandbox.saved_path().exists());

    let out = sandbox.rollcoach_output(&["done", "evening"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("was started in the dashboard and is saved there"),
        "{err}"
    );
    assert!(sessions(&sandbox).is_empty(), "nothing recorded");
    let plan = sandbox.plan();
    assert_eq!(plan["roller"]["uses"], 0, "{plan:#}");

    // Reopened, it resumes the declined session: no roll in it, the retinol on.
    let pane = sandbox.open("resumed");
    let screen = pane.wait_text("resumed evening");
    assert!(screen.contains("roller 0 of"), "{screen}");
    assert!(screen.contains("no roll tonight"), "{screen}");
    assert!(!screen.contains("next roll today"), "{screen}");
}

#[test]
#[ignore = "needs tmux"]
fn the_week_view_shows_the_roll_nights_and_the_aftercare() {
    let sandbox = Sandbox::new(EVENING);
    // Rolled today, away from the terminal.
    sandbox.rollcoach(&["done", "evening"]);
    let pane = sandbox.open("week");
    pane.wait_text("evening done · rolled");
    pane.keys(&["w"]);
    let screen = pane.wait_text("nights ahead");
    assert!(screen.contains("evening · Roll"), "{screen}");
    assert!(screen.contains("after-care"), "{screen}");
    // The cursor starts on today, on the Roll row: tonight rolled.
    assert!(
        screen.contains("(roll night) · evening · Roll: runs"),
        "{screen}"
    );
    assert!(screen.contains("after rolling: no makeup"), "{screen}");
    // A week on is the next roll night.
    for _ in 0..7 {
        pane.keys(&["Right"]);
    }
    pane.wait_text("(roll night) · evening · Roll: runs");
    pane.keys(&["Escape"]);
    pane.wait_text("evening done · rolled");
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

#[test]
#[ignore = "needs tmux"]
fn the_built_in_routine_says_so_on_screen() {
    let sandbox = Sandbox::new(EVENING);
    let pane = sandbox.open_built_in("builtin");
    let screen = pane.wait_text("notice");
    assert!(screen.contains("1 notice"), "{screen}");
    pane.keys(&["!"]);
    let screen = pane.wait_text("this is the built-in routine");
    assert!(screen.contains("rollcoach init"), "{screen}");
    pane.keys(&["Escape", "q"]);
    assert_eq!(pane.wait_exit(), 0);
}

/// Where Debian's libfaketime is.
const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

#[test]
#[ignore = "needs tmux and libfaketime"]
fn the_countdown_runs_under_libfaketime() {
    support::require(&[support::Need::Program("faketime")]);
    assert!(
        std::path::Path::new(LIBFAKETIME).exists(),
        "{LIBFAKETIME} is missing (package libfaketime)"
    );
    // The process reads a clock moved to another day; the kernel's timers are not moved.
    let sandbox = Sandbox::new(
        r#"(notify: (desktop: false), routines: [(name: "evening", steps: [
            (name: "Serum", kind: Serum, duration: "5m")])])"#,
    );
    let env = format!(
        "LD_PRELOAD={LIBFAKETIME} FAKETIME={} ",
        support::quote("@2026-11-30 03:59:40")
    );
    let pane = sandbox.open_with_env("faked", &env);
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_text("running");
    // With no key pressed, the seconds go on.
    pane.wait_for("the countdown to move", |s| {
        s.contains("session 4:5") && s.contains("left of 5:00")
    });
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
}

/// A lasting "yes" at the check-in holds rolling: the evening becomes a rest night, the
/// next day (the clock moved a day on by libfaketime) plans no roll and asks nothing,
/// its rest-night actives run, and `H` clears the hold.
#[test]
#[ignore = "needs tmux and libfaketime"]
fn a_lasting_yes_holds_rolling_the_next_day_until_cleared() {
    support::require(&[support::Need::Program("faketime")]);
    assert!(
        std::path::Path::new(LIBFAKETIME).exists(),
        "{LIBFAKETIME} is missing (package libfaketime)"
    );
    let sandbox = Sandbox::new(&EVENING.replace(
        r#"checkin: ["Active acne or a cold sore where you roll?", "Sunburn or strong sun in the last two days?"],"#,
        r#"checkin: ["Active acne or a cold sore where you roll?", (ask: "A tendency to keloids?", lasting: true)],"#,
    ));
    let pane = sandbox.open("held");
    pane.wait_text("Space starts the step");
    pane.keys(&["Space"]);
    pane.wait_text("A tendency to keloids?");
    pane.keys(&["2", "y"]);
    pane.wait_for("the summary", |s| {
        s.contains("evening done · no roll tonight") && s.contains("Rate your skin")
    });
    pane.keys(&["Escape", "!"]);
    let screen = pane.wait_text("rolling held: \"A tendency to keloids?\"");
    assert!(screen.contains("H clears it"), "{screen}");
    pane.keys(&["Escape", "q"]);
    assert_eq!(pane.wait_exit(), 0);
    let journal = fs::read_to_string(sandbox.journal_path()).expect("the journal");
    assert!(
        journal.contains(r#""type":"roll_hold","ask":"A tendency to keloids?""#),
        "{journal}"
    );

    // The next day: no roll planned, nothing asked, the rest night's retinol runs.
    let env = format!(
        "LD_PRELOAD={LIBFAKETIME} FAKETIME={} ",
        support::quote("+1d")
    );
    let pane = sandbox.open_with_env("next", &env);
    let screen = pane.wait_text("Space starts the step");
    assert!(screen.contains("next roll held"), "{screen}");
    assert!(screen.contains("rest day"), "{screen}");
    pane.keys(&["Space"]);
    pane.wait_for("the rest night's summary", |s| {
        s.contains("evening done") && s.contains("Rate your skin")
    });
    let all = sessions(&sandbox);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(!rolled(&all[1]), "{all:#?}");
    let done: Vec<&str> = all[1]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["status"] == "done")
        .map(|s| s["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(done, ["Cleanse", "Retinol", "Moisturise"], "{all:#?}");

    // H lists the hold; 1 clears it, and the next roll is planned again.
    pane.keys(&["Escape", "H"]);
    pane.wait_text("what holds rolling");
    pane.keys(&["1"]);
    let screen = pane.wait_text("hold cleared: A tendency to keloids?");
    assert!(!screen.contains("next roll held"), "{screen}");
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
    let journal = fs::read_to_string(sandbox.journal_path()).expect("the journal");
    assert!(
        journal.contains(r#""type":"roll_hold_cleared""#),
        "{journal}"
    );
}
