//! The terminal: set up with a viewport resized on resize events, and what each input
//! read from it (or posted) makes for the app.

use super::*;

/// The terminal as ratatui's `try_init` sets it up (raw mode, the alternate screen, a
/// panic hook that restores it), with a viewport of the size it has now, resized on
/// each resize event: ratatui's full-screen viewport asks the size before every frame,
/// opening /dev/tty once a second while a step counts down.
pub(super) fn init_terminal() -> io::Result<ratatui::DefaultTerminal> {
    let (width, height) = ratatui::crossterm::terminal::size()?;
    let viewport = ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, width, height));
    let terminal = ratatui::try_init_with_options(ratatui::TerminalOptions { viewport })?;
    ratatui::crossterm::execute!(
        io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen
    )?;
    Ok(terminal)
}

/// The message an input makes, if any; an error when the terminal is gone. A resize
/// resizes the viewport to the size the terminal has now (of several resizes in a
/// row, the last one read is the size that stays).
pub(super) fn message(
    app: &App,
    input: Input,
    terminal: &mut ratatui::DefaultTerminal,
) -> Result<Option<Msg>> {
    Ok(match input {
        Input::App(msg) => Some(msg),
        Input::Terminal(TermEvent::Key(key)) if app.wants_keys() => keymap::input(key),
        Input::Terminal(TermEvent::Key(key)) => app.keymap.action(key).map(Msg::Key),
        Input::Terminal(TermEvent::Resize(..)) => {
            let (width, height) = ratatui::crossterm::terminal::size()?;
            let _screen = SCREEN.lock();
            terminal.resize(ratatui::layout::Rect::new(0, 0, width, height))?;
            Some(Msg::Resize)
        }
        Input::Terminal(_) => None,
        Input::TerminalGone(e) => return Err(e).context("cannot read the terminal"),
    })
}

/// The graphics question, asked on the input thread while the first frame is drawn:
/// written under the lock frames are drawn under, so the two never interleave.
pub(super) fn graphics_question(question: super::super::photos::Question) -> First {
    Box::new(move |key| {
        let write = |bytes: &[u8]| {
            let _screen = SCREEN.lock();
            let mut out = io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()
        };
        question.ask(write, key);
    })
}
