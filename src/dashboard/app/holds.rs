//! Lasting check-in answers on the dashboard: journaled when given (rolling is held
//! until cleared, and retinoids too for pregnancy or breastfeeding), listed and cleared
//! with the `holds` key (docs/DOMAIN.md, "Answers that last").

use super::{App, Effect, InputKey, Overlay};
use crate::routine::actives::avoided_in_pregnancy;
use crate::routine::config::CheckinItem;
use crate::routine::journal::{HoldRecord, Record};
use crate::routine::plan::RETINOIDS_HELD_REASON;
use crate::session::Moment;

impl App {
    /// Journals a hold for each lasting question answered "yes" at the check-in of the
    /// run on screen; when one holds retinoids off, its retinoid steps are passed by.
    pub(super) fn hold_answers(&mut self, yes: &[CheckinItem], now: Moment) -> Vec<Effect> {
        let mut effects = Vec::new();
        for item in yes.iter().filter(|q| q.lasting) {
            let record = Record::RollHold(HoldRecord {
                ask: item.ask.clone(),
                day: self.run.day,
                at: now.wall,
                holds_retinoids: item.holds_retinoids,
            });
            effects.extend(self.journaled_only(record, now));
        }
        if yes.iter().any(|q| q.lasting && q.holds_retinoids)
            && let Some(routine) = self.config.routine(&self.run.routine)
        {
            let retinoids: Vec<String> = routine
                .steps
                .iter()
                .filter(|s| avoided_in_pregnancy(&s.actives))
                .map(|s| s.name.clone())
                .collect();
            self.run.skip_steps(&retinoids, RETINOIDS_HELD_REASON);
        }
        effects
    }

    /// The holds standing today, oldest first.
    pub fn holds(&self) -> Vec<&HoldRecord> {
        self.journal.holds(self.day)
    }

    /// Opens the list of holds, or says that nothing holds rolling.
    pub(super) fn ask_holds(&mut self) {
        if self.holds().is_empty() {
            self.message = Some("nothing holds rolling".into());
        } else {
            self.overlay = Some(Overlay::Holds);
        }
    }

    /// 1–9 clears that hold (the plan of the day follows at once); any other key closes
    /// the list.
    pub(super) fn holds_key(&mut self, key: InputKey, now: Moment) -> Vec<Effect> {
        let InputKey::Char(c @ '1'..='9') = key else {
            return Vec::new();
        };
        let index = c as usize - '1' as usize;
        let Some(ask) = self.holds().get(index).map(|h| h.ask.clone()) else {
            self.overlay = Some(Overlay::Holds);
            return Vec::new();
        };
        let record = Record::RollHoldCleared {
            ask: ask.clone(),
            day: self.day,
            at: now.wall,
        };
        let effects = self.journaled_only(record, now);
        self.refresh(now);
        self.message = Some(format!("hold cleared: {ask}"));
        if !self.holds().is_empty() {
            self.overlay = Some(Overlay::Holds);
        }
        effects
    }
}
