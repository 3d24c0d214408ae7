//! The command line, run as the built binary.
//!
//! Every test runs in its own temp dir: a private `--data-dir`, XDG dirs and HOME, no
//! `ROLLCOACH_*` from the environment, and `TZ=UTC` so the times `done` records read the
//! same on every machine. Every date-dependent assertion names its day with `--date`; a
//! file written as of today (a saved session) takes today in UTC too (`session_day`),
//! whatever the zone the tests run in.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

/// What every command says once when there is no config file.
const BUILT_IN_NOTICE: &str = "using the built-in routine; `rollcoach init` writes it to";

/// The shipped routine, relative to the crate root (the commands' working dir).
const DEFAULT_CONFIG: &str = "config/default.ron";

/// A Monday; with an empty journal, a rolling day.
const MON: &str = "2026-11-23";
const TUE: &str = "2026-11-24";
const WED: &str = "2026-11-25";
const THU: &str = "2026-11-26";
/// A week after MON: the next rolling day for 0.5 mm needles (7 rest days).
const NEXT_MON: &str = "2026-11-30";

/// One test's private home.
struct Sandbox {
    root: TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            root: tempfile::tempdir().expect("a temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// The test's data dir; nothing creates it until a command writes.
    fn data_dir(&self) -> PathBuf {
        self.path("data-dir")
    }

    fn journal(&self) -> PathBuf {
        self.data_dir().join("journal.jsonl")
    }

    /// Where a config is looked for when none is named: `$XDG_CONFIG_HOME/rollcoach/config.ron`.
    fn xdg_config(&self) -> PathBuf {
        self.path("xdg-config").join("rollcoach").join("config.ron")
    }

    /// Writes a config file into the sandbox and returns its path.
    fn write_config(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, text).expect("write a config");
        path
    }

    /// `rollcoach --data-dir DIR`, with nothing from the real home.
    fn rollcoach_in(&self, data_dir: &Path) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rollcoach"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("ROLLCOACH_CONFIG")
            .env_remove("ROLLCOACH_DATA_DIR")
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("TZ", "UTC")
            .arg("--data-dir")
            .arg(data_dir);
        cmd
    }

    /// `rollcoach` with no config named: the built-in routine, or the one `init` wrote.
    fn rollcoach(&self) -> Command {
        self.rollcoach_in(&self.data_dir())
    }

    /// `rollcoach --config PATH`; a relative PATH is from the crate root.
    fn with_config(&self, path: impl AsRef<Path>) -> Command {
        let mut cmd = self.rollcoach();
        cmd.arg("--config").arg(path.as_ref());
        cmd
    }

    /// `rollcoach` on the shipped config/default.ron.
    fn with_default(&self) -> Command {
        self.with_config(DEFAULT_CONFIG)
    }

    /// `done ROUTINE --date DATE` on the shipped config; it must succeed.
    fn done(&self, routine: &str, date: &str) {
        self.with_default()
            .args(["done", routine, "--date", date])
            .assert()
            .success();
    }

    /// `roller --replaced --date DATE` on the shipped config; it must succeed.
    fn replace_roller(&self, date: &str) {
        self.with_default()
            .args(["roller", "--replaced", "--date", date])
            .assert()
            .success();
    }

    /// `today --json --date DATE` on the shipped config.
    fn plan(&self, date: &str) -> Value {
        json(
            self.with_default()
                .args(["today", "--json", "--date", date]),
        )
    }
}

/// Runs a command that must succeed and parses its stdout as JSON.
fn json(cmd: &mut Command) -> Value {
    let assert = cmd.assert().success();
    serde_json::from_slice(&assert.get_output().stdout).expect("stdout is JSON")
}

fn stderr(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

fn no_panic() -> impl Predicate<str> {
    predicate::str::contains("panicked").not()
}

/// The routine of that name in a plan.
fn routine<'a>(plan: &'a Value, name: &str) -> &'a Value {
    plan["routines"]
        .as_array()
        .expect("routines is an array")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no routine {name:?} in {plan:#}"))
}

/// The step of that name in a routine of a plan.
fn step<'a>(plan: &'a Value, routine_name: &str, name: &str) -> &'a Value {
    routine(plan, routine_name)["steps"]
        .as_array()
        .expect("steps is an array")
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name:?} in {routine_name:?}"))
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn key_set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

// ---- check: bad configs ----

/// Each bad config and the start of the one line `check` prints for it; `{path}` is the file
/// as named on the command line. The columns are ron's: a string value's error points at its
/// first character inside the quotes, a type mismatch at the gap before the value.
const BAD_CONFIGS: &[(&str, &str)] = &[
    (
        "malformed_ron.ron",
        "{path}:8:9: Expected opening `(` for struct `Step`",
    ),
    (
        "unknown_field.ron",
        "{path}:7:66: Unexpected field named `colour` in `Step`",
    ),
    ("wrong_type.ron", "{path}:3:24: Expected float"),
    (
        "unknown_kind.ron",
        "{path}:7:39: Unexpected variant named `Scrub` in enum `StepKind`",
    ),
    (
        "unknown_direction.ron",
        "{path}:8:109: Unexpected variant named `Circular` in enum `Direction`",
    ),
    (
        "zone_no_directions.ron",
        r#"{path}: routine "evening", step 1 "Roll": zone 2 "Chin": `directions: []` names no direction"#,
    ),
    (
        "unknown_weekday.ron",
        "{path}:7:92: Unexpected variant named `Funday` in enum `Weekday`",
    ),
    (
        "unparsable_duration.ron",
        r#"{path}:7:61: invalid duration "a while""#,
    ),
    (
        "zero_duration.ron",
        r#"{path}:7:61: duration "0s" is zero: give a length of time such as "45s""#,
    ),
    (
        "at_not_hh_mm.ron",
        r#"{path}:6:18: invalid time of day "9pm": write it as "HH:MM""#,
    ),
    (
        "day_starts_at_not_hh_mm.ron",
        r#"{path}:3:21: invalid time of day "25:00": write it as "HH:MM""#,
    ),
    (
        "needle_zero.ron",
        "{path}: roller: needle_mm 0 is out of range: it must be above 0 and at most 3.0",
    ),
    (
        "needle_negative.ron",
        "{path}: roller: needle_mm -0.5 is out of range: it must be above 0 and at most 3.0",
    ),
    (
        "needle_too_long.ron",
        "{path}: roller: needle_mm 3.5 is out of range: it must be above 0 and at most 3.0",
    ),
    (
        "duplicate_routine_names.ron",
        r#"{path}: routine "evening": two routines have this name"#,
    ),
    (
        "routine_without_steps.ron",
        r#"{path}: routine "evening": the routine has no steps"#,
    ),
    (
        "roll_without_zones_or_duration.ron",
        r#"{path}: routine "evening", step 3 "Roll": a Roll step needs `zones` or a `duration`"#,
    ),
    (
        "roll_without_roller.ron",
        r#"{path}: routine "evening", step 3 "Roll": a Roll step needs a `roller: (needle_mm: ...)` block"#,
    ),
    (
        "hook_empty_run.ron",
        "{path}: hook 1 (on StepEnd): `run` is empty",
    ),
    ("empty.ron", "{path}: the file is empty"),
    (
        "keys_quit_empty.ron",
        "{path}: keys: no key is left to quit: give `quit` a key no other action has",
    ),
    (
        "keys_quit_taken.ron",
        "{path}: keys: no key is left to quit: give `quit` a key no other action has",
    ),
    (
        "keys_ctrl_c_taken.ron",
        "{path}: keys: `skip` is given Ctrl-c, which always quits: give it another key",
    ),
    (
        "step_too_long.ron",
        r#"{path}: routine "evening", step 1 "Cleanse": `duration` is too long: it is at most 24h"#,
    ),
    (
        "step_longest_duration.ron",
        r#"{path}: routine "evening", step 1 "Wait": `duration` is too long: it is at most 24h"#,
    ),
    (
        "zone_too_long.ron",
        r#"{path}: routine "evening", step 1 "Roll": zone 1 "Forehead": `duration` is too long: it is at most 24h"#,
    ),
    (
        "pause_too_long.ron",
        r#"{path}: routine "evening", step 1 "Retinol": `pause_after_roll` is too long: it is at most a year"#,
    ),
    (
        "warn_before_too_long.ron",
        "{path}: notify: `warn_before` is too long: it is at most a year",
    ),
    (
        "speak_with_empty.ron",
        r#"{path}: notify: `speak_with` needs a program first, e.g. ["espeak-ng", "-s", "160"]"#,
    ),
    (
        "hook_timeout_too_long.ron",
        "{path}: hook 1 (on StepEnd): `timeout` is too long: it is at most 1h",
    ),
    (
        "not_utf8.ron",
        "{path}:1:26: invalid UTF-8 (byte 0xE9): save the file as UTF-8",
    ),
    (
        "unknown_active.ron",
        "{path}:7:86: Unexpected variant named `VitaminE` in enum `Active`",
    ),
    (
        "unknown_product_active.ron",
        "{path}:4:40: Unexpected variant named `Glycolic` in enum `Active`",
    ),
    (
        "unknown_product.ron",
        r#"{path}: routine "evening", step 2 "Retinol": no product is named "Retinol 0.5%": add it to `products`, or give the step `actives` instead"#,
    ),
    (
        "product_and_actives.ron",
        r#"{path}: routine "evening", step 1 "Retinol": give either `product` or `actives`, not both"#,
    ),
    (
        "duplicate_product_names.ron",
        r#"{path}: product 2 "Toner": two products have this name"#,
    ),
    (
        "product_bad_opened.ron",
        r#"{path}:4:59: invalid date "2026-02-30": write it as "YYYY-MM-DD""#,
    ),
    (
        "product_bad_lasts.ron",
        r#"{path}:4:80: invalid period "6m" ("m" would be minutes; months are "M" or "months"): write it like "6 months", "12M""#,
    ),
    (
        "product_zero_lasts.ron",
        r#"{path}:4:58: invalid period "0 months" (it is zero)"#,
    ),
    (
        "cycle_night_out_of_range.ron",
        r#"{path}: routine "evening", step 1 "Retinol": `Cycle(days: 4, on: [.. 5 ..])`: night 5 is not in a 4-day cycle (nights 1 to 4)"#,
    ),
    (
        "cycle_zero_days.ron",
        r#"{path}: routine "evening", step 1 "Retinol": `Cycle(days: 0)` is out of range: a cycle is 1 to 366 days"#,
    ),
    (
        "cycle_bad_from.ron",
        r#"{path}:7:108: invalid date "02/11/2026": write it as "YYYY-MM-DD""#,
    ),
    (
        "any_empty.ron",
        r#"{path}: routine "evening", step 1 "Exfoliant": `Any([])` names nothing"#,
    ),
];

/// The file with several errors, checked on its own.
const SEVERAL_ERRORS: &str = "several_errors.ron";

#[test]
fn each_bad_config_exits_2_with_its_location_and_message() {
    let sb = Sandbox::new();
    let mut failures = Vec::new();
    for (file, expected) in BAD_CONFIGS {
        let path = format!("tests/fixtures/bad/{file}");
        let expected = expected.replace("{path}", &path);
        let assert = sb.with_config(&path).arg("check").assert();
        let output = assert.get_output();
        let err = stderr(&assert);
        let lines: Vec<&str> = err.lines().collect();
        if output.status.code() != Some(2)
            || err.contains("panicked")
            || !output.stdout.is_empty()
            || lines.len() != 1
            || !lines[0].starts_with(&expected)
        {
            failures.push(format!(
                "{file}: exit {:?}\n  expected one line starting: {expected}\n  stderr: {err}",
                output.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_bad_fixture_has_an_expected_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let on_disk: BTreeSet<String> = fs::read_dir(&dir)
        .expect("the bad fixtures dir")
        .map(|entry| {
            entry
                .expect("a dir entry")
                .file_name()
                .into_string()
                .unwrap()
        })
        .filter(|name| name.ends_with(".ron") && name != SEVERAL_ERRORS)
        .collect();
    let in_table: BTreeSet<String> = BAD_CONFIGS.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(on_disk, in_table);
}

#[test]
fn check_prints_every_error_in_a_config() {
    let sb = Sandbox::new();
    let path = format!("tests/fixtures/bad/{SEVERAL_ERRORS}");
    let assert = sb
        .with_config(&path)
        .arg("check")
        .assert()
        .code(2)
        .stderr(no_panic());
    let err = stderr(&assert);
    let expected = [
        "roller: needle_mm 3.5 is out of range",
        "hook 1 (on SessionComplete): `run` is empty",
        r#"routine "evening", step 3 "Roll": a Roll step needs `zones` or a `duration`"#,
        r#"routine "evening": two routines have this name"#,
        r#"routine "evening": the routine has no steps"#,
    ];
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{err}");
    for want in expected {
        let want = format!("{path}: {want}");
        assert!(lines.iter().any(|l| l.starts_with(&want)), "{want}\n{err}");
    }
}

#[test]
fn a_named_config_that_does_not_exist_exits_2() {
    Sandbox::new()
        .with_config("tests/fixtures/no-such-file.ron")
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "tests/fixtures/no-such-file.ron: cannot read the config",
        ))
        .stderr(no_panic());
}

// ---- check: good configs ----

#[test]
fn the_shipped_default_passes_check_with_a_summary() {
    Sandbox::new()
        .with_default()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("config/default.ron: ok"))
        .stdout(predicate::str::contains("morning at 07:30: 4 steps"))
        .stdout(predicate::str::contains("evening at 21:00: 8 steps"))
        .stdout(predicate::str::contains("0.5 mm needles, 7 rest days"))
        .stdout(predicate::str::contains("warning").not())
        .stderr(predicate::str::is_empty());
}

#[test]
fn check_says_in_one_line_when_nothing_is_asked_before_rolling() {
    let sb = Sandbox::new();
    let text = r#"(roller: (needle_mm: 0.5), CHECKIN routines: [(name: "e", steps: [(name: "R", kind: Roll, duration: "1m")])])"#;
    let off = sb.write_config("off.ron", &text.replace("CHECKIN", "checkin: [],"));
    sb.with_config(&off)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "checkin is empty: nothing will be asked before rolling",
        ));
    // Left out: the built-in list, nothing said.
    let left_out = sb.write_config("left.ron", &text.replace("CHECKIN", ""));
    sb.with_config(&left_out)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("checkin").not());
}

