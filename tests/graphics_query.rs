//! The graphics question outside tmux, on a real pseudo-terminal (`tests/fixtures/
//! pty_terminal.py`, python3's pty): the dashboard asks which graphics the terminal
//! draws only when the photo folder holds a photo, draws its first frame without
//! waiting for the answer, keeps a key typed while it waits, and draws photos in the
//! graphics the terminal said it has.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// How long the terminal has to answer (`photos::query::ANSWER_WAIT`): a frame, or a
/// key, that waited for the answer comes at least this long after the question.
const ANSWER_WAIT_MS: f64 = 1000.0;

/// Runs the dashboard on its own pty as `mode` says; what the terminal saw.
fn terminal(mode: &str, data_dir: &Path, home: &Path) -> Value {
    let driver = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pty_terminal.py"
    );
    let out = Command::new("python3")
        .arg(driver)
        .arg(mode)
        .arg(env!("CARGO_BIN_EXE_rollcoach"))
        .arg("--data-dir")
        .arg(data_dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1")
        .env_remove("ROLLCOACH_CONFIG")
        .env_remove("ROLLCOACH_DATA_DIR")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .expect("python3 runs the pty driver");
    assert!(
        out.status.success(),
        "the driver failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the driver prints JSON")
}

/// A data dir with two photos journaled four weeks apart.
fn with_photos(home: &Path) -> std::path::PathBuf {
    let data = home.join("rollcoach");
    for (n, date) in [(1, "2026-11-01"), (2, "2026-11-29")] {
        let png = home.join(format!("face{n}.png"));
        image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120]))
            .save(&png)
            .unwrap();
        let added = Command::new(env!("CARGO_BIN_EXE_rollcoach"))
            .arg("--data-dir")
            .arg(&data)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .args(["photo", "add", "--date", date])
            .arg(&png)
            .output()
            .unwrap();
        assert!(added.status.success(), "{added:?}");
    }
    data
}

fn ms(value: &Value, what: &str) -> f64 {
    value[what]
        .as_f64()
        .unwrap_or_else(|| panic!("no {what} seen: {value:#}"))
}

#[test]
fn a_terminal_that_never_answers_holds_up_nothing_and_loses_no_key() {
    let home = tempfile::tempdir().unwrap();
    let data = with_photos(home.path());
    let seen = terminal("silent", &data, home.path());
    let (question, frame) = (ms(&seen, "question"), ms(&seen, "frame"));
    // The first frame does not wait for an answer that never comes.
    assert!(
        frame < question + ANSWER_WAIT_MS * 0.5,
        "the first frame came {:.0} ms after the question: {seen:#}",
        frame - question
    );
    // The q typed while the question waited quit the dashboard, at once.
    let exited = ms(&seen, "exited");
    assert_eq!(seen["status"], 0, "{seen:#}");
    assert!(
        exited < question + ANSWER_WAIT_MS * 0.5,
        "q was acted on {:.0} ms after the question: {seen:#}",
        exited - question
    );
}

#[test]
fn a_sixel_terminal_gets_its_photos_in_sixel() {
    let home = tempfile::tempdir().unwrap();
    let data = with_photos(home.path());
    let seen = terminal("sixel", &data, home.path());
    ms(&seen, "question");
    ms(&seen, "frame");
    assert_eq!(seen["sixel"], true, "no sixel picture drawn: {seen:#}");
    ms(&seen, "exited");
}

#[test]
fn without_a_photo_nothing_is_asked() {
    let home = tempfile::tempdir().unwrap();
    let seen = terminal("none", &home.path().join("rollcoach"), home.path());
    ms(&seen, "frame");
    assert!(seen["question"].is_null(), "{seen:#}");
    assert_eq!(seen["status"], 0, "{seen:#}");
}
