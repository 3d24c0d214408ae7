//! Reading a config: the file bounded and checked for what it is, RON parsed with
//! positions, and the rules serde cannot express, every broken one reported.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::Path;

use super::*;

/// The largest config read: a routine file is a few KiB, and a bound means a file that
/// never ends (`/dev/zero`) or a huge one is refused before it fills the memory.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// One thing wrong with a config file.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// What the parser saw, at a line and column.
    Syntax {
        line: usize,
        col: usize,
        message: String,
    },
    /// A rule broken by an item, e.g. `routine "evening", step 3 "Roll"`.
    Item { item: String, message: String },
}

/// Everything wrong with one config file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ConfigError {
    /// The file, as the user named it.
    pub path: String,
    /// Every problem found.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match problem {
                Problem::Syntax { line, col, message } => {
                    write!(f, "{}:{line}:{col}: {message}", self.path)?
                }
                Problem::Item { item, message } if item.is_empty() => {
                    write!(f, "{}: {message}", self.path)?
                }
                Problem::Item { item, message } => write!(f, "{}: {item}: {message}", self.path)?,
            }
        }
        Ok(())
    }
}

/// Reads and validates the config at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    let error = |problem: Problem| ConfigError {
        path: shown.clone(),
        problems: vec![problem],
    };
    let bytes = read_bounded(path).map_err(|message| {
        error(Problem::Item {
            item: String::new(),
            message,
        })
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| error(not_utf8(&bytes, &e)))?;
    parse(text).map_err(|problems| ConfigError {
        path: shown.clone(),
        problems,
    })
}

/// The file's bytes, at most `MAX_CONFIG_BYTES`. A FIFO or a device is refused from its
/// metadata, before an open that would wait for a writer or a read that would not end.
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::os::unix::fs::{FileTypeExt as _, OpenOptionsExt as _};
    let cannot = |e: std::io::Error| format!("cannot read the config: {e}");
    let meta = std::fs::metadata(path).map_err(cannot)?;
    let kind = meta.file_type();
    let what = if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some("a directory")
    } else if kind.is_fifo() {
        Some("a FIFO")
    } else if kind.is_char_device() || kind.is_block_device() {
        Some("a device")
    } else {
        Some("not a file")
    };
    if let Some(what) = what {
        return Err(format!(
            "cannot read the config: it is {what}, not a regular file"
        ));
    }
    let too_big = || {
        format!(
            "cannot read the config: it is larger than {} KiB; a routine file is a few KiB",
            MAX_CONFIG_BYTES / 1024
        )
    };
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(too_big());
    }
    // Non-blocking, so that a file swapped for a FIFO after the check cannot hang the
    // open; the read is bounded for one that grew.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(cannot)?;
    if !file.metadata().map_err(cannot)?.is_file() {
        return Err("cannot read the config: it is not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Where the first byte that is not UTF-8 is, as a line and a column in characters.
fn not_utf8(bytes: &[u8], e: &std::str::Utf8Error) -> Problem {
    let valid = &bytes[..e.valid_up_to()];
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count()
        + 1;
    let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
    Problem::Syntax {
        line: memchr::memchr_iter(b'\n', valid).count() + 1,
        col,
        message: format!("invalid UTF-8 (byte 0x{byte:02X}): save the file as UTF-8"),
    }
}

/// A syntax error with what to write instead, where the mistake is a common one: a
/// quoted value where a name (`kind: Cleanse`, `when: RestDay`) is expected.
fn with_fix(message: &str, text: &str, at: ron::error::Position) -> String {
    if message != "Expected identifier" {
        return message.to_string();
    }
    let line = text
        .lines()
        .nth(at.line.saturating_sub(1))
        .unwrap_or_default();
    let rest: String = line.chars().skip(at.col.saturating_sub(1)).collect();
    let Some(quoted) = rest.strip_prefix('"') else {
        return message.to_string();
    };
    let name: String = quoted.chars().take_while(|c| *c != '"').collect();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return message.to_string();
    }
    format!("Expected identifier: write {name} without quotes (a name, not text)")
}

/// Parses and validates config text; every problem found, or the config.
pub fn parse(text: &str) -> Result<Config, Vec<Problem>> {
    // Editors on Windows start a UTF-8 file with a byte order mark; RON does not expect it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(vec![Problem::Item {
            item: String::new(),
            message: "the file is empty; `rollcoach init --force` writes a routine to start from"
                .into(),
        }]);
    }
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let mut config: Config = options.from_str(text).map_err(|e| {
        vec![Problem::Syntax {
            line: e.span.start.line,
            col: e.span.start.col,
            message: with_fix(&e.code.to_string(), text, e.span.start),
        }]
    })?;
    let mut problems = validate(&config);
    problems.extend(super::alongside::problems(&config, text));
    let products = super::advice::resolve(&mut config);
    problems.extend(
        products
            .into_iter()
            .map(|(item, message)| Problem::Item { item, message }),
    );
    if problems.is_empty() {
        config.advice = super::advice::advice(&config);
        Ok(config)
    } else {
        Err(problems)
    }
}