#[test]
fn a_clinical_needle_warns_but_passes_check() {
    let sb = Sandbox::new();
    let config = "tests/fixtures/good/clinical_needle.ron";
    sb.with_config(config)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("ok"))
        .stdout(predicate::str::contains(
            "warning: needle_mm 2 is a clinical length: do not use it at home",
        ));
    let plan = json(
        sb.with_config(config)
            .args(["today", "--json", "--date", MON]),
    );
    assert_eq!(plan["roller"]["rest_days"], 42);
    let warnings = plan["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("clinical length")),
        "{warnings:?}"
    );
}

/// A one-routine config, with one hook or none.
fn config_with_hooks(hook: bool) -> String {
    let hooks = if hook {
        r#"hooks: [(on: StepEnd, run: ["true"])],"#
    } else {
        ""
    };
    format!(
        r#"({hooks} routines: [(name: "evening", steps: [(name: "Cleanse", kind: Cleanse, duration: "1m")])])"#
    )
}

#[test]
fn check_warns_when_hooks_would_be_refused_and_only_then() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let mode = |path: &Path, mode: u32| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
    };
    let with_hooks = sb.write_config("with.ron", &config_with_hooks(true));
    let without = sb.write_config("plain.ron", &config_with_hooks(false));

    mode(&with_hooks, 0o644);
    sb.with_config(&with_hooks)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("warning").not());

    mode(&with_hooks, 0o664);
    let refused = format!(
        "warning: hooks would be refused: {} can be written by its group (mode 664); \
         `chmod go-w {}` fixes it\n",
        with_hooks.display(),
        with_hooks.display()
    );
    sb.with_config(&with_hooks)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(": ok"))
        .stdout(predicate::str::ends_with(refused));

    // No hooks, nothing to refuse: not a word about them.
    mode(&without, 0o666);
    sb.with_config(&without)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("warning").not());
}

// ---- the built-in routine and init ----

#[test]
fn without_a_config_file_each_command_uses_the_built_in_routine_and_says_so_once() {
    let sb = Sandbox::new();
    let commands: [&[&str]; 5] = [
        &["check"],
        &["today", "--date", MON],
        &["roller", "--date", MON],
        &["done", "morning", "--date", MON],
        &["history"],
    ];
    for args in commands {
        let assert = sb.rollcoach().args(args).assert().success();
        let err = stderr(&assert);
        assert_eq!(err.matches(BUILT_IN_NOTICE).count(), 1, "{args:?}: {err}");
        assert!(
            err.contains(&sb.xdg_config().display().to_string()),
            "{args:?} should name the XDG config path: {err}"
        );
    }
    assert!(!sb.xdg_config().exists(), "only init writes the config");
}

#[test]
fn check_without_a_config_file_checks_the_built_in_routine() {
    Sandbox::new()
        .rollcoach()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("built-in routine: ok"));
}

#[test]
fn init_writes_the_built_in_routine_where_the_config_is_looked_for() {
    let sb = Sandbox::new();
    sb.rollcoach()
        .arg("init")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            sb.xdg_config().display().to_string(),
        ));
    let shipped = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_CONFIG)).unwrap();
    assert_eq!(fs::read(sb.xdg_config()).unwrap(), shipped);
    // From now on the file is used, and nothing says "built-in".
    sb.rollcoach()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "{}: ok",
            sb.xdg_config().display()
        )))
        .stderr(predicate::str::contains(BUILT_IN_NOTICE).not());
}

#[test]
fn init_refuses_to_overwrite_an_existing_config_without_force() {
    let sb = Sandbox::new();
    sb.rollcoach().arg("init").assert().success();
    let mine = "// my own routine\n";
    fs::write(sb.xdg_config(), mine).unwrap();
    sb.rollcoach()
        .arg("init")
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("--force"))
        .stderr(no_panic());
    assert_eq!(fs::read_to_string(sb.xdg_config()).unwrap(), mine);
}

#[test]
fn init_force_overwrites_an_existing_config() {
    let sb = Sandbox::new();
    sb.rollcoach().arg("init").assert().success();
    fs::write(sb.xdg_config(), "// my own routine\n").unwrap();
    sb.rollcoach().args(["init", "--force"]).assert().success();
    let shipped = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_CONFIG)).unwrap();
    assert_eq!(fs::read(sb.xdg_config()).unwrap(), shipped);
}

#[test]
fn init_writes_to_the_config_named_on_the_command_line() {
    let sb = Sandbox::new();
    let path = sb.path("mine.ron");
    sb.with_config(&path).arg("init").assert().success();
    assert!(path.exists());
    assert!(!sb.xdg_config().exists());
    sb.with_config(&path).arg("check").assert().success();
}

// ---- today --json ----

#[test]
fn today_json_has_exactly_the_documented_keys() {
    // Monday with an empty journal: a rolling day, with steps both pending and off.
    let plan = Sandbox::new().plan(MON);
    assert_eq!(
        keys(&plan),
        key_set(&[
            "date",
            "rolling_day",
            "roller",
            "routines",
            "warnings",
            "aftercare"
        ])
    );
    assert_eq!(plan["date"], MON);
    assert_eq!(plan["aftercare"], serde_json::json!([]), "no roll yet");
    assert!(plan["rolling_day"].is_boolean());
    assert!(plan["warnings"].is_array());
    assert_eq!(
        keys(&plan["roller"]),
        key_set(&[
            "needle_mm",
            "rest_days",
            "last_roll",
            "next_roll",
            "uses",
            "replace_after_uses",
            "days_in_use",
            "replace_after_days",
            "replace",
        ])
    );
    let routines = plan["routines"].as_array().unwrap();
    assert!(!routines.is_empty());
    let step_keys = key_set(&["name", "kind", "secs", "status"]);
    let mut seen_off = false;
    for r in routines {
        assert_eq!(
            keys(r),
            key_set(&["name", "at", "done", "total_secs", "steps"])
        );
        for s in r["steps"].as_array().unwrap() {
            let kind = s["kind"].as_str().unwrap();
            assert_eq!(kind, kind.to_lowercase(), "kind is lower case");
            if s["status"] == "off" {
                seen_off = true;
                let mut with_reason = step_keys.clone();
                with_reason.insert("reason");
                assert_eq!(keys(s), with_reason, "an off step says why: {s}");
            } else {
                assert_eq!(keys(s), step_keys, "only an off step has a reason: {s}");
            }
        }
    }
    assert!(
        seen_off,
        "the default routine has off steps on a rolling day"
    );
    assert_eq!(routine(&plan, "morning")["at"], "07:30");
}

#[test]
fn today_json_without_a_roller_has_a_null_roller_and_at() {
    let plan = json(
        Sandbox::new()
            .with_config("tests/fixtures/good/no_roller.ron")
            .args(["today", "--json", "--date", MON]),
    );
    assert_eq!(plan["roller"], Value::Null);
    assert_eq!(plan["rolling_day"], false);
    let morning = routine(&plan, "morning");
    assert_eq!(morning["at"], Value::Null);
    assert_eq!(morning["total_secs"], 90);
}

#[test]
fn total_secs_counts_only_steps_that_are_not_off() {
    let plan = Sandbox::new().plan(MON);
    for r in plan["routines"].as_array().unwrap() {
        let on: u64 = r["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] != "off")
            .map(|s| s["secs"].as_u64().unwrap())
            .sum();
        if r["name"] == "evening" {
            // The roll night's soaks run alongside: 5:00 beside the cleanse, the roll
            // after it (to 7:45), the 10:00 disinfecting beside the rest, to 17:45.
            assert_eq!(on, 1275);
            assert_eq!(r["total_secs"], 1065);
        } else {
            assert_eq!(r["total_secs"], on, "{}", r["name"]);
        }
    }
}

// ---- done, rolling days and pauses ----

#[test]
fn done_marks_the_routine_done_and_the_day_a_rolling_day() {
    let sb = Sandbox::new();
    sb.with_default()
        .args(["done", "evening", "--date", MON])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "recorded evening as done on Mon 23 Nov",
        ))
        .stdout(predicate::str::contains("rolled"));
    let plan = sb.plan(MON);
    assert_eq!(plan["rolling_day"], true);
    let evening = routine(&plan, "evening");
    assert_eq!(evening["done"], true);
    assert_eq!(routine(&plan, "morning")["done"], false);
    for s in evening["steps"].as_array().unwrap() {
        // A step the roll held off is passed by as skipped, as the dashboard does.
        assert!(
            s["status"] == "done" || s["status"] == "off" || s["status"] == "skipped",
            "{s}"
        );
    }
    assert_eq!(step(&plan, "evening", "Roll")["status"], "done");
    let roller = &plan["roller"];
    assert_eq!(roller["last_roll"], MON);
    assert_eq!(roller["next_roll"], MON);
    assert_eq!(roller["uses"], 1);
}

/// The built-in routine never records an acid or retinol on a roll night: `done` on a
/// rolling Tuesday (a fresh data dir) leaves the exfoliant off.
#[test]
fn done_on_a_roll_night_records_no_acid() {
    let sb = Sandbox::new();
    sb.done("evening", "2026-12-01");
    let plan = sb.plan("2026-12-01");
    assert_eq!(step(&plan, "evening", "Roll")["status"], "done");
    for name in ["Exfoliant", "Retinol"] {
        let s = step(&plan, "evening", name);
        assert!(s["status"] == "off" || s["status"] == "skipped", "{s}");
    }
    let journal = fs::read_to_string(sb.data_dir().join("journal.jsonl")).unwrap();
    assert!(
        !journal.contains("Exfoliant\",\"kind\":\"treatment\",\"status\":\"done"),
        "{journal}"
    );
}

