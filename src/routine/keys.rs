//! The config's `keys`: what the person can do in the dashboard (one `Action` per idea,
//! with its name in the config and on the command line, its default keys and its words
//! in the help and the footer), and the keys the config gives each action. Pure data:
//! the dashboard turns terminal key presses into these.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// What the person can do. The one table of actions: the config's `keys`, the keymap,
/// the help, the footer and `rollcoach ctl` are all derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    StartPause,
    Next,
    Skip,
    Back,
    Restart,
    AddTime,
    TakeTime,
    NextRoutine,
    Again,
    History,
    Week,
    ReplaceRoller,
    Holds,
    Alongside,
    Photos,
    EarlierPhoto,
    LaterPhoto,
    LongerSpan,
    ShorterSpan,
    Help,
    Notices,
    Close,
    Quit,
}

impl Action {
    /// Every action, in the order the help lists them.
    pub const ALL: [Action; 23] = [
        Action::StartPause,
        Action::Next,
        Action::Skip,
        Action::Back,
        Action::Restart,
        Action::AddTime,
        Action::TakeTime,
        Action::NextRoutine,
        Action::Again,
        Action::History,
        Action::Week,
        Action::ReplaceRoller,
        Action::Holds,
        Action::Alongside,
        Action::Photos,
        Action::EarlierPhoto,
        Action::LaterPhoto,
        Action::LongerSpan,
        Action::ShorterSpan,
        Action::Help,
        Action::Notices,
        Action::Close,
        Action::Quit,
    ];

    /// The names the config's `keys` uses, in the order of `ALL`.
    pub const NAMES: [&'static str; 23] = [
        "start_pause",
        "next",
        "skip",
        "back",
        "restart",
        "add_time",
        "take_time",
        "next_routine",
        "again",
        "history",
        "week",
        "replace_roller",
        "holds",
        "alongside",
        "photos",
        "earlier_photo",
        "later_photo",
        "longer_span",
        "shorter_span",
        "help",
        "notices",
        "close",
        "quit",
    ];

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

    /// The action's name in the config (`start_pause`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
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

    /// The keys it has when the config gives it none. `l` is the vim-style next; `h`
    /// would be back, but it opens the history.
    pub fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::StartPause => &["Space"],
            Action::Next => &["Enter", "n", "l"],
            Action::Skip => &["s"],
            Action::Back => &["b"],
            Action::Restart => &["r"],
            Action::AddTime => &["+", "="],
            Action::TakeTime => &["-"],
            Action::NextRoutine => &["Tab"],
            Action::Again => &["a"],
            Action::History => &["h"],
            Action::Week => &["w"],
            Action::ReplaceRoller => &["R"],
            Action::Holds => &["H"],
            Action::Alongside => &["A"],
            Action::Photos => &["p"],
            Action::EarlierPhoto => &["Left"],
            Action::LaterPhoto => &["Right"],
            Action::LongerSpan => &["]"],
            Action::ShorterSpan => &["["],
            Action::Help => &["?"],
            Action::Notices => &["!"],
            Action::Close => &["Esc"],
            Action::Quit => DEFAULT_QUIT_KEYS,
        }
    }

    /// What the help says it does.
    pub fn help(self) -> &'static str {
        match self {
            Action::StartPause => "start / pause",
            Action::Next => "finish the step now, move on",
            Action::Skip => "skip the step",
            Action::Back => "back one step",
            Action::Restart => "restart the step's time",
            Action::AddTime => "add 30 s",
            Action::TakeTime => "take 30 s",
            Action::NextRoutine => "next routine",
            Action::Again => "run a done routine again (asks first)",
            Action::History => "history: calendar, streaks, sessions",
            Action::Week => "the nights ahead, after-care",
            Action::ReplaceRoller => "record a new roller (asks first)",
            Action::Holds => "what holds rolling; clear a hold",
            Action::Alongside => "steps alongside: finish one early, ±30 s",
            Action::Photos => "photos (from the history)",
            Action::EarlierPhoto => "photos: step back a photo",
            Action::LaterPhoto => "photos: step on a photo",
            Action::LongerSpan => "photos: compare further back",
            Action::ShorterSpan => "photos: compare less far back",
            Action::Help => "help",
            Action::Notices => "notices: what needs seeing to",
            Action::Close => "close the overlay",
            Action::Quit => "quit (a session in progress is kept)",
        }
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
