//! What the config asks for, checked against what is in the bottle: the products its
//! steps name, the pauses their actives ask for where a step gives none, and the
//! warnings of a config that cannot be right (conflicting actives, steps that never run).

use std::collections::HashSet;
use std::time::Duration;

use super::{Config, HumanDuration, Routine, Step, StepKind};
use crate::routine::actives::{Advice, HOUR, conflict, default_pauses};
use crate::routine::when::Budget;
use crate::routine::words::pause_text;

/// Checks the products and the steps that name one, gives each such step the
/// product's actives, and each step with actives the pauses they ask for where the step
/// gives none. Every problem found, by item.
pub(crate) fn resolve(config: &mut Config) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut names = HashSet::new();
    for (i, product) in config.products.iter().enumerate() {
        let here = format!("product {} {:?}", i + 1, product.name);
        if product.name.trim().is_empty() {
            problems.push((
                format!("product {}", i + 1),
                "the product has no name".into(),
            ));
        } else if !names.insert(product.name.as_str()) {
            problems.push((here, "two products have this name".into()));
        }
    }
    let products = config.products.clone();
    let needle_mm = config.roller.as_ref().map(|r| r.needle_mm);
    for routine in &mut config.routines {
        for (j, step) in routine.steps.iter_mut().enumerate() {
            let here = || format!("routine {:?}, step {} {:?}", routine.name, j + 1, step.name);
            if let Some(name) = &step.product {
                match products.iter().find(|p| &p.name == name) {
                    None => problems.push((
                        here(),
                        format!(
                            "no product is named {name:?}: add it to `products`, or give the step `actives` instead"
                        ),
                    )),
                    Some(_) if !step.actives.is_empty() => problems.push((
                        here(),
                        "give either `product` or `actives`, not both (a step takes its product's actives)"
                            .into(),
                    )),
                    Some(product) => step.actives = product.actives.clone(),
                }
            }
            let (after, before) = default_pauses(&step.actives, needle_mm);
            step.pause_after_roll = step.pause_after_roll.or(after.map(HumanDuration));
            step.pause_before_roll = step.pause_before_roll.or(before.map(HumanDuration));
        }
    }
    problems
}

/// What the config asks for that cannot be right, one warning each: actives that
/// conflict in one routine on a day both can run, a step paused for longer than the
/// roller rests, a step whose `when` is never true.
pub(crate) fn advice(config: &Config) -> Vec<Advice> {
    let mut advice = Vec::new();
    let budget = &mut Budget::for_config();
    for routine in &config.routines {
        let mut warnings = Vec::new();
        conflicts(routine, budget, &mut warnings);
        let last_roll = routine.steps.iter().rposition(|s| s.kind == StepKind::Roll);
        for (j, step) in routine.steps.iter().enumerate() {
            let here = format!("routine {:?}, step {} {:?}", routine.name, j + 1, step.name);
            if last_roll.is_some_and(|r| j < r) && goes_on_the_skin(step) {
                warnings.push(format!(
                    "{here}: it comes before the Roll step; before rolling the skin should be \
                     clean and dry, with nothing the needles can push in (on a rolling night \
                     a step with actives there is off): move it after the Roll step"
                ));
            }
            if !step.when.can_be_true(budget) {
                warnings.push(format!(
                    "{here}: its `when` is never true, so it never runs: change its `when` \
                     (or remove the step)"
                ));
            }
            if let Some(why) = config
                .roller
                .as_ref()
                .and_then(|r| outpaused(step, r.rest_days()))
            {
                warnings.push(format!("{here}: {why}"));
            }
        }
        let prefix = format!("routine {:?}", routine.name);
        advice.extend(warnings.into_iter().map(|text| {
            Advice {
                routine: routine.name.clone(),
                detail: text
                    .strip_prefix(&prefix)
                    .map(|rest| rest.trim_start_matches([':', ',', ' ']).to_string())
                    .unwrap_or_else(|| text.clone()),
                text,
            }
        }));
    }
    advice
}

