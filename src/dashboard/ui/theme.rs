//! Colours by role, from the config's palette and colours, or none under NO_COLOR. The
//! marks carry the status too, so a monochrome terminal stays readable.

use ratatui::style::{Color, Modifier, Style};

use crate::routine::prefs::{Colour, Palette, Theme};

/// A colour of the config on the terminal.
pub fn colour(colour: Colour) -> Color {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match colour {
        Colour::Reset => Color::Reset,
        Colour::Named(i) => NAMED.get(i as usize).copied().unwrap_or(Color::Reset),
        Colour::Indexed(i) => Color::Indexed(i),
        Colour::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// The style of each role on screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Styles {
    /// The current step, the countdown.
    pub accent: Style,
    /// Done steps.
    pub done: Style,
    /// Steps still to do.
    pub pending: Style,
    /// Steps off today, quiet text.
    pub off: Style,
    /// A worn roller, a paused countdown, the status line.
    pub warning: Style,
    /// Key names.
    pub key: Style,
}

impl Styles {
    /// The styles of a theme; `no_color` keeps only bold, dim and reverse.
    pub fn new(theme: &Theme, no_color: bool) -> Styles {
        let bold = Modifier::BOLD;
        if no_color {
            return Styles {
                accent: Style::new().add_modifier(bold),
                done: Style::new(),
                pending: Style::new(),
                off: Style::new().add_modifier(Modifier::DIM),
                warning: Style::new().add_modifier(bold | Modifier::REVERSED),
                key: Style::new().add_modifier(bold),
            };
        }
        let [accent, done, pending, off, warning] = match theme.palette {
            Palette::Default => [
                Color::Cyan,
                Color::Green,
                Color::Reset,
                Color::DarkGray,
                Color::Yellow,
            ],
            Palette::Light => [
                Color::Blue,
                Color::Green,
                Color::Black,
                Color::Gray,
                Color::Red,
            ],
            Palette::HighContrast => [
                Color::LightYellow,
                Color::LightGreen,
                Color::White,
                Color::Gray,
                Color::LightRed,
            ],
        };
        let pick = |own: Option<Colour>, base: Color| own.map_or(base, colour);
        let strong = if theme.palette == Palette::HighContrast {
            bold
        } else {
            Modifier::empty()
        };
        Styles {
            accent: Style::new()
                .fg(pick(theme.accent, accent))
                .add_modifier(bold),
            done: Style::new().fg(pick(theme.done, done)).add_modifier(strong),
            pending: Style::new().fg(pick(theme.pending, pending)),
            off: Style::new().fg(pick(theme.off, off)),
            warning: Style::new()
                .fg(pick(theme.warning, warning))
                .add_modifier(bold),
            key: Style::new().add_modifier(bold),
        }
    }
}
