//! The command line: clap definitions, where files live, and the headless commands.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::{Local, NaiveDate, NaiveDateTime};
use clap::Subcommand;

use self::status::Format;
use crate::os::lock;
use crate::routine::config::{self, BUILT_IN, Config};
use crate::routine::journal::{self, Journal, Record};
use crate::routine::plan::{self, Plan, StepState, day_of};

mod ahead;
mod args;
pub mod complete;
mod exit;
mod follow;
mod hold;
mod ics;
pub mod init;
mod man;
mod photo;
mod record;
mod report;
mod shelf;
pub mod status;
mod timer;

pub use self::args::{Cli, Command, PhotoCommand};
pub use self::exit::Exit;
pub use self::record::{append, roller_line, with_offset};
use self::record::{done, roller};
pub use self::report::csv_field;
use self::report::{export_csv, show_history, show_status};
pub use self::shelf::ShelfAction;
use crate::routine::words::clock;

/// Bad input from the person (a usage error): the program exits 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Everything a command needs: the config and where files live.
#[derive(Debug, Clone)]
pub struct Context {
    /// The loaded config.
    pub config: Config,
    /// Where the config is (or would be) on disk.
    pub config_path: PathBuf,
    /// The config is the built-in routine, not a file.
    pub built_in: bool,
    /// Where every written file lives.
    pub data_dir: PathBuf,
}

impl Context {
    /// The journal's path.
    pub fn journal_path(&self) -> PathBuf {
        journal::path(&self.data_dir)
    }

    /// Reads the journal.
    pub fn journal(&self) -> Result<Journal> {
        let path = self.journal_path();
        journal::read(&path).with_context(|| format!("cannot read {}", path.display()))
    }

    /// What the plan of `date` needs of the journal, through its index (a few kB, not
    /// a 10-year journal's 3 MB); for a day before the journal's latest, read from the
    /// journal itself, every line checked with `check`.
    pub fn journal_for(&self, date: NaiveDate, check: bool) -> Result<Journal> {
        let path = self.journal_path();
        let read = journal::read_for_day(&path, date, &self.config).and_then(|j| match j {
            Some(journal) => Ok(journal),
            None => journal::read_for_plan(&path, date, check),
        });
        read.with_context(|| format!("cannot read {}", path.display()))
    }

    /// The current local time.
    pub fn now(&self) -> NaiveDateTime {
        Local::now().naive_local()
    }

    /// The day `now` belongs to.
    pub fn today(&self, now: NaiveDateTime) -> NaiveDate {
        day_of(now, self.config.day_starts_at)
    }
}

/// The config path: `--config`, `$ROLLCOACH_CONFIG`, or the platform config dir.
fn config_path(cli: &Cli) -> Result<(PathBuf, bool)> {
    if let Some(path) = &cli.config {
        return Ok((path.clone(), true));
    }
    let base = directories::BaseDirs::new().context("cannot find the home directory")?;
    Ok((
        base.config_dir().join("rollcoach").join("config.ron"),
        false,
    ))
}

/// The data dir: `--data-dir`, `$ROLLCOACH_DATA_DIR`, or the platform data dir.
fn data_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(dir) = &cli.data_dir {
        return Ok(dir.clone());
    }
    let base = directories::BaseDirs::new().context("cannot find the home directory")?;
    Ok(base.data_dir().join("rollcoach"))
}

/// Loads the config named on the command line, or the built-in one when none exists.
pub fn context(cli: &Cli) -> Result<Context> {
    let (config_path, named) = config_path(cli)?;
    let data_dir = data_dir(cli)?;
    // A data dir from before files were made private is tightened once, and said so.
    let tightened = crate::routine::private::tighten(&data_dir)
        .unwrap_or_else(|e| Some(format!("cannot make {} private: {e}", data_dir.display())));
    if let Some(line) = tightened {
        let _ = writeln!(std::io::stderr(), "rollcoach: {line}");
    }
    let built_in = !named && !config_path.exists();
    let config = if built_in {
        // A notice: a stderr that is closed does not stop the command.
        let _ = writeln!(
            std::io::stderr(),
            "using the built-in routine; `rollcoach init` writes it to {} for you to edit",
            config_path.display()
        );
        config::parse(BUILT_IN).map_err(|problems| config::ConfigError {
            path: "built-in routine".into(),
            problems,
        })?
    } else {
        config::load(&config_path)?
    };
    Ok(Context {
        config,
        config_path,
        built_in,
        data_dir,
    })
}