/// `done` records a step paused by the roll of the same session as skipped, with why.
#[test]
fn done_records_the_step_after_the_roll_as_skipped_with_the_pause() {
    let sb = Sandbox::new();
    let config = sb.write_config(
        "acid.ron",
        r#"(roller: (needle_mm: 0.5), routines: [(name: "evening", at: "21:00", steps: [
            (name: "Roll", kind: Roll, duration: "2m"),
            (name: "Acid", kind: Treatment, duration: "30s", pause_after_roll: "72h"),
            (name: "Retinol", kind: Treatment, duration: "30s", when: RestDay),
        ])])"#,
    );
    sb.with_config(&config)
        .args(["done", "evening", "--date", MON])
        .assert()
        .success();
    let plan = json(
        sb.with_config(&config)
            .args(["today", "--json", "--date", MON]),
    );
    assert_eq!(
        step(&plan, "evening", "Acid")["status"],
        "skipped",
        "{plan:#}"
    );
    let journal = fs::read_to_string(sb.data_dir().join("journal.jsonl")).unwrap();
    assert!(
        journal.contains(r#""name":"Acid","kind":"treatment","status":"skipped","secs":0,"reason":"paused after rolling: 72 h""#),
        "{journal}"
    );
    assert!(
        journal.contains(r#""name":"Retinol","kind":"treatment","status":"skipped","secs":0,"reason":"rest-day step: rolled tonight""#),
        "{journal}"
    );
    // Thursday evening, 72 h after Monday's due time, the acid is back.
    let thu = json(
        sb.with_config(&config)
            .args(["today", "--json", "--date", "2026-11-26"]),
    );
    assert_eq!(
        step(&thu, "evening", "Acid")["status"],
        "pending",
        "{thu:#}"
    );
    let wed = json(
        sb.with_config(&config)
            .args(["today", "--json", "--date", "2026-11-25"]),
    );
    assert_eq!(
        step(&wed, "evening", "Acid")["reason"],
        "paused after rolling: back Thu 26 Nov, evening"
    );
}

/// A routine due inside the spring-forward gap (02:30 in New York on 8 Mar 2026) is
/// placed just after the gap, at 03:30 EDT (07:30 UTC), not read as UTC.
#[test]
fn a_due_time_in_the_spring_forward_gap_is_placed_after_it() {
    let sb = Sandbox::new();
    let config = sb.write_config(
        "dst.ron",
        r#"(day_starts_at: "01:00", roller: (needle_mm: 0.3), routines: [
            (name: "evening", at: "21:00", steps: [(name: "Roll", kind: Roll, duration: "2m")]),
            (name: "late", at: "02:30", steps: [
                (name: "Acid", kind: Treatment, duration: "30s", pause_after_roll: "5h 29m"),
            ]),
        ])"#,
    );
    // Rolled Sat 7 Mar at 21:00 EST (02:00 UTC on the 8th): the pause ends 07:29 UTC.
    fs::create_dir_all(sb.data_dir()).unwrap();
    fs::write(
        sb.data_dir().join("journal.jsonl"),
        concat!(
            r#"{"type":"session","routine":"evening","day":"2026-03-07","#,
            r#""started":"2026-03-07T21:00:00-05:00","ended":"2026-03-07T21:05:00-05:00","#,
            r#""complete":true,"steps":[{"name":"Roll","kind":"roll","status":"done","secs":120}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let plan = json(sb.with_config(&config).env("TZ", "America/New_York").args([
        "today",
        "--json",
        "--date",
        "2026-03-08",
    ]));
    assert_eq!(step(&plan, "late", "Acid")["status"], "pending", "{plan:#}");
}

/// `done` records a routine due at a local time the clock skips or repeats as a real
/// instant: in a spring-forward gap, the instant just after it; in the repeated autumn
/// hour, the first of the two. Berlin and New York, both transitions.
#[test]
fn done_records_due_times_across_daylight_saving_as_instants() {
    for (tz, at, day, started) in [
        (
            "America/New_York",
            "02:30",
            "2026-03-08",
            "2026-03-08T03:30:00-04:00",
        ),
        (
            "America/New_York",
            "01:30",
            "2026-11-01",
            "2026-11-01T01:30:00-04:00",
        ),
        (
            "Europe/Berlin",
            "02:30",
            "2026-03-29",
            "2026-03-29T03:30:00+02:00",
        ),
        (
            "Europe/Berlin",
            "02:30",
            "2026-10-25",
            "2026-10-25T02:30:00+02:00",
        ),
    ] {
        let sb = Sandbox::new();
        let config = sb.write_config(
            "night.ron",
            &format!(
                r#"(day_starts_at: "00:00", routines: [(name: "night", at: "{at}", steps: [
                    (name: "Cream", kind: Moisturise, duration: "1m"),
                ])])"#
            ),
        );
        sb.with_config(&config)
            .env("TZ", tz)
            .args(["done", "night", "--date", day])
            .assert()
            .success();
        let journal = fs::read_to_string(sb.data_dir().join("journal.jsonl")).unwrap();
        let record: Value = serde_json::from_str(journal.trim()).unwrap();
        assert_eq!(record["started"], started, "{tz} {day} {at}: {journal}");
    }
}

#[test]
fn the_day_after_a_roll_is_a_rest_day_until_a_week_later() {
    let sb = Sandbox::new();
    sb.done("evening", MON);
    let tue = sb.plan(TUE);
    assert_eq!(tue["rolling_day"], false);
    assert_eq!(tue["roller"]["needle_mm"], 0.5);
    assert_eq!(tue["roller"]["rest_days"], 7);
    assert_eq!(tue["roller"]["last_roll"], MON);
    assert_eq!(tue["roller"]["next_roll"], NEXT_MON);
    let roll = step(&tue, "evening", "Roll");
    assert_eq!(roll["status"], "off");
    assert_eq!(roll["reason"], "next rolling day Mon 30 Nov");
    assert_eq!(routine(&tue, "evening")["done"], false);
    assert_eq!(sb.plan(NEXT_MON)["rolling_day"], true);
}

#[test]
fn vitamin_c_stays_paused_for_48_hours_after_a_recorded_roll() {
    let sb = Sandbox::new();
    sb.done("evening", MON);
    // The morning of Wed is inside the 48 h after Mon evening's roll; Thu's is not.
    let wed = sb.plan(WED);
    let vitamin_c = step(&wed, "morning", "Vitamin C serum");
    assert_eq!(vitamin_c["status"], "off");
    let reason = vitamin_c["reason"].as_str().unwrap();
    // Told in its own routine's time: the first morning after the pause.
    assert_eq!(reason, "paused after rolling: back Thu 26 Nov, morning");
    let thu = sb.plan(THU);
    assert_eq!(
        step(&thu, "morning", "Vitamin C serum")["status"],
        "pending"
    );
}

#[test]
fn done_with_an_unknown_routine_exits_2_naming_the_routines() {
    let sb = Sandbox::new();
    sb.with_default()
        .args(["done", "nope", "--date", MON])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(r#"no routine named "nope""#))
        .stderr(predicate::str::contains("morning, evening"))
        .stderr(no_panic());
    assert!(!sb.journal().exists());
}

#[test]
fn a_bad_date_exits_2() {
    let sb = Sandbox::new();
    for date in ["2026-13-01", "2026-02-30", "tomorrow"] {
        for command in ["today", "done"] {
            let mut cmd = sb.with_default();
            cmd.arg(command);
            if command == "done" {
                cmd.arg("evening");
            }
            cmd.args(["--date", date])
                .assert()
                .code(2)
                .stderr(predicate::str::contains("--date"))
                .stderr(no_panic());
        }
    }
    assert!(!sb.journal().exists());
}

// ---- the journal ----

#[test]
fn a_torn_journal_line_is_a_warning_with_its_line_number_and_the_file_is_unchanged() {
    let sb = Sandbox::new();
    sb.done("evening", MON);
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(sb.journal())
        .unwrap();
    file.write_all(br#"{"type":"session","routine":"morning","day":"2026-11-2"#)
        .unwrap();
    drop(file);
    let before = fs::read(sb.journal()).unwrap();

    let plan = sb.plan(MON);
    let warnings: Vec<&str> = plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("journal.jsonl line 2")),
        "{warnings:?}"
    );
    assert_eq!(
        routine(&plan, "evening")["done"],
        true,
        "line 1 still counts"
    );
    sb.with_default()
        .args(["today", "--date", MON])
        .assert()
        .success()
        .stdout(predicate::str::contains("warning: journal.jsonl line 2"));
    assert_eq!(fs::read(sb.journal()).unwrap(), before);
}

#[test]
fn done_after_a_torn_line_sets_it_aside_once_and_records_the_session() {
    let sb = Sandbox::new();
    sb.done("morning", MON);
    let whole = fs::read(sb.journal()).unwrap();
    let torn = br#"{"type":"session","rout"#;
    let mut bytes = whole.clone();
    bytes.extend_from_slice(torn);
    fs::write(sb.journal(), &bytes).unwrap();
    // Read as it is, with its warning, until something is appended.
    let plan = sb.plan(MON);
    assert!(
        plan["warnings"]
            .to_string()
            .contains("journal.jsonl line 2")
    );
    let done = sb
        .with_default()
        .args(["done", "evening", "--date", MON])
        .assert()
        .success();
    let err = stderr(&done);
    let said: Vec<&str> = err.lines().filter(|l| l.contains("cut short")).collect();
    assert_eq!(said.len(), 1, "{err}");
    assert!(said[0].contains("journal.jsonl.torn"), "{err}");
    let kept = fs::read(sb.data_dir().join("journal.jsonl.torn")).unwrap();
    assert_eq!(kept, [&torn[..], b"\n"].concat());
    let journal = fs::read(sb.journal()).unwrap();
    assert!(journal.starts_with(&whole));
    let text = String::from_utf8(journal).unwrap();
    assert!(
        text.lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok()),
        "{text}"
    );
    let plan = sb.plan(MON);
    assert_eq!(routine(&plan, "evening")["done"], true);
    assert_eq!(plan["warnings"].as_array().map(Vec::len), Some(0), "{plan}");
    // Once: the next append says nothing.
    let next = sb
        .with_default()
        .args(["done", "morning", "--date", TUE])
        .assert()
        .success();
    assert!(!stderr(&next).contains("cut short"));
}

/// `done` on a full disk, made with a file size limit (SIGXFSZ ignored, so that the
/// write fails with EFBIG as it fails with ENOSPC).
#[test]
fn done_on_a_full_disk_leaves_the_journal_as_it_was() {
    let sb = Sandbox::new();
    sb.done("morning", MON);
    let before = fs::read(sb.journal()).unwrap();
    let limit = before.len() + 40;
    let mut cmd = Command::new("sh");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ROLLCOACH_CONFIG")
        .env_remove("ROLLCOACH_DATA_DIR")
        .env("HOME", sb.path("home"))
        .env("TZ", "UTC")
        .arg("-c")
        .arg(format!("trap '' XFSZ; exec prlimit --fsize={limit} \"$@\""))
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_rollcoach"))
        .arg("--data-dir")
        .arg(sb.data_dir())
        .args(["--config", DEFAULT_CONFIG, "done", "evening", "--date", MON]);
    let err = stderr(&cmd.assert().code(1).stderr(no_panic()));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(fs::read(sb.journal()).unwrap(), before, "no half line left");
    // Room again: recorded, and no torn line to warn about.
    sb.done("evening", MON);
    let plan = sb.plan(MON);
    assert_eq!(plan["warnings"].as_array().map(Vec::len), Some(0), "{plan}");
}

#[test]
fn today_does_not_create_the_data_dir_and_done_does() {
    let sb = Sandbox::new();
    let data = sb.path("deeper/still/data");
    sb.rollcoach_in(&data)
        .args(["--config", DEFAULT_CONFIG, "today", "--date", MON])
        .assert()
        .success();
    assert!(!data.exists());
    sb.rollcoach_in(&data)
        .args(["--config", DEFAULT_CONFIG, "done", "evening", "--date", MON])
        .assert()
        .success();
    assert!(data.join("journal.jsonl").is_file());
}

#[test]
fn an_unwritable_data_dir_makes_done_exit_1_with_one_line() {
    let sb = Sandbox::new();
    let file = sb.path("a-regular-file");
    fs::write(&file, "not a dir").unwrap();
    let assert = sb
        .rollcoach_in(&file.join("data"))
        .args(["--config", DEFAULT_CONFIG, "done", "evening", "--date", MON])
        .assert()
        .code(1)
        .stderr(no_panic());
    let err = stderr(&assert);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("rollcoach: "), "{err}");
    assert!(err.contains("a-regular-file"), "names the path: {err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a dir");
}

#[test]
fn an_unwritable_data_dir_makes_roller_replaced_exit_1_with_one_line() {
    let sb = Sandbox::new();
    let file = sb.path("a-regular-file");
    fs::write(&file, "not a dir").unwrap();
    let assert = sb
        .rollcoach_in(&file)
        .args(["--config", DEFAULT_CONFIG, "roller", "--replaced"])
        .args(["--date", MON])
        .assert()
        .code(1)
        .stderr(no_panic());
    let err = stderr(&assert);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("rollcoach: "), "{err}");
}

// ---- the roller ----

#[test]
fn roller_replaced_resets_uses_from_its_day_on() {
    let sb = Sandbox::new();
    sb.done("evening", "2026-11-02");
    sb.done("evening", "2026-11-09");
    assert_eq!(sb.plan("2026-11-10")["roller"]["uses"], 2);
    sb.with_default()
        .args(["roller", "--replaced", "--date", "2026-11-10"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "recorded a new roller on Tue 10 Nov",
        ))
        .stdout(predicate::str::contains("0 of 10 uses · day 0 of 90"));
    assert_eq!(sb.plan("2026-11-10")["roller"]["uses"], 0);
    assert_eq!(sb.plan("2026-11-09")["roller"]["uses"], 2);
}

