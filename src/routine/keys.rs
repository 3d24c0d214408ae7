//! The config's `keys`: what the person can do in the dashboard (one `Action` per idea,
//! with its name in the config and on the command line, its default keys and its words
//! in the help and the footer), and the keys the config gives each action. Pure data:
//! the dashboard turns terminal key presses into these.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// The one table of actions: each line makes an `Action` variant with its name (in the
/// config's `keys`, and with `-` for `_` on the command line), its default keys and its
/// words in the help. `ALL`, `NAMES`, `name()`, serde, `default_keys()` and `help()`
/// all come from it, so a new action is one line here, and the compiler then asks for
/// it wherever an action is matched without a wildcard.
macro_rules! actions {
    ($($variant:ident = $name:literal, keys $keys:expr, help $help:literal;)*) => {
        /// What the person can do. The config's `keys`, the keymap, the help, the footer
        /// and `rollcoach ctl` are all derived from the table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Action {
            $($variant,)*
        }

        /// How many actions there are.
        const COUNT: usize = [$($name),*].len();

        impl Action {
            /// Every action, in the order the help lists them.
            pub const ALL: [Action; COUNT] = [$(Action::$variant),*];

            /// The names the config's `keys` uses, in the order of `ALL`.
            pub const NAMES: [&'static str; COUNT] = [$($name),*];

            /// The action's name in the config (`start_pause`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// The keys it has when the config gives it none. `l` is the vim-style next;
            /// `h` would be back, but it opens the history.
            pub fn default_keys(self) -> &'static [&'static str] {
                match self {
                    $(Action::$variant => $keys,)*
                }
            }

            /// What the help says it does.
            pub fn help(self) -> &'static str {
                match self {
                    $(Action::$variant => $help,)*
                }
            }
        }
    };
}

actions! {
    StartPause = "start_pause", keys &["Space"], help "start / pause";
    Next = "next", keys &["Enter", "n", "l"], help "finish the step now, move on";
    Skip = "skip", keys &["s"], help "skip the step";
    Back = "back", keys &["b"], help "back one step";
    Restart = "restart", keys &["r"], help "restart the step's time";
    AddTime = "add_time", keys &["+", "="], help "add 30 s";
    TakeTime = "take_time", keys &["-"], help "take 30 s";
    NextRoutine = "next_routine", keys &["Tab"], help "next routine";
    Again = "again", keys &["a"], help "run a done routine again (asks first)";
    History = "history", keys &["h"], help "history: calendar, streaks, sessions";
    Week = "week", keys &["w"], help "the nights ahead, after-care";
    ReplaceRoller = "replace_roller", keys &["R"], help "record a new roller (asks first)";
    Holds = "holds", keys &["H"], help "what holds rolling; clear a hold";
    Alongside = "alongside", keys &["A"], help "steps alongside: finish one early, ±30 s";
    Photos = "photos", keys &["p"], help "photos (from the history)";
    EarlierPhoto = "earlier_photo", keys &["Left"], help "photos: step back a photo";
    LaterPhoto = "later_photo", keys &["Right"], help "photos: step on a photo";
    LongerSpan = "longer_span", keys &["]"], help "photos: compare further back";
    ShorterSpan = "shorter_span", keys &["["], help "photos: compare less far back";
    Help = "help", keys &["?"], help "help";
    Notices = "notices", keys &["!"], help "notices: what needs seeing to";
    Close = "close", keys &["Esc"], help "close the overlay";
    Quit = "quit", keys DEFAULT_QUIT_KEYS, help "quit (a session in progress is kept)";
}

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl Action {
    /// The actions `rollcoach ctl` can send to a running dashboard: those that drive the
    /// session, not the screen.
    pub const SENDABLE: [Action; 7] = [
        Action::StartPause,
        Action::Next,
        Action::Skip,
        Action::Back,
        Action::Restart,
        Action::AddTime,
        Action::TakeTime,
    ];

    /// The action's name on the command line (`start-pause`).
    pub fn command_name(self) -> String {
        self.name().replace('_', "-")
    }

    /// The action a config name (`start_pause`) or command-line name (`start-pause`)
    /// stands for.
    pub fn from_name(name: &str) -> Option<Action> {
        let name = name.replace('-', "_");
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }

    /// Its word in the footer, if it has a place there (`running`: a countdown runs).
    /// Neighbours with the same word share one place ("+/- 30s").
    pub fn footer(self, running: bool) -> Option<&'static str> {
        Some(match self {
            Action::StartPause if running => "pause",
            Action::StartPause => "start",
            Action::Next => "done",
            Action::Skip => "skip",
            Action::Back => "back",
            Action::AddTime | Action::TakeTime => "30s",
            Action::Help => "help",
            Action::Quit => "quit",
            _ => return None,
        })
    }
}

