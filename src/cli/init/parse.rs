//! What each answer to `rollcoach init` may be, read from what a person types: a needle
//! length, a time, a product's name and actives, its routine and its days. Each reader
//! gives the value or says what to type instead.

use chrono::NaiveTime;

use crate::routine::actives::{Active, default_pauses};
use crate::routine::config::{HOME_NEEDLE_MM, Weekday};
use crate::routine::when::{MAX_CYCLE_DAYS, When};
use crate::routine::words::pause_text;

/// The needle lengths `init` writes: the usual home lengths (docs/DOMAIN.md).
pub const NEEDLES: [f64; 3] = [0.25, 0.3, 0.5];

/// The longest product name `init` takes.
pub const MOST_NAME_CHARS: usize = 60;

/// The names of the steps `init` writes around the products: a product may not take one.
pub const FIXED_STEPS: [&str; 6] = [
    "Sanitize roller",
    "Cleanse",
    "Roll",
    "Disinfect roller",
    "Moisturise",
    "Sunscreen",
];

/// A needle length: one of `NEEDLES` ("0.5", "0,5", ".5", "0.5mm").
pub fn needle(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches("mm").trim().replace(',', ".");
    let Ok(mm) = number.parse::<f64>() else {
        return Err(format!("{text:?} is not a length: type 0.25, 0.3 or 0.5"));
    };
    if let Some(home) = NEEDLES.iter().find(|n| (*n - mm).abs() < 1e-9) {
        return Ok(*home);
    }
    if mm > HOME_NEEDLE_MM {
        return Err(format!(
            "{mm} mm is longer than a home roller: deeper needling is a medical procedure \
             (AAD 2018), for a dermatologist. Type 0.25, 0.3 or 0.5"
        ));
    }
    Err(format!("type 0.25, 0.3 or 0.5 (not {text:?})"))
}

/// A time of day "HH:MM" ("7:30" too), from 04:00 on: a time before the day starts
/// belongs to the day before.
pub fn time(text: &str) -> Result<NaiveTime, String> {
    let at = NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| format!("{text:?} is not a time: type it as HH:MM, e.g. 21:00"))?;
    if at < NaiveTime::from_hms_opt(4, 0, 0).expect("a time") {
        return Err(format!(
            "{text} counts as the day before (a day starts at 04:00): type 04:00 or later"
        ));
    }
    Ok(at)
}

/// The morning routine's time, or `none` for no morning routine.
pub fn morning(text: &str) -> Result<Option<NaiveTime>, String> {
    if is(text, &["none", "no", "-"]) {
        return Ok(None);
    }
    time(text).map(Some)
}

/// The evening routine's time, later than the morning's.
pub fn evening(text: &str, morning: Option<NaiveTime>) -> Result<NaiveTime, String> {
    let at = time(text)?;
    match morning {
        Some(m) if at <= m => Err(format!(
            "the evening comes after the morning ({}): type a time later than that",
            m.format("%H:%M")
        )),
        _ => Ok(at),
    }
}

/// A product's name, or None (Enter) for no more products; not one taken.
pub fn name(text: &str, taken: &[String]) -> Result<Option<String>, String> {
    let name = text.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().any(char::is_control) {
        return Err("type the name on one line, without control characters".into());
    }
    if name.chars().count() > MOST_NAME_CHARS {
        return Err(format!(
            "type a shorter name (at most {MOST_NAME_CHARS} characters)"
        ));
    }
    let same = |other: &str| other.eq_ignore_ascii_case(name);
    if FIXED_STEPS.iter().any(|s| same(s)) {
        return Err(format!(
            "a step of the routine is called {name:?} already: give the product another name"
        ));
    }
    if taken.iter().any(|t| same(t)) {
        return Err(format!(
            "a product is called {name:?} already: give this one another name"
        ));
    }
    Ok(Some(name.to_string()))
}

