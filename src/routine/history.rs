//! Past sessions and the streak, read from the journal. Pure.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use super::config::Config;
use super::journal::{Journal, SessionRecord};
use super::when::{Night, RollNight};

/// Sessions of the last `days` days up to `today`, newest first.
pub fn recent(journal: &Journal, today: NaiveDate, days: u32) -> Vec<&SessionRecord> {
    let first = today
        .checked_sub_signed(Duration::days(i64::from(days.saturating_sub(1))))
        .unwrap_or(NaiveDate::MIN);
    let mut sessions: Vec<&SessionRecord> = journal
        .sessions()
        .filter(|s| s.day >= first && s.day <= today)
        .collect();
    sessions.sort_by_key(|s| std::cmp::Reverse(s.started));
    sessions
}

/// How a day went, for the calendar and the streak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySummary {
    /// The day.
    pub date: NaiveDate,
    /// Routines with something to do that day.
    pub due: usize,
    /// Of those, routines with a completed session.
    pub done: usize,
    /// Some session that day rolled.
    pub rolled: bool,
}

impl DaySummary {
    /// Every routine that ran that day was completed.
    pub fn kept(&self) -> bool {
        self.done >= self.due && self.due > 0
    }
}

/// The journal by day, with the rolling days, for questions about many days at once.
pub struct Calendar<'a> {
    config: &'a Config,
    sessions: BTreeMap<NaiveDate, Vec<&'a SessionRecord>>,
    rolls: Vec<NaiveDate>,
}

