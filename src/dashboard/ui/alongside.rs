//! The steps running alongside: their small lines under the big countdown ("Sanitize
//! roller · 3:42"), the view once only they are left, and their list (the `alongside`
//! key).

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{clean, styles};
use crate::dashboard::app::{Action, App};
use crate::routine::words::clock;
use crate::session::countdown::shown_secs;

/// "Sanitize roller · 3:42" for each step running alongside ("· paused" while it is),
/// but the one the step in hand waits for: the state line says that one.
pub fn lines(app: &App, now: Instant) -> Vec<Line<'static>> {
    let waited = app.run.waiting_for();
    app.run
        .asides()
        .into_iter()
        .filter(|&i| Some(i) != waited)
        .map(|i| line(app, i, now).centered())
        .collect()
}

/// "Sanitize roller · 3:42" for step `i`, running alongside.
fn line(app: &App, i: usize, now: Instant) -> Line<'static> {
    let st = styles(app);
    let run = &app.run;
    let step = &run.steps[i];
    let paused = step.aside.is_some_and(|c| !c.is_running());
    let text = format!(
        "{} · {}{}",
        clean(&step.name),
        clock(shown_secs(run.aside_left(i, now))),
        if paused { " · paused" } else { "" }
    );
    Line::styled(text, if paused { st.warning } else { st.pending })
}

/// "waiting for Sanitize roller · 1:10", while the step in hand waits for one.
pub fn waiting(app: &App, now: Instant) -> Option<String> {
    let k = app.run.waiting_for()?;
    Some(format!(
        "waiting for {} · {}",
        clean(&app.run.steps[k].name),
        clock(shown_secs(app.run.aside_left(k, now)))
    ))
}

/// Every step in hand is over and some still run alongside: their countdowns, and how
/// to end the session now.
pub fn render_left(app: &App, now: Instant, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let block = Block::bordered().title(format!(" {} · alongside ", clean(&app.run.routine)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut text = vec![Line::styled("every step in hand is done", st.done).centered()];
    text.push(Line::raw(""));
    text.extend(lines(app, now));
    text.push(Line::raw(""));
    let next = app.keymap.first(Action::Next).unwrap_or_default();
    let pause = app.keymap.first(Action::StartPause).unwrap_or_default();
    text.push(
        Line::styled(
            format!("{next} ends the session now · {pause} pauses"),
            st.key,
        )
        .centered(),
    );
    let [body] = Layout::vertical([Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), body);
}

/// The list the `alongside` key opens, `chosen` marked.
pub fn render_list(app: &App, chosen: usize, now: Instant, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let mut text: Vec<Line> = app
        .run
        .asides()
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let mark = if n == chosen { "▶" } else { " " };
            let words: String = line(app, i, now)
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect();
            Line::raw(format!("{mark} {}  {words}", n + 1))
        })
        .collect();
    text.push(Line::raw(""));
    text.push(Line::styled(
        "1-9 chooses · Enter finishes it now · +/- 30 s · any other key closes",
        st.key,
    ));
    let width = 72.min(area.width);
    let height = (text.len() as u16 + 3).min(area.height);
    let popup = super::centred(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" alongside ")),
        popup,
    );
}
