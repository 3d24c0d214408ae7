//! Calendar values a config writes as text: a day ("2026-10-01") and a period counted
//! in calendar days or months ("6 months", "12M", "90 days").

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Deserializer};

/// A calendar day written "YYYY-MM-DD".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConfigDate(pub NaiveDate);

impl<'de> Deserialize<'de> for ConfigDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .ok()
            .filter(|day| (1970..=9999).contains(&day.year()))
            .map(ConfigDate)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "invalid date {text:?}: write it as \"YYYY-MM-DD\" (1970 to 9999), e.g. \"2026-10-01\""
                ))
            })
    }
}

/// A date printed on a product, "YYYY-MM" (good to the end of that month) or
/// "YYYY-MM-DD"; holds the first day it is past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrintedDate(pub NaiveDate);

impl<'de> Deserialize<'de> for PrintedDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let day = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .ok()
            .and_then(|day| day.succ_opt())
            .or_else(|| {
                let month = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok()?;
                month.checked_add_months(chrono::Months::new(1))
            })
            .filter(|day| (1970..=9999).contains(&day.year()));
        day.map(PrintedDate).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid printed date {text:?}: write it as \"YYYY-MM\" (good to the end of \
                 that month) or \"YYYY-MM-DD\", e.g. \"2027-06\""
            ))
        })
    }
}

use chrono::Datelike as _;

/// A period of calendar time: whole days or whole months (a month after 31 January is
/// the last day of February, as a calendar counts it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Months(u32),
}

/// The longest period accepted: ten years (the longest period after opening printed on
/// a jar is a few years; anything longer is a typo).
const MAX_PERIOD_MONTHS: u32 = 120;

impl Period {
    /// The day this period after `day`; None past the calendar's end.
    pub fn after(self, day: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Days(n) => day.checked_add_days(chrono::Days::new(u64::from(n))),
            Period::Months(n) => day.checked_add_months(Months::new(n)),
        }
    }

    /// Reads "6 months", "6M" (the open-jar symbol), "10 weeks", "90 days", "1 year".
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let n: u32 = number.parse().ok()?;
        let period = match unit.trim() {
            "d" | "day" | "days" => Period::Days(n),
            "w" | "week" | "weeks" => Period::Days(n.checked_mul(7)?),
            "M" | "month" | "months" => Period::Months(n),
            "y" | "year" | "years" => Period::Months(n.checked_mul(12)?),
            _ => return None,
        };
        Some(period)
    }

    fn too_long(self) -> bool {
        match self {
            Period::Days(n) => n > MAX_PERIOD_MONTHS / 12 * 366,
            Period::Months(n) => n > MAX_PERIOD_MONTHS,
        }
    }

    fn is_zero(self) -> bool {
        matches!(self, Period::Days(0) | Period::Months(0))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, unit) = match *self {
            Period::Days(n) => (n, "day"),
            Period::Months(n) => (n, "month"),
        };
        let plural = if n == 1 { "" } else { "s" };
        write!(f, "{n} {unit}{plural}")
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let bad = |why: &str| {
            serde::de::Error::custom(format!(
                "invalid period {text:?}{why}: write it like \"6 months\", \"12M\", \"10 weeks\" or \"90 days\""
            ))
        };
        match Period::parse(&text) {
            None if text.trim_end().ends_with('m') && !text.contains("months") => Err(bad(
                " (\"m\" would be minutes; months are \"M\" or \"months\")",
            )),
            None => Err(bad("")),
            Some(p) if p.is_zero() => Err(bad(" (it is zero)")),
            Some(p) if p.too_long() => Err(bad(" (it is over 10 years)")),
            Some(p) => Ok(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_people_and_jars_write_them() {
        for (text, period) in [
            ("6 months", Period::Months(6)),
            ("6M", Period::Months(6)),
            ("12M", Period::Months(12)),
            ("1 month", Period::Months(1)),
            ("2 years", Period::Months(24)),
            ("10 weeks", Period::Days(70)),
            ("90 days", Period::Days(90)),
            ("90d", Period::Days(90)),
        ] {
            assert_eq!(Period::parse(text), Some(period), "{text}");
        }
        // Lower-case "m" would be minutes anywhere else: not a period.
        for text in ["6m", "six months", "6 fortnights", "", "months", "-1 days"] {
            assert_eq!(Period::parse(text), None, "{text}");
        }
    }

    #[test]
    fn months_are_calendar_months() {
        let day = |t: &str| t.parse::<NaiveDate>().unwrap();
        assert_eq!(
            Period::Months(6).after(day("2026-10-01")),
            Some(day("2027-04-01"))
        );
        assert_eq!(
            Period::Months(1).after(day("2027-01-31")),
            Some(day("2027-02-28"))
        );
        assert_eq!(
            Period::Days(90).after(day("2026-12-15")),
            Some(day("2027-03-15"))
        );
    }
}