/// Classes of actives by number (`Active::ALL`, from 1) or name, commas or spaces
/// between; empty for none.
pub fn actives(text: &str) -> Result<Vec<Active>, String> {
    let mut found = Vec::new();
    for word in text
        .split([',', ' '])
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        let active = match word.parse::<usize>() {
            Ok(n) => (1..=Active::ALL.len())
                .contains(&n)
                .then(|| Active::ALL[n - 1]),
            Err(_) => Active::ALL.into_iter().find(|a| {
                format!("{a:?}").eq_ignore_ascii_case(word)
                    || a.as_str().replace(' ', "").eq_ignore_ascii_case(word)
                    // What is in it, by a one-word name: "retinol", "tretinoin".
                    || a.examples().split(", ").any(|e| e.eq_ignore_ascii_case(word))
            }),
        };
        let Some(active) = active else {
            return Err(format!(
                "{word:?} is not a class: type numbers 1 to {} or names from the list, \
                 e.g. 1, 9 or Retinoid, Niacinamide",
                Active::ALL.len()
            ));
        };
        if !found.contains(&active) {
            found.push(active);
        }
    }
    Ok(found)
}

/// `morning` or `evening` (true).
pub fn routine(text: &str) -> Result<bool, String> {
    if is(text, &["evening", "e", "pm", "night"]) {
        Ok(true)
    } else if is(text, &["morning", "m", "am"]) {
        Ok(false)
    } else {
        Err("type morning or evening".into())
    }
}

/// The routine a product goes in when the person does not say: vitamin C in the
/// morning (it helps the sunscreen against free radicals), everything else at night.
pub fn usual_routine(actives: &[Active]) -> &'static str {
    if actives.contains(&Active::VitaminC) {
        "morning"
    } else {
        "evening"
    }
}

/// What `days` takes, for the prompts.
pub const DAYS_FORMS: &str = "every, rest (nights without a roll), roll (roll nights, \
     after-care only), weekdays like Mon,Wed,Fri, or a cycle like 4:2 (night 2 of every 4)";

/// The days a product runs on: `every`, `rest`, `roll`, weekdays (`Mon,Wed,Fri`) or a
/// cycle (`4:2`, `4:1,3`). `roll` only for actives without a pause after rolling: the
/// others would never run there.
pub fn days(text: &str, actives: &[Active], needle_mm: f64) -> Result<When, String> {
    let text = text.trim();
    if is(
        text,
        &[
            "every",
            "always",
            "all",
            "daily",
            "every night",
            "every day",
        ],
    ) {
        return Ok(When::Always);
    }
    if is(text, &["rest", "rest nights", "rest days", "restday"]) {
        return Ok(When::RestDay);
    }
    if is(text, &["roll", "roll nights", "roll days", "rollday"]) {
        let (after, before) = default_pauses(actives, Some(needle_mm));
        return match after.or(before) {
            None => Ok(When::RollDay),
            Some(pause) => Err(format!(
                "its actives pause {} around a roll, so on roll nights it would never run: \
                 type every, rest, weekdays or a cycle",
                pause_text(pause)
            )),
        };
    }
    let bare = text.strip_prefix("cycle").map(str::trim).unwrap_or(text);
    if let Some((days, on)) = bare.split_once(':') {
        return cycle(days, on);
    }
    weekdays(text)
        .map(When::Weekdays)
        .ok_or_else(|| format!("{text:?} is not a choice: type {DAYS_FORMS}"))
}

/// `4:2`: night 2 of every 4; `4:1,3`: nights 1 and 3.
fn cycle(days: &str, on: &str) -> Result<When, String> {
    let example = "type a cycle as DAYS:NIGHTS, e.g. 4:2 (night 2 of every 4) or 4:1,3";
    let days: u32 = days.trim().parse().map_err(|_| example.to_string())?;
    if !(2..=MAX_CYCLE_DAYS).contains(&days) {
        return Err(format!(
            "a cycle is 2 to {MAX_CYCLE_DAYS} days (every night is `every`): {example}"
        ));
    }
    let mut nights = Vec::new();
    for word in on.split([',', ' ']).filter(|w| !w.is_empty()) {
        let n: u32 = word.parse().map_err(|_| example.to_string())?;
        if !(1..=days).contains(&n) {
            return Err(format!(
                "night {n} is not in a {days}-day cycle (nights 1 to {days}): {example}"
            ));
        }
        if !nights.contains(&n) {
            nights.push(n);
        }
    }
    if nights.is_empty() {
        return Err(example.into());
    }
    nights.sort_unstable();
    Ok(When::Cycle {
        days,
        on: nights,
        from: None,
    })
}

