//! The config's `keys` and `theme`: how the dashboard answers and looks.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A key as the config writes it: "Space", "Enter", "Tab", "Esc", "Up", "F5", "q",
/// "Ctrl-c".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    /// The key itself.
    pub key: Key,
    /// Held with Ctrl.
    pub ctrl: bool,
}

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Enter,
    Tab,
    BackTab,
    Esc,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

const NAMED: &[(&str, Key)] = &[
    ("space", Key::Char(' ')),
    ("enter", Key::Enter),
    ("return", Key::Enter),
    ("tab", Key::Tab),
    ("backtab", Key::BackTab),
    ("esc", Key::Esc),
    ("escape", Key::Esc),
    ("backspace", Key::Backspace),
    ("delete", Key::Delete),
    ("up", Key::Up),
    ("down", Key::Down),
    ("left", Key::Left),
    ("right", Key::Right),
    ("home", Key::Home),
    ("end", Key::End),
    ("pageup", Key::PageUp),
    ("pagedown", Key::PageDown),
];

impl std::str::FromStr for KeyChord {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let lower = text.to_ascii_lowercase();
        let (ctrl, rest) = match ["ctrl-", "ctrl+", "c-"]
            .iter()
            .find(|p| lower.starts_with(**p))
        {
            Some(prefix) => (true, &text[prefix.len()..]),
            None => (false, text),
        };
        let name = rest.to_ascii_lowercase();
        let mut chars = rest.chars();
        let key = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                Key::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => match NAMED.iter().find(|(n, _)| *n == name) {
                Some((_, key)) => *key,
                None => match name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) if (1..=12).contains(&n) => Key::F(n),
                    _ => {
                        return Err(format!(
                            "unknown key {text:?}: write a character (\"q\"), a name (Space, Enter, \
                             Tab, Esc, Backspace, Up, Down, Left, Right, Home, End, PageUp, PageDown, \
                             F1..F12) or Ctrl-x"
                        ));
                    }
                },
            },
        };
        Ok(KeyChord { key, ctrl })
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        match self.key {
            Key::Char(' ') => f.write_str("Space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

impl<'de> Deserialize<'de> for KeyChord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `keys:` in the config: the keys of each action, replacing its default keys.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    pub start_pause: Option<Vec<KeyChord>>,
    pub next: Option<Vec<KeyChord>>,
    pub skip: Option<Vec<KeyChord>>,
    pub back: Option<Vec<KeyChord>>,
    pub restart: Option<Vec<KeyChord>>,
    pub add_time: Option<Vec<KeyChord>>,
    pub take_time: Option<Vec<KeyChord>>,
    pub next_routine: Option<Vec<KeyChord>>,
    pub history: Option<Vec<KeyChord>>,
    pub replace_roller: Option<Vec<KeyChord>>,
    pub help: Option<Vec<KeyChord>>,
    pub notices: Option<Vec<KeyChord>>,
    pub close: Option<Vec<KeyChord>>,
    pub quit: Option<Vec<KeyChord>>,
}

/// The keys that quit when the config leaves `quit` out.
pub const DEFAULT_QUIT_KEYS: &[&str] = &["q", "Ctrl-c"];

impl Keys {
    /// Every action's configured keys, by the config's names.
    fn configured(&self) -> [(&'static str, &Option<Vec<KeyChord>>); 14] {
        [
            ("start_pause", &self.start_pause),
            ("next", &self.next),
            ("skip", &self.skip),
            ("back", &self.back),
            ("restart", &self.restart),
            ("add_time", &self.add_time),
            ("take_time", &self.take_time),
            ("next_routine", &self.next_routine),
            ("history", &self.history),
            ("replace_roller", &self.replace_roller),
            ("help", &self.help),
            ("notices", &self.notices),
            ("close", &self.close),
            ("quit", &self.quit),
        ]
    }

    /// What is wrong with the keys: Ctrl-c given to another action (it always quits),
    /// or no key left that quits.
    pub fn problems(&self) -> Vec<String> {
        let ctrl_c = KeyChord {
            key: Key::Char('c'),
            ctrl: true,
        };
        let others: Vec<(&str, &KeyChord)> = self
            .configured()
            .into_iter()
            .filter(|(name, _)| *name != "quit")
            .filter_map(|(name, keys)| keys.as_ref().map(|k| (name, k)))
            .flat_map(|(name, keys)| keys.iter().map(move |k| (name, k)))
            .collect();
        let mut problems: Vec<String> = others
            .iter()
            .filter(|(_, k)| **k == ctrl_c)
            .map(|(name, _)| {
                format!("`{name}` is given Ctrl-c, which always quits: give it another key")
            })
            .collect();
        let defaults: Vec<KeyChord> = DEFAULT_QUIT_KEYS
            .iter()
            .filter_map(|k| k.parse().ok())
            .collect();
        let quit = self.quit.as_ref().unwrap_or(&defaults);
        let free = quit.iter().any(|k| others.iter().all(|(_, o)| *o != k));
        if !free && problems.is_empty() {
            problems.push(
                "no key is left to quit: give `quit` a key no other action has, \
                 e.g. `quit: [\"q\"]` (Ctrl-c always quits too)"
                    .into(),
            );
        }
        problems
    }
}

/// A built-in palette.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Palette {
    /// For dark terminals.
    #[default]
    Default,
    /// For light terminals.
    Light,
    /// Strong contrast, bold marks.
    HighContrast,
}

/// A colour: a name ("cyan", "light_blue"), an index ("42") or "#rrggbb".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub ratatui::style::Color);

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map(Colour).map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown colour {text:?}: write a name (\"cyan\", \"light_blue\"), \
                 an index (\"42\") or \"#rrggbb\""
            ))
        })
    }
}

/// `theme:` in the config: a palette, and colours by role over it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Theme {
    pub palette: Palette,
    pub accent: Option<Colour>,
    pub done: Option<Colour>,
    pub pending: Option<Colour>,
    pub off: Option<Colour>,
    pub warning: Option<Colour>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print_back() {
        for (text, shown) in [
            ("Space", "Space"),
            ("enter", "Enter"),
            ("q", "q"),
            ("Ctrl-c", "Ctrl-c"),
            ("C-X", "Ctrl-x"),
            ("F5", "F5"),
            ("+", "+"),
        ] {
            let key: KeyChord = text.parse().unwrap();
            assert_eq!(key.to_string(), shown, "{text}");
        }
        assert!(
            "Hyper-q"
                .parse::<KeyChord>()
                .unwrap_err()
                .contains("unknown key")
        );
        assert!("F13".parse::<KeyChord>().is_err());
    }
}
