//! The RON schema of a routine file, loading it, and validating what the parser cannot see.

use std::collections::HashSet;
use std::fmt;
use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveTime;
use serde::{Deserialize, Deserializer};

pub use super::prefs::{Keys, Theme};

/// The built-in routine, shipped in the binary and written out by `rollcoach init`.
pub const BUILT_IN: &str = include_str!("../../config/default.ron");

/// A whole routine file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// A local time before this belongs to the previous day.
    #[serde(default = "ClockTime::four_am")]
    pub day_starts_at: ClockTime,
    /// The derma roller; a Roll step without it is an error.
    #[serde(default)]
    pub roller: Option<Roller>,
    /// How a session reaches the person outside the pane.
    #[serde(default)]
    pub notify: Notify,
    /// Commands run on session events.
    #[serde(default)]
    pub hooks: Vec<Hook>,
    /// The routines, in the order they are shown.
    pub routines: Vec<Routine>,
    /// Questions asked before a Roll step; any "yes" skips rolling today.
    #[serde(default)]
    pub checkin: Vec<String>,
    /// Keys of the dashboard's actions, over the defaults.
    #[serde(default)]
    pub keys: Keys,
    /// Colours of the dashboard.
    #[serde(default)]
    pub theme: Theme,
}

/// The derma roller and how often it may be used.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roller {
    /// Needle length in millimetres.
    pub needle_mm: f64,
    /// Days from one rolling day to the next; defaults from the needle table.
    #[serde(default)]
    pub rest_days: Option<u32>,
    /// Completed rolls after which the roller should be replaced.
    #[serde(default = "default_replace_after_uses")]
    pub replace_after_uses: u32,
    /// Days in use after which the roller should be replaced, whatever its uses.
    #[serde(default = "default_replace_after_days")]
    pub replace_after_days: u32,
}

/// Desktop notifications, the bell, spoken cues, and the warning before a step ends.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Notify {
    /// Send desktop notifications.
    pub desktop: bool,
    /// Ring the terminal bell.
    pub bell: bool,
    /// How long before a step ends to warn.
    pub warn_before: HumanDuration,
    /// Speak short cues (the step, the zone, the warning, the end) for busy hands.
    pub speak: bool,
    /// The speech program and its arguments, the cue appended as the last one; None:
    /// the first of `spd-say`, `espeak-ng`, `espeak` on PATH.
    pub speak_with: Option<Vec<String>>,
}

impl Default for Notify {
    fn default() -> Self {
        Notify {
            desktop: true,
            bell: false,
            warn_before: HumanDuration(Duration::from_secs(10)),
            speak: false,
            speak_with: None,
        }
    }
}

/// What happens in a session, as hooks name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum EventKind {
    SessionStart,
    StepStart,
    StepWarning,
    StepEnd,
    ZoneStart,
    /// A direction of a zone starts (`directions`); its name is in `ROLLCOACH_PASS`.
    PassStart,
    SessionComplete,
    RoutineDue,
    RollerWorn,
}

/// A user command run on an event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hook {
    /// The event that runs it.
    pub on: EventKind,
    /// Program and arguments, run directly (no shell).
    pub run: Vec<String>,
    /// How long it may run before it is killed.
    #[serde(default = "default_hook_timeout")]
    pub timeout: HumanDuration,
}

/// A named list of steps, done in one sitting.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routine {
    /// Its name, unique in the file.
    pub name: String,
    /// When it is due.
    #[serde(default)]
    pub at: Option<ClockTime>,
    /// Start the next step by itself when one ends.
    #[serde(default)]
    pub auto_advance: bool,
    /// The steps in order.
    pub steps: Vec<Step>,
}