/// The days `--date` takes: a journal dated outside them is a typo, and chrono's
/// arithmetic on days near its own limits would overflow.
pub const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a day");
/// The last day `--date` takes.
pub const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a day");

/// `--date` within `FIRST_DAY..=LAST_DAY`, or a usage error.
fn check_date(date: Option<NaiveDate>) -> Result<()> {
    match date {
        Some(day) if !(FIRST_DAY..=LAST_DAY).contains(&day) => Err(BadInput(format!(
            "--date {day} is out of range: give a day from {FIRST_DAY} to {LAST_DAY}"
        ))
        .into()),
        _ => Ok(()),
    }
}

/// Runs one headless command. Output goes through `writeln!` on one buffered writer
/// over a locked stdout, never `println!`: a reader that went away (`rollcoach man |
/// head`) is then an error that `main` ends quietly, not a panic, and JSON is written
/// in a few large writes rather than one a token.
pub fn run(cli: &Cli, command: &Command) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let ran = run_into(cli, command, &mut out);
    // What was printed before an error goes out before the error does.
    let flushed = out.flush();
    ran?;
    Ok(flushed?)
}

fn run_into(cli: &Cli, command: &Command, out: &mut impl Write) -> Result<()> {
    match command {
        Command::Init { force, defaults } => {
            return init::init(&config_path(cli)?.0, *force, *defaults, out);
        }
        Command::NotifyTest => return notify_test(out),
        Command::Completions { shell } => {
            return complete::registration(*shell, &complete::completer(), out);
        }
        Command::Man => return man::render(out),
        // The dashboard runs with its own config: ctl needs none that loads.
        Command::Ctl { action } => {
            crate::dashboard::ctl::send(&data_dir(cli)?, *action)?;
            return Ok(());
        }
        Command::Today { date, .. }
        | Command::Plan { from: date, .. }
        | Command::Done { date, .. }
        | Command::Roller { date, .. }
        | Command::Photo {
            command: PhotoCommand::Add { date, .. },
        } => check_date(*date)?,
        Command::Shelf {
            action: Some(ShelfAction::Open { date, .. }),
            ..
        }
        | Command::Shelf { date, .. } => check_date(*date)?,
        _ => {}
    }
    let ctx = context(cli)?;
    match command {
        Command::Check => check(&ctx, out),
        Command::Init { .. }
        | Command::NotifyTest
        | Command::Completions { .. }
        | Command::Man
        | Command::Ctl { .. } => {
            unreachable!("handled above")
        }
        Command::Today { date, json } => today(&ctx, *date, *json, out),
        Command::Plan {
            from,
            days,
            json,
            ics,
        } => {
            let how = if *ics {
                ahead::Shown::Ics
            } else if *json {
                ahead::Shown::Json
            } else {
                ahead::Shown::Grid
            };
            ahead::show(&ctx, *from, *days, how, out)
        }
        Command::Done {
            routine,
            date,
            again,
            no_roll,
            rating,
            note,
        } => {
            let said = record::Said {
                rating: *rating,
                note: note.clone(),
            };
            let how = record::How {
                again: *again,
                no_roll: *no_roll,
            };
            done(&ctx, routine, *date, how, said, out)
        }
        Command::Photo { command } => photo::run(&ctx, command, out),
        Command::Roller { replaced, date } => roller(&ctx, *replaced, *date, out),
        Command::History { csv: true, .. } => export_csv(&ctx, out),
        Command::History { days, json, .. } => show_history(&ctx, *days, *json, out),
        Command::Status {
            format,
            follow: false,
        } => show_status(&ctx, *format, out),
        Command::Status {
            format,
            follow: true,
        } => follow::follow(&ctx, *format, out),
        Command::Shelf {
            action: Some(ShelfAction::Open { name, date }),
            ..
        } => shelf::open(&ctx, name, *date, out),
        Command::Shelf { date, json, .. } => shelf::show_shelf(&ctx, *date, *json, out),
        Command::Hold { action, json } => hold::hold(&ctx, action.as_ref(), *json, out),
        Command::Timer { length, name } => timer::timer(&ctx, *length, name, out),
    }
}

