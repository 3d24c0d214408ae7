//! No command in the README that does not work: every `rollcoach …` the README writes
//! out whole (no placeholder to fill in) is run as a new user would, on the built-in
//! routine in a fresh home, and must not be refused as a usage error. Commands that
//! need a terminal or a dashboard may say so; commands that keep running are stopped
//! after a moment.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The commands written out whole in the README: inline code spans and lines of its
/// shell blocks that start with `rollcoach `, without placeholders (`ROUTINE`, `N`,
/// `[...]`, `|`, `…`).
fn readme_commands() -> Vec<String> {
    let text = include_str!("../README.md");
    let mut commands = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            let line = line.trim();
            if line.starts_with("rollcoach ") {
                commands.push(line.split(" > ").next().unwrap_or(line).to_string());
            }
            continue;
        }
        for (i, span) in line.split('`').enumerate() {
            if i % 2 == 1 && span.starts_with("rollcoach ") {
                commands.push(span.to_string());
            }
        }
    }
    let placeholder = |c: &str| {
        c.split_whitespace()
            .any(|w| w.len() > 1 && w.chars().all(|ch| ch.is_ascii_uppercase() || ch == '_'))
            || c.contains(['[', '|', '<', '…'])
            || c.contains("...")
    };
    commands.retain(|c| !placeholder(c));
    commands.sort();
    commands.dedup();
    commands
}

/// Splits a command line as sh would for these simple ones: words, "double quotes".
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn every_command_the_readme_writes_out_is_accepted() {
    let commands = readme_commands();
    assert!(commands.len() >= 10, "{commands:?}");
    for command in &commands {
        let home = tempfile::tempdir().unwrap();
        let args = words(command);
        let mut child = Command::new(env!("CARGO_BIN_EXE_rollcoach"))
            .args(&args[1..])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("TZ", "UTC")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `status --follow` keeps running: a moment is enough to see it accepted.
        let until = Instant::now() + Duration::from_secs(3);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > until {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
        let usage = [
            "unrecognized subcommand",
            "unexpected argument",
            "invalid value",
            "Usage:",
        ];
        assert!(
            !usage.iter().any(|u| err.contains(u)),
            "{command}: refused as a usage error: {err}"
        );
        if let Some(status) = status {
            assert_ne!(status.code(), None, "{command}: killed by a signal: {err}");
        }
    }
}