/// The rules serde cannot express, every broken one reported.
fn validate(config: &Config) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut item = |item: String, message: String| problems.push(Problem::Item { item, message });

    if let Some(roller) = &config.roller {
        if !(roller.needle_mm > 0.0 && roller.needle_mm <= 3.0) {
            item(
                "roller".into(),
                format!(
                    "needle_mm {} is out of range: it must be above 0 and at most 3.0",
                    roller.needle_mm
                ),
            );
        }
        if let Some(days) = roller
            .rest_days
            .filter(|d| !(1..=MAX_REST_DAYS).contains(d))
        {
            item(
                "roller".into(),
                format!("rest_days {days} is out of range: it must be from 1 to {MAX_REST_DAYS}"),
            );
        }
        if roller.replace_after_uses == 0 {
            item(
                "roller".into(),
                "replace_after_uses must be at least 1".into(),
            );
        }
        if roller.replace_after_days == 0 {
            item(
                "roller".into(),
                "replace_after_days must be at least 1".into(),
            );
        }
    }
    if config.notify.warn_before.0 > MAX_PAUSE {
        item("notify".into(), too_long("warn_before", "a year"));
    }
    if let Some(argv) = &config.notify.speak_with
        && argv.first().is_none_or(|program| program.trim().is_empty())
    {
        item(
            "notify".into(),
            "`speak_with` needs a program first, e.g. [\"espeak-ng\", \"-s\", \"160\"]".into(),
        );
    }
    for (i, hook) in config.hooks.iter().enumerate() {
        let here = format!("hook {} (on {:?})", i + 1, hook.on);
        if hook.run.first().is_none_or(|p| p.trim().is_empty()) {
            item(
                here.clone(),
                "`run` is empty: give the program and its arguments, e.g. [\"notify-send\", \"done\"]"
                    .into(),
            );
        }
        if hook.timeout.0 > MAX_HOOK_TIMEOUT {
            item(here, too_long("timeout", "1h"));
        }
    }
    for message in config.keys.problems() {
        item("keys".into(), message);
    }
    for (i, question) in config.checkin.iter().enumerate() {
        if question.ask.trim().is_empty() {
            item(
                format!("checkin question {}", i + 1),
                "the question is empty".into(),
            );
        }
    }
    if config.routines.is_empty() {
        item(
            String::new(),
            "no routines: add at least one to `routines`".into(),
        );
    }
    // Sets, not a scan of the names before: a file of many thousand steps stays fast.
    let mut routine_names = HashSet::new();
    for (i, routine) in config.routines.iter().enumerate() {
        let name = &routine.name;
        let here = format!("routine {name:?}");
        if name.trim().is_empty() {
            item(
                format!("routine {}", i + 1),
                "the routine has no name".into(),
            );
        }
        if !routine_names.insert(name.as_str()) {
            item(here.clone(), "two routines have this name".into());
        }
        if routine.steps.is_empty() {
            item(here.clone(), "the routine has no steps".into());
        }
        let mut step_names = HashSet::new();
        for (j, step) in routine.steps.iter().enumerate() {
            let here = format!("{here}, step {} {:?}", j + 1, step.name);
            let repeated = !step_names.insert(step.name.as_str());
            for message in step_problems(step, repeated, config.roller.is_some()) {
                item(here.clone(), message);
            }
        }
    }
    problems
}

/// "`duration` is too long: it is at most 24h".
fn too_long(field: &str, most: &str) -> String {
    format!("`{field}` is too long: it is at most {most}")
}

/// What is wrong with one step; `repeated`: a step before it has its name.
fn step_problems(step: &Step, repeated: bool, has_roller: bool) -> Vec<String> {
    let mut problems = Vec::new();
    if step.name.trim().is_empty() {
        problems.push("the step has no name".into());
    }
    if repeated {
        problems.push("two steps of this routine have this name".into());
    }
    if step.duration.is_some_and(|d| d.0 > MAX_STEP) {
        problems.push(too_long("duration", "24h"));
    }
    for (field, pause) in [
        ("pause_after_roll", step.pause_after_roll),
        ("pause_before_roll", step.pause_before_roll),
    ] {
        if pause.is_some_and(|d| d.0 > MAX_PAUSE) {
            problems.push(too_long(field, "a year"));
        }
    }
    if step.kind == StepKind::Roll {
        if !has_roller {
            problems.push(
                "a Roll step needs a `roller: (needle_mm: ...)` block at the top of the file"
                    .into(),
            );
        }
        match (step.zones.is_empty(), step.duration.is_some()) {
            (true, false) => problems.push("a Roll step needs `zones` or a `duration`".into()),
            (false, true) => problems.push(
                "give either `zones` or a `duration`, not both (the duration is the sum of the zones)"
                    .into(),
            ),
            _ => {}
        }
        if step.passes == Some(0) {
            problems.push("`passes` must be at least 1".into());
        }
        for (k, zone) in step.zones.iter().enumerate() {
            if zone.name.trim().is_empty() {
                problems.push(format!("zone {} has no name", k + 1));
            }
            if zone.directions.is_empty() {
                problems.push(format!(
                    "zone {} {:?}: `directions: []` names no direction: list at least one, e.g. [Horizontal]",
                    k + 1,
                    zone.name
                ));
            }
            if zone.duration.0 > MAX_STEP {
                problems.push(format!(
                    "zone {} {:?}: {}",
                    k + 1,
                    zone.name,
                    too_long("duration", "24h")
                ));
            }
        }
        let each_fits = step.zones.iter().all(|z| z.duration.0 <= MAX_STEP);
        if step.duration.is_none() && each_fits && step.length() > MAX_STEP {
            problems.push("the zones add up to more than 24h: a step is at most 24h".into());
        }
    } else {
        if step.duration.is_none() {
            problems.push("the step needs a `duration`, e.g. \"1m\"".into());
        }
        if step.passes.is_some() {
            problems.push("`passes` is for Roll steps only".into());
        }
        if !step.zones.is_empty() {
            problems.push("`zones` are for Roll steps only".into());
        }
    }
    problems.extend(step.when.problems());
    problems
}