/// One step of a routine.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Its name, unique in the routine.
    pub name: String,
    /// What sort of step it is.
    pub kind: StepKind,
    /// How long it takes; a Roll step may give zones instead.
    #[serde(default)]
    pub duration: Option<HumanDuration>,
    /// Shown while the step runs.
    #[serde(default)]
    pub notes: Option<String>,
    /// Which days it runs on.
    #[serde(default)]
    pub when: When,
    /// Off from the due time of the routine that rolled until this long after it.
    #[serde(default)]
    pub pause_after_roll: Option<HumanDuration>,
    /// Off in a routine due less than this long before the next planned roll.
    #[serde(default)]
    pub pause_before_roll: Option<HumanDuration>,
    /// Passes per direction (Roll only).
    #[serde(default)]
    pub passes: Option<u32>,
    /// Face zones rolled one after another (Roll only).
    #[serde(default)]
    pub zones: Vec<Zone>,
}

/// Passes per direction when a Roll step does not say (DOMAIN.md: 4–6 is the home advice).
pub const DEFAULT_PASSES: u32 = 4;

impl Step {
    /// The step's length: its duration, or the sum of its zones.
    pub fn length(&self) -> Duration {
        match &self.duration {
            Some(d) => d.0,
            // Saturating: `validate` reports a sum above `MAX_STEP`, and is run on it.
            None => self
                .zones
                .iter()
                .fold(Duration::ZERO, |sum, z| sum.saturating_add(z.duration.0)),
        }
    }

    /// Passes per direction for a Roll step.
    pub fn passes(&self) -> u32 {
        self.passes.unwrap_or(DEFAULT_PASSES)
    }

    /// The technique line for one zone, e.g. "horizontal ×4 → vertical ×4 → diagonal ×4".
    pub fn technique(&self) -> String {
        technique(&Direction::all(), self.passes())
    }
}

/// The technique line for these directions, `passes` times each.
pub fn technique(directions: &[Direction], passes: u32) -> String {
    let each: Vec<String> = directions
        .iter()
        .map(|d| format!("{} ×{passes}", d.as_str()))
        .collect();
    each.join(" → ")
}

/// A face zone of a Roll step.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// Its name, e.g. "Left cheek".
    pub name: String,
    /// How long to roll it.
    pub duration: HumanDuration,
    /// The directions rolled in turn, sharing the zone's time; all three when absent.
    #[serde(default = "Direction::all")]
    pub directions: Vec<Direction>,
}

/// A way the roller crosses a zone; each is rolled `passes` times before the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Direction {
    Horizontal,
    Vertical,
    Diagonal,
}

impl Direction {
    /// The three directions, in the order DOMAIN.md gives them.
    pub fn all() -> Vec<Direction> {
        vec![
            Direction::Horizontal,
            Direction::Vertical,
            Direction::Diagonal,
        ]
    }

    /// The lower-case name shown on screen and given to hooks.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Horizontal => "horizontal",
            Direction::Vertical => "vertical",
            Direction::Diagonal => "diagonal",
        }
    }
}

/// What sort of step a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all(serialize = "lowercase"))]
pub enum StepKind {
    Cleanse,
    Sanitize,
    Roll,
    Serum,
    Treatment,
    Moisturise,
    Protect,
    Wait,
    Custom,
}

impl StepKind {
    /// The lower-case name used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Cleanse => "cleanse",
            StepKind::Sanitize => "sanitize",
            StepKind::Roll => "roll",
            StepKind::Serum => "serum",
            StepKind::Treatment => "treatment",
            StepKind::Moisturise => "moisturise",
            StepKind::Protect => "protect",
            StepKind::Wait => "wait",
            StepKind::Custom => "custom",
        }
    }
}

/// Which days a step runs on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub enum When {
    /// Every day.
    #[default]
    Always,
    /// Only on rolling days.
    RollDay,
    /// Only on days that are not rolling days.
    RestDay,
    /// Only on these weekdays.
    Weekdays(Vec<Weekday>),
}

/// A day of the week as the config spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl From<Weekday> for chrono::Weekday {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

/// A local time of day written "HH:MM".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub NaiveTime);

