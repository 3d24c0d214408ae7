//! The shape of the code, checked: imports only go down (dashboard → alerts → session
//! → routine), the core (routine and session) uses no terminal, CLI, D-Bus, thread or
//! system-call crate, and no two modules import each other, directly or round a loop.
//! ARCHITECTURE.md describes the shape; this test keeps it true.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The wings, bottom up: a wing may import from its own rank and below.
const WINGS: [&str; 4] = ["routine", "session", "alerts", "dashboard"];

/// Crates the core must not use: it knows no terminal, command line, desktop bus, file
/// watcher or signal. (It cannot make system calls either: the crate denies unsafe code
/// outside `sys`, so `libc` gives it constants only.)
const NOT_IN_CORE: [&str; 7] = [
    "ratatui",
    "crossterm",
    "clap",
    "notify",
    "notify_rust",
    "signal_hook",
    "tui_big_text",
];

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: src/a/b.rs and src/a/b/mod.rs are ["a", "b"].
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The module a file belongs to for these rules: a module with the files it is split
/// into (dashboard/app.rs with dashboard/app/*.rs) is one. In a wing that is the wing and
/// the module; outside the wings the top-level module.
fn unit(path: &[String]) -> String {
    let depth = if path.first().is_some_and(|p| WINGS.contains(&p.as_str())) {
        2
    } else {
        1
    };
    path.iter()
        .take(depth)
        .cloned()
        .collect::<Vec<_>>()
        .join("::")
}

/// The code of a file without its tests and comments.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `a::{b, c::d}` as ["a::b", "a::c::d"] (braces nest).
fn expand(path: &str) -> Vec<String> {
    let path: String = path.split_whitespace().collect();
    let Some(open) = path.find('{') else {
        return vec![path];
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{prefix}{p}")))
        .collect()
}

/// The paths a file's code names: its `use` items, and `crate::…` / `super::…` written
/// inline.
fn named_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut statement: Option<String> = None;
    for line in code.lines() {
        let trimmed = line.trim_start();
        if statement.is_none() {
            let start = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
                .iter()
                .find_map(|p| trimmed.strip_prefix(p));
            match start {
                Some(rest) => statement = Some(String::new() + rest),
                None => continue,
            }
        } else if let Some(s) = statement.as_mut() {
            s.push_str(trimmed);
        }
        if let Some(s) = statement.take_if(|s| s.contains(';')) {
            paths.extend(expand(s.split(';').next().unwrap_or_default()));
        }
    }
    for prefix in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                paths.push(tail[..end].trim_end_matches(':').to_string());
            }
            rest = &tail[end..];
        }
    }
    paths
}

/// A path named in the file at `module`, from the crate root; None for other crates.
fn resolve(module: &[String], path: &str) -> Option<Vec<String>> {
    let mut segments = path.split("::").filter(|s| !s.is_empty());
    let first = segments.next()?;
    // The module a file's `super` means: the parent of the module it defines.
    let mut base: Vec<String> = match first {
        "crate" => Vec::new(),
        "super" => {
            let mut b = module.to_vec();
            b.pop();
            b
        }
        "self" => module.to_vec(),
        _ => return None,
    };
    for s in segments {
        match s {
            "super" => {
                base.pop();
            }
            "self" | "*" => {}
            s => base.push(s.to_string()),
        }
    }
    Some(base)
}

struct Source {
    file: PathBuf,
    module: Vec<String>,
    code: String,
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    all.sort();
    all.into_iter()
        .map(|file| Source {
            module: module_of(&src, &file),
            code: code(&fs::read_to_string(&file).unwrap()),
            file,
        })
        .collect()
}

/// The other units each unit names, with the file that names it.
fn graph(sources: &[Source]) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let known: BTreeSet<String> = sources.iter().map(|s| unit(&s.module)).collect();
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for s in sources {
        let from = unit(&s.module);
        for path in named_paths(&s.code) {
            let Some(target) = resolve(&s.module, &path) else {
                continue;
            };
            if target.is_empty() {
                continue;
            }
            let to = unit(&target);
            if to != from && known.contains(&to) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| s.file.clone());
            }
        }
    }
    graph
}

fn rank(unit: &str) -> Option<usize> {
    let wing = unit.split("::").next()?;
    WINGS.iter().position(|w| *w == wing)
}

#[test]
fn imports_only_go_down() {
    let sources = sources();
    let mut wrong = Vec::new();
    for (from, targets) in graph(&sources) {
        for (to, file) in targets {
            let ok = match (rank(&from), rank(&to)) {
                // A wing imports from its own rank and below.
                (Some(a), Some(b)) => b <= a,
                // The core imports nothing outside the wings.
                (Some(a), None) => a >= 2,
                // The command line, the binary and the plumbing stand on the wings.
                (None, _) => true,
            };
            if !ok {
                wrong.push(format!("{from} imports {to} ({})", file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that go up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_core_uses_no_terminal_cli_or_system_crate() {
    let mut wrong = Vec::new();
    for s in sources() {
        if !matches!(
            s.module.first().map(String::as_str),
            Some("routine" | "session")
        ) {
            continue;
        }
        for path in named_paths(&s.code) {
            let first = path.split("::").next().unwrap_or_default();
            if NOT_IN_CORE.contains(&first) {
                wrong.push(format!("{}: {path}", s.file.display()));
            }
        }
        for krate in NOT_IN_CORE {
            if s.code.contains(&format!("{krate}::")) && !s.code.contains(&format!("_{krate}::")) {
                wrong.push(format!("{}: {krate}::", s.file.display()));
            }
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "the core uses:\n{}", wrong.join("\n"));
}

#[test]
fn no_two_modules_import_each_other() {
    let sources = sources();
    let graph = graph(&sources);
    // Every loop through the graph, found from each unit by a walk.
    let mut loops = BTreeSet::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, trail)) = stack.pop() {
            for next in graph.get(&at).map(|t| t.keys()).into_iter().flatten() {
                if next == start {
                    let mut cycle = trail.clone();
                    let min = cycle.iter().enumerate().min_by_key(|(_, u)| *u).unwrap().0;
                    cycle.rotate_left(min);
                    loops.insert(cycle.join(" → "));
                } else if !trail.contains(next) && trail.len() < 8 {
                    let mut t = trail.clone();
                    t.push(next.clone());
                    stack.push((next.clone(), t));
                }
            }
        }
    }
    assert!(
        loops.is_empty(),
        "modules that import each other:\n{}",
        loops.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_checker_sees_what_it_checks() {
    // The rules above would pass on a tree they cannot read: make sure they read this one.
    let sources = sources();
    let graph = graph(&sources);
    let app = &graph["dashboard::app"];
    assert!(app.contains_key("session::run"), "{app:?}");
    assert!(app.contains_key("dashboard::messages"), "{app:?}");
    assert_eq!(
        expand("crate::routine::{config::{Config, When}, journal}"),
        [
            "crate::routine::config::Config",
            "crate::routine::config::When",
            "crate::routine::journal"
        ]
    );
    assert_eq!(
        resolve(
            &["dashboard".into(), "keymap".into()],
            "super::messages::Msg"
        ),
        Some(vec!["dashboard".into(), "messages".into(), "Msg".into()])
    );
}
