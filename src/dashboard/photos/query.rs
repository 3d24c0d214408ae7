//! Which graphics the terminal draws (kitty, sixel; else half blocks), asked without
//! holding up the dashboard: the input thread writes the question once the loop runs,
//! reads the answer for at most `ANSWER_WAIT`, and hands on as key presses whatever else
//! arrived meanwhile, so a key typed while the terminal thinks is kept, not eaten. A
//! terminal that never answers costs the photo view half blocks, nothing else.

use std::io::{self, IsTerminal as _, Read as _};
use std::os::fd::AsFd as _;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui_image::FontSize;
use ratatui_image::picker::cap_parser::{Parser, QueryStdioOptions, Response};
use ratatui_image::picker::{Picker, ProtocolType};

/// How long the terminal has to answer before half blocks are used. A terminal answers
/// in a few milliseconds, over ssh in a round trip; keys typed meanwhile are handed on
/// as they come, so a long wait costs nothing but a late answer's graphics.
pub const ANSWER_WAIT: Duration = Duration::from_secs(1);

/// What was read while the answer was awaited, split into the terminal's answers and
/// the key presses among them.
#[derive(Debug, Default, PartialEq)]
pub struct Split {
    /// The answers, in the order they came.
    pub answers: Vec<Response>,
    /// Keys typed meanwhile, as crossterm would have read them.
    pub keys: Vec<Event>,
    /// The terminal's last answer came (the status report the question ends with).
    pub done: bool,
}

/// Asks the terminal on stdin/stdout: `write` puts the question out (under the lock the
/// frames are drawn under), then the answer is read from stdin for at most `wait`, each
/// key read meanwhile handed to `key` at once. The picker the answer makes. Nothing is
/// asked when stdin is not a terminal (half blocks then).
pub fn ask(
    write: impl FnOnce(&[u8]) -> io::Result<()>,
    wait: Duration,
    key: &mut dyn FnMut(Event),
) -> Picker {
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        return Picker::halfblocks();
    }
    // Read through a descriptor of its own: std's stdin would buffer what crossterm
    // reads next.
    let Ok(mut tty) = stdin.as_fd().try_clone_to_owned().map(std::fs::File::from) else {
        return Picker::halfblocks();
    };
    if write(question().as_bytes()).is_err() {
        return Picker::halfblocks();
    }
    let deadline = Instant::now() + wait;
    let mut read = Vec::new();
    let mut handed = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || !crate::os::sys::wait_readable(tty.as_fd(), left) {
            break;
        }
        let mut chunk = [0u8; 256];
        match tty.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => read.extend_from_slice(&chunk[..n]),
        }
        // What is read is split again whole each time (a few bytes): the keys before an
        // unfinished piece are the same each time.
        let split = split(&read, false);
        split.keys[handed..].iter().cloned().for_each(&mut *key);
        handed = split.keys.len();
        if split.done {
            break;
        }
    }
    let split = split(&read, true);
    split.keys[handed.min(split.keys.len())..]
        .iter()
        .cloned()
        .for_each(&mut *key);
    // A resize meanwhile was not seen (crossterm watches for it once it reads): the
    // size is looked at again.
    if let Ok((width, height)) = ratatui::crossterm::terminal::size() {
        key(Event::Resize(width, height));
    }
    picker(&split.answers, window_font())
}

/// The question: kitty graphics, the device attributes (sixel), the cell size in
/// pixels, and a status report every terminal answers last. A terminal whose kitty or
/// sixel drawing is known to be wrong (WezTerm, Konsole) is not asked about them.
pub fn question() -> String {
    let mut options = QueryStdioOptions::default();
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("WEZTERM_EXECUTABLE") || set("KONSOLE_VERSION") {
        options.blacklist_protocols = vec![ProtocolType::Kitty, ProtocolType::Sixel];
    }
    Parser::query(false, options)
}

