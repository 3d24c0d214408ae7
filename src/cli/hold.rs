//! `rollcoach hold`: the lasting check-in answers that hold rolling (docs/DOMAIN.md,
//! "Answers that last"): list them, clear one that no longer applies, or add one away
//! from the dashboard.

use super::*;
use crate::routine::journal::HoldRecord;
use crate::routine::words::short_date;

/// What `hold` can do besides listing.
#[derive(Debug, Subcommand)]
pub enum HoldAction {
    /// List the holds standing today (the default).
    List,
    /// Clear a hold once it no longer applies: by its number in the list, or its
    /// question; with no argument, the only one.
    Clear {
        /// The hold's number (1, 2, ...) or its question.
        which: Option<String>,
        /// Clear every hold.
        #[arg(long, conflicts_with = "which")]
        all: bool,
    },
    /// Hold rolling for a lasting condition, as a "yes" at the check-in would.
    Add {
        /// The condition: a question of the config's check-in, or your own words.
        ask: String,
        /// Hold retinoids off too (pregnancy or breastfeeding); a check-in question
        /// that says `holds_retinoids` does so by itself.
        #[arg(long)]
        retinoids: bool,
    },
}

/// Runs `hold`.
pub(super) fn hold(
    ctx: &Context,
    action: Option<&HoldAction>,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let now = ctx.now();
    let day = ctx.today(now);
    match action {
        None | Some(HoldAction::List) => list(ctx, day, json, out),
        Some(HoldAction::Clear { which, all }) => clear(ctx, day, which.as_deref(), *all, out),
        Some(HoldAction::Add { ask, retinoids }) => {
            let ask = ask.trim();
            if ask.is_empty() {
                return Err(BadInput("say what holds rolling, e.g. \"Pregnant?\"".into()).into());
            }
            let item = ctx.config.checkin.iter().find(|q| q.ask == ask);
            let record = HoldRecord {
                ask: ask.to_string(),
                day,
                at: record::with_offset(now),
                holds_retinoids: *retinoids || item.is_some_and(|q| q.holds_retinoids),
            };
            append(ctx, &Record::RollHold(record.clone()))?;
            writeln!(out, "rolling held: {}", line(&record))?;
            writeln!(
                out,
                "`rollcoach hold clear` clears it once it no longer applies"
            )?;
            Ok(())
        }
    }
}

fn list(ctx: &Context, day: NaiveDate, json: bool, out: &mut impl Write) -> Result<()> {
    let journal = ctx.journal_for(day, false)?;
    let holds = journal.holds(day);
    if json {
        serde_json::to_writer_pretty(&mut *out, &holds)?;
        writeln!(out)?;
        return Ok(());
    }
    if holds.is_empty() {
        writeln!(out, "nothing holds rolling")?;
        return Ok(());
    }
    for (i, hold) in holds.iter().enumerate() {
        writeln!(out, "{}  {}", i + 1, line(hold))?;
    }
    writeln!(
        out,
        "no roll is planned while one stands: `rollcoach hold clear N` once it no longer applies"
    )?;
    Ok(())
}

fn clear(
    ctx: &Context,
    day: NaiveDate,
    which: Option<&str>,
    all: bool,
    out: &mut impl Write,
) -> Result<()> {
    let journal = ctx.journal_for(day, false)?;
    let holds = journal.holds(day);
    let chosen: Vec<&HoldRecord> = match which {
        _ if holds.is_empty() => {
            writeln!(out, "nothing holds rolling")?;
            return Ok(());
        }
        None if all || holds.len() == 1 => holds.clone(),
        None => {
            return Err(BadInput(format!(
                "{} holds stand: say which (`rollcoach hold clear 1`), or --all",
                holds.len()
            ))
            .into());
        }
        Some(which) => {
            let found = match which.parse::<usize>() {
                Ok(n) => n.checked_sub(1).and_then(|i| holds.get(i)),
                Err(_) => holds.iter().find(|h| h.ask == which),
            };
            match found {
                Some(hold) => vec![*hold],
                None => {
                    return Err(BadInput(format!(
                        "no hold {which:?}: `rollcoach hold list` numbers them 1 to {}",
                        holds.len()
                    ))
                    .into());
                }
            }
        }
    };
    let at = record::with_offset(ctx.now());
    for hold in &chosen {
        append(
            ctx,
            &Record::RollHoldCleared {
                ask: hold.ask.clone(),
                day,
                at,
            },
        )?;
        writeln!(out, "cleared: {}", crate::dashboard::ui::clean(&hold.ask))?;
    }
    if chosen.len() == holds.len() {
        writeln!(
            out,
            "nothing holds rolling now: the next roll is planned again"
        )?;
    }
    Ok(())
}

/// "\"Pregnant or breastfeeding?\" · yes Thu 3 Dec · retinoids off"
fn line(hold: &HoldRecord) -> String {
    format!(
        "{} · yes {}{}",
        crate::dashboard::ui::clean(&hold.ask),
        short_date(hold.day),
        if hold.holds_retinoids {
            " · retinoids off"
        } else {
            ""
        }
    )
}