#[test]
fn the_plan_warns_to_replace_a_roller_at_its_limit() {
    let sb = Sandbox::new();
    let config = "tests/fixtures/good/replace_after_two_uses.ron";
    for day in [MON, TUE] {
        sb.with_config(config)
            .args(["done", "evening", "--date", day])
            .assert()
            .success();
    }
    let plan = json(
        sb.with_config(config)
            .args(["today", "--json", "--date", TUE]),
    );
    assert_eq!(plan["roller"]["uses"], 2);
    assert_eq!(plan["roller"]["replace"], true);
    assert!(
        plan["warnings"]
            .to_string()
            .contains("used 2 of 2 times: replace it"),
        "{}",
        plan["warnings"]
    );
    sb.with_config(config)
        .args(["roller", "--date", TUE])
        .assert()
        .success()
        .stdout(predicate::str::contains("replace the roller"));
}

#[test]
fn roller_without_a_roller_block_exits_2() {
    Sandbox::new()
        .with_config("tests/fixtures/good/no_roller.ron")
        .args(["roller", "--date", MON])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the config has no roller"))
        .stderr(no_panic());
}

// ---- history ----

#[test]
fn history_json_lists_sessions_newest_first() {
    let sb = Sandbox::new();
    // Recorded out of order. `history` has no --date, so the days are long past and the
    // window is wide enough to hold them whatever today is.
    sb.done("evening", "2020-03-03");
    sb.done("evening", "2020-03-02");
    sb.done("morning", "2020-03-04");
    sb.done("evening", "2020-03-04");
    let history = json(
        sb.with_default()
            .args(["history", "--json", "--days", "1000000"]),
    );
    assert!(history["streak"].is_u64());
    let order: Vec<(&str, &str)> = history["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["day"].as_str().unwrap(), s["routine"].as_str().unwrap()))
        .collect();
    assert_eq!(
        order,
        [
            ("2020-03-04", "evening"),
            ("2020-03-04", "morning"),
            ("2020-03-03", "evening"),
            ("2020-03-02", "evening"),
        ]
    );
}

// ---- help ----

#[test]
fn every_command_has_help() {
    let sb = Sandbox::new();
    for command in ["check", "init", "today", "done", "roller", "history"] {
        sb.rollcoach()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage:"));
    }
}

// ---- edge cases: overflow, backdated records ----

#[test]
fn history_with_a_huge_days_does_not_panic() {
    let sb = Sandbox::new();
    sb.done("evening", "2020-03-02");
    sb.with_default()
        .args(["history", "--days", "4294967295"])
        .assert()
        .success()
        .stderr(no_panic());
}

#[test]
fn check_rejects_an_absurd_rest_days() {
    let sb = Sandbox::new();
    let config = sb.write_config(
        "huge-rest.ron",
        r#"(roller: (needle_mm: 0.5, rest_days: 4000000000), routines: [
            (name: "evening", steps: [(name: "Roll", kind: Roll, duration: "2m")]),
        ])"#,
    );
    sb.with_config(&config)
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rest_days"))
        .stderr(no_panic());
    // Whatever check says, a roll followed by `today` must never panic.
    sb.with_config(&config)
        .args(["done", "evening", "--date", MON])
        .assert()
        .stderr(no_panic());
    sb.with_config(&config)
        .args(["today", "--date", TUE])
        .assert()
        .stderr(no_panic());
}

#[test]
fn today_near_the_last_representable_date_does_not_panic() {
    let sb = Sandbox::new();
    for args in [
        ["done", "evening", "--date", "+262142-12-25"].as_slice(),
        &["today", "--date", "+262142-12-28"],
    ] {
        sb.with_default()
            .args(args)
            .assert()
            .code(2)
            .stderr(no_panic());
    }
}

#[test]
fn a_roll_after_a_backdated_replacement_counts_as_a_use() {
    let sb = Sandbox::new();
    sb.done("evening", WED);
    // Recorded afterwards, but the new roller was taken into use on Monday.
    sb.replace_roller(MON);
    assert_eq!(sb.plan(THU)["roller"]["uses"], 1);
}

#[test]
fn a_backfilled_roll_before_the_replacement_is_not_a_use() {
    let sb = Sandbox::new();
    sb.replace_roller(MON);
    // A roll with the old roller, recorded after the replacement.
    sb.done("evening", "2026-11-16");
    assert_eq!(sb.plan(THU)["roller"]["uses"], 0);
}

#[test]
fn a_very_long_pause_after_roll_keeps_the_step_off() {
    let sb = Sandbox::new();
    let config = sb.write_config(
        "long-pause.ron",
        r#"(roller: (needle_mm: 0.5), routines: [(name: "evening", at: "21:00", steps: [
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Retinol", kind: Treatment, duration: "30s", pause_after_roll: "1year"),
        ])])"#,
    );
    sb.with_config(&config)
        .args(["done", "evening", "--date", MON])
        .assert()
        .success();
    let plan = json(
        sb.with_config(&config)
            .args(["today", "--json", "--date", TUE]),
    );
    assert_eq!(step(&plan, "evening", "Retinol")["status"], "off");
}

// ---- status, completions, man ----

/// The day a session started now belongs to, as the binary sees it: in UTC, the zone
/// every test runs it in (`Sandbox::rollcoach_in`), whatever the test process's zone,
/// and starting at 04:00 (`day_starts_at` left as it is).
fn session_day() -> chrono::NaiveDate {
    (chrono::Utc::now().naive_utc() - chrono::Duration::hours(4)).date()
}

/// A session saved today (as the dashboard saves it), paused in the evening's Roll step.
fn save_paused_roll(sandbox: &Sandbox) {
    let today = session_day();
    let saved = serde_json::json!({
        "routine": "evening", "day": today.to_string(), "started": null,
        "running": false, "saved_at": null,
        "current": "Roll", "part": 1, "left_ms": 30_000, "part_length_ms": 45_000,
        "current_spent_secs": 60,
        "steps": [
            {"name": "Cleanse", "outcome": "done", "spent_secs": 90},
            {"name": "Sanitize roller", "outcome": "skipped", "spent_secs": 0},
        ],
    });
    fs::create_dir_all(sandbox.data_dir()).unwrap();
    fs::write(sandbox.data_dir().join("session.json"), saved.to_string()).unwrap();
    as_the_program_leaves_it(&sandbox.data_dir());
}

/// The data dir 0700 and its files 0600, as the program makes them: a test that writes
/// there itself is then not told the dir was tightened.
fn as_the_program_leaves_it(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).unwrap();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
}

/// The evening of the shipped routine without its weekday step, so that the count of
/// steps is the same whatever day the test runs on.
const EVENING: &str = r#"(roller: (needle_mm: 0.5), routines: [(name: "evening", at: "21:00", steps: [
    (name: "Cleanse", kind: Cleanse, duration: "90s"),
    (name: "Sanitize roller", kind: Sanitize, duration: "5m", when: RollDay),
    (name: "Roll", kind: Roll, when: RollDay, zones: [
        (name: "Forehead", duration: "45s"), (name: "Left cheek", duration: "45s"),
        (name: "Right cheek", duration: "45s"), (name: "Chin", duration: "30s"),
    ]),
    (name: "Disinfect roller", kind: Sanitize, duration: "5m", when: RollDay),
    (name: "Hyaluronic serum", kind: Serum, duration: "1m"),
    (name: "Moisturise", kind: Moisturise, duration: "1m"),
])])"#;

#[test]
fn status_reads_a_saved_session_in_every_format() {
    let sandbox = Sandbox::new();
    save_paused_roll(&sandbox);
    let config = sandbox.write_config("evening.ron", EVENING);
    // Roll: 0:30 left of Left cheek, then Right cheek 0:45 and Chin 0:30.
    sandbox
        .with_config(&config)
        .arg("status")
        .assert()
        .success()
        .stdout("Roll 1:45 · 3/6 · paused\n");
    let value = json(
        sandbox
            .with_config(&config)
            .args(["status", "--format", "json"]),
    );
    assert_eq!(value["state"], "paused");
    assert_eq!(value["step"], "Roll");
    assert_eq!(value["left_secs"], 105);
    let waybar = json(
        sandbox
            .with_config(&config)
            .args(["status", "--format", "waybar"]),
    );
    assert_eq!(keys(&waybar), key_set(&["text", "tooltip", "class"]));
    assert_eq!(waybar["class"], "paused");
    sandbox
        .with_config(&config)
        .args(["status", "--format", "tmux"])
        .assert()
        .success()
        .stdout("#[fg=yellow]Roll 1:45 · 3/6 · paused#[default]\n");
}

#[test]
fn status_without_a_session_says_what_is_due_or_next() {
    let sandbox = Sandbox::new();
    let value = json(sandbox.with_default().args(["status", "--format", "json"]));
    assert!(["due", "idle"].contains(&value["state"].as_str().unwrap()));
    assert!(!value["text"].as_str().unwrap().is_empty());
    sandbox
        .with_default()
        .args(["status", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn completions_and_man_page() {
    let sandbox = Sandbox::new();
    for (shell, marker) in [
        (
            "bash",
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_rollcoach rollcoach",
        ),
        ("zsh", "#compdef rollcoach"),
        (
            "fish",
            "complete --keep-order --exclusive --command rollcoach",
        ),
    ] {
        // The script calls the binary back to complete, with the shell's name.
        sandbox
            .rollcoach()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(
                predicate::str::contains(marker)
                    .and(
                        predicate::str::contains(format!("COMPLETE=\"{shell}\""))
                            .or(predicate::str::contains(format!("COMPLETE={shell} "))),
                    )
                    .and(predicate::str::contains(env!("CARGO_BIN_EXE_rollcoach"))),
            );
    }
    sandbox
        .rollcoach()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH rollcoach 1"));
    sandbox
        .rollcoach()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("rollcoach "));
}

#[test]
fn history_csv_quotes_notes_with_commas_quotes_and_newlines() {
    let sandbox = Sandbox::new();
    sandbox.done("evening", MON);
    let record = serde_json::json!({
        "type": "session", "routine": "morning", "day": TUE,
        "started": "2026-11-24T07:30:00+00:00", "ended": "2026-11-24T07:34:00+00:00",
        "complete": true, "rating": 4,
        "note": "dry, a bit \"tight\"\nafter the retinol",
        "steps": [{"name": "Cleanse", "kind": "cleanse", "status": "done", "secs": 60},
                  {"name": "Sunscreen", "kind": "protect", "status": "skipped", "secs": 0}],
    });
    let mut journal = fs::OpenOptions::new()
        .append(true)
        .open(sandbox.journal())
        .unwrap();
    writeln!(journal, "{record}").unwrap();
    let assert = sandbox
        .with_default()
        .args(["history", "--csv"])
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = out.split_inclusive('\n').collect();
    assert_eq!(
        lines[0],
        "date,routine,started,ended,seconds,steps_done,steps_skipped,rolled,rating,note\n"
    );
    assert!(
        lines[1].starts_with("2026-11-23,evening,2026-11-23T21:00:00+00:00,"),
        "{out}"
    );
    // The retinol the roll held off is passed by: one step skipped.
    assert!(lines[1].ends_with(",6,1,true,,\n"), "{out}");
    assert_eq!(
        lines[2..].concat(),
        "2026-11-24,morning,2026-11-24T07:30:00+00:00,2026-11-24T07:34:00+00:00,240,1,1,false,4,\
         \"dry, a bit \"\"tight\"\"\nafter the retinol\"\n"
    );
}

/// A config as Windows editors save it, and a journal edited there: both start with a
/// byte order mark, and both are read as if it were not there.
#[test]
fn a_byte_order_mark_is_skipped() {
    let sb = Sandbox::new();
    let text = fs::read_to_string(DEFAULT_CONFIG).expect("the shipped config");
    let config = sb.write_config("bom.ron", &format!("\u{feff}{text}"));
    sb.with_config(&config).arg("check").assert().success();
    sb.done("evening", MON);
    let journal = fs::read(sb.journal()).expect("a journal");
    fs::write(
        sb.journal(),
        [b"\xef\xbb\xbf".as_slice(), &journal].concat(),
    )
    .expect("write");
    let history = json(
        sb.with_config(&config)
            .args(["history", "--json", "--days", "100000"]),
    );
    assert_eq!(
        history["sessions"].as_array().map(Vec::len),
        Some(1),
        "{history}"
    );
    sb.with_config(&config)
        .args(["history"])
        .assert()
        .success()
        .stdout(predicate::str::contains("warning").not());
}

/// Something that is not a small file is refused at once, in one line: a FIFO (whose
/// open waits for a writer), a device that never ends, a file over 1 MiB.
#[test]
fn a_fifo_a_device_or_a_huge_config_is_refused_at_once() {
    let sb = Sandbox::new();
    let fifo = sb.path("fifo.ron");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let huge = sb.write_config(
        "huge.ron",
        &format!("(routines: [])\n{}", "// padding\n".repeat(100_000)),
    );
    for (path, why) in [
        (fifo, "it is a FIFO, not a regular file"),
        (
            PathBuf::from("/dev/zero"),
            "it is a device, not a regular file",
        ),
        (huge, "it is larger than 1024 KiB"),
    ] {
        let started = std::time::Instant::now();
        let assert = sb
            .with_config(&path)
            .arg("check")
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .code(2);
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(why), "{err}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{err}"
        );
    }
}

/// A day outside 1970–9999 is a typo: refused in one line, not planned.
#[test]
fn dates_outside_1970_to_9999_are_usage_errors() {
    let sb = Sandbox::new();
    for args in [
        ["today", "--date", "+262142-12-31"].as_slice(),
        &["done", "evening", "--date", "1969-12-31"],
        &["roller", "--date", "+10000-01-01"],
    ] {
        let assert = sb.with_default().args(args).assert().code(2).stdout("");
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("is out of range: give a day from 1970-01-01 to 9999-12-31"),
            "{err}"
        );
    }
    sb.with_default()
        .args(["today", "--date", "9999-12-31"])
        .assert()
        .success();
    assert!(!sb.journal().exists());
}