impl<'a> Calendar<'a> {
    /// Indexes the journal once.
    pub fn new(config: &'a Config, journal: &'a Journal) -> Calendar<'a> {
        let mut sessions: BTreeMap<NaiveDate, Vec<&SessionRecord>> = BTreeMap::new();
        for s in journal.sessions() {
            sessions.entry(s.day).or_default().push(s);
        }
        let rolls = sessions
            .iter()
            .filter(|(_, list)| list.iter().any(|s| s.rolled()))
            .map(|(day, _)| *day)
            .collect();
        Calendar {
            config,
            sessions,
            rolls,
        }
    }

    /// The first day with a session.
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.sessions.keys().next().copied()
    }

    fn rolling_day(&self, date: NaiveDate) -> bool {
        let Some(roller) = &self.config.roller else {
            return false;
        };
        let before = self.rolls.partition_point(|d| *d <= date);
        match before.checked_sub(1).map(|i| self.rolls[i]) {
            None => true,
            Some(last) => last == date || (date - last).num_days() >= i64::from(roller.rest_days()),
        }
    }

    /// How `date` went. A routine is due when one of its steps runs that day by its
    /// `when` (pauses after rolling leave a routine due).
    pub fn day(&self, date: NaiveDate) -> DaySummary {
        let rolling = self.rolling_day(date);
        let sessions = self.sessions.get(&date).map(Vec::as_slice).unwrap_or(&[]);
        let mut summary = DaySummary {
            date,
            due: 0,
            done: 0,
            rolled: sessions.iter().any(|s| s.rolled()),
        };
        for routine in &self.config.routines {
            let night = Night {
                date,
                rolling_day: rolling,
                roll: if rolling {
                    RollNight::Done
                } else {
                    RollNight::NoRoll
                },
                next_roll: None,
            };
            let runs = routine.steps.iter().any(|step| step.when.holds(&night));
            let done = sessions
                .iter()
                .any(|s| s.complete && s.routine == routine.name);
            summary.due += usize::from(runs);
            summary.done += usize::from(runs && done);
        }
        summary
    }

    /// The current streak and the longest: days in a row on which every routine that
    /// ran was completed. Today counts once it is kept; until then it breaks nothing.
    pub fn streaks(&self, today: NaiveDate) -> (u32, u32) {
        let Some(first) = self.first_day().filter(|d| *d <= today) else {
            return (0, 0);
        };
        let (mut run, mut longest) = (0u32, 0u32);
        let mut date = first;
        while date <= today {
            if self.day(date).kept() {
                run += 1;
                longest = longest.max(run);
            } else if date < today {
                run = 0;
            }
            date = date.succ_opt().unwrap_or(NaiveDate::MAX);
            if date == NaiveDate::MAX {
                break;
            }
        }
        (run, longest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::journal::Record;

    fn session(day: &str, complete: bool) -> Record {
        let at = format!("{day}T21:00:00+00:00").parse().unwrap();
        Record::Session(SessionRecord {
            routine: "evening".into(),
            day: day.parse().unwrap(),
            started: at,
            ended: at,
            complete,
            steps: vec![],
            rating: None,
            note: None,
        })
    }

    fn journal(records: Vec<Record>) -> Journal {
        Journal {
            records,
            warnings: vec![],
        }
    }

    const CONFIG: &str = r#"(roller: (needle_mm: 0.5), routines: [
        (name: "morning", steps: [(name: "Cleanse", kind: Cleanse, duration: "1m")]),
        (name: "evening", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
        ]),
        (name: "rolling night", steps: [(name: "Roll", kind: Roll, when: RollDay, duration: "2m")]),
    ])"#;

    fn done(routine: &str, day: &str, rolled: bool) -> Record {
        let mut record = session(day, true);
        if let Record::Session(s) = &mut record {
            s.routine = routine.into();
            if rolled {
                s.steps.push(crate::routine::journal::StepRecord {
                    name: "Roll".into(),
                    kind: "roll".into(),
                    status: crate::routine::journal::StepOutcome::Done,
                    secs: 120,
                    reason: None,
                    started: None,
                    ended: None,
                });
            }
        }
        record
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_day_counts_when_every_routine_that_ran_was_completed() {
        let config = crate::routine::config::parse(CONFIG).unwrap();
        // Mon 16: rolled (a rolling day: all three routines ran). Tue 17 to Sun 22: rest
        // days, the rolling-night routine does not run. Mon 23: rolling again.
        let mut records = vec![
            done("morning", "2026-11-16", false),
            done("evening", "2026-11-16", true),
            done("rolling night", "2026-11-16", true),
        ];
        for day in [
            "2026-11-17",
            "2026-11-18",
            "2026-11-19",
            "2026-11-20",
            "2026-11-21",
            "2026-11-22",
        ] {
            records.push(done("morning", day, false));
            records.push(done("evening", day, false));
        }
        let j = journal(records);
        let calendar = Calendar::new(&config, &j);
        let rest = calendar.day(date("2026-11-18"));
        assert_eq!((rest.due, rest.done, rest.kept()), (2, 2, true));
        // Today before it is over breaks nothing; yesterday ends the run.
        assert_eq!(calendar.streaks(date("2026-11-23")), (7, 7));
        // A day missed breaks it: Tue 24 had nothing done.
        assert_eq!(calendar.streaks(date("2026-11-25")), (0, 7));
    }

    #[test]
    fn an_unfinished_routine_or_a_missing_one_breaks_the_streak() {
        let config = crate::routine::config::parse(CONFIG).unwrap();
        let j = journal(vec![
            done("morning", "2026-11-20", false),
            done("evening", "2026-11-20", false),
            done("rolling night", "2026-11-20", false),
            done("morning", "2026-11-21", false),
            session("2026-11-21", false),
        ]);
        let calendar = Calendar::new(&config, &j);
        // No roll ever: every day is a rolling day, all three routines are due.
        assert!(calendar.day(date("2026-11-20")).kept());
        let sat = calendar.day(date("2026-11-21"));
        assert_eq!((sat.due, sat.done), (3, 1));
        assert_eq!(calendar.streaks(date("2026-11-21")), (1, 1));
        assert_eq!(calendar.streaks(date("2026-11-22")), (0, 1));
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