fn notify_test(out: &mut impl Write) -> Result<()> {
    let wait = std::time::Duration::from_secs(10);
    match crate::alerts::desktop::test(wait) {
        Ok(line) => {
            writeln!(out, "delivered: {line}")?;
            Ok(())
        }
        Err(why) => bail!(
            "not delivered: {why}\n(is a notification daemon running on the session bus? \
             DBUS_SESSION_BUS_ADDRESS={})",
            std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_else(|_| "unset".into())
        ),
    }
}

fn check(ctx: &Context, out: &mut impl Write) -> Result<()> {
    let shown = if ctx.built_in {
        "built-in routine".to_string()
    } else {
        ctx.config_path.display().to_string()
    };
    writeln!(out, "{shown}: ok")?;
    for routine in &ctx.config.routines {
        let (hands, total) = crate::routine::config::span(&routine.steps, |_| true);
        let at = routine.at.map(|a| format!(" at {a}")).unwrap_or_default();
        // Steps alongside: how much of it is the person's.
        let yours = if hands < total {
            format!(", {} of it in hand", clock(hands.as_secs()))
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {}{at}: {} steps, {} with every step{yours}",
            routine.name,
            routine.steps.len(),
            clock(total.as_secs())
        )?;
    }
    if let Some(r) = &ctx.config.roller {
        writeln!(
            out,
            "  roller: {} mm needles, {} rest days between rolling days, \
             replace after {} uses or {} days",
            r.needle_mm,
            r.rest_days(),
            r.replace_after_uses,
            r.replace_after_days
        )?;
    }
    for warning in ctx.config.warnings() {
        writeln!(out, "warning: {warning}")?;
    }
    if ctx.config.roller.is_some() && ctx.config.checkin.is_empty() {
        writeln!(out, "  {}", config::NO_CHECKIN)?;
    }
    if !ctx.built_in
        && !ctx.config.hooks.is_empty()
        && let Err(why) = crate::alerts::guard::check(&ctx.config_path)
    {
        writeln!(out, "warning: hooks would be refused: {why}")?;
    }
    Ok(())
}

fn plan_for(ctx: &Context, date: Option<NaiveDate>) -> Result<Plan> {
    let now = ctx.now();
    let date = date.unwrap_or_else(|| ctx.today(now));
    let journal = ctx.journal_for(date, true)?;
    Ok(plan::plan(
        &ctx.config,
        &journal,
        date,
        &plan::place(&Local, now),
    ))
}

fn today(ctx: &Context, date: Option<NaiveDate>, json: bool, out: &mut impl Write) -> Result<()> {
    let plan = plan_for(ctx, date)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &plan)?;
        writeln!(out)?;
        return Ok(());
    }
    let kind = if plan.rolling_day {
        "rolling day"
    } else {
        "rest day"
    };
    writeln!(out, "{} · {kind}", plan.date.format("%a %-d %b %Y"))?;
    if let Some(r) = &plan.roller {
        writeln!(out, "{}", roller_line(r, plan.date))?;
    }
    if let Some(line) = plan.aftercare_line() {
        writeln!(out, "{}", crate::dashboard::ui::clean(&line))?;
    }
    for routine in &plan.routines {
        let at = routine.at.map(|a| format!(" {a}")).unwrap_or_default();
        let state = if routine.done {
            "done".to_string()
        } else {
            clock(routine.total_secs)
        };
        writeln!(out, "\n{}{at} · {state}", routine.name)?;
        for step in &routine.steps {
            let (mark, tail) = match step.status {
                StepState::Pending => ("[ ]", clock(step.secs)),
                StepState::Done => ("[x]", clock(step.secs)),
                StepState::Skipped => ("[s]", "skipped".into()),
                StepState::Off => (
                    "[-]",
                    format!("off: {}", step.reason.as_deref().unwrap_or("")),
                ),
            };
            writeln!(out, "  {mark} {:<24} {tail}", step.name)?;
        }
    }
    // Why, once.
    let paused = plan.routines.iter().flat_map(|r| &r.steps).any(|s| {
        s.reason
            .as_deref()
            .is_some_and(|r| r.starts_with(plan::PAUSED_AFTER))
    });
    if paused {
        writeln!(out, "\n{}", plan::PAUSED_AFTER_WHY)?;
    }
    for warning in &plan.warnings {
        writeln!(out, "\nwarning: {warning}")?;
    }
    Ok(())
}