/// The picker for the answers: its protocol (kitty before sixel) and the font size the
/// terminal gave (else `window`, the size from the terminal's pixel dimensions); half
/// blocks when no font size is known.
pub fn picker(answers: &[Response], window: Option<FontSize>) -> Picker {
    let font = answers
        .iter()
        .find_map(|a| match a {
            Response::CellSize(Some((w, h))) => Some(FontSize::new(*w, *h)),
            _ => None,
        })
        .or(window);
    let Some(font) = font else {
        return Picker::halfblocks();
    };
    // Deprecated for asking stdio itself, which is what this module does without
    // blocking.
    #[allow(deprecated)]
    let mut picker = Picker::from_fontsize(font);
    if answers.contains(&Response::Kitty) {
        picker.set_protocol_type(ProtocolType::Kitty);
    } else if answers.contains(&Response::Sixel) {
        picker.set_protocol_type(ProtocolType::Sixel);
    }
    picker
}

/// The cell size from the terminal's size in pixels, when it says.
fn window_font() -> Option<FontSize> {
    let size = ratatui::crossterm::terminal::window_size().ok()?;
    (size.width > 0 && size.height > 0 && size.columns > 0 && size.rows > 0)
        .then(|| FontSize::new(size.width / size.columns, size.height / size.rows))
}

/// Splits what was read into answers and keys. With `end`, what is left unfinished is
/// read as it stands (a lone Esc is the Esc key); without, it waits for more.
pub fn split(bytes: &[u8], end: bool) -> Split {
    let mut out = Split::default();
    let mut parser = Parser::new();
    let mut i = 0;
    while i < bytes.len() {
        let piece = if bytes[i] == 0x1b {
            escape(&bytes[i..])
        } else {
            plain(&bytes[i..])
        };
        match piece {
            Piece::Incomplete => {
                if end && bytes.len() - i == 1 && bytes[i] == 0x1b {
                    out.keys.push(key(KeyCode::Esc, KeyModifiers::NONE));
                }
                break;
            }
            Piece::Answer(len) => {
                for &b in &bytes[i..i + len] {
                    for answer in parser.push(char::from(b)) {
                        if answer == Response::Status {
                            out.done = true;
                        } else {
                            out.answers.push(answer);
                        }
                    }
                }
                i += len;
            }
            Piece::Key(event, len) => {
                out.keys.push(Event::Key(event));
                i += len;
            }
            Piece::Other(len) => i += len,
        }
    }
    out
}

/// One piece of the input.
#[derive(Debug, PartialEq)]
enum Piece {
    /// Cut short: more is to come.
    Incomplete,
    /// An answer of the terminal, this many bytes long.
    Answer(usize),
    /// A key press, this many bytes long.
    Key(KeyEvent, usize),
    /// Neither (a sequence no key makes), this many bytes long.
    Other(usize),
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

/// A piece starting with Esc.
fn escape(s: &[u8]) -> Piece {
    let Some(&kind) = s.get(1) else {
        return Piece::Incomplete;
    };
    match kind {
        // APC (kitty's answer), ended by ST.
        b'_' => s
            .windows(2)
            .position(|w| w == b"\x1b\\")
            .filter(|&at| at >= 2)
            .map_or(Piece::Incomplete, |at| Piece::Answer(at + 2)),
        // OSC, ended by BEL or ST.
        b']' => (2..s.len())
            .find_map(|at| match s[at] {
                0x07 => Some(Piece::Answer(at + 1)),
                0x1b if s.get(at + 1) == Some(&b'\\') => Some(Piece::Answer(at + 2)),
                _ => None,
            })
            .unwrap_or(Piece::Incomplete),
        b'[' => csi(s),
        b'O' => match s.get(2) {
            None => Piece::Incomplete,
            Some(&c) => {
                let code = match c {
                    b'A' => KeyCode::Up,
                    b'B' => KeyCode::Down,
                    b'C' => KeyCode::Right,
                    b'D' => KeyCode::Left,
                    b'H' => KeyCode::Home,
                    b'F' => KeyCode::End,
                    b'P'..=b'S' => KeyCode::F(1 + c - b'P'),
                    _ => return Piece::Other(3),
                };
                Piece::Key(KeyEvent::new(code, KeyModifiers::NONE), 3)
            }
        },
        0x1b => Piece::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), 1),
        // Alt and a key.
        _ => match plain(&s[1..]) {
            Piece::Key(mut event, len) => {
                event.modifiers |= KeyModifiers::ALT;
                Piece::Key(event, len + 1)
            }
            Piece::Incomplete => Piece::Incomplete,
            Piece::Answer(len) | Piece::Other(len) => Piece::Other(len + 1),
        },
    }
}