/// `rollcoach man | head -1` and the like: a reader that went away ends the command
/// quietly.
#[test]
fn output_into_a_closed_pipe_is_not_a_panic() {
    let sb = Sandbox::new();
    // Something to print in every command: sessions, a photo.
    sb.done("evening", MON);
    sb.done("morning", MON);
    let photo = sb.path("photo.jpg");
    fs::write(&photo, progressive_jpeg(64, 48)).unwrap();
    sb.with_default()
        .args(["photo", "add", "--date", MON])
        .arg(&photo)
        .assert()
        .success();
    let init_path = sb.path("init.ron");
    let init = [
        "--config",
        init_path.to_str().expect("utf-8"),
        "init",
        "--force",
    ];
    for args in [
        ["completions", "bash"].as_slice(),
        &["man"],
        &init,
        &["--config", DEFAULT_CONFIG, "check"],
        &["--config", DEFAULT_CONFIG, "today", "--date", MON],
        &["--config", DEFAULT_CONFIG, "today", "--json", "--date", MON],
        &["--config", DEFAULT_CONFIG, "history"],
        &["--config", DEFAULT_CONFIG, "history", "--json"],
        &["--config", DEFAULT_CONFIG, "history", "--csv"],
        &["--config", DEFAULT_CONFIG, "status"],
        &["--config", DEFAULT_CONFIG, "status", "--format", "json"],
        &["--config", DEFAULT_CONFIG, "status", "--format", "waybar"],
        &["--config", DEFAULT_CONFIG, "status", "--format", "tmux"],
        &["--config", DEFAULT_CONFIG, "shelf"],
        &["--config", DEFAULT_CONFIG, "shelf", "--json"],
        &["--config", DEFAULT_CONFIG, "photo", "list"],
        &["--config", DEFAULT_CONFIG, "photo", "list", "--json"],
        &["--config", DEFAULT_CONFIG, "roller"],
        &["--config", DEFAULT_CONFIG, "done", "morning", "--date", TUE],
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        // assert_cmd takes stdout for itself; the closed pipe needs the std command.
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_rollcoach"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("ROLLCOACH_CONFIG")
            .env("HOME", sb.path("home"))
            .env("XDG_CONFIG_HOME", sb.path("xdg-config"))
            .env("ROLLCOACH_DATA_DIR", sb.data_dir())
            .args(args)
            .stdout(writer)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {err}");
    }
}

// ---- one truth: `done` twice, a dashboard in progress, a dashboard gone ----

/// Takes the data dir's lock the way a running dashboard holds it, for as long as the
/// returned file is open.
fn hold_lock(sandbox: &Sandbox) -> fs::File {
    use std::os::fd::AsRawFd;
    fs::create_dir_all(sandbox.data_dir()).unwrap();
    let file = fs::File::create(sandbox.data_dir().join("lock")).unwrap();
    as_the_program_leaves_it(&sandbox.data_dir());
    // SAFETY: flock on a file this test opened and keeps open.
    let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    assert_eq!(r, 0, "the lock is free");
    file
}

fn sessions_in_journal(sandbox: &Sandbox) -> usize {
    fs::read_to_string(sandbox.journal())
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(r#""type":"session""#))
        .count()
}

#[test]
fn a_second_done_the_same_day_records_nothing_and_exits_1_unless_again() {
    let sb = Sandbox::new();
    sb.done("evening", MON);
    let once = fs::read(sb.journal()).unwrap();
    for _ in 0..2 {
        let assert = sb
            .with_default()
            .args(["done", "evening", "--date", MON])
            .assert()
            .code(1);
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("evening is already done on Mon 23 Nov: nothing recorded"),
            "{err}"
        );
        assert!(assert.get_output().stdout.is_empty());
    }
    assert_eq!(
        fs::read(sb.journal()).unwrap(),
        once,
        "the journal is unchanged"
    );
    assert_eq!(sb.plan(MON)["roller"]["uses"], 1);
    // Another routine, or another day, is recorded as before.
    sb.done("morning", MON);
    sb.done("evening", TUE);
    assert_eq!(sessions_in_journal(&sb), 3);
    // --again records a second session of the same day on purpose.
    sb.with_default()
        .args(["done", "evening", "--date", MON, "--again"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "recorded evening as done on Mon 23 Nov",
        ));
    assert_eq!(sessions_in_journal(&sb), 4);
}

/// A started, unfinished evening of MON, as the dashboard saves it.
fn save_evening_in_progress(sandbox: &Sandbox, routine: &str) {
    let saved = serde_json::json!({
        "routine": routine, "day": MON, "started": "2026-11-23T21:00:00+00:00",
        "running": true, "saved_at": "2026-11-23T21:02:00+00:00",
        "current": "Roll", "part": 0, "left_ms": 30_000, "part_length_ms": 45_000,
        "current_spent_secs": 15,
        "steps": [{"name": "Cleanse", "outcome": "done", "spent_secs": 90}],
    });
    fs::create_dir_all(sandbox.data_dir()).unwrap();
    fs::write(sandbox.data_dir().join("session.json"), saved.to_string()).unwrap();
    as_the_program_leaves_it(&sandbox.data_dir());
}

#[test]
fn done_refuses_a_routine_a_running_dashboard_has_in_progress_whatever_the_flags() {
    let sb = Sandbox::new();
    save_evening_in_progress(&sb, "evening");
    let lock = hold_lock(&sb);
    for args in [
        &["done", "evening", "--date", MON][..],
        &["done", "evening", "--date", MON, "--again"],
    ] {
        let assert = sb.with_default().args(args).assert().code(1);
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("evening of Mon 23 Nov is in progress in the dashboard"),
            "{err}"
        );
    }
    assert!(!sb.journal().exists(), "nothing was recorded");
    // Another routine, or the same one on another day, is not in progress.
    sb.done("morning", MON);
    sb.done("evening", TUE);
    assert_eq!(sessions_in_journal(&sb), 2);
    // Without a dashboard holding it, the saved run is still the evening of that day:
    // it is finished in the dashboard (where its skips and check-in answers are), never
    // recorded over.
    drop(lock);
    for args in [
        &["done", "evening", "--date", MON][..],
        &["done", "evening", "--date", MON, "--again"],
    ] {
        let assert = sb.with_default().args(args).assert().code(1);
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("evening of Mon 23 Nov was started in the dashboard and is saved there"),
            "{err}"
        );
    }
    assert_eq!(sessions_in_journal(&sb), 2);
}

/// A session saved as running a minute ago, 1:45 left of its Roll step then.
fn save_running_roll(sandbox: &Sandbox) {
    use chrono::{Duration, Utc};
    let today = session_day();
    let now = Utc::now().fixed_offset();
    let saved = serde_json::json!({
        "routine": "evening", "day": today.to_string(),
        "started": (now - Duration::minutes(4)).to_rfc3339(),
        "running": true, "saved_at": (now - Duration::seconds(60)).to_rfc3339(),
        "current": "Roll", "part": 1, "left_ms": 30_000, "part_length_ms": 45_000,
        "current_spent_secs": 60,
        "steps": [
            {"name": "Cleanse", "outcome": "done", "spent_secs": 90},
            {"name": "Sanitize roller", "outcome": "skipped", "spent_secs": 0},
        ],
    });
    fs::create_dir_all(sandbox.data_dir()).unwrap();
    fs::write(sandbox.data_dir().join("session.json"), saved.to_string()).unwrap();
    as_the_program_leaves_it(&sandbox.data_dir());
}

#[test]
fn status_shows_a_session_saved_running_as_paused_once_its_dashboard_is_gone() {
    let sandbox = Sandbox::new();
    save_running_roll(&sandbox);
    let config = sandbox.write_config("evening.ron", EVENING);
    // No dashboard: the time left as of the save, paused.
    sandbox
        .with_config(&config)
        .arg("status")
        .assert()
        .success()
        .stdout("Roll 1:45 · 3/6 · paused\n");
    let value = json(
        sandbox
            .with_config(&config)
            .args(["status", "--format", "json"]),
    );
    assert_eq!(
        (&value["state"], &value["left_secs"]),
        (&"paused".into(), &105.into())
    );
    let files = |s: &Sandbox| {
        let mut names: Vec<_> = fs::read_dir(s.data_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    assert_eq!(files(&sandbox), ["session.json"], "status creates no file");
    // A dashboard holding it: running, counting down since the save.
    let _lock = hold_lock(&sandbox);
    let value = json(
        sandbox
            .with_config(&config)
            .args(["status", "--format", "json"]),
    );
    assert_eq!(value["state"], "running", "{value}");
    let left = value["left_secs"].as_u64().unwrap();
    assert!((40..=45).contains(&left), "{value}");
}

#[test]
fn status_passes_over_a_saved_session_that_could_not_be_restored() {
    let sandbox = Sandbox::new();
    let config = sandbox.write_config("evening.ron", EVENING);
    fs::create_dir_all(sandbox.data_dir()).unwrap();
    let today = session_day();
    let saved = serde_json::json!({
        "routine": "evening", "day": today.to_string(), "started": null,
        "current": "Roll", "part": 1, "left_ms": u64::MAX, "part_length_ms": 45_000,
        "current_spent_secs": u64::MAX,
        "steps": [{"name": "Cleanse", "outcome": "done", "spent_secs": u64::MAX}],
    });
    fs::write(sandbox.data_dir().join("session.json"), saved.to_string()).unwrap();
    let value = json(
        sandbox
            .with_config(&config)
            .args(["status", "--format", "json"]),
    );
    assert!(
        ["due", "idle"].contains(&value["state"].as_str().unwrap()),
        "{value}"
    );
    assert!(
        sandbox.data_dir().join("session.json").exists(),
        "left for the dashboard"
    );
}

#[test]
fn check_and_today_warn_about_conflicting_actives_and_steps_that_never_run() {
    let sb = Sandbox::new();
    let config = "tests/fixtures/good/actives_warnings.ron";
    let assert = sb.with_config(config).arg("check").assert().success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    // The summary first, then one line per warning.
    assert_eq!(lines[0], format!("{config}: ok"), "{out}");
    let warnings: Vec<&str> = lines
        .iter()
        .skip_while(|l| !l.starts_with("warning: "))
        .copied()
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: routine \"evening\": step 1 \"Tretinoin\" (prescription retinoid) and step 2 \
             \"Spot gel\" (benzoyl peroxide) can run on the same day: benzoyl peroxide breaks \
             tretinoin down; use one in the morning routine and the other in the evening",
            "warning: routine \"evening\", step 1 \"Tretinoin\": it is paused 168 h after each roll \
             and the roller rolls every 2 days, so it can never run: give it a `pause_after_roll` \
             under 2 days, or set the roller's `rest_days` above the pause (`rest_days: 10` would \
             do); or ask your prescriber",
            "warning: routine \"evening\", step 3 \"Never\": its `when` is never true, so it never \
             runs: change its `when` (or remove the step)",
        ],
        "{out}"
    );
    let plan = json(
        sb.with_config(config)
            .args(["today", "--json", "--date", MON]),
    );
    let listed: Vec<&str> = plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let printed: Vec<&str> = warnings
        .iter()
        .map(|w| w.strip_prefix("warning: ").unwrap())
        .collect();
    assert_eq!(listed, printed);
}

