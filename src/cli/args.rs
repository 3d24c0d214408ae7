//! The command line as clap reads it: the global options and every command with its
//! arguments.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use super::hold::HoldAction;
use super::shelf::ShelfAction;
use super::status::Format;
use crate::routine::keys::Action;

/// A terminal coach for a skincare routine, derma rolling included.
#[derive(Debug, Parser)]
#[command(name = "rollcoach", version, about)]
pub struct Cli {
    /// The routine file [default: ~/.config/rollcoach/config.ron]
    #[arg(long, global = true, env = "ROLLCOACH_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Where the journal and session state live [default: ~/.local/share/rollcoach]
    #[arg(long, global = true, env = "ROLLCOACH_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// What to do; without one, the dashboard opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and validate the config, and summarise it.
    Check,
    /// Write a config of your own to the config path: asks for the needle, the times,
    /// your products and their days, and the check-in (the answers are lines on stdin;
    /// with no terminal and nothing on stdin, the built-in routine).
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
        /// Write the built-in routine without asking.
        #[arg(long)]
        defaults: bool,
    },
    /// Show the plan for a day.
    Today {
        /// The day to plan (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = day)]
        date: Option<NaiveDate>,
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
    /// The nights ahead: which nights roll, which steps run, for the coming days.
    Plan {
        /// The first day (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = day)]
        from: Option<NaiveDate>,
        /// How many days (1 to 366).
        #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// Print every day's plan as JSON, each in `today --json`'s shape.
        #[arg(long, conflicts_with = "ics")]
        json: bool,
        /// Print the nights ahead as an iCalendar file for a calendar to import.
        #[arg(long)]
        ics: bool,
    },
    /// Record a routine as done, for a session away from the terminal.
    Done {
        /// The routine's name.
        routine: String,
        /// The day it was done (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = day)]
        date: Option<NaiveDate>,
        /// Record it even when it is already done that day (a second session).
        #[arg(long)]
        again: bool,
        /// Done without the roll planned in it: a rest night, no roller use.
        #[arg(long)]
        no_roll: bool,
        /// The skin rated 1 (worst) to 5 (best) after the session.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
        rating: Option<u8>,
        /// A one-line note on the session.
        #[arg(long)]
        note: Option<String>,
    },
    /// Progress photos: add one, list them.
    Photo {
        /// What to do with photos.
        #[command(subcommand)]
        command: PhotoCommand,
    },
    /// Show the roller, or record a new one.
    Roller {
        /// Record that the roller was replaced.
        #[arg(long)]
        replaced: bool,
        /// The day to show, or of the replacement (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = day)]
        date: Option<NaiveDate>,
    },
    /// The products on the shelf: actives, when opened, when they expire; or `open` one.
    #[command(args_conflicts_with_subcommands = true)]
    Shelf {
        /// Record a new bottle opened.
        #[command(subcommand)]
        action: Option<ShelfAction>,
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
        /// The day to show (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = day)]
        date: Option<NaiveDate>,
    },
    /// What holds rolling: lasting check-in answers (pregnancy, a keloid tendency...).
    /// No roll is planned while one stands; `hold clear` once it no longer applies.
    #[command(args_conflicts_with_subcommands = true)]
    Hold {
        /// List, clear or add a hold.
        #[command(subcommand)]
        action: Option<HoldAction>,
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
    /// A countdown for anything (a sheet mask): the big digits here, Space pauses, +/-
    /// 30 s, q stops; at its end the bell and a notification as `notify` asks, and the
    /// journal records it. `status` shows it while it runs.
    Timer {
        /// How long: 10m, 90s, 1h30m (at most 24h).
        #[arg(value_parser = super::timer::length)]
        length: std::time::Duration,
        /// What it times.
        #[arg(default_value = "timer")]
        name: String,
    },
    /// One short line for a status bar: a session in progress, what is due, what is next.
    Status {
        /// text, json, waybar (custom-module JSON) or tmux (colour markup).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Keep running: print the line again each time it changes, until stdout or
        /// stdin closes (for waybar, polybar, i3blocks and tmux).
        #[arg(long)]
        follow: bool,
    },
    /// Send an action to the running dashboard, as its key would: start-pause, next,
    /// skip, back, restart, add-time, take-time. Exits 0 once the dashboard took it.
    Ctl {
        /// The action.
        #[arg(value_parser = sendable, value_name = "ACTION")]
        action: Action,
    },
    /// Send one test notification and say whether a server took it.
    NotifyTest,
    /// Print the script that registers completions with a shell.
    ///
    /// The script asks rollcoach itself at each Tab (`COMPLETE=SHELL rollcoach`): the
    /// commands and options, the routine names after `done`, the products after `shelf
    /// open`, the standing holds after `hold clear`, the actions `ctl` sends, and today
    /// and yesterday for `--date`, from the config and journal the line names.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    ///
    /// One page: the commands, the dashboard's keys, the config's fields, the files,
    /// the environment and the exit status.
    Man,
    /// Past sessions, newest first, and the current streak.
    History {
        /// How many days back.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// Print JSON for scripts.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Export every session as CSV (date, routine, started, ended, seconds, steps
        /// done, steps skipped, rolled, rating, note).
        #[arg(long)]
        csv: bool,
    },
}

/// An action `ctl` can send, by its command-line name.
fn sendable(name: &str) -> Result<Action, String> {
    Action::from_name(name)
        .filter(|a| Action::SENDABLE.contains(a))
        .ok_or_else(|| format!("send one of {}", crate::dashboard::ctl::sendable_names()))
}

/// What `photo` does.
#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// Copy a JPEG or PNG into the data dir's photo folder and record it; the original is
    /// left as it is.
    Add {
        /// The photo.
        file: PathBuf,
        /// The day it was taken (YYYY-MM-DD) [default: its EXIF date, else today]
        #[arg(long, value_parser = day)]
        date: Option<NaiveDate>,
        /// A one-line note.
        #[arg(long)]
        note: Option<String>,
    },
    /// List the photos, oldest first.
    List {
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
}

/// A day on the command line, "YYYY-MM-DD", with the form to write when it is not one.
pub fn day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a day: write it as YYYY-MM-DD, e.g. 2026-11-28"))
}
