//! One short line for a status bar (tmux, waybar): a session in progress, what is due,
//! or what comes next, and when it next changes by itself. Pure: the caller reads the
//! files and passes the time.

use crate::routine::config::StepKind;
use crate::routine::words::next_roll_day;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Serialize;

use crate::routine::config::Config;
use crate::routine::journal::Journal;
use crate::routine::plan::{self, Plan, StepState};
use crate::routine::words::clock;
use crate::session::countdown::shown_secs;
use crate::session::run::{Run, Saved};
use crate::session::timer::SavedTimer;

/// What the bar shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    /// `running`, `paused`, `due` or `idle`.
    pub state: &'static str,
    /// The routine it is about, if any.
    pub routine: Option<String>,
    /// The current step of a session in progress.
    pub step: Option<String>,
    /// Seconds left of that step.
    pub left_secs: Option<u64>,
    /// Its position, 1-based, and the number of steps.
    pub position: Option<(usize, usize)>,
    /// Today is a rolling day.
    pub rolling_day: bool,
    /// The next rolling day still to come.
    pub next_roll: Option<chrono::NaiveDate>,
    /// The line itself.
    pub text: String,
    /// A longer line for a tooltip.
    pub tooltip: String,
    /// The next local time at which the line or the tooltip can change with nothing
    /// written (the next shown second of a running step, a routine falling due, a pause
    /// ending, the next day); `status --follow` sleeps until then.
    #[serde(skip)]
    pub changes_at: Option<NaiveDateTime>,
}

/// When the shown second of a countdown with `left` at `now` changes.
fn next_second(now: NaiveDateTime, left: Duration) -> Option<NaiveDateTime> {
    let secs = shown_secs(left);
    // The shown second changes when `left` drops to the whole second below it.
    let next = left.saturating_sub(Duration::from_secs(secs.saturating_sub(1)));
    let next = chrono::TimeDelta::from_std(next).unwrap_or(chrono::TimeDelta::MAX);
    now.checked_add_signed(next)
}

/// The status at `now`, from the config, the journal and the saved session; `live`
/// when a dashboard holds that session (otherwise it is paused, whatever it was when it
/// was saved: the dashboard that ran it is gone).
pub fn status(
    config: &Config,
    journal: &Journal,
    saved: Option<&Saved>,
    live: bool,
    now: DateTime<FixedOffset>,
) -> Status {
    let plan_now = now;
    let now = now.naive_local();
    let day = plan::day_of(now, config.day_starts_at);
    let plan = plan::plan(config, journal, day, &plan_now);
    let next_roll = plan.roller.as_ref().and_then(|r| r.next_after(day));
    let kind = if plan.rolling_day {
        "rolling day"
    } else {
        "rest day"
    };
    let mut status = Status {
        state: "idle",
        routine: None,
        step: None,
        left_secs: None,
        position: None,
        rolling_day: plan.rolling_day,
        next_roll,
        text: String::new(),
        tooltip: tooltip(&plan),
        changes_at: changes_at(config, journal, &plan, &plan_now),
    };
    if let Some(saved) = saved.filter(|s| s.day == day)
        && let Some(run) = restored(config, &plan, saved)
        && (run.current_step().is_some() || !saved.alongside.is_empty())
    {
        let running = saved.running && live;
        let since = saved
            .saved_at
            .and_then(|at| (now - at.naive_local()).to_std().ok())
            .unwrap_or(Duration::ZERO);
        // Each step alongside counts down on its own: "Disinfect roller 2:10".
        let mut asides = Vec::new();
        for a in &saved.alongside {
            let aside_running = a.running && live;
            let left = Duration::from_millis(a.left_ms);
            let left = if aside_running {
                left.saturating_sub(since)
            } else {
                left
            };
            if aside_running {
                status.changes_at = [next_second(now, left), status.changes_at]
                    .into_iter()
                    .flatten()
                    .min();
            }
            asides.push(format!("{} {}", a.name, clock(shown_secs(left))));
        }
        let any_running = running || saved.alongside.iter().any(|a| a.running && live);
        status.state = if any_running { "running" } else { "paused" };
        status.routine = Some(run.routine.clone());
        if let Some(step) = run.current_step() {
            // A restored run is paused, so any instant reads the same time left.
            let mut left = run.step_left(std::time::Instant::now());
            if running {
                left = left.saturating_sub(since);
                status.changes_at = [next_second(now, left), status.changes_at]
                    .into_iter()
                    .flatten()
                    .min();
            }
            let secs = shown_secs(left);
            let position = run.position();
            status.text = format!(
                "{} {} · {}/{}",
                step.name,
                clock(secs),
                position.0,
                position.1
            );
            status.step = Some(step.name.clone());
            status.left_secs = Some(secs);
            status.position = Some(position);
        } else {
            status.text = run.routine.clone();
        }
        for aside in asides {
            status.text.push_str(" · ");
            status.text.push_str(&aside);
        }
        if !any_running {
            status.text.push_str(" · paused");
        }
        return status;
    }
    let due = config
        .routines
        .iter()
        .zip(&plan.routines)
        .filter(|(r, p)| {
            // A routine without `at` is due all day, while it has a step to do.
            !p.done
                && match r.at {
                    Some(at) => plan::clock_on(day, at.0, config.day_starts_at) <= now,
                    None => p.steps.iter().any(|s| s.status == StepState::Pending),
                }
        })
        .max_by_key(|(r, _)| r.at);
    if let Some((routine, _)) = due {
        let at = routine.at.map(|a| format!(" {a}")).unwrap_or_default();
        status.state = "due";
        status.routine = Some(routine.name.clone());
        status.text = format!("{} due{at} · {kind}", routine.name);
        return status;
    }
    let upcoming = config
        .routines
        .iter()
        .zip(&plan.routines)
        .filter(|(r, p)| !p.done && r.at.is_some())
        .min_by_key(|(r, _)| r.at);
    status.text = match (upcoming, next_roll) {
        (Some((r, p)), _) => {
            // The routine that rolls tonight says so.
            let rolls = p
                .steps
                .iter()
                .any(|s| s.kind == StepKind::Roll && s.status == StepState::Pending);
            format!(
                "next {} {}{}",
                r.name,
                r.at.map(|a| a.to_string()).unwrap_or_default(),
                if rolls { " · roll night" } else { "" }
            )
        }
        (None, Some(roll)) if roll == day => "rolling day".to_string(),
        (None, Some(roll)) => format!("next roll {}", next_roll_day(Some(roll), day)),
        (None, None) if plan.roller.as_ref().is_some_and(|r| !r.held.is_empty()) => {
            "rolling held".to_string()
        }
        (None, None) => "all done today".to_string(),
    };
    status
}

