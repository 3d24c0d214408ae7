//! A key event stream → the keymap, and on into a dashboard with ticks: any bytes,
//! never a panic.
//!
//! Every 4 bytes make one event: the key, a character or F-number, the modifiers and
//! the kind (press, repeat, release). A key event whose first byte is 0xff is a tick
//! instead, of up to 255 s.

#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use rollcoach::dashboard::app::{App, Msg};
use rollcoach::dashboard::keymap::{self, Keymap};
use rollcoach::routine::config::{Config, parse};
use rollcoach::routine::journal::Journal;
use rollcoach::session::Moment;

const CONFIG: &str = r#"(
    roller: (needle_mm: 0.5),
    checkin: ["Active breakout where you roll?", "Sunburn in the last two days?"],
    keys: (start_pause: ["Space", "p"], skip: ["Ctrl-s", "s"], quit: ["F10"]),
    routines: [
        (name: "morning", at: "07:30", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "20s"),
        ]),
        (name: "evening", at: "21:00", auto_advance: true, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "30s"),
            (name: "Roll", kind: Roll, when: RollDay, zones: [
                (name: "Forehead", duration: "15s"),
                (name: "Chin", duration: "10s"),
            ]),
            (name: "Retinol", kind: Treatment, duration: "20s", when: RestDay),
            (name: "Moisturise", kind: Moisturise, duration: "40s"),
        ]),
    ],
)"#;

fn code(selector: u8, extra: u8) -> KeyCode {
    match selector % 24 {
        // Mostly characters: the printable ASCII range, then any scalar value.
        0..=9 => KeyCode::Char(char::from(b' ' + extra % 95)),
        10 => KeyCode::Char(char::from_u32(u32::from(extra) * 0x101).unwrap_or('\u{fffd}')),
        11 => KeyCode::Enter,
        12 => KeyCode::Esc,
        13 => KeyCode::Backspace,
        14 => KeyCode::Tab,
        15 => KeyCode::BackTab,
        16 => KeyCode::F(extra),
        17 => KeyCode::Up,
        18 => KeyCode::Down,
        19 => KeyCode::Delete,
        20 => KeyCode::Home,
        21 => KeyCode::PageDown,
        22 => KeyCode::Null,
        _ => KeyCode::Insert,
    }
}

fn event(bytes: &[u8]) -> KeyEvent {
    let kind = match bytes[3] % 3 {
        0 => KeyEventKind::Press,
        1 => KeyEventKind::Repeat,
        _ => KeyEventKind::Release,
    };
    KeyEvent {
        code: code(bytes[0], bytes[1]),
        modifiers: KeyModifiers::from_bits_truncate(bytes[2]),
        kind,
        state: KeyEventState::empty(),
    }
}

/// Parsed once: the dashboard, not the config parser, is under test here.
static PARSED: OnceLock<(Config, Keymap)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (config, defaults) = PARSED.get_or_init(|| {
        let config = parse(CONFIG).expect("the fuzz config is valid");
        (config, Keymap::default())
    });
    let config = config.clone();
    let mut now = Moment {
        instant: Instant::now(),
        wall: "2026-11-23T21:05:00+00:00".parse().expect("a time"),
    };
    let (mut app, _) = App::new(config, Journal::default(), None, false, now);
    for bytes in data.chunks_exact(4) {
        if bytes[0] == 0xff {
            now = now.after(Duration::from_secs(u64::from(bytes[1])));
            app.update(Msg::Tick, now);
            continue;
        }
        let key = event(bytes);
        // The pure keymap on its own, with the defaults and with the config's keys.
        let _ = defaults.action(key);
        let _ = app.keymap.action(key);
        let _ = keymap::input(key);
        // And as the dashboard's loop dispatches it.
        let msg = if app.takes_text() {
            keymap::input(key)
        } else {
            app.keymap.action(key).map(Msg::Key)
        };
        if let Some(msg) = msg {
            app.update(msg, now);
        }
        // The dashboard would exit here; the fuzzer goes on with the same state.
        app.quit = false;
    }
});
