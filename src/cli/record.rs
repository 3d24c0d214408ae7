//! Recording away from the dashboard: a routine done (once a day unless `--again`,
//! never over a session in progress) and the roller.

use chrono::{DateTime, FixedOffset};

use super::*;
use crate::routine::words::{next_roll_day, short_date};
use crate::session::done::{self, NotRecorded};
use crate::session::run::{SAVED_FILE, Saved};

/// "roller: 0.5 mm · 3 of 15 uses · last roll Mon 16 Nov · next rolling day Mon 23 Nov"
pub fn roller_line(r: &plan::RollerState, date: NaiveDate) -> String {
    let last = r.last_roll.map_or("never".into(), short_date);
    // Still to come: after a roll today, the one after the rest days.
    let next = next_roll_day(r.next_after(date), date);
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

/// How `done` records: `--again`, `--no-roll`.
#[derive(Debug, Clone, Copy, Default)]
pub struct How {
    /// A second session of a routine done that day.
    pub again: bool,
    /// Without the roll planned in it.
    pub no_roll: bool,
}

pub(super) fn done(
    ctx: &Context,
    name: &str,
    date: Option<NaiveDate>,
    how: How,
    said: Said,
    out: &mut impl Write,
) -> Result<()> {
    let note = one_line_note(said.note.as_deref())?;
    let now = ctx.now();
    let today = ctx.today(now);
    let date = date.unwrap_or(today);
    if ctx.config.routine(name).is_some() && in_progress(ctx, name, date) {
        bail!(
            "{name} of {} is in progress in the dashboard: nothing recorded; finish it there",
            short_date(date)
        );
    }
    let journal = ctx.journal_for(date, true)?;
    let saved =
        read_saved(&ctx.data_dir).and_then(|bytes| serde_json::from_slice::<Saved>(&bytes).ok());
    let mut session = done::record(
        &ctx.config,
        &journal,
        saved.as_ref(),
        done::Asked {
            routine: name,
            date,
            again: how.again,
            no_roll: how.no_roll,
        },
        // Local, not a fixed offset: the routine's time is placed in the zone of its day.
        &plan::place(&Local, now).with_timezone(&Local),
        today,
    )
    .map_err(|e| match e {
        NotRecorded::NoRoutine { .. } | NotRecorded::Future { .. } => {
            anyhow::Error::from(BadInput(e.to_string()))
        }
        other => anyhow::anyhow!(other),
    })?;
    session.rating = said.rating;
    session.note = note;
    let rolled = if session.rolled() { ", rolled" } else { "" };
    let count = session.steps.len();
    let (routine, day) = (session.routine.clone(), session.day);
    append(ctx, &Record::Session(session))?;
    let rated = said
        .rating
        .map(|r| format!(", skin {r}/5"))
        .unwrap_or_default();
    writeln!(
        out,
        "recorded {} as done on {} ({count} step{}{rolled}{rated})",
        routine,
        short_date(day),
        if count == 1 { "" } else { "s" }
    )?;
    // A roll recorded away from the dashboard was asked nothing first: one line of what
    // the check-in asks, and how to record a night without the roll.
    if !rolled.is_empty() && !ctx.config.checkin.is_empty() {
        writeln!(
            out,
            "rolled only if none of the check-in applied ({}); a night without the roll is \
             `done {routine} --no-roll`",
            ctx.config
                .checkin
                .iter()
                .map(|q| q.ask.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        )?;
    }
    Ok(())
}

/// A running dashboard holds a started, unfinished run of `routine` of `day`: recording
/// it here too would journal the session twice.
pub(super) fn in_progress(ctx: &Context, routine: &str, day: NaiveDate) -> bool {
    let saved =
        read_saved(&ctx.data_dir).and_then(|bytes| serde_json::from_slice::<Saved>(&bytes).ok());
    saved.is_some_and(|s| {
        s.routine == routine && s.day == day && s.started.is_some() && s.current.is_some()
    }) && lock::held(&ctx.data_dir)
}

/// Appends a record to the journal, with the path in the error.
pub fn append(ctx: &Context, record: &Record) -> Result<()> {
    let path = ctx.journal_path();
    let repaired = journal::append(&path, record)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if let Some(line) = repaired {
        let _ = writeln!(std::io::stderr(), "rollcoach: {line}");
    }
    Ok(())
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

/// The bytes of `session.json`, when it is a regular file of a sensible size.
pub(super) fn read_saved(data_dir: &std::path::Path) -> Option<Vec<u8>> {
    crate::routine::private::read(
        &data_dir.join(SAVED_FILE),
        crate::routine::private::MAX_SMALL_FILE,
    )
    .ok()
    .flatten()
}