/// When the plan's line can next change by time alone: a routine not done falling due,
/// a pause after rolling ending, the next day starting.
fn changes_at(
    config: &Config,
    journal: &Journal,
    plan: &Plan,
    now: &DateTime<FixedOffset>,
) -> Option<NaiveDateTime> {
    let local = now.naive_local();
    let due = config
        .routines
        .iter()
        .zip(&plan.routines)
        .filter(|(_, p)| !p.done)
        .filter_map(|(r, _)| r.at)
        .map(|at| plan::clock_on(plan.date, at.0, config.day_starts_at));
    let next_day = plan
        .date
        .succ_opt()
        .map(|d| d.and_time(config.day_starts_at.0));
    let pause = plan::next_change(config, journal, plan.date, now).map(|t| t.naive_local());
    due.chain(next_day)
        .chain(pause)
        .filter(|t| *t > local)
        .min()
}

/// A saved run put back on today's plan, if its routine still exists.
fn restored(config: &Config, plan: &Plan, saved: &Saved) -> Option<Run> {
    let index = config
        .routines
        .iter()
        .position(|r| r.name == saved.routine)?;
    let mut run = Run::new(
        &config.routines[index],
        &plan.routines[index],
        plan.date,
        Duration::ZERO,
    );
    run.restore(saved);
    Some(run)
}

fn tooltip(plan: &Plan) -> String {
    let mut lines: Vec<String> = plan
        .routines
        .iter()
        .map(|r| {
            let at = r.at.map(|a| format!(" {a}")).unwrap_or_default();
            let state = if r.done {
                "done".to_string()
            } else {
                clock(r.total_secs)
            };
            format!("{}{at}: {state}", r.name)
        })
        .collect();
    if let Some(r) = &plan.roller {
        lines.push(format!(
            "roller {} of {} uses · next roll {}",
            r.uses,
            r.replace_after_uses,
            next_roll_day(r.next_after(plan.date), plan.date)
        ));
    }
    lines.extend(plan.aftercare_line());
    lines.join("\n")
}

