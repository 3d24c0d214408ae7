//! Times, dates and pauses as people read them, wherever they are shown: the dashboard,
//! notifications, the command line.

use chrono::NaiveDate;

/// A date as people read it in a reason: "Thu 26 Nov".
pub fn short_date(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

/// The next rolling day as every screen says it, seen on `today`: "today", else its
/// date ("Wed 9 Dec"); "held" when none is planned while a lasting answer stands.
pub fn next_roll_day(next: Option<NaiveDate>, today: NaiveDate) -> String {
    match next {
        Some(next) if next == today => "today".into(),
        Some(next) => short_date(next),
        None => "held".into(),
    }
}

/// Seconds as "m:ss" (or "h:mm:ss").
pub fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A pause as people read it: "72 h", else humantime ("90m" → "1h 30m").
pub fn pause_text(pause: std::time::Duration) -> String {
    let secs = pause.as_secs();
    if secs > 0 && secs.is_multiple_of(3600) {
        format!("{} h", secs / 3600)
    } else {
        humantime::format_duration(pause).to_string()
    }
}
