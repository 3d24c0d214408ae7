//! The shelf: each product, when its bottle was opened (the config's `opened`, or the
//! latest opening in the journal), when it expires and whether it has. Pure.

use chrono::NaiveDate;
use serde::Serialize;

use super::actives::Active;
use super::config::{Config, Period, Product};
use super::journal::Journal;

/// A product on the planned day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shelved {
    /// Its name.
    pub name: String,
    /// Its classes of actives.
    pub actives: Vec<Active>,
    /// When the bottle in use was opened: the latest opening in the journal, else the
    /// config's `opened`; None when neither says.
    pub opened: Option<NaiveDate>,
    /// The first day it is past its period after opening; None when not opened.
    pub expires: Option<NaiveDate>,
    /// The planned day is on or after `expires`.
    pub expired: bool,
    /// How long it keeps once opened: `lasts`, or the default for its actives.
    #[serde(skip)]
    pub keeps: Period,
    /// `expires` is the date printed on it (earlier than opened + keeps, or not opened).
    #[serde(skip)]
    pub printed: bool,
}

impl Shelved {
    /// Days from `date` until it expires (0 or less: expired); None when not opened.
    pub fn days_left(&self, date: NaiveDate) -> Option<i64> {
        self.expires.map(|e| (e - date).num_days())
    }
}

/// Every product of the config on `date`, in config order.
pub fn shelf(config: &Config, journal: &Journal, date: NaiveDate) -> Vec<Shelved> {
    config
        .products
        .iter()
        .map(|p| shelved(p, journal, date))
        .collect()
}

/// One product on `date`.
pub fn shelved(product: &Product, journal: &Journal, date: NaiveDate) -> Shelved {
    let opened = journal
        .opened(&product.name, date)
        .or(product.opened.map(|d| d.0));
    let keeps = product.keeps();
    // Past the calendar's end it keeps for ever, as far as anyone alive is concerned.
    let after_opening = opened.and_then(|day| keeps.after(day));
    // The printed date wins when it comes first, opened or not.
    let printed = product.expires.map(|p| p.0);
    let by_print = printed.is_some_and(|p| after_opening.is_none_or(|a| p < a));
    let expires = if by_print { printed } else { after_opening };
    Shelved {
        name: product.name.clone(),
        actives: product.actives.clone(),
        opened,
        expires,
        expired: expires.is_some_and(|e| date >= e),
        keeps,
        printed: by_print,
    }
}

/// "\"Retinol 0.3%\" expired Thu 1 Apr 2027 (opened Thu 1 Oct 2026, keeps 6 months)".
pub fn expired_text(item: &Shelved) -> String {
    let when = |d: Option<NaiveDate>| {
        d.map(|d| d.format("%a %-d %b %Y").to_string())
            .unwrap_or_default()
    };
    format!(
        "{:?} expired {} (opened {}, keeps {})",
        item.name,
        when(item.expires),
        when(item.opened),
        item.keeps
    )
}

/// What to do about an expired product.
pub fn open_advice(name: &str) -> String {
    format!("open a new one and record it with `rollcoach shelf open {name:?}`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::config::parse;
    use crate::routine::journal::Record;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const CONFIG: &str = r#"(
        products: [
            (name: "Retinol 0.3%", actives: [Retinoid], opened: "2026-10-01"),
            (name: "Vitamin C", actives: [VitaminC, Niacinamide], opened: "2026-10-01"),
            (name: "Moisturiser", opened: "2026-10-01"),
            (name: "Acid toner", actives: [Aha], opened: "2026-10-01", lasts: "10 weeks"),
            (name: "Peptide serum", actives: [Peptides]),
        ],
        routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "1m")])],
    )"#;

    #[test]
    fn expiry_is_opened_plus_lasts_else_the_default_for_the_actives() {
        let config = parse(CONFIG).unwrap();
        let items = shelf(&config, &Journal::default(), date("2026-12-31"));
        let expires: Vec<(&str, Option<NaiveDate>, bool)> = items
            .iter()
            .map(|i| (i.name.as_str(), i.expires, i.expired))
            .collect();
        assert_eq!(
            expires,
            [
                // Retinoids: 6 months.
                ("Retinol 0.3%", Some(date("2027-04-01")), false),
                // Vitamin C: 3 months, the shortest of its actives.
                ("Vitamin C", Some(date("2027-01-01")), false),
                // Nothing known: 12 months.
                ("Moisturiser", Some(date("2027-10-01")), false),
                // `lasts` wins: 70 days.
                ("Acid toner", Some(date("2026-12-10")), true),
                ("Peptide serum", None, false),
            ]
        );
        assert_eq!(items[1].days_left(date("2026-12-31")), Some(1));
        // On the day it expires, it has.
        let on_the_day = shelf(&config, &Journal::default(), date("2027-01-01"));
        assert!(on_the_day[1].expired);
        assert_eq!(on_the_day[1].days_left(date("2027-01-01")), Some(0));
    }

    #[test]
    fn the_latest_opening_in_the_journal_wins_over_the_config() {
        let config = parse(CONFIG).unwrap();
        let opened = |day: &str| Record::ProductOpened {
            product: "Vitamin C".into(),
            day: date(day),
        };
        let mut journal = Journal::default();
        for r in [
            opened("2026-12-20"),
            opened("2026-11-15"),
            opened("2027-02-01"),
        ] {
            journal.add(r);
        }
        let on = |day: &str| shelf(&config, &journal, date(day))[1].clone();
        // On 2027-01-10 the bottle of 20 Dec is the one in use (the later one is ahead).
        let item = on("2027-01-10");
        assert_eq!(item.opened, Some(date("2026-12-20")));
        assert_eq!(item.expires, Some(date("2027-03-20")));
        assert!(!item.expired);
        // Before any opening in the journal, the config's says.
        assert_eq!(on("2026-11-01").opened, Some(date("2026-10-01")));
        // Another product's openings are not this one's.
        assert_eq!(on("2027-01-10").name, "Vitamin C");
        assert_eq!(
            shelf(&config, &journal, date("2027-01-10"))[0].opened,
            Some(date("2026-10-01"))
        );
    }
}