/// A timer (`rollcoach timer`) running or paused, first on the line: "Sheet mask 4:12 ·
/// evening due 21:00 · rolling day". One that has run out is left off (its terminal
/// rings and removes the file).
pub fn with_timer(mut status: Status, timer: &SavedTimer, now: DateTime<FixedOffset>) -> Status {
    let left = timer.left_at(now);
    if left == 0 {
        return status;
    }
    let paused = if timer.ends.is_none() { " paused" } else { "" };
    let name = crate::dashboard::ui::clean(&timer.name);
    status.text = format!("{name} {}{paused} · {}", clock(left), status.text);
    status.tooltip = format!(
        "timer {name}: {} left{paused}\n{}",
        clock(left),
        status.tooltip
    );
    if let Some(ends) = timer.ends {
        // The shown second drops a whole second before the next shown value's end.
        let next = ends - chrono::TimeDelta::seconds(left.saturating_sub(1) as i64);
        status.changes_at = [Some(next.naive_local()), status.changes_at]
            .into_iter()
            .flatten()
            .min();
    }
    status
}

/// The status as a bar wants it.
pub fn render(status: &Status, format: Format) -> String {
    match format {
        Format::Text => status.text.clone(),
        Format::Json => serde_json::to_string(status).unwrap_or_default(),
        // waybar reads text and tooltip as Pango markup, and a stray `&` or `<` blanks
        // the module.
        Format::Waybar => serde_json::json!({
            "text": pango_escape(&status.text),
            "tooltip": pango_escape(&status.tooltip),
            "class": status.state,
        })
        .to_string(),
        Format::Tmux => {
            let colour = match status.state {
                "running" => "green",
                "paused" | "due" => "yellow",
                _ => "default",
            };
            // tmux reads `#` as the start of markup; `##` is a literal one.
            format!("#[fg={colour}]{}#[default]", status.text.replace('#', "##"))
        }
    }
}

