//! `rollcoach plan --ics`: the nights ahead as an iCalendar file (RFC 5545) a phone
//! calendar imports: one event a routine a day, at its time, with an alarm then; roll
//! nights titled so; the steps and the after-care in the description. Times in UTC, so
//! no VTIMEZONE is needed; UIDs stable per routine and day, so an import again updates.

use chrono::{DateTime, TimeZone, Utc};

use crate::routine::config::Config;
use crate::routine::plan::{self, Plan, StepState};

/// The calendar for `plans`, stamped `now`, each routine's time placed in `zone`.
pub fn calendar<Tz: TimeZone>(
    config: &Config,
    plans: &[Plan],
    zone: &Tz,
    now: DateTime<Utc>,
) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//rollcoach//nights ahead//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "X-WR-CALNAME:rollcoach".into(),
    ];
    let stamp = utc(now);
    for p in plans {
        for (routine, planned) in config.routines.iter().zip(&p.routines) {
            let steps: Vec<&str> = planned
                .steps
                .iter()
                .filter(|s| s.status != StepState::Off)
                .map(|s| s.name.as_str())
                .collect();
            if steps.is_empty() {
                continue;
            }
            let naive = plan::clock_on(p.date, plan::routine_time(routine), config.day_starts_at);
            let start = plan::place(zone, naive).with_timezone(&Utc);
            let secs = i64::try_from(planned.total_secs.max(60)).unwrap_or(60);
            let end = start + chrono::TimeDelta::seconds(secs);
            let rolls = planned.steps.iter().any(|s| {
                s.kind == crate::routine::config::StepKind::Roll && s.status != StepState::Off
            });
            let summary = if rolls {
                format!("{} · roll night", routine.name)
            } else {
                routine.name.clone()
            };
            let mut description = format!("Steps: {}.", steps.join(", "));
            if let Some(line) = p.aftercare_line() {
                description.push_str(&format!("\n{line}."));
            }
            lines.extend([
                "BEGIN:VEVENT".to_string(),
                format!(
                    "UID:{}-{}@rollcoach",
                    uid_part(&routine.name),
                    p.date.format("%Y%m%d")
                ),
                format!("DTSTAMP:{stamp}"),
                format!("DTSTART:{}", utc(start)),
                format!("DTEND:{}", utc(end)),
                format!("SUMMARY:{}", text(&summary)),
                format!("DESCRIPTION:{}", text(&description)),
                "BEGIN:VALARM".into(),
                "ACTION:DISPLAY".into(),
                "TRIGGER:PT0M".into(),
                format!("DESCRIPTION:{}", text(&format!("{summary} is due"))),
                "END:VALARM".into(),
                "END:VEVENT".into(),
            ]);
        }
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

/// A time in UTC as iCalendar writes it: 20261123T210000Z.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A routine's name in a UID: letters and digits, the rest as `-`.
fn uid_part(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// TEXT as RFC 5545 wants it (3.3.11): backslash, semicolon, comma and newline escaped,
/// other control characters left out.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (3.1), never inside a character, ended by CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut used = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        if used + size > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += size;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let long = format!("DESCRIPTION:{}", "é".repeat(60));
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
    }

    #[test]
    fn text_escapes_what_rfc_5545_asks() {
        assert_eq!(text("a, b; c\\d\ne\u{7}"), "a\\, b\\; c\\\\d\\ne");
    }
}
