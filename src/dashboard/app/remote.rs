//! Actions sent from outside the pane (`rollcoach ctl`): carried out as their key would
//! be, through the same `update`, or refused with a line that says why.

use super::*;

impl App {
    /// Carries out an action sent by `rollcoach ctl` as its key would: the effects, and
    /// whether it was taken (Err: why not, in one line).
    pub fn sent(&mut self, action: Action, now: Moment) -> (Vec<Effect>, Result<(), String>) {
        if !Action::SENDABLE.contains(&action) {
            return (
                Vec::new(),
                Err(format!("`{}` cannot be sent", action.command_name())),
            );
        }
        if self.read_only {
            return (Vec::new(), Err("this dashboard is read-only".into()));
        }
        if self.takes_text() {
            return (
                Vec::new(),
                Err("a question is open on the dashboard: answer it there".into()),
            );
        }
        let before = self.run.clone();
        let effects = self.update(Msg::Key(action), now);
        // Taken when the run moved, even if a question opened after it (the check-in
        // before a Roll step the action led to).
        let taken = if self.run != before {
            Ok(())
        } else if let Some(Overlay::ConfirmRoll { rolled, length }) = &self.overlay {
            Err(format!(
                "the roll ran {} of {}: say on the dashboard whether it counts (y/n)",
                crate::routine::words::clock(rolled.as_secs()),
                crate::routine::words::clock(length.as_secs())
            ))
        } else if self.takes_text() {
            Err(
                "the check-in comes first: answer it on the dashboard, and the action follows"
                    .into(),
            )
        } else {
            Err(format!("`{}` changes nothing now", action.command_name()))
        };
        (effects, taken)
    }
}