/// Text for Pango markup, escaped as GLib's `g_markup_escape_text` does.
fn pango_escape(text: &str) -> String {
    crate::alerts::escape_markup(text)
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Output formats of `rollcoach status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Waybar,
    Tmux,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::config::parse;
    use crate::session::Moment;

    const CONFIG: &str = r#"(
        roller: (needle_mm: 0.5),
        routines: [
            (name: "morning", at: "07:30", steps: [(name: "Cleanse", kind: Cleanse, duration: "1m")]),
            (name: "evening", at: "21:00", steps: [
                (name: "Cleanse", kind: Cleanse, duration: "90s"),
                (name: "Roll", kind: Roll, zones: [(name: "Forehead", duration: "2m"), (name: "Chin", duration: "1m")]),
                (name: "Moisturise", kind: Moisturise, duration: "1m"),
            ]),
        ],
    )"#;

    fn at(t: &str) -> chrono::DateTime<chrono::FixedOffset> {
        format!("{t}+00:00").parse().unwrap()
    }

    /// The evening run saved 20 s into its Roll step.
    fn saved(running: bool) -> Saved {
        let config = parse(CONFIG).unwrap();
        let wall = "2026-11-23T21:05:00+00:00".parse().unwrap();
        let t = Moment {
            instant: std::time::Instant::now(),
            wall,
        };
        let plan = plan::plan(&config, &Journal::default(), t.local().date(), &t.wall);
        let mut run = Run::new(
            &config.routines[1],
            &plan.routines[1],
            plan.date,
            Duration::ZERO,
        );
        run.finish(t);
        run.start_pause(t);
        let later = t.after(Duration::from_secs(20));
        run.tick(later);
        if !running {
            run.start_pause(later);
        }
        run.saved(later)
    }

    #[test]
    fn a_running_session_counts_down_from_its_save() {
        let config = parse(CONFIG).unwrap();
        let s = status(
            &config,
            &Journal::default(),
            Some(&saved(true)),
            true,
            at("2026-11-23T21:05:30"),
        );
        // 3:00 of Roll, 0:20 gone at the save, 0:10 more since.
        assert_eq!(s.text, "Roll 2:30 · 2/3");
        assert_eq!((s.state, s.left_secs), ("running", Some(150)));
        assert_eq!(
            render(&s, Format::Tmux),
            "#[fg=green]Roll 2:30 · 2/3#[default]"
        );
    }

    #[test]
    fn a_running_session_without_its_dashboard_is_paused_as_saved() {
        let config = parse(CONFIG).unwrap();
        // The dashboard was closed or killed at 21:05:20; hours later it still says
        // what was left then.
        let s = status(
            &config,
            &Journal::default(),
            Some(&saved(true)),
            false,
            at("2026-11-23T23:00:00"),
        );
        assert_eq!(s.text, "Roll 2:40 · 2/3 · paused");
        assert_eq!((s.state, s.left_secs), ("paused", Some(160)));
    }

    #[test]
    fn a_paused_session_holds_its_time() {
        let config = parse(CONFIG).unwrap();
        let s = status(
            &config,
            &Journal::default(),
            Some(&saved(false)),
            true,
            at("2026-11-23T21:30:00"),
        );
        assert_eq!(s.text, "Roll 2:40 · 2/3 · paused");
        let waybar: serde_json::Value = serde_json::from_str(&render(&s, Format::Waybar)).unwrap();
        assert_eq!(waybar["class"], "paused");
        assert!(
            waybar["tooltip"]
                .as_str()
                .unwrap()
                .contains("evening 21:00")
        );
    }

    #[test]
    fn waybar_text_and_tooltip_are_escaped_for_pango() {
        let config = parse(&CONFIG.replace("evening", r#"Tom & Jerry <3 \"night\""#)).unwrap();
        let due = status(
            &config,
            &Journal::default(),
            None,
            true,
            at("2026-11-23T21:10:00"),
        );
        let waybar: serde_json::Value =
            serde_json::from_str(&render(&due, Format::Waybar)).unwrap();
        assert_eq!(
            waybar["text"],
            "Tom &amp; Jerry &lt;3 &quot;night&quot; due 21:00 · rolling day"
        );
        assert!(
            waybar["tooltip"]
                .as_str()
                .unwrap()
                .contains("Tom &amp; Jerry &lt;3 &quot;night&quot; 21:00: "),
            "{waybar}"
        );
        assert_eq!(waybar["class"], "due");
        // Only waybar reads markup: the other formats keep the name as it is.
        assert_eq!(
            render(&due, Format::Text),
            r#"Tom & Jerry <3 "night" due 21:00 · rolling day"#
        );
        assert_eq!(pango_escape("a'b>c"), "a&#39;b&gt;c");
    }

    #[test]
    fn a_save_of_another_day_is_ignored() {
        let config = parse(CONFIG).unwrap();
        let s = status(
            &config,
            &Journal::default(),
            Some(&saved(true)),
            true,
            at("2026-11-24T06:00:00"),
        );
        assert_eq!(s.text, "next morning 07:30");
    }

    #[test]
    fn it_next_changes_at_the_shown_second_a_due_time_or_the_next_day() {
        let config = parse(CONFIG).unwrap();
        let local = |t: &str| t.parse::<NaiveDateTime>().unwrap();
        // 2:30.0 left at 21:05:30: the shown second changes a second later.
        let running = status(
            &config,
            &Journal::default(),
            Some(&saved(true)),
            true,
            at("2026-11-23T21:05:30.250"),
        );
        assert_eq!(running.changes_at, Some(local("2026-11-23T21:05:31")));
        // Paused: nothing changes until the next day starts (04:00 by default).
        let paused = status(
            &config,
            &Journal::default(),
            Some(&saved(false)),
            true,
            at("2026-11-23T21:30:00"),
        );
        assert_eq!(paused.changes_at, Some(local("2026-11-24T04:00:00")));
        // Before a routine falls due, at its time.
        let early = status(
            &config,
            &Journal::default(),
            None,
            true,
            at("2026-11-23T05:00:00"),
        );
        assert_eq!(early.changes_at, Some(local("2026-11-23T07:30:00")));
    }

    #[test]
    fn what_is_due_or_next() {
        let config = parse(CONFIG).unwrap();
        let due = status(
            &config,
            &Journal::default(),
            None,
            true,
            at("2026-11-23T21:10:00"),
        );
        assert_eq!(due.text, "evening due 21:00 · rolling day");
        let json: serde_json::Value = serde_json::from_str(&render(&due, Format::Json)).unwrap();
        assert_eq!(json["state"], "due");
        assert_eq!(json["routine"], "evening");
        let early = status(
            &config,
            &Journal::default(),
            None,
            true,
            at("2026-11-23T05:00:00"),
        );
        assert_eq!(early.text, "next morning 07:30");
    }

    #[test]
    fn a_routine_without_a_time_is_due_all_day_until_done() {
        let config = parse(
            r#"(routines: [
                (name: "morning", steps: [(name: "C", kind: Cleanse, duration: "1m")]),
                (name: "evening", at: "21:00", steps: [(name: "C", kind: Cleanse, duration: "1m")]),
            ])"#,
        )
        .unwrap();
        let early = status(
            &config,
            &Journal::default(),
            None,
            true,
            at("2026-11-23T05:00:00"),
        );
        assert_eq!(early.text, "morning due · rest day");
        assert_eq!(early.state, "due");
        // A due routine with a time is named before one due all day.
        let late = status(
            &config,
            &Journal::default(),
            None,
            true,
            at("2026-11-23T21:30:00"),
        );
        assert_eq!(late.text, "evening due 21:00 · rest day");
    }
}