impl ClockTime {
    fn four_am() -> Self {
        ClockTime(NaiveTime::from_hms_opt(4, 0, 0).expect("04:00 is a time"))
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map(ClockTime)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "invalid time of day {text:?}: write it as \"HH:MM\", e.g. \"21:00\""
                ))
            })
    }
}

/// A length of time written as humantime ("45s", "1m 30s"); never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HumanDuration(pub Duration);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", humantime::format_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match humantime::parse_duration(&text) {
            Ok(d) if d.is_zero() => Err(serde::de::Error::custom(format!(
                "duration {text:?} is zero: give a length of time such as \"45s\""
            ))),
            Ok(d) => Ok(HumanDuration(d)),
            Err(e) => Err(serde::de::Error::custom(format!(
                "invalid duration {text:?} ({e}): write it like \"45s\", \"1m 30s\" or \"2m\""
            ))),
        }
    }
}

/// DOMAIN.md: replace after 10–15 uses (the cautious end)...
fn default_replace_after_uses() -> u32 {
    10
}

/// ...or after about three months, whichever comes first (DOMAIN.md).
fn default_replace_after_days() -> u32 {
    90
}

fn default_hook_timeout() -> HumanDuration {
    HumanDuration(Duration::from_secs(5))
}

/// Rest days for a needle length: DOMAIN.md's table, the cautious end of what sources
/// give for home use (0.75 mm: every 4 weeks; 1.0 mm and longer: 4–6 weeks).
pub fn default_rest_days(needle_mm: f64) -> u32 {
    match needle_mm {
        mm if mm <= 0.30 => 2,
        mm if mm <= 0.50 => 7,
        mm if mm <= 0.75 => 28,
        _ => 42,
    }
}

/// The longest rest between rolling days accepted: a year.
pub const MAX_REST_DAYS: u32 = 366;

/// The longest step, and the longest zone: a day. Anything longer is a typo, and a
/// bound keeps every deadline and every sum of lengths far from overflowing.
pub const MAX_STEP: Duration = Duration::from_secs(24 * 3600);

/// The longest pause around a roll, and the longest warning before a step ends: a year
/// (366 days, so that humantime's "1year" of 365.25 days is one).
pub const MAX_PAUSE: Duration = Duration::from_secs(366 * 24 * 3600);

/// The longest a hook may run before it is ended: an hour (hooks notify, log, play a
/// sound; they are not jobs).
pub const MAX_HOOK_TIMEOUT: Duration = Duration::from_secs(3600);

/// The largest config read: a routine file is a few KiB, and a bound means a file that
/// never ends (`/dev/zero`) or a huge one is refused before it fills the memory.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Above this a needle is a clinical length, not for home use (DOMAIN.md).
pub const CLINICAL_NEEDLE_MM: f64 = 1.5;

impl Roller {
    /// Rest days: the configured value or the needle table's default.
    pub fn rest_days(&self) -> u32 {
        self.rest_days
            .unwrap_or_else(|| default_rest_days(self.needle_mm))
    }
}

impl Config {
    /// The routine with this name.
    pub fn routine(&self, name: &str) -> Option<&Routine> {
        self.routines.iter().find(|r| r.name == name)
    }

