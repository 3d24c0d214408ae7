//! Run events and calendar events turned into what reaches the person: notifications,
//! the bell, hooks. Pure: the effects are carried out by the runtime's workers.

use crate::alerts::hooks::HookRun;
use crate::alerts::{self, Occasion, StepAt, What};
use crate::routine::config::{Config, EventKind};
use crate::session::countdown::shown_secs;
use crate::session::event::Event;
use crate::session::run::Run;

use super::messages::Effect;

/// Names everything an event of `run` is about, as seen at `now`; None when the event
/// names a step the run does not have.
pub fn from_event(run: &Run, event: Event, now: std::time::Instant) -> Option<Occasion> {
    let step_at = |i: usize| {
        run.steps.get(i).map(|s| StepAt {
            name: s.name.clone(),
            kind: s.kind,
            // A step alongside ends beside the step in hand: nothing comes after it.
            next: run
                .steps
                .get(i + 1)
                .filter(|_| !s.alongside)
                .map(|n| (n.name.clone(), n.length().as_secs())),
            auto_advance: run.auto_advance,
            alongside: s.alongside,
        })
    };
    let left = || shown_secs(run.step_left(now));
    let what = match event {
        Event::SessionStart => What::SessionStart {
            first: step_at(run.current),
        },
        Event::StepStart { step } => What::StepStart {
            step: step_at(step)?,
            remaining_secs: match run.steps.get(step) {
                Some(s) if s.aside.is_some() => shown_secs(run.aside_left(step, now)),
                _ => left(),
            },
        },
        Event::StepWarning { step, left } => What::StepWarning {
            step: step_at(step)?,
            remaining_secs: shown_secs(left),
        },
        Event::StepEnd { step, outcome } => What::StepEnd {
            step: step_at(step)?,
            outcome,
        },
        Event::ZoneStart { step, zone } => {
            let s = run.steps.get(step)?;
            What::ZoneStart {
                step: step_at(step)?,
                zone: s.parts.get(zone).and_then(|p| p.zone.clone()),
                technique: s.technique.clone(),
                remaining_secs: left(),
            }
        }
        Event::PassStart { step, zone, pass } => {
            let s = run.steps.get(step)?;
            let part = s.parts.get(zone)?;
            let direction = *part.directions.get(pass)?;
            What::PassStart {
                step: step_at(step)?,
                zone: part.zone.clone(),
                direction,
                index: pass,
                technique: crate::routine::config::technique(&[direction], s.passes),
                remaining_secs: left(),
            }
        }
        Event::SessionComplete => {
            use crate::routine::journal::StepOutcome::{Done, Skipped};
            What::SessionComplete {
                secs: run.taken_secs(),
                done: run.count(Done),
                skipped: run.count(Skipped),
                next_roll: None,
            }
        }
    };
    Some(Occasion {
        routine: run.routine.clone(),
        day: Some(run.day),
        what,
    })
}

/// The effects of one occasion under the config's `notify` and `hooks`.
pub fn effects(config: &Config, o: &Occasion) -> Vec<Effect> {
    let mut effects = Vec::new();
    let kind = o.event();
    if config.notify.desktop && alerts::notifies(kind) {
        let (summary, body) = alerts::notification(o);
        effects.push(Effect::Notify { summary, body });
    }
    if config.notify.speak
        && let Some(cue) = alerts::cue(o)
    {
        effects.push(Effect::Speak {
            cue,
            with: config.notify.speak_with.clone(),
            direction: kind == EventKind::PassStart,
        });
    }
    if config.notify.bell && alerts::rings_bell(o) {
        effects.push(Effect::Bell);
    }
    for hook in config.hooks.iter().filter(|h| h.on == kind) {
        effects.push(Effect::Hook(HookRun {
            event: format!("{kind:?}"),
            argv: hook.run.clone(),
            env: alerts::hook_env(o),
            timeout: hook.timeout.0,
        }));
    }
    effects
}
