//! Recording away from the dashboard: a routine done (once a day unless `--again`,
//! never over a session in progress) and the roller.

use chrono::{DateTime, FixedOffset};

use super::*;
use crate::routine::journal::{SessionRecord, StepOutcome, StepRecord};
use crate::routine::plan::Hinge;
use crate::routine::words::short_date;
use crate::session::run::{SAVED_FILE, Saved};

/// "roller: 0.5 mm · 3 of 15 uses · last roll Mon 16 Nov · next rolling day Mon 23 Nov"
pub fn roller_line(r: &plan::RollerState, date: NaiveDate) -> String {
    let last = r.last_roll.map_or("never".into(), short_date);
    let next = if r.next_roll == date {
        "today".into()
    } else {
        short_date(r.next_roll)
    };
    let days = r
        .days_in_use
        .map(|d| format!(" · day {d} of {}", r.replace_after_days))
        .unwrap_or_default();
    format!(
        "roller: {} mm · {} rest days · {} of {} uses{days} · last roll {last} · \
         next rolling day {next}",
        r.needle_mm, r.rest_days, r.uses, r.replace_after_uses
    )
}

/// A local wall-clock time with its UTC offset, as the journal stores it.
pub fn with_offset(time: NaiveDateTime) -> DateTime<FixedOffset> {
    plan::place(&Local, time)
}

/// The rating and note given with `done`.
#[derive(Debug, Clone, Default)]
pub struct Said {
    /// The skin rated 1–5 (clap checks the range).
    pub rating: Option<u8>,
    /// A one-line note.
    pub note: Option<String>,
}

/// A note as the journal keeps it: one line, no control characters; empty is none.
pub fn one_line_note(note: Option<&str>) -> Result<Option<String>> {
    let Some(note) = note else { return Ok(None) };
    if note.chars().any(char::is_control) {
        return Err(BadInput(
            "--note must be one line of text, without line breaks or control characters".into(),
        )
        .into());
    }
    let note = note.trim();
    Ok((!note.is_empty()).then(|| note.to_string()))
}

pub(super) fn done(
    ctx: &Context,
    name: &str,
    date: Option<NaiveDate>,
    again: bool,
    said: Said,
    out: &mut impl Write,
) -> Result<()> {
    let note = one_line_note(said.note.as_deref())?;
    let Some(routine) = ctx.config.routine(name) else {
        let names: Vec<&str> = ctx
            .config
            .routines
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        return Err(BadInput(format!(
            "no routine named {name:?}; the routines are: {}",
            names.join(", ")
        ))
        .into());
    };
    let plan = plan_for(ctx, date)?;
    let planned = plan
        .routines
        .iter()
        .find(|r| r.name == routine.name)
        .context("the plan lost the routine")?;
    if in_progress(ctx, &routine.name, plan.date) {
        bail!(
            "{} of {} is in progress in the dashboard: nothing recorded; finish it there",
            routine.name,
            short_date(plan.date)
        );
    }
    if planned.done && !again {
        bail!(
            "{} is already done on {}: nothing recorded (`--again` records another session)",
            routine.name,
            short_date(plan.date)
        );
    }
    // Every step that runs is recorded done, the roll included; a step off because of
    // that roll (a pause after rolling, a rest-day step) is recorded skipped with why,
    // as the dashboard passes it by.
    let steps: Vec<StepRecord> = planned
        .steps
        .iter()
        .filter(|s| s.status != StepState::Off || s.hinge == Hinge::WithoutRoll)
        .map(|s| {
            let off = s.status == StepState::Off;
            StepRecord {
                name: s.name.clone(),
                kind: s.kind.as_str().into(),
                status: if off {
                    StepOutcome::Skipped
                } else {
                    StepOutcome::Done
                },
                secs: if off { 0 } else { s.secs },
                reason: s.reason.as_deref().filter(|_| off).map(|r| {
                    if r == plan::ROLLING_DAY_REASON {
                        plan::ROLLED_TONIGHT_REASON.to_string()
                    } else {
                        r.to_string()
                    }
                }),
            }
        })
        .collect();
    let started = plan::clock_on(
        plan.date,
        plan::routine_time(routine),
        ctx.config.day_starts_at,
    );
    let ended = i64::try_from(planned.total_secs)
        .ok()
        .and_then(chrono::TimeDelta::try_seconds)
        .and_then(|length| started.checked_add_signed(length))
        .context("the routine is too long to record")?;
    let session = SessionRecord {
        routine: routine.name.clone(),
        day: plan.date,
        started: with_offset(started),
        ended: with_offset(ended),
        complete: true,
        steps,
        rating: said.rating,
        note,
    };
    let rolled = if session.rolled() { ", rolled" } else { "" };
    let count = session.steps.len();
    append(ctx, &Record::Session(session))?;
    let rated = said
        .rating
        .map(|r| format!(", skin {r}/5"))
        .unwrap_or_default();
    writeln!(
        out,
        "recorded {} as done on {} ({count} step{}{rolled}{rated})",
        routine.name,
        short_date(plan.date),
        if count == 1 { "" } else { "s" }
    )?;
    Ok(())
}

/// A running dashboard holds a started, unfinished run of `routine` of `day`: recording
/// it here too would journal the session twice.
pub(super) fn in_progress(ctx: &Context, routine: &str, day: NaiveDate) -> bool {
    let saved = std::fs::read(ctx.data_dir.join(SAVED_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Saved>(&bytes).ok());
    saved.is_some_and(|s| {
        s.routine == routine && s.day == day && s.started.is_some() && s.current.is_some()
    }) && lock::held(&ctx.data_dir)
}

/// Appends a record to the journal, with the path in the error.
pub fn append(ctx: &Context, record: &Record) -> Result<()> {
    let path = ctx.journal_path();
    journal::append(&path, record).with_context(|| format!("cannot write {}", path.display()))
}

pub(super) fn roller(
    ctx: &Context,
    replaced: bool,
    date: Option<NaiveDate>,
    out: &mut impl Write,
) -> Result<()> {
    if ctx.config.roller.is_none() {
        return Err(BadInput(
            "the config has no roller: add `roller: (needle_mm: 0.5)` at its top level".into(),
        )
        .into());
    }
    if replaced {
        let at = match date {
            Some(day) => plan::clock_on(day, ctx.config.day_starts_at.0, ctx.config.day_starts_at),
            None => ctx.now(),
        };
        append(
            ctx,
            &Record::RollerReplaced {
                at: with_offset(at),
            },
        )?;
        writeln!(out, "recorded a new roller on {}", short_date(at.date()))?;
    }
    let plan = plan_for(ctx, date)?;
    let r = plan.roller.as_ref().context("the plan lost the roller")?;
    writeln!(out, "{}", roller_line(r, plan.date))?;
    if r.replace {
        let why = if r.uses >= r.replace_after_uses {
            format!(
                "it has been used {} of {} times",
                r.uses, r.replace_after_uses
            )
        } else {
            format!(
                "it has been in use for {} days (replace after {})",
                r.days_in_use.unwrap_or_default(),
                r.replace_after_days
            )
        };
        writeln!(out, "replace the roller: {why}")?;
    }
    Ok(())
}
