//! The config's `theme`: how the dashboard looks. Pure data: the dashboard turns these
//! into terminal styles.

use serde::{Deserialize, Deserializer};

/// A built-in palette.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Palette {
    /// For dark terminals.
    #[default]
    Default,
    /// For light terminals.
    Light,
    /// Strong contrast, bold marks.
    HighContrast,
}

/// A colour: one of the 16 named terminal colours, an index of the 256, or true colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// The terminal's own foreground.
    Reset,
    /// A named colour, by its place in `COLOUR_NAMES` (0 black .. 15 white).
    Named(u8),
    /// An index of the 256-colour palette ("42").
    Indexed(u8),
    /// "#rrggbb".
    Rgb(u8, u8, u8),
}

/// The named colours, in ANSI order: black, red, .., gray, then the light ones.
pub const COLOUR_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

impl std::str::FromStr for Colour {
    type Err = ();

    /// Names are read loosely, as people write them: "light_blue", "Light Blue",
    /// "bright-blue", "grey", "silver".
    fn from_str(text: &str) -> Result<Colour, ()> {
        let name = text
            .to_lowercase()
            .replace([' ', '-', '_'], "")
            .replace("bright", "light")
            .replace("grey", "gray")
            .replace("silver", "gray")
            .replace("lightblack", "darkgray")
            .replace("lightwhite", "white")
            .replace("lightgray", "white");
        if name == "reset" {
            return Ok(Colour::Reset);
        }
        if let Some(i) = COLOUR_NAMES.iter().position(|n| *n == name) {
            return Ok(Colour::Named(i as u8));
        }
        if let Ok(index) = text.parse::<u8>() {
            return Ok(Colour::Indexed(index));
        }
        let hex = text.strip_prefix('#').filter(|h| h.len() == 6).ok_or(())?;
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).ok_or(())?, 16).map_err(|_| ());
        Ok(Colour::Rgb(byte(0)?, byte(2)?, byte(4)?))
    }
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown colour {text:?}: write a name (\"cyan\", \"light_blue\"), \
                 an index (\"42\") or \"#rrggbb\""
            ))
        })
    }
}

/// `theme:` in the config: a palette, and colours by role over it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Theme {
    pub palette: Palette,
    pub accent: Option<Colour>,
    pub done: Option<Colour>,
    pub pending: Option<Colour>,
    pub off: Option<Colour>,
    pub warning: Option<Colour>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_as_people_write_them() {
        for (text, colour) in [
            ("cyan", Colour::Named(6)),
            ("Light Blue", Colour::Named(12)),
            ("light_blue", Colour::Named(12)),
            ("bright-red", Colour::Named(9)),
            ("grey", Colour::Named(7)),
            ("dark_gray", Colour::Named(8)),
            ("reset", Colour::Reset),
            ("42", Colour::Indexed(42)),
            ("#ff8000", Colour::Rgb(255, 128, 0)),
        ] {
            assert_eq!(text.parse::<Colour>(), Ok(colour), "{text}");
        }
        for bad in ["#ff80", "#gg0000", "256", "mauve", ""] {
            assert!(bad.parse::<Colour>().is_err(), "{bad}");
        }
    }
}