/// Weekdays by name ("Mon,Wed,Fri", "monday wed"), in week order; None if a word is not
/// one.
pub fn weekdays(text: &str) -> Option<Vec<Weekday>> {
    let mut days = Vec::new();
    for word in text.split([',', ' ']).filter(|w| !w.is_empty()) {
        let word = word.to_ascii_lowercase();
        // Two letters tell every weekday apart.
        let day = WEEK
            .iter()
            .find(|(full, _)| word.len() >= 2 && full.starts_with(&word))?;
        if !days.contains(&day.1) {
            days.push(day.1);
        }
    }
    if days.is_empty() {
        return None;
    }
    days.sort_by_key(|d| WEEK.iter().position(|(_, w)| w == d));
    Some(days)
}

/// The week from Monday, as people write it and as the config spells its days.
pub const WEEK: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// `on` (true) or `off`.
pub fn on_off(text: &str) -> Result<bool, String> {
    if is(text, &["on", "yes", "y"]) {
        Ok(true)
    } else if is(text, &["off", "no", "n"]) {
        Ok(false)
    } else {
        Err("type on or off".into())
    }
}

/// The text is one of these words, in any case.
fn is(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| w.eq_ignore_ascii_case(text.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::values::Weekday::*;

    #[test]
    fn needles_are_home_lengths_and_longer_ones_say_why() {
        assert_eq!(needle("0.5"), Ok(0.5));
        assert_eq!(needle(".25mm"), Ok(0.25));
        assert_eq!(needle("0,3"), Ok(0.3));
        assert!(needle("0.75").unwrap_err().contains("medical procedure"));
        assert!(needle("0.4").unwrap_err().contains("type 0.25, 0.3 or 0.5"));
        assert!(needle("half").unwrap_err().contains("type 0.25"));
        assert!(needle("NaN").is_err());
    }

    #[test]
    fn times_start_at_four_and_the_evening_follows_the_morning() {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        assert_eq!(time("7:30"), Ok(t("07:30")));
        assert!(time("03:00").unwrap_err().contains("day before"));
        assert!(time("9pm").unwrap_err().contains("HH:MM"));
        assert_eq!(morning("none"), Ok(None));
        assert!(evening("07:00", Some(t("07:30"))).is_err());
        assert_eq!(evening("21:00", None), Ok(t("21:00")));
    }

    #[test]
    fn names_are_new_and_plain() {
        assert_eq!(name("  ", &[]), Ok(None));
        assert_eq!(name(" Retinol ", &[]), Ok(Some("Retinol".into())));
        assert!(name("roll", &[]).unwrap_err().contains("another name"));
        assert!(name("retinol", &["Retinol".into()]).is_err());
        assert!(name("a\u{7}b", &[]).is_err());
        assert!(name(&"x".repeat(61), &[]).is_err());
    }

    #[test]
    fn actives_by_number_or_name() {
        assert_eq!(actives(""), Ok(vec![]));
        assert_eq!(
            actives("1, aha vitamin_c"),
            Err(
                "\"vitamin_c\" is not a class: type numbers 1 to 13 or names from the list, \
                 e.g. 1, 9 or Retinoid, Niacinamide"
                    .into()
            )
        );
        assert_eq!(
            actives("1, aha, VitaminC,1"),
            Ok(vec![Active::Retinoid, Active::Aha, Active::VitaminC])
        );
        assert_eq!(actives("13"), Ok(vec![Active::Fragrance]));
        assert_eq!(
            actives("retinol tretinoin"),
            Ok(vec![Active::Retinoid, Active::PrescriptionRetinoid])
        );
        assert!(actives("14").is_err());
        assert!(actives("0").is_err());
    }

    #[test]
    fn days_in_every_form() {
        let none: &[Active] = &[];
        assert_eq!(days("every", none, 0.5), Ok(When::Always));
        assert_eq!(days("Rest", none, 0.5), Ok(When::RestDay));
        assert_eq!(
            days("roll", &[Active::HyaluronicAcid], 0.5),
            Ok(When::RollDay)
        );
        assert!(
            days("roll", &[Active::Retinoid], 0.5)
                .unwrap_err()
                .contains("72 h")
        );
        assert_eq!(
            days("fri,Mon wednesday", none, 0.5),
            Ok(When::Weekdays(vec![Mon, Wed, Fri]))
        );
        assert_eq!(
            days("cycle 4:3,1", none, 0.5),
            Ok(When::Cycle {
                days: 4,
                on: vec![1, 3],
                from: None
            })
        );
        for bad in [
            "4:5", "1:1", "4:", "x:1", "400:1", "mx", "someday", "m", "mondays",
        ] {
            assert!(days(bad, none, 0.5).is_err(), "{bad}");
        }
    }
}