/// A CSI sequence: an answer (device attributes, cell size, status) or a key.
fn csi(s: &[u8]) -> Piece {
    let Some(end) = s[2..].iter().position(|b| !(0x20..=0x3f).contains(b)) else {
        return Piece::Incomplete;
    };
    let end = end + 2;
    let last = s[end];
    if !(0x40..=0x7e).contains(&last) {
        // Broken off (an Esc mid-sequence): what came so far is dropped.
        return Piece::Other(end);
    }
    let len = end + 1;
    let params = &s[2..end];
    if (last == b'c' && params.starts_with(b"?"))
        || last == b't'
        || (last == b'n' && params == b"0")
    {
        return Piece::Answer(len);
    }
    let numbers: Vec<u8> = params
        .split(|&b| b == b';')
        .map(|n| {
            std::str::from_utf8(n)
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        })
        .collect();
    let modifiers = match numbers.get(1) {
        Some(&m) if m > 1 => {
            let bits = m - 1;
            let mut mods = KeyModifiers::NONE;
            for (bit, modifier) in [
                (1, KeyModifiers::SHIFT),
                (2, KeyModifiers::ALT),
                (4, KeyModifiers::CONTROL),
            ] {
                if bits & bit != 0 {
                    mods |= modifier;
                }
            }
            mods
        }
        _ => KeyModifiers::NONE,
    };
    let code = match (last, numbers.first().copied().unwrap_or(0)) {
        (b'A', _) => KeyCode::Up,
        (b'B', _) => KeyCode::Down,
        (b'C', _) => KeyCode::Right,
        (b'D', _) => KeyCode::Left,
        (b'H', _) | (b'~', 1 | 7) => KeyCode::Home,
        (b'F', _) | (b'~', 4 | 8) => KeyCode::End,
        (b'Z', _) => return Piece::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT), len),
        (b'~', 2) => KeyCode::Insert,
        (b'~', 3) => KeyCode::Delete,
        (b'~', 5) => KeyCode::PageUp,
        (b'~', 6) => KeyCode::PageDown,
        (b'~', n @ 11..=15) => KeyCode::F(n - 10),
        (b'~', n @ 17..=21) => KeyCode::F(n - 11),
        (b'~', n @ 23..=24) => KeyCode::F(n - 12),
        _ => return Piece::Other(len),
    };
    Piece::Key(KeyEvent::new(code, modifiers), len)
}

