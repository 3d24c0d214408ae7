//! The values a config writes as text: a time of day ("21:00"), a length of time
//! ("1m 30s") and a day of the week, with errors that say how to write them.

use std::fmt;
use std::time::Duration;

use chrono::NaiveTime;
use serde::{Deserialize, Deserializer};

/// A local time of day written "HH:MM".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub NaiveTime);

impl ClockTime {
    pub(crate) fn four_am() -> Self {
        ClockTime(NaiveTime::from_hms_opt(4, 0, 0).expect("04:00 is a time"))
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map(ClockTime)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "invalid time of day {text:?}: write it as \"HH:MM\", e.g. \"21:00\""
                ))
            })
    }
}

/// A length of time written as humantime ("45s", "1m 30s"); never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HumanDuration(pub Duration);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", humantime::format_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match humantime::parse_duration(&text) {
            Ok(d) if d.is_zero() => Err(serde::de::Error::custom(format!(
                "duration {text:?} is zero: give a length of time such as \"45s\""
            ))),
            Ok(d) => Ok(HumanDuration(d)),
            Err(e) => Err(serde::de::Error::custom(format!(
                "invalid duration {text:?} ({e}): write it like \"45s\", \"1m 30s\" or \"2m\""
            ))),
        }
    }
}

/// A day of the week as the config spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl From<Weekday> for chrono::Weekday {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}
