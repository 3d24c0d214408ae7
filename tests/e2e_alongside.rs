//! End to end: the built-in roll night, its durations cut to seconds, driven in tmux
//! (see tests/support): the roller soaks alongside the cleanse, the Roll waits for it,
//! the disinfecting soak runs alongside the serum and moisturiser, and the journal has
//! each step's start and end in that order.
//!
//! `#[ignore = "needs tmux"]`: `cargo test -- --include-ignored` runs it.

mod support;

use std::fs;

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use support::Sandbox;

/// The built-in config, its evening alone (whatever the hour, it is the routine on
/// screen), without desktop notifications, each duration a few seconds.
fn short_roll_night() -> String {
    let text = include_str!("../config/default.ron");
    let morning = text.find("name: \"morning\"").expect("the morning routine");
    let evening = text.find("name: \"evening\"").expect("the evening routine");
    // From the morning routine's opening parenthesis to the evening's.
    let from = text[..morning].rfind('(').expect("the morning's (");
    let to = text[..evening].rfind('(').expect("the evening's (");
    let text = format!("{}{}", &text[..from], &text[to..]);
    let text = text.replace("notify: (desktop: true", "notify: (desktop: false");
    let mut out = String::new();
    for line in text.lines() {
        let line =
            if line.contains("name: \"Sanitize roller\"") || line.contains("duration: \"5m\"") {
                line.replace("\"5m\"", "\"3s\"")
            } else {
                line.replace("\"10m\"", "\"6s\"")
                    .replace("\"1m 30s\"", "\"1s\"")
                    .replace("\"1m\"", "\"1s\"")
                    .replace("\"45s\"", "\"1s\"")
                    .replace("\"30s\"", "\"1s\"")
            };
        out.push_str(&line);
        out.push('\n');
    }
    assert!(out.contains("\"3s\"") && out.contains("\"6s\""), "{out}");
    assert!(!out.contains("\"morning\""), "{out}");
    out
}

fn at(value: &Value) -> DateTime<FixedOffset> {
    value
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .unwrap_or_else(|| panic!("not a time: {value}"))
}

#[test]
#[ignore = "needs tmux"]
fn the_built_in_roll_night_soaks_alongside_and_rolls_after_the_soak() {
    let sandbox = Sandbox::new(&short_roll_night());
    let pane = sandbox.open("one");
    pane.wait_text("Space starts the step");
    // The check-in first; "n": none of these, so it rolls; the soak starts and goes
    // aside, the cleanse comes in hand.
    pane.keys(&["Space"]);
    pane.wait_text("before rolling tonight");
    pane.keys(&["n"]);
    pane.wait_for("the soak alongside", |s| {
        s.contains("Cleanse · cleanse") && s.contains("Sanitize roller · 0:0")
    });
    pane.keys(&["Space"]);
    // The cleanse (1 s) ends before the soak (3 s): the roll waits; Space says to
    // start it when the soak ends.
    pane.wait_text("waiting for Sanitize roller");
    pane.keys(&["Space"]);
    pane.wait_for("the disinfecting soak in hand", |s| {
        s.contains("Disinfect roller · sanitize")
    });
    pane.keys(&["Space"]);
    pane.wait_for("the serum, the soak alongside", |s| {
        s.contains("Hyaluronic serum · serum") && s.contains("Disinfect roller · 0:0")
    });
    pane.keys(&["Space"]);
    pane.wait_text("Moisturise · moisturise");
    pane.keys(&["Space"]);
    // The session ends with the soak, not with the moisturiser.
    pane.wait_text("every step in hand is done");
    pane.wait_for("the summary", |s| s.contains("evening done · rolled"));
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0, "q exits with 0");

    let journal = fs::read_to_string(sandbox.journal_path()).expect("the journal exists");
    let session: Value = journal
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a journal line is JSON"))
        .find(|r| r["type"] == "session")
        .unwrap_or_else(|| panic!("no session in {journal}"));
    assert_eq!(session["complete"], true, "{session:#}");
    let steps = session["steps"].as_array().expect("steps");
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {session:#}"))
    };
    let mut ended: Vec<(DateTime<FixedOffset>, &str)> = steps
        .iter()
        .filter(|s| s["status"] == "done")
        .map(|s| (at(&s["ended"]), s["name"].as_str().unwrap()))
        .collect();
    ended.sort();
    let order: Vec<&str> = ended.iter().map(|(_, name)| *name).collect();
    assert_eq!(
        order,
        [
            "Cleanse",
            "Sanitize roller",
            "Roll",
            "Hyaluronic serum",
            "Moisturise",
            "Disinfect roller"
        ],
        "{session:#}"
    );
    let soak = step("Sanitize roller");
    let roll = step("Roll");
    assert!(
        at(&roll["started"]) >= at(&soak["ended"]),
        "the roll started before its soak ended: {session:#}"
    );
    assert_eq!(soak["secs"], 3, "{session:#}");
    assert_eq!(step("Disinfect roller")["secs"], 6, "{session:#}");
    assert_eq!(
        session["ended"],
        step("Disinfect roller")["ended"],
        "{session:#}"
    );
}
