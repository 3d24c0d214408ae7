//! Keys to actions: a table, pure.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::Action;

/// Every key, its action, and the words the help overlay uses.
pub const KEYS: &[(&str, Action, &str)] = &[
    ("Space", Action::StartPause, "start / pause"),
    ("Enter n", Action::Finish, "finish the step now, move on"),
    ("s", Action::Skip, "skip the step"),
    ("b", Action::Back, "back one step"),
    ("r", Action::Restart, "restart the step's time"),
    ("+", Action::AddTime, "add 30 s"),
    ("-", Action::TakeTime, "take 30 s"),
    ("Tab", Action::NextRoutine, "next routine"),
    ("?", Action::Help, "help"),
    ("Esc", Action::Close, "close the overlay"),
    (
        "q Ctrl-C",
        Action::Quit,
        "quit (a session in progress is kept)",
    ),
];

/// The action bound to a key press, if any.
pub fn action(key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c')).then_some(Action::Quit);
    }
    Some(match key.code {
        KeyCode::Char(' ') => Action::StartPause,
        KeyCode::Enter | KeyCode::Char('n') => Action::Finish,
        KeyCode::Char('s') => Action::Skip,
        KeyCode::Char('b') => Action::Back,
        KeyCode::Char('r') => Action::Restart,
        KeyCode::Char('+') | KeyCode::Char('=') => Action::AddTime,
        KeyCode::Char('-') => Action::TakeTime,
        KeyCode::Tab => Action::NextRoutine,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Esc => Action::Close,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_keys_of_the_help_are_the_keys_bound() {
        let press = |c| action(key(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(press(' '), Some(Action::StartPause));
        assert_eq!(press('n'), Some(Action::Finish));
        assert_eq!(
            action(key(KeyCode::Enter, KeyModifiers::NONE)),
            Some(Action::Finish)
        );
        assert_eq!(press('+'), Some(Action::AddTime));
        assert_eq!(press('-'), Some(Action::TakeTime));
        assert_eq!(
            action(key(KeyCode::Tab, KeyModifiers::NONE)),
            Some(Action::NextRoutine)
        );
        assert_eq!(
            action(key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(press('x'), None);
        for (_, bound, _) in KEYS {
            assert!(
                [' ', 'n', 's', 'b', 'r', '+', '-', '?', 'q']
                    .iter()
                    .any(|c| press(*c) == Some(*bound))
                    || [KeyCode::Tab, KeyCode::Esc]
                        .iter()
                        .any(|k| action(key(*k, KeyModifiers::NONE)) == Some(*bound)),
                "{bound:?} has no key"
            );
        }
    }
}
