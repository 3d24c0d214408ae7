//! Keys while the help is open: the arrows scroll it in a short pane, Esc or the help
//! key closes it, and any other key closes it and does what it is bound to.

use super::{Action, App, Effect, InputKey, Overlay};
use crate::routine::keys::{Key, KeyChord};
use crate::session::Moment;

impl App {
    pub(super) fn help_key(&mut self, scroll: u16, key: InputKey, now: Moment) -> Vec<Effect> {
        // The view keeps the last line at the bottom; the smallest pane (12 rows) shows
        // ten lines, so no scroll further than that is ever needed.
        let last = (Action::ALL.len() as u16).saturating_sub(10);
        let scroll = match key {
            InputKey::Up => scroll.saturating_sub(1),
            InputKey::Down => (scroll + 1).min(last),
            InputKey::Esc => return Vec::new(),
            InputKey::Char(c) => {
                let chord = KeyChord {
                    key: Key::Char(c),
                    ctrl: false,
                };
                return match self.keymap.bound(chord) {
                    Some(Action::Help) | None => Vec::new(),
                    Some(action) => self.act(action, now),
                };
            }
            InputKey::Enter | InputKey::Backspace | InputKey::Left | InputKey::Right => scroll,
        };
        self.overlay = Some(Overlay::Help { scroll });
        Vec::new()
    }
}
