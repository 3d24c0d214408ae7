//! `rollcoach timer 10m [NAME]`: a countdown for anything (a sheet mask, a wait before
//! tretinoin), in the terminal it was started from: the big digits, Space to pause,
//! `+`/`-` 30 s, `q` to stop. While it runs `timer.json` in the data dir tells `status`
//! (and a status bar) about it; at its end the bell rings and a desktop notification
//! says so, as the config's `notify` asks, and the journal records it.

use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use tui_big_text::{BigText, PixelSize};

use super::*;
use crate::routine::words::clock;
use crate::session::Moment;
use crate::session::countdown::shown_secs;
use crate::session::timer::{LONGEST, TIMER_FILE, Timer};

/// A timer's length on the command line: "10m", "90s", "1h30m", at most 24 h.
pub fn length(text: &str) -> Result<Duration, String> {
    let length = humantime::parse_duration(text)
        .map_err(|_| format!("{text:?} is not a length: write it as 10m, 90s or 1h30m"))?;
    if length.is_zero() || length > LONGEST {
        return Err(format!("{text:?}: a timer runs from 1s to 24h"));
    }
    Ok(length)
}

/// Runs the timer to its end (or until stopped) and records it.
pub(super) fn timer(
    ctx: &Context,
    length: Duration,
    name: &str,
    out: &mut impl Write,
) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(
            BadInput("a timer's name is one line of text, e.g. \"Sheet mask\"".into()).into(),
        );
    }
    let mut terminal =
        ratatui::try_init().map_err(|e| anyhow::anyhow!("the timer needs a terminal ({e})"))?;
    let path = ctx.data_dir.join(TIMER_FILE);
    let mut timer = Timer::start(name, length, Moment::now());
    let ran = run(&mut terminal, &mut timer, ctx, &path);
    ratatui::restore();
    let _ = std::fs::remove_file(&path);
    let now = Moment::now();
    let record = timer.record(now);
    let complete = record.complete;
    append(ctx, &Record::Timer(record))?;
    ran?;
    let name = crate::dashboard::ui::clean(name);
    if complete {
        writeln!(out, "{name}: {} done", clock(timer.length.as_secs()))?;
    } else {
        writeln!(
            out,
            "{name}: stopped with {} left",
            clock(shown_secs(timer.left(now.instant)))
        )?;
    }
    Ok(())
}

/// The loop: a frame each shown second while it runs, none while it waits for a key.
fn run(
    terminal: &mut ratatui::DefaultTerminal,
    timer: &mut Timer,
    ctx: &Context,
    path: &std::path::Path,
) -> Result<()> {
    save(path, timer, Moment::now());
    let mut rang = false;
    loop {
        let now = Moment::now();
        let done = timer.is_done(now.instant);
        if done && !rang {
            rang = true;
            ring(ctx, timer);
            let _ = std::fs::remove_file(path);
        }
        terminal.draw(|frame| draw(frame, timer, now))?;
        // Running: wake at the next shown second; paused or done: only for a key.
        let wait = if done {
            None
        } else {
            timer.next_second(now.instant)
        };
        let ready = match wait {
            Some(wait) => event::poll(wait)?,
            None => event::poll(Duration::from_secs(24 * 3600))?,
        };
        if !ready {
            continue;
        }
        let Event::Key(key) = event::read()? else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        let now = Moment::now();
        let ctrl_c =
            key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
        match key.code {
            _ if done || ctrl_c => return Ok(()),
            KeyCode::Char('q') | KeyCode::Esc => return Ok(()),
            KeyCode::Char(' ') => timer.toggle(now),
            KeyCode::Char('+' | '=') => timer.nudge(true, now),
            KeyCode::Char('-') => timer.nudge(false, now),
            _ => continue,
        }
        save(path, timer, now);
    }
}

/// `timer.json`, for `status`: written whole, never half.
fn save(path: &std::path::Path, timer: &Timer, now: Moment) {
    let mut saved = timer.saved(now);
    saved.pid = Some(std::process::id());
    if let Ok(bytes) = serde_json::to_vec(&saved) {
        let _ = crate::routine::atomic::write(path, &bytes, false);
    }
}

/// Its end reaches the person as a step's does: the bell, a desktop notification (on a
/// thread of its own: the server may take its time), as the config's `notify` says.
fn ring(ctx: &Context, timer: &Timer) {
    if ctx.config.notify.bell {
        let mut stdout = std::io::stdout();
        let _ = stdout.write_all(b"\x07");
        let _ = stdout.flush();
    }
    if ctx.config.notify.desktop {
        let summary = format!("{} done", crate::dashboard::ui::clean(&timer.name));
        let body = format!("{} are up", clock(timer.length.as_secs()));
        let _ = std::thread::Builder::new()
            .name("notify".into())
            .spawn(move || crate::alerts::desktop::send(&summary, &body));
    }
}

fn draw(frame: &mut ratatui::Frame, timer: &Timer, now: Moment) {
    let area = frame.area();
    let left = timer.left(now.instant);
    let digits = clock(shown_secs(left));
    let [name, big, state, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if area.height >= 12 { 8 } else { 4 }),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .flex(Flex::Center)
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::raw(crate::dashboard::ui::clean(&timer.name)).centered()),
        name,
    );
    let size = if big.height >= 8 && big.width >= 8 * digits.len() as u16 {
        PixelSize::Full
    } else {
        PixelSize::Quadrant
    };
    frame.render_widget(
        BigText::builder()
            .pixel_size(size)
            .lines(vec![digits.into()])
            .centered()
            .build(),
        big,
    );
    let (said, keys_line) = if left.is_zero() {
        ("done", "any key closes")
    } else if timer.is_running() {
        ("running", "Space pause  +/- 30s  q stop")
    } else {
        ("paused", "Space go on  +/- 30s  q stop")
    };
    frame.render_widget(Paragraph::new(Line::raw(said).centered()), state);
    frame.render_widget(Paragraph::new(Line::raw(keys_line).centered()), keys);
}