/// A piece not starting with Esc: a control key or one character, as crossterm reads
/// them in raw mode.
fn plain(s: &[u8]) -> Piece {
    let (code, modifiers) = match s[0] {
        b'\r' => (KeyCode::Enter, KeyModifiers::NONE),
        b'\t' => (KeyCode::Tab, KeyModifiers::NONE),
        0x7f => (KeyCode::Backspace, KeyModifiers::NONE),
        c @ 0x01..=0x1a => (KeyCode::Char((c - 1 + b'a') as char), KeyModifiers::CONTROL),
        c @ 0x1c..=0x1f => (
            KeyCode::Char((c - 0x1c + b'4') as char),
            KeyModifiers::CONTROL,
        ),
        0 => (KeyCode::Char(' '), KeyModifiers::CONTROL),
        first => {
            let len = match first {
                0x00..=0x7f => 1,
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => return Piece::Other(1),
            };
            let Some(bytes) = s.get(..len) else {
                return Piece::Incomplete;
            };
            let Some(c) = std::str::from_utf8(bytes)
                .ok()
                .and_then(|t| t.chars().next())
            else {
                return Piece::Other(1);
            };
            let modifiers = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            return Piece::Key(KeyEvent::new(KeyCode::Char(c), modifiers), len);
        }
    };
    Piece::Key(KeyEvent::new(code, modifiers), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &[u8]) -> Vec<Event> {
        split(text, true).keys
    }

    fn press(c: char) -> Event {
        let shift = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        key(KeyCode::Char(c), shift)
    }

    #[test]
    fn a_sixel_terminals_answer_is_read_and_keys_among_it_are_kept() {
        let read = b"q\x1b[?62;4;22c\x1b[6;20;10tH\x1b[0nj";
        let split = split(read, false);
        assert!(split.done);
        assert_eq!(
            split.answers,
            vec![Response::Sixel, Response::CellSize(Some((10, 20)))]
        );
        assert_eq!(split.keys, vec![press('q'), press('H'), press('j')]);
        let picker = picker(&split.answers, None);
        assert_eq!(picker.protocol_type(), ProtocolType::Sixel);
        let font = picker.font_size();
        assert_eq!((font.width, font.height), (10, 20));
    }

    #[test]
    fn kittys_answer_comes_before_sixel() {
        let split = split(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;4c\x1b[6;18;9t\x1b[0n", false);
        assert!(split.done && split.keys.is_empty());
        assert_eq!(
            picker(&split.answers, None).protocol_type(),
            ProtocolType::Kitty
        );
        // A refusal is no kitty.
        let refused = split_of(b"\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\\x1b[?62c\x1b[0n");
        assert_eq!(
            picker(&refused, Some(FontSize::new(8, 16))).protocol_type(),
            ProtocolType::Halfblocks
        );
    }

    fn split_of(read: &[u8]) -> Vec<Response> {
        split(read, true).answers
    }

    #[test]
    fn no_answer_is_half_blocks_with_no_key_lost() {
        let split = split(b"q", false);
        assert!(!split.done);
        assert_eq!(split.keys, vec![press('q')]);
        assert_eq!(
            picker(&split.answers, None).protocol_type(),
            ProtocolType::Halfblocks
        );
        // A cell size known from the window alone still draws half blocks.
        assert_eq!(
            picker(&[], Some(FontSize::new(9, 18))).protocol_type(),
            ProtocolType::Halfblocks
        );
    }

    #[test]
    fn keys_read_as_crossterm_reads_them() {
        assert_eq!(
            keys(b"\r\t\x7f\x03\x1b[A\x1bOB\x1b[3~\x1b[1;5C\x1b[Z\x1bx\xc3\xa9 "),
            vec![
                key(KeyCode::Enter, KeyModifiers::NONE),
                key(KeyCode::Tab, KeyModifiers::NONE),
                key(KeyCode::Backspace, KeyModifiers::NONE),
                key(KeyCode::Char('c'), KeyModifiers::CONTROL),
                key(KeyCode::Up, KeyModifiers::NONE),
                key(KeyCode::Down, KeyModifiers::NONE),
                key(KeyCode::Delete, KeyModifiers::NONE),
                key(KeyCode::Right, KeyModifiers::CONTROL),
                key(KeyCode::BackTab, KeyModifiers::SHIFT),
                key(KeyCode::Char('x'), KeyModifiers::ALT),
                press('é'),
                press(' '),
            ]
        );
        // A lone Esc at the end is the Esc key; mid-read it waits for more.
        assert_eq!(keys(b"\x1b"), vec![key(KeyCode::Esc, KeyModifiers::NONE)]);
        assert!(split(b"\x1b", false).keys.is_empty());
    }

    #[test]
    fn an_answer_cut_between_reads_waits_for_the_rest() {
        let first = split(b"\x1b[?62;4", false);
        assert!(first.answers.is_empty() && first.keys.is_empty() && !first.done);
        let whole = split(b"\x1b[?62;4c\x1b[0", false);
        assert_eq!(whole.answers, vec![Response::Sixel]);
        assert!(!whole.done);
    }

    /// Bytes mostly of the kind answers are made of.
    fn input() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            proptest::sample::select(b"\x1b[?;_\\0123456789cntGOA~]\x07".to_vec()),
            any::<u8>(),
        ];
        proptest::collection::vec(piece, 0..48)
    }

    proptest::proptest! {
        /// Whatever is read splits without a panic, and the keys found as bytes come
        /// in are never taken back: those handed on early stay the first ones.
        #[test]
        fn keys_handed_on_early_stay_the_same(bytes in input(), cut in 0usize..48) {
            let whole = split(&bytes, true);
            let cut = cut.min(bytes.len());
            let early = split(&bytes[..cut], false);
            proptest::prop_assert!(whole.keys.len() >= early.keys.len());
            proptest::prop_assert_eq!(&whole.keys[..early.keys.len()], &early.keys[..]);
        }
    }
}
