//! The photo view: an earlier photo beside a later one, each with its date, and what
//! was done between them. The pictures are made by the photo worker; until one comes,
//! its place says so.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui_image::Image;

use super::{clean, styles};
use crate::dashboard::app::{Action, App, Compared, Overlay};
use crate::dashboard::photos::areas;
use crate::routine::journal::PhotoRecord;

/// Draws the view over `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let st = styles(app);
    let Some(Overlay::Photos(view)) = &app.overlay else {
        return;
    };
    frame.render_widget(Clear, area);
    let back = app.keymap.label(Action::Photos);
    let title = if back.is_empty() {
        " photos · Esc closes ".to_string()
    } else {
        format!(" photos · {back} back to the history · Esc closes ")
    };
    frame.render_widget(Block::bordered().title(title), area);
    let at = areas(area);
    let Some(compared) = view.compared(&app.journal) else {
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw("No photos yet."),
                Line::styled(
                    "`rollcoach photo add FILE` adds one (JPEG or PNG; its date from EXIF).",
                    st.off,
                ),
            ])
            .wrap(Wrap { trim: false }),
            at.info.union(at.earlier.0),
        );
        return;
    };
    frame.render_widget(Paragraph::new(info(&compared, &st)), at.info);
    match compared.earlier {
        Some(earlier) => picture(app, frame, earlier, at.earlier, &st),
        None => frame.render_widget(
            Paragraph::new(Line::styled("no earlier photo to compare with", st.off))
                .wrap(Wrap { trim: false }),
            at.earlier.0,
        ),
    }
    picture(app, frame, compared.later, at.later, &st);
    let key = |a: Action| app.keymap.label(a);
    // A key that changed nothing says so here, where the footer is hidden.
    let line = match &app.message {
        Some(message) => Line::styled(clean(message), st.warning),
        None => Line::styled(
            format!(
                "{}/{} step through photos · {}/{} shorter/longer span",
                key(Action::EarlierPhoto),
                key(Action::LaterPhoto),
                key(Action::ShorterSpan),
                key(Action::LongerSpan),
            ),
            st.off,
        ),
    };
    frame.render_widget(Paragraph::new(line), at.keys);
}

fn info(c: &Compared, st: &super::theme::Styles) -> Vec<Line<'static>> {
    let (place, count) = c.place;
    let weeks = |n: u32| format!("{n} week{}", if n == 1 { "" } else { "s" });
    let mut first = vec![Span::styled(format!("photo {place} of {count}"), st.accent)];
    let second = match c.earlier {
        Some(e) => {
            let days = (c.later.taken - e.taken).num_days();
            first.push(Span::raw(format!(
                " beside the one closest to {} before: {} day{} apart",
                weeks(c.weeks),
                days,
                if days == 1 { "" } else { "s" }
            )));
            format!(
                "between them: {} session{}, {} roll{}",
                c.sessions,
                if c.sessions == 1 { "" } else { "s" },
                c.rolls,
                if c.rolls == 1 { "" } else { "s" }
            )
        }
        None => {
            first.push(Span::raw(format!(" · span {}", weeks(c.weeks))));
            "the first photo: nothing earlier to compare".to_string()
        }
    };
    vec![Line::from(first), Line::raw(second)]
}

fn picture(
    app: &App,
    frame: &mut Frame,
    photo: &PhotoRecord,
    (image, caption): (Rect, Rect),
    st: &super::theme::Styles,
) {
    let mut text = photo.taken.format("%a %-d %b %Y").to_string();
    if let Some(note) = &photo.note {
        text.push_str(" · ");
        text.push_str(&clean(note));
    }
    // Cut short of the caption's last column: two captions side by side never meet.
    let text = super::fit_line(&text, usize::from(caption.width.saturating_sub(1)));
    frame.render_widget(Paragraph::new(Line::styled(text, st.accent)), caption);
    let waiting = |frame: &mut Frame, line: String| {
        frame.render_widget(
            Paragraph::new(Line::styled(line, st.off)).wrap(Wrap { trim: false }),
            image,
        );
    };
    match app.picture(&photo.file).map(|p| &p.shown) {
        Some(Ok(protocol)) => {
            let size = protocol.size();
            if size.width <= image.width && size.height <= image.height {
                frame.render_widget(Image::new(protocol), image);
            } else {
                // Made for a larger screen; the worker is making it again.
                waiting(frame, "scaling…".into());
            }
        }
        Some(Err(why)) => waiting(frame, format!("cannot show: {}", clean(why))),
        None => waiting(frame, "scaling…".into()),
    }
}
