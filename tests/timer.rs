//! A timer for anything (`rollcoach timer 10m "Sheet mask"`): its length checked on the
//! command line, `status` showing it while it runs (and not once its process is gone),
//! and the real binary in tmux counting down, ringing and journaling it.

mod support;

use std::fs;

use rollcoach::cli::status::{self, Status};
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::Journal;
use rollcoach::session::timer::SavedTimer;
use support::Sandbox;

const CONFIG: &str = r#"(notify: (desktop: false, bell: true), routines: [(name: "evening", at: "21:00", steps: [(name: "Cleanse", kind: Cleanse, duration: "1m")])])"#;

fn status_at(now: &str) -> Status {
    let config = parse(CONFIG).unwrap();
    status::status(
        &config,
        &Journal::default(),
        None,
        false,
        now.parse().unwrap(),
    )
}

#[test]
fn status_puts_a_running_or_paused_timer_first_and_leaves_out_one_run_out() {
    let now = "2026-12-03T20:00:00+00:00";
    let running = SavedTimer {
        name: "Sheet mask".into(),
        length_secs: 600,
        ends: Some("2026-12-03T20:04:12+00:00".parse().unwrap()),
        left_secs: 600,
        pid: None,
    };
    let shown = status::with_timer(status_at(now), &running, now.parse().unwrap());
    assert!(
        shown.text.starts_with("Sheet mask 4:12 · "),
        "{}",
        shown.text
    );
    // The line changes when 4:11 begins: a second on.
    assert_eq!(
        shown.changes_at,
        Some("2026-12-03T20:00:01".parse().unwrap()),
    );
    let paused = SavedTimer {
        ends: None,
        left_secs: 75,
        ..running.clone()
    };
    let shown = status::with_timer(status_at(now), &paused, now.parse().unwrap());
    assert!(
        shown.text.starts_with("Sheet mask 1:15 paused · "),
        "{}",
        shown.text
    );
    let after = "2026-12-03T20:05:00+00:00";
    let shown = status::with_timer(status_at(after), &running, after.parse().unwrap());
    assert_eq!(shown.text, status_at(after).text);
}

#[test]
fn a_timer_length_is_checked_with_the_form_to_write() {
    let sandbox = Sandbox::new(CONFIG);
    for (length, says) in [
        ("0s", "from 1s to 24h"),
        ("25h", "from 1s to 24h"),
        ("soon", "write it as 10m, 90s or 1h30m"),
    ] {
        let out = sandbox.rollcoach_output(&["timer", length]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{length}: {err}");
        assert!(err.contains(says), "{length}: {err}");
    }
}

#[test]
fn status_leaves_out_a_timer_whose_process_is_gone() {
    let sandbox = Sandbox::new(CONFIG);
    let data = sandbox.data_dir();
    fs::create_dir_all(&data).unwrap();
    let far = (chrono::Local::now() + chrono::TimeDelta::minutes(5)).fixed_offset();
    let mut timer = SavedTimer {
        name: "Sheet mask".into(),
        length_secs: 600,
        ends: Some(far),
        left_secs: 600,
        pid: Some(std::process::id()),
    };
    fs::write(data.join("timer.json"), serde_json::to_vec(&timer).unwrap()).unwrap();
    let line = |sandbox: &Sandbox| {
        String::from_utf8_lossy(&sandbox.rollcoach_output(&["status"]).stdout).to_string()
    };
    assert!(
        line(&sandbox).starts_with("Sheet mask 5:00 · ")
            || line(&sandbox).starts_with("Sheet mask 4:5"),
        "{}",
        line(&sandbox)
    );
    // A pid no process has (above the kernel's limit).
    timer.pid = Some(4_194_305);
    fs::write(data.join("timer.json"), serde_json::to_vec(&timer).unwrap()).unwrap();
    assert!(!line(&sandbox).contains("Sheet mask"), "{}", line(&sandbox));
}

#[test]
#[ignore = "needs tmux"]
fn a_timer_counts_down_in_its_terminal_rings_and_is_journaled() {
    let sandbox = Sandbox::new(CONFIG);
    let pane = sandbox.open_command("timer", "timer 3s 'Sheet mask'");
    pane.wait_text("Sheet mask");
    pane.wait_text("running");
    // While it runs, status (a status bar) shows it first.
    let out = sandbox.rollcoach_output(&["status"]);
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(line.starts_with("Sheet mask 0:0"), "{line}");
    pane.wait_text("any key closes");
    assert!(!sandbox.data_dir().join("timer.json").exists());
    pane.keys(&["x"]);
    assert_eq!(pane.wait_exit(), 0);
    let journal = fs::read_to_string(sandbox.journal_path()).unwrap();
    let record: serde_json::Value = serde_json::from_str(journal.lines().last().unwrap()).unwrap();
    assert_eq!(record["type"], "timer");
    assert_eq!(record["name"], "Sheet mask");
    assert_eq!(record["complete"], true);
    assert_eq!(record["secs"], 3);

    // Stopped early: journaled as stopped, with what it counted.
    let pane = sandbox.open_command("stopped", "timer 10m");
    pane.wait_text("running");
    pane.keys(&["Space"]);
    pane.wait_text("paused");
    let line = String::from_utf8_lossy(&sandbox.rollcoach_output(&["status"]).stdout).to_string();
    assert!(
        line.starts_with("timer 10:00 paused · ") || line.starts_with("timer 9:59 paused · "),
        "{line}"
    );
    pane.keys(&["q"]);
    assert_eq!(pane.wait_exit(), 0);
    let journal = fs::read_to_string(sandbox.journal_path()).unwrap();
    let record: serde_json::Value = serde_json::from_str(journal.lines().last().unwrap()).unwrap();
    assert_eq!(record["complete"], false);
}