#[test]
fn shelf_lists_each_product_with_its_expiry() {
    let sb = Sandbox::new();
    let config = "tests/fixtures/good/shelf.ron";
    sb.with_config(config)
        .args(["shelf", "--date", "2026-12-01"])
        .assert()
        .success()
        .stdout(
            "Retinol 0.3% · retinoid · opened Mon 1 Jun 2026 · expires Tue 1 Dec 2026 \
             (6 months) · expired: open a new one\n\
             Vitamin C serum · vitamin C, niacinamide · opened Thu 1 Oct 2026 · expires \
             Thu 10 Dec 2026 (70 days) · 9 days left · sooner if it turns orange or brown\n\
             Moisturiser · no actives · opened Thu 15 Jan 2026 · expires Fri 15 Jan 2027 \
             (12 months) · 45 days left\n\
             Hyaluronic serum · hyaluronic acid · not opened yet (keeps 12 months once \
             opened; `rollcoach shelf open` records it)\n",
        );
    let shelf = json(
        sb.with_config(config)
            .args(["shelf", "--json", "--date", "2026-11-30"]),
    );
    assert_eq!(
        shelf,
        serde_json::json!([
            {"name": "Retinol 0.3%", "actives": ["Retinoid"], "opened": "2026-06-01",
             "expires": "2026-12-01", "expired": false},
            {"name": "Vitamin C serum", "actives": ["VitaminC", "Niacinamide"],
             "opened": "2026-10-01", "expires": "2026-12-10", "expired": false},
            {"name": "Moisturiser", "actives": [], "opened": "2026-01-15",
             "expires": "2027-01-15", "expired": false},
            {"name": "Hyaluronic serum", "actives": ["HyaluronicAcid"], "opened": null,
             "expires": null, "expired": false},
        ])
    );
}

