//! Key presses to actions: each action's default keys with the config's `keys` over
//! them (the table of actions is `routine::keys::Action`). Pure.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::messages::{InputKey, Msg};
use crate::routine::keys::{Action, Key, KeyChord, Keys};

/// The keys bound to each action.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<(KeyChord, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::new(&Keys::default())
    }
}

impl Keymap {
    /// The defaults with the config's keys over them: an action given keys in the config
    /// has only those, and a key the config gives to one action leaves the others.
    pub fn new(keys: &Keys) -> Keymap {
        let taken = |key: &KeyChord| keys.0.values().any(|keys| keys.contains(key));
        let mut bindings = Vec::new();
        for action in Action::ALL {
            match keys.get(action) {
                Some(keys) => bindings.extend(keys.iter().map(|k| (*k, action))),
                None => bindings.extend(
                    action
                        .default_keys()
                        .iter()
                        .map(|text| text.parse::<KeyChord>().expect("the defaults parse"))
                        .filter(|k| !taken(k))
                        .map(|k| (k, action)),
                ),
            }
        }
        Keymap { bindings }
    }

    /// The action bound to a key press, if any.
    pub fn action(&self, event: KeyEvent) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        self.bound(chord(event)?)
    }

    /// The action bound to a key, if any.
    pub fn bound(&self, chord: KeyChord) -> Option<Action> {
        // Ctrl-c always quits, whatever the config says.
        if chord.ctrl && chord.key == Key::Char('c') {
            return Some(Action::Quit);
        }
        self.bindings
            .iter()
            .find(|(k, _)| *k == chord)
            .map(|(_, a)| *a)
    }

    /// The first key of an action, as text.
    pub fn first(&self, action: Action) -> Option<String> {
        self.bindings
            .iter()
            .find(|(_, a)| *a == action)
            .map(|(k, _)| k.to_string())
    }

    /// The keys of an action, as text ("Enter/n/l"); empty when none is bound.
    pub fn label(&self, action: Action) -> String {
        let keys: Vec<String> = self
            .bindings
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(k, _)| k.to_string())
            .collect();
        keys.join("/")
    }
}

/// A key typed into a question or the note; Ctrl-C still quits.
pub fn input(event: KeyEvent) -> Option<Msg> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    if event.modifiers.contains(KeyModifiers::CONTROL) {
        return (event.code == KeyCode::Char('c')).then_some(Msg::Key(Action::Quit));
    }
    Some(Msg::Input(match event.code {
        KeyCode::Char(c) => InputKey::Char(c),
        KeyCode::Backspace => InputKey::Backspace,
        KeyCode::Enter => InputKey::Enter,
        KeyCode::Esc => InputKey::Esc,
        KeyCode::Up => InputKey::Up,
        KeyCode::Down => InputKey::Down,
        KeyCode::Left => InputKey::Left,
        KeyCode::Right => InputKey::Right,
        _ => return None,
    }))
}

/// A terminal key event as the config names keys; Shift is part of the character.
fn chord(event: KeyEvent) -> Option<KeyChord> {
    let key = match event.code {
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Esc => Key::Esc,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::F(n) => Key::F(n),
        _ => return None,
    };
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let key = match key {
        Key::Char(c) if ctrl => Key::Char(c.to_ascii_lowercase()),
        other => other,
    };
    Some(KeyChord { key, ctrl })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::config::parse;

    fn press(map: &Keymap, code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
        map.action(KeyEvent::new(code, modifiers))
    }

    fn char(map: &Keymap, c: char) -> Option<Action> {
        press(map, KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn ctrl_c_quits_whatever_the_keys_say() {
        let keys = Keys(
            [
                (Action::Skip, vec!["Ctrl-c".parse().unwrap()]),
                (Action::Quit, vec![]),
            ]
            .into(),
        );
        assert!(!keys.problems().is_empty(), "such keys do not load");
        let map = Keymap::new(&keys);
        assert_eq!(
            press(&map, KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Action::Quit)
        );
        assert_eq!(
            press(
                &map,
                KeyCode::Char('C'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            ),
            Some(Action::Quit)
        );
    }

    #[test]
    fn the_default_keys() {
        let map = Keymap::default();
        assert_eq!(char(&map, ' '), Some(Action::StartPause));
        assert_eq!(char(&map, 'n'), Some(Action::Next));
        assert_eq!(char(&map, 'l'), Some(Action::Next));
        assert_eq!(char(&map, 'h'), Some(Action::History));
        assert_eq!(char(&map, 'R'), Some(Action::ReplaceRoller));
        assert_eq!(
            press(&map, KeyCode::Enter, KeyModifiers::NONE),
            Some(Action::Next)
        );
        assert_eq!(
            press(&map, KeyCode::Tab, KeyModifiers::NONE),
            Some(Action::NextRoutine)
        );
        assert_eq!(
            press(&map, KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Action::Quit)
        );
        assert_eq!(
            press(&map, KeyCode::Char('+'), KeyModifiers::SHIFT),
            Some(Action::AddTime)
        );
        assert_eq!(char(&map, 'x'), None);
        assert_eq!(map.label(Action::Next), "Enter/n/l");
    }

    #[test]
    fn config_keys_replace_an_actions_keys_and_take_them_from_others() {
        let config = parse(
            r#"(keys: (start_pause: ["Space", "p"], skip: ["l"]),
                routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#,
        )
        .unwrap();
        let map = Keymap::new(&config.keys);
        assert_eq!(char(&map, 'p'), Some(Action::StartPause));
        assert_eq!(char(&map, 'l'), Some(Action::Skip));
        assert_eq!(char(&map, 's'), None);
        assert_eq!(map.label(Action::Next), "Enter/n");
        assert_eq!(map.label(Action::StartPause), "Space/p");
    }

    #[test]
    fn unknown_actions_and_keys_are_config_errors_with_their_position() {
        let bad_action = parse(
            "(keys: (\n  jump: [\"j\"]),\n routines: [(name: \"e\", steps: [(name: \"C\", kind: Cleanse, duration: \"1m\")])])",
        )
        .unwrap_err();
        let text = format!("{bad_action:?}");
        assert!(text.contains("line: 2") && text.contains("jump"), "{text}");
        let bad_key = parse(
            "(keys: (quit: [\"Hyper-q\"]),\n routines: [(name: \"e\", steps: [(name: \"C\", kind: Cleanse, duration: \"1m\")])])",
        )
        .unwrap_err();
        assert!(format!("{bad_key:?}").contains("unknown key \\\"Hyper-q\\\""));
    }
}
