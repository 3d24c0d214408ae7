//! No command in the README that does not work: every `rollcoach …` the README (and
//! each reference page it links to) writes out whole (no placeholder to fill in) is
//! run as a new user would, on the built-in routine in a fresh home, and must not be
//! refused as a usage error. Commands that need a terminal or a dashboard may say so;
//! commands that keep running are stopped after a moment. And no link in those pages
//! leads nowhere, and the README stays a guide one reads through (under 300 lines).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The pages a person reads: the README and the references it links to.
const PAGES: [&str; 5] = [
    include_str!("../README.md"),
    include_str!("../docs/COMMANDS.md"),
    include_str!("../docs/CONFIG.md"),
    include_str!("../docs/DASHBOARD.md"),
    include_str!("../docs/ROUTINE.md"),
];

/// The commands written out whole in the README and the pages it links to: inline code
/// spans and lines of their shell blocks that start with `rollcoach `, without
/// placeholders (`ROUTINE`, `N`, `[...]`, `|`, `…`).
fn readme_commands() -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_block = false;
    for line in PAGES.iter().flat_map(|page| page.lines()) {
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

/// The pages with their paths, for the links between them.
const LINKED: [&str; 9] = [
    "README.md",
    "ARCHITECTURE.md",
    "BENCHMARKS.md",
    "RELIABILITY.md",
    "docs/COMMANDS.md",
    "docs/CONFIG.md",
    "docs/DASHBOARD.md",
    "docs/DOMAIN.md",
    "docs/ROUTINE.md",
];

/// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to
/// dashes.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn every_link_between_the_pages_leads_somewhere() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for page in LINKED {
        let text = std::fs::read_to_string(root.join(page)).unwrap();
        let dir = root.join(page).parent().unwrap().to_path_buf();
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = &rest[..end];
            if target.contains("://") || target.starts_with("mailto:") || target.contains(' ') {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let path = if file.is_empty() {
                root.join(page)
            } else {
                dir.join(file)
            };
            assert!(path.exists(), "{page}: a link to {target}: no such file");
            if !fragment.is_empty() {
                let linked = std::fs::read_to_string(&path).unwrap();
                let anchors: Vec<String> = linked
                    .lines()
                    .filter(|l| l.starts_with('#'))
                    .map(|l| anchor(l.trim_start_matches('#')))
                    .collect();
                assert!(
                    anchors.iter().any(|a| a == fragment),
                    "{page}: a link to {target}: no such heading (there are {anchors:?})"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} links found");
}

#[test]
fn the_readme_is_a_guide_under_300_lines() {
    let lines = include_str!("../README.md").lines().count();
    assert!(
        lines < 300,
        "the README has {lines} lines: the reference goes in docs/"
    );
}