#[test]
fn an_opening_recorded_in_the_journal_wins_and_ends_the_expiry_warning() {
    let sb = Sandbox::new();
    let config = "tests/fixtures/good/shelf.ron";
    let warnings = |date: &str| -> Vec<String> {
        let plan = json(
            sb.with_config(config)
                .args(["today", "--json", "--date", date]),
        );
        plan["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(warnings("2026-11-30"), Vec::<String>::new());
    assert_eq!(
        warnings("2026-12-02"),
        [
            "\"Retinol 0.3%\" expired Tue 1 Dec 2026 (opened Mon 1 Jun 2026, keeps 6 months); \
          used by step \"Retinol\" in \"evening\" (it still runs): open a new one and record it \
          with `rollcoach shelf open \"Retinol 0.3%\"`"
        ]
    );
    sb.with_config(config)
        .args(["shelf", "open", "Retinol 0.3%", "--date", "2026-12-02"])
        .assert()
        .success()
        .stdout(
            "recorded \"Retinol 0.3%\" opened on Wed 2 Dec 2026\n\
             Retinol 0.3% · retinoid · opened Wed 2 Dec 2026 · expires Wed 2 Jun 2027 \
             (6 months) · 182 days left\n",
        );
    assert_eq!(
        fs::read_to_string(sb.journal()).unwrap(),
        "{\"type\":\"product_opened\",\"product\":\"Retinol 0.3%\",\"day\":\"2026-12-02\"}\n"
    );
    assert_eq!(warnings("2026-12-02"), Vec::<String>::new());
    let shelf = json(
        sb.with_config(config)
            .args(["shelf", "--json", "--date", "2026-12-02"]),
    );
    assert_eq!(shelf[0]["opened"], "2026-12-02");
    assert_eq!(shelf[0]["expires"], "2027-06-02");
    // Planned for a day before that opening, the config's bottle is the one in use.
    assert_eq!(warnings("2026-12-01").len(), 1);
}

#[test]
fn shelf_open_of_an_unknown_product_exits_2_and_records_nothing() {
    let sb = Sandbox::new();
    sb.with_config("tests/fixtures/good/shelf.ron")
        .args(["shelf", "open", "Retinol 1%"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            "rollcoach: no product named \"Retinol 1%\"; the products are: \"Retinol 0.3%\", \
             \"Vitamin C serum\", \"Moisturiser\", \"Hyaluronic serum\"\n",
        );
    assert!(!sb.journal().exists());
    sb.with_config("tests/fixtures/good/shelf.ron")
        .args(["shelf", "open", "Moisturiser", "--date", "1969-12-31"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--date 1969-12-31 is out of range",
        ));
    sb.with_default()
        .args(["shelf", "--json"])
        .assert()
        .success();
}

// ---- ratings with done, and progress photos ----

#[test]
fn done_takes_a_rating_and_a_note_and_history_json_carries_them() {
    let sb = Sandbox::new();
    sb.with_default()
        .args(["done", "evening", "--date", MON, "--rating", "4"])
        .args(["--note", "calm, a little red"])
        .assert()
        .success()
        .stdout(predicate::str::contains("skin 4/5"));
    sb.with_default()
        .args(["done", "morning", "--date", TUE])
        .assert()
        .success();
    let history = json(
        sb.with_default()
            .args(["history", "--json", "--days", "100000"]),
    );
    let sessions = history["sessions"].as_array().unwrap();
    let evening = sessions.iter().find(|s| s["routine"] == "evening").unwrap();
    assert_eq!(evening["rating"], 4);
    assert_eq!(evening["note"], "calm, a little red");
    let morning = sessions.iter().find(|s| s["routine"] == "morning").unwrap();
    assert_eq!(morning["rating"], Value::Null);
    assert_eq!(morning["note"], Value::Null);
    // The text history shows them too.
    sb.with_default()
        .args(["history", "--days", "100000"])
        .assert()
        .success()
        .stdout(predicate::str::contains("skin 4/5 · calm, a little red"));
}

#[test]
fn done_refuses_a_rating_out_of_range_and_a_note_of_two_lines() {
    let sb = Sandbox::new();
    for bad in [
        &["--rating", "0"][..],
        &["--rating", "6"],
        &["--note", "one\ntwo"],
    ] {
        sb.with_default()
            .args(["done", "evening", "--date", MON])
            .args(bad)
            .assert()
            .code(2)
            .stderr(no_panic());
    }
    assert!(!sb.journal().exists(), "nothing was recorded");
}

/// A JPEG of 32 × 24 with an EXIF block saying it was taken at `taken`
/// ("YYYY:MM:DD HH:MM:SS"): an APP1 segment written by hand after the start marker.
fn jpeg_with_exif_date(taken: &str) -> Vec<u8> {
    let image =
        image::RgbImage::from_fn(32, 24, |x, y| image::Rgb([x as u8 * 8, y as u8 * 10, 90]));
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    assert_eq!(taken.len(), 19);
    // TIFF, big-endian: IFD0 at 8 holds only the pointer to the Exif IFD at 26, which
    // holds DateTimeOriginal (0x9003, ASCII, 20 bytes) at 44.
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend([0, 1, 0x87, 0x69, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
    tiff.extend([0, 1, 0x90, 0x03, 0, 2, 0, 0, 0, 20, 0, 0, 0, 44, 0, 0, 0, 0]);
    tiff.extend(taken.as_bytes());
    tiff.push(0);
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend(tiff);
    let length = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend([0xff, 0xe1]);
    out.extend(length.to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn photo_add_copies_a_jpeg_dated_by_its_exif_privately_and_leaves_the_original() {
    let sb = Sandbox::new();
    let original = sb.path("IMG_0001.JPG");
    let bytes = jpeg_with_exif_date("2026:10:05 08:30:00");
    fs::write(&original, &bytes).unwrap();
    let before = fs::metadata(&original).unwrap().modified().unwrap();
    sb.with_default()
        .args(["photo", "add"])
        .arg(&original)
        .args(["--note", "left cheek, window light"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Mon 5 Oct").and(predicate::str::contains("EXIF")));
    assert_eq!(
        fs::read(&original).unwrap(),
        bytes,
        "the original is unchanged"
    );
    assert_eq!(fs::metadata(&original).unwrap().modified().unwrap(), before);
    let dir = sb.data_dir().join("photos");
    let copy = dir.join("2026-10-05-1.jpg");
    assert_eq!(fs::read(&copy).unwrap(), bytes);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&copy), 0o600);
    let journal = fs::read_to_string(sb.journal()).unwrap();
    let record: Value = serde_json::from_str(journal.trim()).unwrap();
    assert_eq!(record["type"], "photo");
    assert_eq!(record["file"], "2026-10-05-1.jpg");
    assert_eq!(record["taken"], "2026-10-05");
    assert_eq!(record["note"], "left cheek, window light");
}

#[test]
fn photo_add_dates_a_png_by_date_else_today_and_lists_them() {
    let sb = Sandbox::new();
    let png = sb.path("face.png");
    image::RgbImage::from_pixel(20, 20, image::Rgb([200, 150, 130]))
        .save(&png)
        .unwrap();
    // A folder left open by hand is made private again.
    let dir = sb.data_dir().join("photos");
    fs::create_dir_all(&dir).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    sb.with_default()
        .args(["photo", "add", "--date", "2026-11-02"])
        .arg(&png)
        .assert()
        .success()
        .stdout(predicate::str::contains("Mon 2 Nov (--date)"));
    assert_eq!(mode(&dir), 0o700);
    // Without --date or EXIF: today; the same photo twice is two copies.
    for _ in 0..2 {
        sb.with_default()
            .args(["photo", "add"])
            .arg(&png)
            .assert()
            .success()
            .stdout(predicate::str::contains("(today)"));
    }
    let list = json(sb.with_default().args(["photo", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["file"], "2026-11-02-1.png");
    assert_eq!(list[0]["taken"], "2026-11-02");
    assert_eq!(list[0]["note"], Value::Null);
    assert!(list[1]["file"].as_str().unwrap().ends_with("-1.png"));
    assert!(list[2]["file"].as_str().unwrap().ends_with("-2.png"));
    for p in list {
        let path = PathBuf::from(p["path"].as_str().unwrap());
        assert_eq!(mode(&path), 0o600, "{p}");
    }
    sb.with_default()
        .args(["photo", "list"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Mon 2 Nov 2026")
                .and(predicate::str::contains("2026-11-02-1.png")),
        );
}

#[test]
fn photo_add_refuses_what_is_not_a_readable_image_with_one_line() {
    let sb = Sandbox::new();
    let text = sb.path("notes.txt");
    fs::write(&text, "not a photo\n").unwrap();
    // A JPEG cut short after its header: the format is right, the image is not there.
    let torn = sb.path("torn.jpg");
    fs::write(&torn, &jpeg_with_exif_date("2026:10:05 08:30:00")[..200]).unwrap();
    for (file, says) in [
        (&text, "not a JPEG or PNG image"),
        (&torn, "not a readable image"),
        (&sb.path("missing.png"), "cannot read it"),
        (&sb.root.path().to_path_buf(), "not a file"),
    ] {
        let assert = sb
            .with_default()
            .args(["photo", "add"])
            .arg(file)
            .assert()
            .code(2);
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(says) && err.contains("nothing added"), "{err}");
    }
    assert!(!sb.journal().exists());
    let photos = sb.data_dir().join("photos");
    assert!(!photos.exists() || fs::read_dir(&photos).unwrap().next().is_none());
}

#[test]
fn notes_from_the_journal_reach_the_terminal_without_their_control_characters() {
    let sb = Sandbox::new();
    fs::create_dir_all(sb.data_dir()).unwrap();
    fs::write(
        sb.journal(),
        concat!(
            r#"{"type":"photo","file":"2026-11-20-1.jpg","taken":"2026-11-20","#,
            r#""added":"2026-11-20T08:00:00+00:00","note":"\u001b[31mred\u0007 \u202eevil"}"#,
            "\n"
        ),
    )
    .unwrap();
    let assert = sb.with_default().args(["photo", "list"]).assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(out.contains("red"), "{out}");
    assert!(!out.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{out:?}");
}

#[test]
fn a_photo_whose_exif_date_is_after_today_is_dated_today() {
    let sb = Sandbox::new();
    let original = sb.path("IMG_0002.JPG");
    fs::write(&original, jpeg_with_exif_date("9999:12:31 23:00:00")).unwrap();
    sb.with_default()
        .args(["photo", "add"])
        .arg(&original)
        .assert()
        .success()
        .stdout(predicate::str::contains("its EXIF date is after today"));
    let listed = sb
        .with_default()
        .args(["photo", "list", "--json"])
        .output()
        .unwrap();
    let photos: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(photos[0]["taken"], session_day().to_string(), "{photos:#}");
}

#[test]
fn done_no_roll_records_a_rest_night_and_a_roll_reminds_of_the_checkin() {
    let sb = Sandbox::new();
    let assert = sb
        .with_default()
        .args(["done", "evening", "--date", MON, "--no-roll"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        out.starts_with("recorded evening as done on Mon 23 Nov ("),
        "{out}"
    );
    assert!(!out.contains("rolled"), "{out}");
    // Not a roll: no use. The rest night's retinol went on (48 h before a roll), so the
    // roll waits for it: not Tuesday but Wednesday, and Tuesday's Roll step says why.
    let tue = sb.plan(TUE);
    assert_eq!(tue["rolling_day"], false, "{tue:#}");
    assert_eq!(tue["roller"]["uses"], 0, "{tue:#}");
    assert_eq!(
        step(&tue, "evening", "Roll")["reason"],
        "roll moved to Wed 25 Nov: \"Retinol\" applied Mon 23 Nov"
    );
    assert_eq!(sb.plan(WED)["rolling_day"], true);
    // A roll recorded away from the dashboard: one line of what the check-in asks.
    let assert = sb
        .with_default()
        .args(["done", "evening", "--date", WED])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains(", rolled"), "{out}");
    assert!(
        lines[1].starts_with("rolled only if none of the check-in applied (")
            && lines[1].contains("Sunburn or strong sun")
            && lines[1].ends_with("`done evening --no-roll`"),
        "{out}"
    );
}

/// `plan` is the plan `today` gives on each day once the days before it were done as
/// planned: eight weeks of `plan --json` against `today --json --date D`, with each day
/// recorded by `done` before the next is asked.
#[test]
fn plan_agrees_with_today_over_eight_weeks() {
    let sb = Sandbox::new();
    let first: chrono::NaiveDate = "2026-08-03".parse().unwrap();
    let assert = sb
        .with_default()
        .args(["plan", "--from", "2026-08-03", "--days", "56", "--json"])
        .assert()
        .success();
    let plans: Vec<Value> = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(plans.len(), 56);
    let mut rolls = 0;
    for (i, planned) in plans.iter().enumerate() {
        let day = (first + chrono::TimeDelta::days(i as i64)).to_string();
        let today = sb.plan(&day);
        assert_eq!(&today, planned, "plan and today differ on {day}");
        rolls += usize::from(today["rolling_day"] == true);
        sb.done("morning", &day);
        sb.done("evening", &day);
    }
    // A roll every 7 days at 0.5 mm.
    assert_eq!(rolls, 8);
    // The grid: the Roll row first, marked on the rolling days.
    let assert = sb
        .with_default()
        .args(["plan", "--from", "2026-08-03", "--days", "7"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Mon 3 Aug 2026 – Sun 9 Aug 2026 · ● runs  · off");
    assert!(lines[1].trim_start().starts_with("Mon Tue Wed"), "{out}");
    assert!(lines[3].starts_with("evening · Roll"), "{out}");
    // Days already done keep what was done: the first Monday rolled.
    assert!(lines[3].ends_with("●   ·   ·   ·   ·   ·   ·"), "{out}");
}

/// After a roll, the clinic sheets' after-care: in `today` (text and JSON) on the days it
/// reaches, each item until the roll's due time plus its hours; `aftercare: []` turns it
/// off.
#[test]
fn aftercare_follows_a_roll_until_it_ends() {
    let sb = Sandbox::new();
    sb.done("evening", MON);
    let tue = sb.plan(TUE);
    let items: Vec<(String, String)> = tue["aftercare"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["avoid"].as_str().unwrap().into(),
                i["until"].as_str().unwrap().into(),
            )
        })
        .collect();
    let until = |avoid: &str| {
        items
            .iter()
            .find(|(a, _)| a == avoid)
            .map(|(_, u)| u[..16].to_string())
    };
    // The built-in evening is due at 21:00 on Monday 23 November.
    assert_eq!(
        until("makeup").as_deref(),
        Some("2026-11-24T21:00"),
        "{tue:#}"
    );
    assert_eq!(until("new products").as_deref(), Some("2026-11-26T21:00"));
    let text = sb
        .with_default()
        .args(["today", "--date", TUE])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(
        out.contains("after rolling: no makeup, no sweating: gym, sauna, pool or the sea until Tue 24 Nov 21:00;"),
        "{out}"
    );
    // A week on, only what lasts a week is left; then nothing.
    let sun = sb.plan("2026-11-29");
    let left: Vec<&str> = sun["aftercare"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["avoid"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["waxing, threading or hair-removal cream there"]);
    assert_eq!(sb.plan("2026-12-01")["aftercare"], serde_json::json!([]));
    // Turned off.
    let off = sb.write_config(
        "off.ron",
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_CONFIG))
            .unwrap()
            .replacen("routines:", "aftercare: [],\n    routines:", 1),
    );
    let assert = sb
        .with_config(&off)
        .args(["today", "--json", "--date", TUE])
        .assert()
        .success();
    let plan: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(plan["aftercare"], serde_json::json!([]));
}

/// `plan --ics` read back by a real iCalendar parser (Python's `icalendar`): every
/// routine of every day an event at its time in UTC (the zone's summer time applied),
/// an alarm then, roll nights titled so, after-care in the description, UIDs stable.
#[test]
#[ignore = "needs python3 with the icalendar package"]
fn plan_ics_is_read_by_an_icalendar_parser() {
    let sb = Sandbox::new();
    let ics = |from: &str| {
        let assert = sb
            .with_default()
            .env("TZ", "Europe/Berlin")
            .args(["plan", "--ics", "--from", from, "--days", "14"])
            .assert()
            .success();
        assert.get_output().stdout.clone()
    };
    let first = ics("2026-08-03");
    let path = sb.path("nights.ics");
    fs::write(&path, &first).unwrap();
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for e in cal.walk('VEVENT'):
    alarms = [str(a.get('TRIGGER').dt) for a in e.walk('VALARM')]
    out.append({'uid': str(e.get('UID')), 'summary': str(e.get('SUMMARY')),
                'start': e.decoded('DTSTART').isoformat(), 'end': e.decoded('DTEND').isoformat(),
                'description': str(e.get('DESCRIPTION')), 'alarms': alarms})
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the iCalendar parser refused the file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(events.len(), 28, "two routines a day for 14 days");
    let event = |uid: &str| {
        events
            .iter()
            .find(|e| e["uid"] == uid)
            .unwrap_or_else(|| panic!("no {uid}"))
    };
    let monday = event("evening-20260803@rollcoach");
    // 21:00 in Berlin in August is 19:00 UTC.
    assert_eq!(monday["start"], "2026-08-03T19:00:00+00:00", "{monday:#}");
    assert_eq!(monday["summary"], "evening · roll night");
    assert_eq!(monday["alarms"], serde_json::json!(["0:00:00"]));
    assert!(monday["description"].as_str().unwrap().contains("Roll"));
    let tuesday = event("evening-20260804@rollcoach");
    assert_eq!(tuesday["summary"], "evening");
    assert!(
        tuesday["description"]
            .as_str()
            .unwrap()
            .contains("after rolling: no makeup"),
        "{tuesday:#}"
    );
    assert_eq!(
        event("evening-20260810@rollcoach")["summary"],
        "evening · roll night"
    );
    // The same nights again: the same UIDs (an import updates, never doubles).
    let again = String::from_utf8(ics("2026-08-03")).unwrap();
    for e in &events {
        assert!(again.contains(&format!("UID:{}", e["uid"].as_str().unwrap())));
    }
}

/// A sunscreen keeps by its printed date when that comes first, opened or not; the first
/// bottle of a product ever opened suggests a use test before it goes near rolled skin.
#[test]
fn a_printed_date_wins_when_first_and_a_new_product_gets_a_use_test() {
    let sb = Sandbox::new();
    let config = sb.write_config(
        "printed.ron",
        r#"(
            products: [
                (name: "Mineral SPF 50", expires: "2027-01"),
                (name: "Tinted SPF", opened: "2026-11-01", expires: "2027-06-15"),
            ],
            routines: [(name: "morning", steps: [
                (name: "SPF", kind: Protect, duration: "1m", product: "Mineral SPF 50"),
            ])],
        )"#,
    );
    sb.with_config(&config)
        .args(["shelf", "--date", "2026-12-01"])
        .assert()
        .success()
        .stdout(
            "Mineral SPF 50 · no actives · not opened yet · expires Mon 1 Feb 2027 (the \
             printed date) · 62 days left\n\
             Tinted SPF · no actives · opened Sun 1 Nov 2026 · expires Wed 16 Jun 2027 (the \
             printed date) · 197 days left\n",
        );
    // Opened in December, it would keep 12 months, but the tube says January.
    let out = sb
        .with_config(&config)
        .args(["shelf", "open", "Mineral SPF 50", "--date", "2026-12-01"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("expires Mon 1 Feb 2027 (the printed date)"),
        "{text}"
    );
    assert!(
        text.contains("new to your skin: try it first on the inside of the forearm"),
        "{text}"
    );
    // A second bottle is not new.
    let out = sb
        .with_config(&config)
        .args(["shelf", "open", "Mineral SPF 50", "--date", "2027-01-10"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(!text.contains("new to your skin"), "{text}");
    // A printed date that is not one is refused with the form to write.
    let bad = sb.write_config(
        "bad.ron",
        r#"(products: [(name: "X", expires: "06/2027")],
            routines: [(name: "m", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
    );
    let assert = sb.with_config(&bad).arg("check").assert().code(2);
    let err = stderr(&assert);
    assert!(
        err.contains("invalid printed date \"06/2027\": write it as \"YYYY-MM\""),
        "{err}"
    );
}

/// The two mistakes a new routine writer makes first get the fix in the message: a
/// quoted name, and a day in another form.
#[test]
fn a_quoted_name_and_a_day_in_another_form_say_what_to_write() {
    let sb = Sandbox::new();
    let config = sb.write_config(
        "quoted.ron",
        r#"(routines: [(name: "m", steps: [(name: "C", kind: "Cleanse", duration: "1m")])])"#,
    );
    let assert = sb.with_config(&config).arg("check").assert().code(2);
    let err = stderr(&assert);
    assert!(
        err.contains(":1:51: Expected identifier: write Cleanse without quotes"),
        "{err}"
    );
    for args in [
        &["today", "--date", "28-11-2026"][..],
        &["plan", "--from", "11/28/2026"],
        &["done", "evening", "--date", "2026-11-31"],
    ] {
        let assert = sb.with_default().args(args).assert().code(2);
        let err = stderr(&assert);
        assert!(
            err.contains("is not a day: write it as YYYY-MM-DD, e.g. 2026-11-28"),
            "{args:?}: {err}"
        );
    }
}

/// The mode bits of `path`.
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every entry of the data dir, with its mode.
fn modes_in(dir: &Path) -> Vec<(String, u32)> {
    let mut modes: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                mode_of(&e.path()),
            )
        })
        .collect();
    modes.sort();
    modes
}

#[test]
fn the_data_dir_is_0700_and_every_file_in_it_0600() {
    let sb = Sandbox::new();
    sb.done("evening", MON);
    sb.plan(TUE);
    assert_eq!(mode_of(&sb.data_dir()), 0o700);
    let modes = modes_in(&sb.data_dir());
    let names: Vec<&str> = modes.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"journal.jsonl") && names.contains(&"journal.index"),
        "{names:?}"
    );
    for (name, mode) in &modes {
        assert_eq!(*mode, 0o600, "{name} is {mode:o}");
    }
}

#[test]
fn a_data_dir_open_to_others_is_tightened_once_with_one_line() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = Sandbox::new();
    sb.done("evening", MON);
    sb.plan(TUE);
    fs::write(sb.data_dir().join("lock"), "").unwrap();
    fs::write(sb.data_dir().join("hooks.log"), "").unwrap();
    for (name, _) in modes_in(&sb.data_dir()) {
        let path = sb.data_dir().join(name);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    }
    fs::set_permissions(sb.data_dir(), fs::Permissions::from_mode(0o755)).unwrap();
    let first = stderr(
        &sb.with_default()
            .args(["today", "--date", TUE])
            .assert()
            .success(),
    );
    let said: Vec<&str> = first.lines().filter(|l| l.contains("private")).collect();
    assert_eq!(said.len(), 1, "{first}");
    assert!(
        said[0].contains("0700") && said[0].contains("0600"),
        "{first}"
    );
    assert_eq!(mode_of(&sb.data_dir()), 0o700);
    for (name, mode) in modes_in(&sb.data_dir()) {
        assert_eq!(mode, 0o600, "{name} is {mode:o}");
    }
    let again = stderr(
        &sb.with_default()
            .args(["today", "--date", TUE])
            .assert()
            .success(),
    );
    assert!(!again.contains("private"), "said once only: {again}");
}

/// A progressive grayscale JPEG of `width` × `height` made by hand: one DC scan, every
/// block "no change" (a flat grey). Its data is at most 1 MB, so one claiming to be
/// larger than that holds ends early, as a file cut short does.
fn progressive_jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    // A quantisation table of ones.
    jpeg.extend([0xFF, 0xDB, 0, 67, 0]);
    jpeg.extend([1u8; 64]);
    // SOF2 (progressive): 8 bits, the size, one component.
    jpeg.extend([0xFF, 0xC2, 0, 11, 8]);
    jpeg.extend(height.to_be_bytes());
    jpeg.extend(width.to_be_bytes());
    jpeg.extend([1, 1, 0x11, 0]);
    // A DC Huffman table with one one-bit code: a difference of 0.
    jpeg.extend([0xFF, 0xC4, 0, 20, 0x00, 1]);
    jpeg.extend([0u8; 15]);
    jpeg.push(0);
    // The DC scan of the one component, one 0 bit a block.
    jpeg.extend([0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 0, 0]);
    let blocks = usize::from(width).div_ceil(8) * usize::from(height).div_ceil(8);
    jpeg.extend(vec![0u8; blocks.div_ceil(8).min(1 << 20)]);
    jpeg.extend([0xFF, 0xD9]);
    jpeg
}

/// Address space for `photo add` under a limit: enough for a photo, not for a bomb.
const PHOTO_ADD_AS_BYTES: &str = "--as=536870912";

#[test]
fn photo_add_refuses_a_jpeg_memory_bomb_with_one_line_under_an_address_space_limit() {
    let sb = Sandbox::new();
    let run = |name: &str, jpeg: Vec<u8>| {
        let file = sb.path(name);
        fs::write(&file, jpeg).unwrap();
        let mut cmd = Command::new("prlimit");
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("ROLLCOACH_CONFIG")
            .env_remove("ROLLCOACH_DATA_DIR")
            .env("HOME", sb.path("home"))
            .env("XDG_CONFIG_HOME", sb.path("xdg-config"))
            .env("XDG_DATA_HOME", sb.path("xdg-data"))
            .env("TZ", "UTC")
            .arg(PHOTO_ADD_AS_BYTES)
            .arg(env!("CARGO_BIN_EXE_rollcoach"))
            .arg("--data-dir")
            .arg(sb.data_dir())
            .args(["--config", DEFAULT_CONFIG, "photo", "add", "--date", MON])
            .arg(&file);
        cmd.assert()
    };
    // A progressive JPEG keeps every coefficient of its full size: 800 MB for this one
    // of under 1 MB, and 8 GiB for one claiming 65535 × 65535.
    for (name, w, h) in [("bomb.jpg", 20_000, 20_000), ("huge.jpg", 65_535, 65_535)] {
        let err = stderr(&run(name, progressive_jpeg(w, h)).code(2).stderr(no_panic()));
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("megapixels") && err.contains("nothing added"),
            "{err}"
        );
    }
    assert!(!sb.data_dir().join("photos").exists());
    // One within the limits is decoded and added under the same limit.
    run("fine.jpg", progressive_jpeg(3_000, 2_000)).success();
    assert_eq!(
        fs::read_dir(sb.data_dir().join("photos")).unwrap().count(),
        1
    );
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

#[test]
fn special_files_in_the_data_dir_never_hang_or_abort_a_command() {
    use std::time::Duration;
    // A FIFO index: made anew beside it is not possible, so the journal is read.
    let sb = Sandbox::new();
    sb.done("evening", MON);
    fs::remove_file(sb.data_dir().join("journal.index")).ok();
    mkfifo(&sb.data_dir().join("journal.index"));
    sb.with_default()
        .args(["status"])
        .timeout(Duration::from_secs(10))
        .assert()
        .success()
        .stderr(no_panic());
    sb.with_default()
        .args(["today", "--date", TUE])
        .timeout(Duration::from_secs(10))
        .assert()
        .success();
    // A FIFO lock beside a saved session: no dashboard holds it.
    let sb = Sandbox::new();
    save_paused_roll(&sb);
    mkfifo(&sb.data_dir().join("lock"));
    sb.with_default()
        .args(["status"])
        .timeout(Duration::from_secs(10))
        .assert()
        .success()
        .stderr(no_panic());
    // A journal that is a link to /dev/zero: one line, exit 1, no abort.
    let sb = Sandbox::new();
    fs::create_dir_all(sb.data_dir()).unwrap();
    as_the_program_leaves_it(&sb.data_dir());
    std::os::unix::fs::symlink("/dev/zero", sb.journal()).unwrap();
    for args in [&["history"][..], &["status"], &["today", "--date", TUE]] {
        let assert = sb
            .with_default()
            .args(args)
            .timeout(Duration::from_secs(10))
            .assert()
            .code(1)
            .stderr(no_panic());
        let err = stderr(&assert);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
}

/// `history --json | head -c 1` under `set -o pipefail`: the reader takes one byte and
/// goes; the command exits 0 and says nothing.
#[test]
fn a_reader_that_closes_after_one_byte_ends_each_printing_command_quietly() {
    use std::io::Read as _;
    let sb = Sandbox::new();
    let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    for day in 0..60 {
        let date = (start + chrono::Duration::days(day)).to_string();
        sb.done("morning", &date);
    }
    for args in [
        &["today", "--json", "--date", MON][..],
        &["history", "--json", "--days", "400"],
        &["history", "--csv"],
        &["history", "--days", "400"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rollcoach"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("ROLLCOACH_CONFIG")
            .env("HOME", sb.path("home"))
            .env("XDG_CONFIG_HOME", sb.path("xdg-config"))
            .env("ROLLCOACH_DATA_DIR", sb.data_dir())
            .args(["--config", DEFAULT_CONFIG])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let output = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn escape_sequences_from_a_product_name_or_a_photo_file_name_never_reach_the_terminal() {
    let sb = Sandbox::new();
    let shipped = fs::read_to_string(DEFAULT_CONFIG).unwrap();
    let planted = shipped.replace(
        "\"Vitamin C serum\"",
        "\"Vit\u{1b}]0;owned\u{7}C\u{1b}[2J\"",
    );
    assert_ne!(planted, shipped);
    let config = sb.write_config("planted.ron", &planted);
    let shelf = sb.with_config(&config).arg("shelf").assert().success();
    let out = String::from_utf8_lossy(&shelf.get_output().stdout).into_owned();
    assert!(out.contains("Vit"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    let file = sb.path("face\u{1b}[2J\u{1b}]0;x\u{7}.jpg");
    fs::write(&file, "not an image").unwrap();
    let refused = sb
        .with_default()
        .args(["photo", "add"])
        .arg(&file)
        .assert()
        .code(2);
    let err = stderr(&refused);
    assert!(
        err.contains("face") && err.contains("nothing added"),
        "{err:?}"
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

#[test]
fn photo_add_refuses_a_photos_folder_that_is_a_link_and_changes_nothing() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = Sandbox::new();
    let photo = sb.path("face.jpg");
    fs::write(&photo, progressive_jpeg(64, 48)).unwrap();
    for target_is_dir in [false, true] {
        let target = sb.path(if target_is_dir {
            "elsewhere"
        } else {
            "system-file"
        });
        if target_is_dir {
            fs::create_dir(&target).unwrap();
        } else {
            fs::write(&target, "a file of the system").unwrap();
        }
        fs::set_permissions(&target, fs::Permissions::from_mode(0o755)).unwrap();
        fs::create_dir_all(sb.data_dir()).unwrap();
        as_the_program_leaves_it(&sb.data_dir());
        let link = sb.data_dir().join("photos");
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let refused = sb
            .with_default()
            .args(["photo", "add", "--date", MON])
            .arg(&photo)
            .assert()
            .code(1)
            .stderr(no_panic());
        let err = stderr(&refused);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("is a link"), "{err}");
        assert_eq!(
            mode_of(&target),
            0o755,
            "the link's target is left as it was"
        );
        if target_is_dir {
            assert_eq!(fs::read_dir(&target).unwrap().count(), 0);
        }
    }
    assert!(!sb.journal().exists(), "nothing journaled");
}

/// `status --follow` whose data dir is deleted and made again (a restore): the new dir is
/// watched, and a session saved there shows.
#[test]
fn status_follow_watches_a_data_dir_deleted_and_made_again() {
    use std::io::BufRead as _;
    use std::time::Duration;
    let sb = Sandbox::new();
    fs::create_dir_all(sb.data_dir()).unwrap();
    as_the_program_leaves_it(&sb.data_dir());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rollcoach"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ROLLCOACH_CONFIG")
        .env("HOME", sb.path("home"))
        .env("XDG_CONFIG_HOME", sb.path("xdg-config"))
        .env("XDG_RUNTIME_DIR", sb.path("runtime"))
        .env("ROLLCOACH_DATA_DIR", sb.data_dir())
        .env("TZ", "UTC")
        .args(["--config", DEFAULT_CONFIG, "status", "--follow"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let first = lines
        .recv_timeout(Duration::from_secs(10))
        .expect("a first line");
    std::thread::sleep(Duration::from_millis(300));
    fs::remove_dir_all(sb.data_dir()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    save_paused_roll(&sb);
    let mut seen = Vec::new();
    let until = std::time::Instant::now() + Duration::from_secs(8);
    while std::time::Instant::now() < until {
        if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
            seen.push(line);
            if seen.last().is_some_and(|l| l.contains("Roll")) {
                break;
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen.iter().any(|l| l.contains("Roll")),
        "the saved session in the new dir shows: first {first:?}, then {seen:?}"
    );
}

/// Another local user, for real: `nobody` (through setpriv, as root) can reach the
/// sandbox but neither list the data dir, nor read the journal, nor open the lock to
/// hold the dashboard read-only.
#[test]
#[ignore = "needs root and setpriv"]
fn another_user_can_neither_read_the_journal_nor_take_the_lock() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = Sandbox::new();
    sb.done("evening", MON);
    sb.plan(TUE);
    fs::write(sb.data_dir().join("lock"), "").unwrap();
    sb.plan(TUE);
    // The way to the data dir is open to all: only the data dir itself keeps them out.
    let mut dir = sb.data_dir();
    while dir.pop() && dir.starts_with(std::env::temp_dir()) && dir != std::env::temp_dir() {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .args(args)
            .output()
            .expect("setpriv (util-linux) runs")
    };
    // The sandbox's root is reachable: the test is not passing for the wrong reason.
    let root = sb.data_dir().parent().unwrap().to_path_buf();
    assert!(as_nobody(&["ls", root.to_str().unwrap()]).status.success());
    let journal = sb.data_dir().join("journal.jsonl");
    let lock = sb.data_dir().join("lock");
    for args in [
        vec!["ls", sb.data_dir().to_str().unwrap()],
        vec!["cat", journal.to_str().unwrap()],
        vec!["flock", "-s", "-n", lock.to_str().unwrap(), "true"],
    ] {
        let out = as_nobody(&args);
        assert!(!out.status.success(), "{args:?} worked for nobody");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Permission denied"),
            "{args:?}: {out:?}"
        );
    }
}

/// `ctl` and a socket another user made at its path (`nobody` through setpriv, as root,
/// listening for real): nothing is sent, and it says why.
#[test]
#[ignore = "needs root, setpriv and /usr/bin/python3"]
fn ctl_sends_nothing_to_a_socket_another_user_listens_on() {
    use std::os::unix::fs::PermissionsExt as _;
    let sb = Sandbox::new();
    sb.done("evening", MON);
    let data = sb.data_dir();
    let mut dir = data.clone();
    while dir.pop() && dir.starts_with(std::env::temp_dir()) && dir != std::env::temp_dir() {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Open for a moment, so that nobody can make its socket where ctl looks.
    fs::set_permissions(&data, fs::Permissions::from_mode(0o777)).unwrap();
    let socket = data.join("ctl.sock");
    let told = tempfile::NamedTempFile::new().unwrap().into_temp_path();
    let told = told.keep().unwrap();
    fs::set_permissions(&told, fs::Permissions::from_mode(0o666)).unwrap();
    let script = format!(
        "import socket\n\
         s = socket.socket(socket.AF_UNIX)\n\
         s.bind({socket:?})\n\
         s.listen(1)\n\
         s.settimeout(10)\n\
         c, _ = s.accept()\n\
         open({told:?}, 'w').write(c.recv(100).decode())\n",
        socket = socket.to_str().unwrap(),
        told = told.to_str().unwrap(),
    );
    let mut listener = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .args(["/usr/bin/python3", "-c", &script])
        .spawn()
        .expect("setpriv and python3 run");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !socket.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "no socket from nobody"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    fs::set_permissions(&data, fs::Permissions::from_mode(0o700)).unwrap();
    let out = sb
        .rollcoach()
        .env_remove("XDG_RUNTIME_DIR")
        .args(["ctl", "next"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let _ = listener.kill();
    let _ = listener.wait();
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("not a socket of yours"), "{err}");
    assert_eq!(
        fs::read_to_string(&told).unwrap(),
        "",
        "it was sent something"
    );
    let _ = fs::remove_file(&told);
}