    /// Warnings about a valid config (a clinical needle length).
    pub fn warnings(&self) -> Vec<String> {
        match &self.roller {
            Some(r) if r.needle_mm > CLINICAL_NEEDLE_MM => vec![format!(
                "needle_mm {} is a clinical length, not for home use; \
                 rest at least {} days between sessions",
                r.needle_mm,
                r.rest_days()
            )],
            _ => Vec::new(),
        }
    }
}

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
    let config: Config = options.from_str(text).map_err(|e| {
        vec![Problem::Syntax {
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        }]
    })?;
    let problems = validate(&config);
    if problems.is_empty() {
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
        if question.trim().is_empty() {
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
    if let When::Weekdays(days) = &step.when
        && days.is_empty()
    {
        problems
            .push("`Weekdays([])` names no day: list at least one, e.g. Weekdays([Mon])".into());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        parse(text).expect_err("should be rejected")
    }

    #[test]
    fn the_built_in_routine_is_valid() {
        let config = parse(BUILT_IN).expect("built-in config parses");
        assert!(config.routines.len() >= 2);
        assert!(config.warnings().is_empty());
    }

    #[test]
    fn needle_table_defaults() {
        for (mm, days) in [
            (0.25, 2),
            (0.30, 2),
            (0.31, 7),
            (0.5, 7),
            (0.75, 28),
            (0.76, 42),
            (1.0, 42),
            (1.5, 42),
            (2.0, 42),
        ] {
            assert_eq!(default_rest_days(mm), days, "{mm} mm");
        }
    }

    #[test]
    fn a_roll_step_takes_the_sum_of_its_zones() {
        let config = parse(
            r#"(roller: (needle_mm: 0.5), routines: [(name: "e", steps: [
                (name: "Roll", kind: Roll, zones: [(name: "A", duration: "45s"), (name: "B", duration: "1m")]),
            ])])"#,
        )
        .unwrap();
        let step = &config.routines[0].steps[0];
        assert_eq!(step.length(), Duration::from_secs(105));
        assert_eq!(
            step.technique(),
            "horizontal ×4 → vertical ×4 → diagonal ×4"
        );
        assert_eq!(config.roller.unwrap().rest_days(), 7);
    }

    #[test]
    fn a_zone_may_name_its_directions() {
        let config = parse(
            r#"(roller: (needle_mm: 0.5), routines: [(name: "e", steps: [
                (name: "Roll", kind: Roll, passes: 6, zones: [
                    (name: "A", duration: "45s"),
                    (name: "Chin", duration: "30s", directions: [Horizontal, Vertical]),
                ]),
            ])])"#,
        )
        .unwrap();
        let step = &config.routines[0].steps[0];
        assert_eq!(step.zones[0].directions, Direction::all());
        assert_eq!(
            technique(&step.zones[1].directions, step.passes()),
            "horizontal ×6 → vertical ×6"
        );
    }

    #[test]
    fn unknown_fields_are_errors_with_their_position() {
        let found = problems(
            "(routines: [(name: \"e\", steps: [\n  (name: \"C\", kind: Cleanse, duration: \"1m\", colour: 1),\n])])",
        );
        match &found[0] {
            Problem::Syntax { line, message, .. } => {
                assert_eq!(*line, 2);
                assert!(message.contains("colour"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn zero_and_bad_durations_and_times_are_errors() {
        for (text, needle) in [
            (
                r#"(routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "0s")])])"#,
                "zero",
            ),
            (
                r#"(routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "soon")])])"#,
                "invalid duration",
            ),
            (
                r#"(routines: [(name: "e", at: "9pm", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
                "HH:MM",
            ),
            (
                r#"(day_starts_at: "25:00", routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
                "HH:MM",
            ),
        ] {
            let found = problems(text);
            let Problem::Syntax { message, .. } = &found[0] else {
                panic!("{found:?}")
            };
            assert!(message.contains(needle), "{message}");
        }
    }

    #[test]
    fn every_rule_broken_is_reported() {
        let found = problems(
            r#"(roller: (needle_mm: 3.5), hooks: [(on: StepEnd, run: [])], routines: [
                (name: "e", steps: [(name: "Roll", kind: Roll)]),
                (name: "e", steps: []),
            ])"#,
        );
        let text = ConfigError {
            path: "c.ron".into(),
            problems: found,
        }
        .to_string();
        assert!(
            text.contains("c.ron: roller: needle_mm 3.5 is out of range"),
            "{text}"
        );
        assert!(
            text.contains("c.ron: hook 1 (on StepEnd): `run` is empty"),
            "{text}"
        );
        assert!(
            text.contains(
                "routine \"e\", step 1 \"Roll\": a Roll step needs `zones` or a `duration`"
            ),
            "{text}"
        );
        assert!(
            text.contains("routine \"e\": two routines have this name"),
            "{text}"
        );
        assert!(
            text.contains("routine \"e\": the routine has no steps"),
            "{text}"
        );
    }

    #[test]
    fn a_roll_step_without_a_roller_is_an_error() {
        let found = problems(
            r#"(routines: [(name: "e", steps: [(name: "Roll", kind: Roll, duration: "2m")])])"#,
        );
        assert!(matches!(&found[0], Problem::Item { message, .. } if message.contains("roller")));
    }

    #[test]
    fn clinical_needles_warn_but_load() {
        let config = parse(
            r#"(roller: (needle_mm: 2.0), routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
        )
        .unwrap();
        assert!(config.warnings()[0].contains("clinical"));
    }

    #[test]
    fn lengths_past_their_bounds_name_the_item() {
        let found = problems(
            r#"(notify: (warn_before: "400days"), roller: (needle_mm: 0.5),
            hooks: [(on: StepEnd, run: ["true"], timeout: "2h")],
            routines: [(name: "e", steps: [
                (name: "A", kind: Cleanse, duration: "18446744073709551615s"),
                (name: "B", kind: Cleanse, duration: "18446744073709551615s"),
                (name: "C", kind: Serum, duration: "1m", pause_after_roll: "2years"),
                (name: "R", kind: Roll, zones: [(name: "Z", duration: "13h"), (name: "Y", duration: "13h")]),
                (name: "D", kind: Cleanse, duration: "24h"),
            ])])"#,
        );
        let text = ConfigError {
            path: "c.ron".into(),
            problems: found,
        }
        .to_string();
        for line in [
            "c.ron: notify: `warn_before` is too long: it is at most a year",
            "c.ron: hook 1 (on StepEnd): `timeout` is too long: it is at most 1h",
            "c.ron: routine \"e\", step 1 \"A\": `duration` is too long: it is at most 24h",
            "c.ron: routine \"e\", step 2 \"B\": `duration` is too long: it is at most 24h",
            "c.ron: routine \"e\", step 3 \"C\": `pause_after_roll` is too long: it is at most a year",
            "c.ron: routine \"e\", step 4 \"R\": the zones add up to more than 24h",
        ] {
            assert!(text.contains(line), "{line}\n{text}");
        }
        assert!(!text.contains("step 5"), "24h is allowed:\n{text}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let config = parse(&format!("\u{feff}{BUILT_IN}")).expect("parses");
        assert_eq!(config, parse(BUILT_IN).unwrap());
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.ron");
        std::fs::write(
            &path,
            b"(routines: [\n  (name: \"\xc3\xa9t\xff\", steps: [])])",
        )
        .unwrap();
        let err = load(&path).unwrap_err();
        assert_eq!(
            err.problems,
            vec![Problem::Syntax {
                line: 2,
                col: 13,
                message: "invalid UTF-8 (byte 0xFF): save the file as UTF-8".into()
            }]
        );
    }

    #[test]
    fn many_steps_are_checked_in_linear_time() {
        // Name checks that scanned the steps before each step took minutes here.
        let steps: String = (0..100_000)
            .map(|i| format!("(name: \"s{i}\", kind: Wait, duration: \"1s\"),\n"))
            .collect();
        let text = format!(
            "(routines: [(name: \"e\", steps: [{steps}(name: \"s7\", kind: Wait, duration: \"1s\")])])"
        );
        let started = std::time::Instant::now();
        let found = problems(&text);
        let took = started.elapsed();
        eprintln!("100 000 steps checked in {took:?}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(took < Duration::from_secs(20), "{took:?}");
    }

    #[test]
    fn an_empty_file_says_so() {
        let found = problems("  \n");
        assert!(matches!(&found[0], Problem::Item { message, .. } if message.contains("empty")));
    }
}