impl Action {
    /// Its word in the footer under a session that is over (the routine done today):
    /// only what works there.
    pub fn footer_done(self) -> Option<&'static str> {
        Some(match self {
            Action::Again => "once more",
            Action::NextRoutine => "next routine",
            Action::History => "history",
            Action::Help => "help",
            Action::Quit => "quit",
            _ => return None,
        })
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = Action;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an action name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Action, E> {
                Action::from_name(v).ok_or_else(|| de::Error::unknown_field(v, &Action::NAMES))
            }
        }
        d.deserialize_identifier(Name)
    }
}

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

/// `keys:` in the config: the keys of each action it names, replacing that action's
/// default keys. Written like a struct, one field per action: `(next: ["Enter", "l"])`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys(pub BTreeMap<Action, Vec<KeyChord>>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("the keys of actions, e.g. (next: [\"Enter\"])")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = BTreeMap::new();
                while let Some(action) = map.next_key::<Action>()? {
                    if keys.contains_key(&action) {
                        return Err(de::Error::duplicate_field(action.name()));
                    }
                    keys.insert(action, map.next_value()?);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_struct("Keys", &Action::NAMES, Fields)
    }
}

/// The keys that quit when the config leaves `quit` out.
pub const DEFAULT_QUIT_KEYS: &[&str] = &["q", "Ctrl-c"];

impl Keys {
    /// The keys the config gives an action, if it names it.
    pub fn get(&self, action: Action) -> Option<&Vec<KeyChord>> {
        self.0.get(&action)
    }

    /// What is wrong with the keys: Ctrl-c given to another action (it always quits),
    /// or no key left that quits.
    pub fn problems(&self) -> Vec<String> {
        let ctrl_c = KeyChord {
            key: Key::Char('c'),
            ctrl: true,
        };
        let others: Vec<(Action, &KeyChord)> = self
            .0
            .iter()
            .filter(|(action, _)| **action != Action::Quit)
            .flat_map(|(action, keys)| keys.iter().map(move |k| (*action, k)))
            .collect();
        let mut problems: Vec<String> = others
            .iter()
            .filter(|(_, k)| **k == ctrl_c)
            .map(|(action, _)| {
                format!("`{action}` is given Ctrl-c, which always quits: give it another key")
            })
            .collect();
        let defaults: Vec<KeyChord> = DEFAULT_QUIT_KEYS
            .iter()
            .filter_map(|k| k.parse().ok())
            .collect();
        let quit = self.get(Action::Quit).unwrap_or(&defaults);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_per_action() {
        for (i, action) in Action::ALL.iter().enumerate() {
            assert_eq!(*action as usize, i, "ALL is in declaration order");
            assert_eq!(Action::from_name(action.name()), Some(*action));
            assert_eq!(
                serde_json::to_string(action).unwrap(),
                format!("\"{}\"", action.name())
            );
            for key in action.default_keys() {
                assert!(key.parse::<KeyChord>().is_ok(), "{action}: {key}");
            }
        }
        assert_eq!(Action::from_name("start-pause"), Some(Action::StartPause));
        assert_eq!(Action::from_name("jump"), None);
        // No two actions share a name or a default key.
        let mut names = Action::NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
        let mut keys: Vec<&str> = Action::ALL
            .iter()
            .flat_map(|a| a.default_keys())
            .copied()
            .collect();
        let all = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), all, "a default key bound twice");
    }

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
