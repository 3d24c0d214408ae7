//! Reading out without the dashboard: the status line for bars, the history and its
//! CSV export.

use super::*;
use crate::routine::history;
use crate::routine::journal::StepOutcome;
use crate::routine::words::clock;
use crate::session::run::Saved;

/// Every session as CSV, oldest first.
pub(super) fn export_csv(ctx: &Context, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "date,routine,started,ended,seconds,steps_done,steps_skipped,rolled,rating,note"
    )?;
    for s in ctx.journal()?.sessions() {
        let done = s
            .steps
            .iter()
            .filter(|x| x.status == StepOutcome::Done)
            .count();
        let fields = [
            s.day.to_string(),
            s.routine.clone(),
            s.started.to_rfc3339(),
            s.ended.to_rfc3339(),
            (s.ended - s.started).num_seconds().max(0).to_string(),
            done.to_string(),
            (s.steps.len() - done).to_string(),
            s.rolled().to_string(),
            s.rating.map(|r| r.to_string()).unwrap_or_default(),
            s.note.clone().unwrap_or_default(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, with
/// quotes doubled.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The saved session, when it reads and could be restored; one that cannot is the
/// dashboard's to set aside and report.
fn saved_session(ctx: &Context, now: NaiveDateTime) -> Option<Saved> {
    let bytes = super::record::read_saved(&ctx.data_dir)?;
    let saved: Saved = serde_json::from_slice(&bytes).ok()?;
    let routine = ctx.config.routine(&saved.routine);
    saved
        .check(routine, ctx.today(now), with_offset(now))
        .is_ok()
        .then_some(saved)
}

pub(super) fn show_status(ctx: &Context, format: Format, out: &mut impl Write) -> Result<()> {
    let status = current_status(ctx)?;
    writeln!(out, "{}", status::render(&status, format))?;
    Ok(())
}

/// The status line now, from the files as they are.
pub(super) fn current_status(ctx: &Context) -> Result<status::Status> {
    let now = ctx.now();
    let saved = saved_session(ctx, now);
    // Without a dashboard holding it, a session saved as running is not counting down:
    // it waits, paused, for the next start.
    let live = saved.is_some() && lock::held(&ctx.data_dir);
    // A status bar runs this every few seconds: only what the plan needs is read, and
    // (when the index cannot answer) unread lines are not checked: the bar shows no
    // warnings.
    let journal = ctx.journal_for(ctx.today(now), false)?;
    let status = status::status(
        &ctx.config,
        &journal,
        saved.as_ref(),
        live,
        with_offset(now),
    );
    // A timer that runs beside it: read as session.json is, bounded, never blocking.
    let path = ctx.data_dir.join(crate::session::timer::TIMER_FILE);
    let timer = crate::routine::private::read(&path, 1 << 16)
        .ok()
        .flatten()
        .and_then(|bytes| serde_json::from_slice::<crate::session::timer::SavedTimer>(&bytes).ok())
        // Its terminal closed without ending it: it counts for nothing.
        .filter(|t| t.pid.is_none_or(|pid| crate::os::sys::kill(pid as i32, 0)));
    Ok(match timer {
        Some(timer) => status::with_timer(status, &timer, with_offset(now)),
        None => status,
    })
}

pub(super) fn show_history(
    ctx: &Context,
    days: u32,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let journal = ctx.journal()?;
    let today = ctx.today(ctx.now());
    let sessions = history::recent(&journal, today, days);
    let (streak, longest) = history::Calendar::new(&ctx.config, &journal).streaks(today);
    if json {
        let value = serde_json::json!({ "streak": streak, "longest_streak": longest, "sessions": sessions });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "streak: {streak} day{} (longest {longest})",
        if streak == 1 { "" } else { "s" }
    )?;
    if sessions.is_empty() {
        writeln!(out, "no sessions in the last {days} days")?;
    }
    for s in sessions {
        let (done, skipped) = s.tally();
        let secs = (s.ended - s.started).num_seconds().max(0) as u64;
        let rating = s
            .rating
            .map(|r| format!(", skin {r}/5"))
            .unwrap_or_default();
        let note = s
            .note
            .as_deref()
            .map(|n| format!(" · {}", crate::dashboard::ui::clean(n)))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<10}  {:<12} {}–{}  {:>7}  {done} done, {skipped} skipped{}{}{rating}{note}",
            crate::routine::words::short_date(s.day),
            crate::dashboard::ui::clean(&s.routine),
            s.started.format("%H:%M"),
            s.ended.format("%H:%M"),
            clock(secs),
            if s.rolled() { ", rolled" } else { "" },
            if s.complete { "" } else { ", unfinished" },
        )?;
    }
    for warning in &journal.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    Ok(())
}
