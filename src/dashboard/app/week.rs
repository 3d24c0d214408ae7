//! The nights ahead on the dashboard: opened on `w`, the same plans as `rollcoach
//! plan`, a cursor moved with the arrow keys.

use super::*;
use crate::session::ahead::{nights, rows};

/// Days the view plans; a pane shows as many as fit.
pub const WEEK_DAYS: u32 = 28;

impl App {
    /// `w`: opens the nights ahead from the day shown, or closes them.
    pub(super) fn open_week(&mut self, now: Moment) {
        if matches!(self.overlay, Some(Overlay::Week(_))) {
            self.overlay = None;
            return;
        }
        self.week = nights(&self.config, &self.journal, self.day, WEEK_DAYS, &now.wall);
        self.overlay = Some(Overlay::Week(WeekCursor::default()));
    }

    /// A key while the view is open: the arrows move the cursor, Esc or `w` closes, a
    /// key bound to another action does it.
    pub(super) fn week_key(
        &mut self,
        mut at: WeekCursor,
        key: InputKey,
        now: Moment,
    ) -> Vec<Effect> {
        let last_row = rows(&self.config, &self.week).len().saturating_sub(1);
        let last_day = self.week.len().saturating_sub(1);
        match key {
            InputKey::Left => at.day = at.day.saturating_sub(1),
            InputKey::Right => at.day = (at.day + 1).min(last_day),
            InputKey::Up => at.row = at.row.saturating_sub(1),
            InputKey::Down => at.row = (at.row + 1).min(last_row),
            InputKey::Esc | InputKey::Char('w') => {
                self.overlay = None;
                return Vec::new();
            }
            InputKey::Char(c) => {
                self.overlay = None;
                let key = crate::routine::keys::KeyChord {
                    key: crate::routine::keys::Key::Char(c),
                    ctrl: false,
                };
                return match self.keymap.bound(key) {
                    Some(action) => self.act(action, now),
                    None => Vec::new(),
                };
            }
            InputKey::Enter | InputKey::Backspace => {}
        }
        self.overlay = Some(Overlay::Week(at));
        Vec::new()
    }

    /// Keys go to the open overlay as typed (a question, the note, the nights ahead),
    /// not to the actions they are bound to.
    pub fn wants_keys(&self) -> bool {
        self.takes_text() || matches!(self.overlay, Some(Overlay::Week(_) | Overlay::Help { .. }))
    }
}
