//! Lasting check-in answers: a "yes" that holds rolling until the person clears it
//! (docs/DOMAIN.md, "Answers that last"). Each hold and each clearing is a record of its
//! own; for a question, the latest of them on or before a day says whether it holds.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Journal, Record};

/// A lasting "yes": rolling held from `day` until cleared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldRecord {
    /// The question answered "yes", as the config asked it.
    pub ask: String,
    /// The journal day of the answer.
    pub day: NaiveDate,
    /// When it was given.
    pub at: DateTime<FixedOffset>,
    /// Retinoids are held off too (pregnancy or breastfeeding), as the config said when
    /// it was given.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub holds_retinoids: bool,
}

impl Journal {
    /// The holds standing on `date`, oldest first: for each question, the latest hold or
    /// clearing on or before that day (in file order within a day) is a hold.
    pub fn holds(&self, date: NaiveDate) -> Vec<&HoldRecord> {
        let mut standing: Vec<&HoldRecord> = Vec::new();
        for record in &self.records {
            match record {
                Record::RollHold(hold) if hold.day <= date => {
                    standing.retain(|h| h.ask != hold.ask);
                    standing.push(hold);
                }
                Record::RollHoldCleared { ask, day, .. } if *day <= date => {
                    standing.retain(|h| h.ask != *ask);
                }
                _ => {}
            }
        }
        standing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hold(ask: &str, day: &str) -> String {
        format!(r#"{{"type":"roll_hold","ask":"{ask}","day":"{day}","at":"{day}T21:00:00+01:00"}}"#)
    }

    fn cleared(ask: &str, day: &str) -> String {
        format!(
            r#"{{"type":"roll_hold_cleared","ask":"{ask}","day":"{day}","at":"{day}T08:00:00+01:00"}}"#
        )
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_hold_stands_from_its_day_until_the_day_it_is_cleared() {
        let journal = Journal::parse(
            &[
                hold("Keloids?", "2026-12-01"),
                hold("Pregnant?", "2026-12-02"),
                cleared("Keloids?", "2026-12-04"),
            ]
            .join("\n"),
        );
        let asks = |d: &str| -> Vec<String> {
            journal
                .holds(date(d))
                .iter()
                .map(|h| h.ask.clone())
                .collect()
        };
        assert!(asks("2026-11-30").is_empty());
        assert_eq!(asks("2026-12-01"), ["Keloids?"]);
        assert_eq!(asks("2026-12-03"), ["Keloids?", "Pregnant?"]);
        assert_eq!(asks("2026-12-04"), ["Pregnant?"]);
        assert!(journal.warnings.is_empty(), "{:?}", journal.warnings);
    }

    #[test]
    fn a_hold_given_again_after_clearing_stands_again() {
        let journal = Journal::parse(
            &[
                hold("Keloids?", "2026-12-01"),
                cleared("Keloids?", "2026-12-01"),
                hold("Keloids?", "2026-12-01"),
            ]
            .join("\n"),
        );
        assert_eq!(journal.holds(date("2026-12-01")).len(), 1);
        let written = serde_json::to_string(&Record::RollHold(HoldRecord {
            ask: "Pregnant?".into(),
            day: date("2026-12-01"),
            at: "2026-12-01T21:00:00+01:00".parse().unwrap(),
            holds_retinoids: true,
        }))
        .unwrap();
        assert!(written.starts_with(r#"{"type":"roll_hold","#), "{written}");
        assert!(
            Journal::parse(&written).holds(date("2026-12-09"))[0].holds_retinoids,
            "{written}"
        );
    }
}
