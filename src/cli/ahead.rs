//! `rollcoach plan`: the nights ahead as a grid read at a glance, one column a day, one
//! row per step that is not on every day; or every day's plan as JSON.

use super::*;
use crate::session::ahead::{Row, nights, rows};

/// How `plan` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// The grid.
    Grid,
    /// Every day's plan as JSON.
    Json,
    /// An iCalendar file.
    Ics,
}

/// Prints the plans of `days` days from `from` (default today).
pub(super) fn show(
    ctx: &Context,
    from: Option<NaiveDate>,
    days: u32,
    how: Shown,
    out: &mut impl Write,
) -> Result<()> {
    let now = ctx.now();
    let from = from.unwrap_or_else(|| ctx.today(now));
    let journal = ctx.journal_for(from, true)?;
    let plans = nights(
        &ctx.config,
        &journal,
        from,
        days,
        &plan::place(&Local, now).with_timezone(&Local),
    );
    match how {
        Shown::Json => {
            serde_json::to_writer_pretty(&mut *out, &plans)?;
            writeln!(out)?;
        }
        Shown::Ics => {
            let ics = super::ics::calendar(&ctx.config, &plans, &Local, chrono::Utc::now());
            write!(out, "{ics}")?;
        }
        Shown::Grid => write!(out, "{}", grid(&ctx.config, &plans))?,
    }
    Ok(())
}

/// Width of a day's column: " Thu".
const COLUMN: usize = 4;

/// The longest row label.
const LABEL: usize = 34;

/// The grid: a header of weekdays and dates, then a row for each step that does not
/// run every day ("●" where it runs, "·" where it is off), the Roll step first.
pub fn grid(config: &crate::routine::config::Config, plans: &[Plan]) -> String {
    let (Some(first), Some(last)) = (plans.first(), plans.last()) else {
        return String::new();
    };
    let mut text = format!(
        "{} – {} · ● runs  · off\n",
        first.date.format("%a %-d %b %Y"),
        last.date.format("%a %-d %b %Y")
    );
    let rows = rows(config, plans);
    let label = |row: &Row| -> String {
        crate::dashboard::ui::clean(&row.label)
            .chars()
            .take(LABEL)
            .collect()
    };
    let width = rows
        .iter()
        .map(|r| label(r).chars().count())
        .max()
        .unwrap_or(0)
        .max(10)
        + 1;
    let pad = " ".repeat(width);
    let days: String = plans
        .iter()
        .map(|p| format!("{:>COLUMN$}", p.date.format("%a").to_string()))
        .collect();
    let dates: String = plans
        .iter()
        .map(|p| format!("{:>COLUMN$}", p.date.format("%-d").to_string()))
        .collect();
    text.push_str(&format!("{pad}{days}\n{pad}{dates}\n"));
    for row in &rows {
        let marks: String = row
            .on
            .iter()
            .map(|o| format!("{:>COLUMN$}", if *o { "●" } else { "·" }))
            .collect();
        text.push_str(format!("{:<width$}{marks}", label(row)).trim_end());
        text.push('\n');
    }
    // The days under after-care, and what it asks.
    if plans.iter().any(|p| !p.aftercare.is_empty()) {
        let marks: String = plans
            .iter()
            .map(|p| match p.aftercare.len() {
                // How many of its items are in force that day.
                0 => format!("{:>COLUMN$}", "·"),
                n => format!("{:>COLUMN$}", n.min(9)),
            })
            .collect();
        text.push_str(&format!("{:<width$}{marks}\n", "after-care"));
        let mut avoid: Vec<String> = Vec::new();
        for p in plans {
            for item in &p.aftercare {
                let line = crate::dashboard::ui::clean(&item.avoid);
                if !avoid.contains(&line) {
                    avoid.push(line);
                }
            }
        }
        text.push_str(&format!("after-care: no {}\n", avoid.join("; no ")));
    }
    text
}
