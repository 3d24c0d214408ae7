//! Colours by role. Marks carry the status too, so a monochrome terminal stays readable.

use ratatui::style::{Color, Modifier, Style};

/// The accent: the current step, the countdown.
pub fn accent() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// Done steps.
pub fn done() -> Style {
    Style::new().fg(Color::Green)
}

/// Steps still to do.
pub fn pending() -> Style {
    Style::new()
}

/// Steps off today, and quiet text.
pub fn off() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// Warnings: a worn roller, a paused countdown.
pub fn warning() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// Key names in the footer and help.
pub fn key() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
