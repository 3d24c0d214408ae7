//! Run events and calendar events turned into what reaches the person: notifications,
//! the bell, hooks. Pure: the effects are carried out by the runtime's workers.

use crate::alerts::hooks::HookRun;
use crate::alerts::{self, Occasion};
use crate::routine::config::{Config, EventKind};
use crate::session::countdown::shown_secs;
use crate::session::event::Event;
use crate::session::run::Run;

use super::messages::Effect;

/// Names everything an event of `run` is about, as seen at `now`.
pub fn from_event(run: &Run, event: Event, now: std::time::Instant) -> Occasion {
    let named = |i: usize| run.steps.get(i).map(|s| (s.name.clone(), s.kind));
    let next = |i: usize| {
        run.steps
            .get(i + 1)
            .map(|s| (s.name.clone(), s.length().as_secs()))
    };
    let mut o = Occasion {
        routine: run.routine.clone(),
        day: Some(run.day),
        auto_advance: run.auto_advance,
        ..Occasion::default()
    };
    match event {
        Event::SessionStart => {
            o.kind = Some(EventKind::SessionStart);
            o.step = named(run.current);
            o.next_step = next(run.current);
        }
        Event::StepStart { step } => {
            o.kind = Some(EventKind::StepStart);
            o.step = named(step);
            o.next_step = next(step);
            o.remaining_secs = Some(shown_secs(run.step_left(now)));
        }
        Event::StepWarning { step, left } => {
            o.kind = Some(EventKind::StepWarning);
            o.step = named(step);
            o.next_step = next(step);
            o.remaining_secs = Some(shown_secs(left));
        }
        Event::StepEnd { step, outcome } => {
            o.kind = Some(EventKind::StepEnd);
            o.step = named(step);
            o.outcome = Some(outcome);
            o.next_step = next(step);
            o.remaining_secs = Some(0);
        }
        Event::ZoneStart { step, zone } => {
            o.kind = Some(EventKind::ZoneStart);
            o.step = named(step);
            o.next_step = next(step);
            o.zone = run
                .steps
                .get(step)
                .and_then(|s| s.parts.get(zone))
                .and_then(|p| p.zone.clone());
            o.technique = run.steps.get(step).and_then(|s| s.technique.clone());
            o.remaining_secs = Some(shown_secs(run.step_left(now)));
        }
        Event::PassStart { step, zone, pass } => {
            o.kind = Some(EventKind::PassStart);
            o.step = named(step);
            o.next_step = next(step);
            let part = run.steps.get(step).and_then(|s| s.parts.get(zone));
            o.zone = part.and_then(|p| p.zone.clone());
            o.pass = part
                .and_then(|p| p.directions.get(pass))
                .map(|&d| (d, pass));
            o.technique = o
                .pass
                .zip(run.steps.get(step))
                .map(|((d, _), s)| crate::routine::config::technique(&[d], s.passes));
            o.remaining_secs = Some(shown_secs(run.step_left(now)));
        }
        Event::SessionComplete => {
            o.kind = Some(EventKind::SessionComplete);
            o.remaining_secs = Some(0);
            use crate::routine::journal::StepOutcome::{Done, Skipped};
            o.totals = Some((run.taken_secs(), run.count(Done), run.count(Skipped)));
        }
    }
    o
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
