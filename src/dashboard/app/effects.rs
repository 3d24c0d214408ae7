//! Run events turned into effects: what reaches the person, a save at a step change,
//! the journal record at the end; and the effects of one moment tidied (one bell, one
//! spoken line).

use super::*;

impl App {
    /// Turns run events into effects: what reaches the person, a save at a step change,
    /// the journal record at the end.
    pub(super) fn after(&mut self, events: Vec<Event>, now: Moment) -> Vec<Effect> {
        let mut effects = Vec::new();
        let mut step_changed = false;
        for event in events {
            // Zones advance by themselves; the bell tells busy hands (bell or not).
            if matches!(event, Event::ZoneStart { zone, .. } if zone > 0) {
                effects.push(Effect::Bell);
            }
            step_changed |= matches!(
                event,
                Event::StepEnd { .. } | Event::StepStart { .. } | Event::SessionStart
            );
            let mut occasion = occasions::from_event(&self.run, event, now.instant);
            if event == Event::SessionComplete {
                let record = Record::Session(self.run.record(now));
                effects.extend(self.journaled(record, now));
                step_changed = false;
                if let Some(What::SessionComplete { next_roll, .. }) =
                    occasion.as_mut().map(|o| &mut o.what)
                {
                    *next_roll = self
                        .plan
                        .roller
                        .as_ref()
                        .and_then(|r| r.next_after(self.day));
                }
                self.overlay = Some(Overlay::Note(NoteDraft::default()));
            }
            let Some(occasion) = occasion else { continue };
            effects.extend(occasions::effects(&self.config, &occasion));
            if event == Event::SessionStart
                && let Some(r) = self.plan.roller.as_ref().filter(|r| r.replace)
            {
                let worn = Occasion {
                    what: What::RollerWorn {
                        uses: r.uses,
                        limit: r.replace_after_uses,
                    },
                    ..occasion
                };
                effects.extend(occasions::effects(&self.config, &worn));
            }
        }
        if step_changed {
            effects.push(self.save(now));
        }
        if self.needs_checkin() && self.run.has_started() && self.overlay.is_none() {
            self.ask_checkin(Action::StartPause);
        }
        dedup_bell(&mut effects);
        join_speech(&mut effects);
        effects
    }

    /// Appends a record: to the journal on disk (an effect) and to the one in memory, so
    /// that the plan (done, next roll, roller uses) sees it at once.
    pub(super) fn journaled(&mut self, record: Record, now: Moment) -> Vec<Effect> {
        self.journal.add(record.clone());
        self.own.push(record.clone());
        self.replan(now);
        self.last_save = None;
        vec![Effect::Append(record), Effect::ClearSaved]
    }

    pub(super) fn save(&mut self, now: Moment) -> Effect {
        self.last_save = Some(now.instant);
        Effect::Save(self.run.saved(now))
    }
}

/// The effects already save or journal the run.
pub(super) fn writes(effects: &[Effect]) -> bool {
    effects.iter().any(|e| {
        matches!(
            e,
            Effect::Save(_) | Effect::Checkpoint(_) | Effect::Append(_)
        )
    })
}

/// One bell is enough for one update.
fn dedup_bell(effects: &mut Vec<Effect>) {
    let mut rung = false;
    effects.retain(|e| {
        let first = !(rung && *e == Effect::Bell);
        rung |= *e == Effect::Bell;
        first
    });
}

/// One cue for one update, said where the last one was: each would cut off the one
/// before it ("Roll." by "Forehead.").
fn join_speech(effects: &mut Vec<Effect>) {
    let mut cues = Vec::new();
    let mut with = None;
    let mut last = None;
    for (i, effect) in effects.iter().enumerate() {
        if let Effect::Speak {
            cue,
            with: w,
            direction,
        } = effect
        {
            cues.push((cue.clone(), *direction));
            with = w.clone();
            last = Some(i);
        }
    }
    let direction = cues.last().is_some_and(|(_, d)| *d);
    let (Some(last), Some(cue)) = (last, crate::alerts::join_cues(&cues)) else {
        return;
    };
    effects[last] = Effect::Speak {
        cue,
        with,
        direction,
    };
    let mut i = 0;
    effects.retain(|e| {
        let keep = i == last || !matches!(e, Effect::Speak { .. });
        i += 1;
        keep
    });
}
