//! Past sessions and the streak, read from the journal. Pure.

use chrono::{Duration, NaiveDate};

use super::journal::{Journal, Session};

/// Sessions of the last `days` days up to `today`, newest first.
pub fn recent(journal: &Journal, today: NaiveDate, days: u32) -> Vec<&Session> {
    let first = today
        .checked_sub_signed(Duration::days(i64::from(days.saturating_sub(1))))
        .unwrap_or(NaiveDate::MIN);
    let mut sessions: Vec<&Session> = journal
        .sessions()
        .filter(|s| s.day >= first && s.day <= today)
        .collect();
    sessions.sort_by_key(|s| std::cmp::Reverse(s.started));
    sessions
}

/// Days in a row, up to today, on which every session was completed. Today counts once it
/// has a completed session; before that the streak runs to yesterday.
pub fn streak(journal: &Journal, today: NaiveDate) -> u32 {
    let mut kept = std::collections::BTreeMap::<NaiveDate, bool>::new();
    for s in journal.sessions().filter(|s| s.day <= today) {
        *kept.entry(s.day).or_insert(true) &= s.complete;
    }
    let mut day = if kept.get(&today) == Some(&true) {
        today
    } else {
        today - Duration::days(1)
    };
    let mut count = 0;
    while kept.get(&day) == Some(&true) {
        count += 1;
        day -= Duration::days(1);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::journal::Record;

    fn session(day: &str, complete: bool) -> Record {
        let at = format!("{day}T21:00:00+00:00").parse().unwrap();
        Record::Session(Session {
            routine: "evening".into(),
            day: day.parse().unwrap(),
            started: at,
            ended: at,
            complete,
            steps: vec![],
        })
    }

    fn journal(records: Vec<Record>) -> Journal {
        Journal {
            records,
            warnings: vec![],
        }
    }

    #[test]
    fn the_streak_runs_back_from_today_or_yesterday() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let j = journal(vec![
            session("2026-11-20", true),
            session("2026-11-21", true),
            session("2026-11-22", true),
        ]);
        assert_eq!(streak(&j, today), 3);
        let mut records = j.records.clone();
        records.push(session("2026-11-23", true));
        assert_eq!(streak(&journal(records.clone()), today), 4);
        records.push(session("2026-11-22", false));
        assert_eq!(streak(&journal(records), today), 1);
    }

    #[test]
    fn recent_is_newest_first_within_the_days() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let j = journal(vec![
            session("2026-11-01", true),
            session("2026-11-22", true),
            session("2026-11-23", true),
        ]);
        let days: Vec<NaiveDate> = recent(&j, today, 7).iter().map(|s| s.day).collect();
        assert_eq!(days, vec![today, "2026-11-22".parse().unwrap()]);
    }
}