/// A step that leaves something on the skin: a serum, treatment, moisturiser or
/// sunscreen, or any step with actives (docs/DOMAIN.md: nothing before the needles but
/// a gentle cleanser).
fn goes_on_the_skin(step: &Step) -> bool {
    matches!(
        step.kind,
        StepKind::Serum | StepKind::Treatment | StepKind::Moisturise | StepKind::Protect
    ) || (!step.actives.is_empty() && step.kind != StepKind::Roll)
}

/// The most conflicts told one by one in a routine: past them, one line says there are
/// more (a file of many steps must not make a warning of every pair).
pub(crate) const MOST_CONFLICTS: usize = 10;

/// Two steps of `routine` whose actives conflict and that can run on the same day.
fn conflicts(routine: &Routine, budget: &mut Budget, warnings: &mut Vec<String>) {
    let mut found = 0;
    let steps: Vec<(usize, &Step)> = routine
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.actives.is_empty() && s.kind != StepKind::Roll)
        .collect();
    for (n, (i, a)) in steps.iter().enumerate() {
        for (j, b) in &steps[n + 1..] {
            let pair = a.actives.iter().find_map(|x| {
                b.actives
                    .iter()
                    .find_map(|y| conflict(*x, *y).map(|why| (*x, *y, why)))
            });
            let Some((x, y, (why, what))) = pair else {
                continue;
            };
            if !a.when.overlaps(&b.when, budget) {
                continue;
            }
            found += 1;
            if found > MOST_CONFLICTS {
                warnings.push(format!(
                    "routine {:?}: more steps than these {MOST_CONFLICTS} pairs have actives \
                     that conflict: check the rest after fixing these",
                    routine.name
                ));
                return;
            }
            warnings.push(format!(
                "routine {:?}: step {} {:?} ({}) and step {} {:?} ({}) can run on the same day: \
                 {why}; {what}",
                routine.name,
                i + 1,
                a.name,
                x.as_str(),
                j + 1,
                b.name,
                y.as_str()
            ));
        }
    }
}

/// The fewest rest days that leave a step paused `after` a roll and `before` the next
/// a night between two rolls: more than the pause after, and at least the two pauses
/// together.
pub fn rest_days_needed(after: Duration, before: Duration) -> u64 {
    let day = 24 * HOUR;
    (after.as_secs() / day + 1).max((after + before).as_secs().div_ceil(day))
}

/// Why a step paused around each roll for at least the roller's rest can never run: a
/// pause after rolling of at least the rest days, or one after and one before that
/// together leave no time between two rolls.
fn outpaused(step: &Step, rest_days: u32) -> Option<String> {
    if step.kind == StepKind::Roll {
        return None;
    }
    let interval = Duration::from_secs(u64::from(rest_days) * 24 * HOUR);
    let after = step.pause_after_roll.map_or(Duration::ZERO, |p| p.0);
    let before = step.pause_before_roll.map_or(Duration::ZERO, |p| p.0);
    let days = if rest_days == 1 { "day" } else { "days" };
    let needed = rest_days_needed(after, before);
    let works = format!(" (`rest_days: {needed}` would do)");
    let prescriber = if step.actives.iter().any(|a| a.prescribed()) {
        "; or ask your prescriber"
    } else {
        ""
    };
    if after >= interval {
        return Some(format!(
            "it is paused {} after each roll and the roller rolls every {rest_days} {days}, \
             so it can never run: give it a `pause_after_roll` under {rest_days} {days}, \
             or set the roller's `rest_days` above the pause{works}{prescriber}",
            pause_text(after)
        ));
    }
    if !before.is_zero() && after + before > interval {
        return Some(format!(
            "it is paused {} after each roll and {} before the next, and the roller rolls \
             every {rest_days} {days}, so it can never run: make the two pauses add up to \
             at most {rest_days} {days}, or set the roller's `rest_days` above their \
             sum{works}{prescriber}",
            pause_text(after),
            pause_text(before)
        ));
    }
    None
}
