//! The answers as a commented RON config: the roller from the needle table, the
//! routines around the roll (nothing on the skin before the needles), each product after
//! the Roll step with the pauses of its actives, and the check-in on or off.

use std::fmt::Write as _;

use crate::routine::actives::{Active, default_pauses};
use crate::routine::config::advice::rest_days_needed;
use crate::routine::config::{CheckinItem, built_in_checkin, default_rest_days};
use crate::routine::when::When;
use crate::routine::words::pause_text;

use super::ask::Answers;
use super::place::{Pick, days_text};

/// The roller's rest days: the needle table's, or more where a product's pauses around
/// a roll would leave it no night between two rolls (a prescription retinoid's 7 days),
/// with the product that asks for them.
pub fn rest_days(answers: &Answers) -> (u32, Option<&Pick>) {
    let table = default_rest_days(answers.needle_mm);
    let mut most = (table, None);
    for pick in &answers.products {
        let (after, before) = default_pauses(&pick.actives, Some(answers.needle_mm));
        let needed = rest_days_needed(after.unwrap_or_default(), before.unwrap_or_default());
        let needed = u32::try_from(needed).unwrap_or(u32::MAX);
        if needed > most.0 {
            most = (needed, Some(pick));
        }
    }
    most
}

/// The config file for these answers.
pub fn config(answers: &Answers) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str("(\n    day_starts_at: \"04:00\",\n\n");
    roller(answers, &mut out);
    out.push_str(NOTIFY);
    checkin(answers.checkin, &mut out);
    out.push_str("    hooks: [],\n\n");
    products(&answers.products, &mut out);
    out.push_str("    routines: [\n");
    if let Some(at) = answers.morning {
        routine("morning", at, &answers.products, false, answers, &mut out);
    }
    routine(
        "evening",
        answers.evening,
        &answers.products,
        true,
        answers,
        &mut out,
    );
    out.push_str("    ],\n)\n");
    out
}

const HEADER: &str = "\
// rollcoach: your routine, written by `rollcoach init` from your answers.
//
// Edit it as you like; `rollcoach check` tells you whether an edit is valid, and
// `rollcoach plan` shows the nights ahead. docs/ROUTINE.md walks through every part
// of this file, and docs/DOMAIN.md gives the sources of each number. Durations are
// written \"45s\", \"1m 30s\"; times HH:MM. This is not medical advice: ask a
// dermatologist.
";

const NOTIFY: &str =
    "    // Desktop notifications, the terminal bell, spoken cues (docs/CONFIG.md).
    notify: (desktop: true, bell: false, warn_before: \"10s\", speak: false),

";

fn roller(answers: &Answers, out: &mut String) {
    let mm = answers.needle_mm;
    let table = default_rest_days(mm);
    let _ = writeln!(out, "    roller: (\n        needle_mm: {mm},");
    match rest_days(answers) {
        (days, Some(pick)) => {
            let _ = writeln!(
                out,
                "        // The needle table gives {table} days between rolling days; {:?} pauses\n        \
                 // longer around a roll than that leaves, so the roller rests {days} days to give\n        \
                 // it a night between two rolls (or ask your prescriber).\n        \
                 rest_days: {days},",
                pick.name
            );
        }
        (_, None) => {
            let _ = writeln!(
                out,
                "        // rest_days is left out: the needle table gives {table} days from one rolling\n        \
                 // day to the next for {mm} mm. Add `rest_days: N,` to change it."
            );
        }
    }
    out.push_str(
        "        // Replace the roller after 10 uses or 90 days, whichever comes first;\n        \
         // `rollcoach roller --replaced` records a new one.\n        \
         replace_after_uses: 10,\n        replace_after_days: 90,\n    ),\n\n",
    );
}

fn checkin(on: bool, out: &mut String) {
    if !on {
        out.push_str(
            "    // The check-in is off: nothing is asked before rolling. Leave `checkin` out\n    \
             // for the built-in list, or write your own (docs/ROUTINE.md).\n    \
             checkin: [],\n\n",
        );
        return;
    }
    out.push_str(
        "    // Asked before each roll; a yes makes it a rest night. broken_skin: a yes keeps\n    \
         // retinoids, acids, benzoyl peroxide and fragrance off tonight too. lasting: a yes\n    \
         // holds rolling until `rollcoach hold clear`; holds_retinoids: retinoids too.\n    \
         // `checkin: []` turns it off.\n    checkin: [\n",
    );
    for item in built_in_checkin() {
        let _ = writeln!(out, "        {},", checkin_item(&item));
    }
    out.push_str("    ],\n\n");
}

/// One check-in question as RON: a string, or `(ask: ..., flags)`.
fn checkin_item(item: &CheckinItem) -> String {
    let mut flags = String::new();
    for (flag, on) in [
        ("broken_skin", item.broken_skin),
        ("lasting", item.lasting),
        ("holds_retinoids", item.holds_retinoids),
    ] {
        if on {
            let _ = write!(flags, ", {flag}: true");
        }
    }
    if flags.is_empty() {
        quoted(&item.ask)
    } else {
        format!("(ask: {}{flags})", quoted(&item.ask))
    }
}

fn products(picks: &[Pick], out: &mut String) {
    out.push_str(
        "    // What is on the shelf. Add `opened: \"YYYY-MM-DD\"` (and `lasts: \"6M\"`, as the jar\n    \
         // says) and `rollcoach shelf` tells you when each expires.\n    products: [\n",
    );
    for pick in picks {
        let _ = writeln!(
            out,
            "        (name: {}, actives: {}),",
            quoted(&pick.name),
            actives(&pick.actives)
        );
    }
    out.push_str("    ],\n\n");
}

fn routine(
    name: &str,
    at: chrono::NaiveTime,
    picks: &[Pick],
    evening: bool,
    answers: &Answers,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "        (\n            name: \"{name}\",\n            at: \"{}\",\n            steps: [",
        at.format("%H:%M")
    );
    let step = "                ";
    if evening {
        out.push_str(EVENING_BEFORE);
    } else {
        let _ = writeln!(
            out,
            "{step}(name: \"Cleanse\", kind: Cleanse, duration: \"1m\"),"
        );
    }
    for pick in picks.iter().filter(|p| p.evening == evening) {
        product_step(pick, answers.needle_mm, out);
    }
    let _ = writeln!(
        out,
        "{step}(name: \"Moisturise\", kind: Moisturise, duration: \"1m\", notes: \"A bland moisturiser: no fragrance, no actives.\"),"
    );
    if !evening {
        let _ = writeln!(
            out,
            "{step}(name: \"Sunscreen\", kind: Protect, duration: \"30s\", notes: \"SPF 30+, every morning; mineral and fragrance-free after rolling.\"),"
        );
    }
    out.push_str("            ],\n        ),\n");
}

/// The evening up to the products: the roller soaks while the face is cleansed, the
/// roll waits for the soak, and the roller disinfects while the products go on.
const EVENING_BEFORE: &str = r#"                // Soak the roller in 70% isopropyl alcohol at least 5 min before use; it
                // soaks alongside the cleanse.
                (name: "Sanitize roller", kind: Sanitize, duration: "5m", when: RollDay, alongside: true, notes: "Rinse, then soak the roller head in 70% isopropyl alcohol. Never boil it."),
                // Only a gentle cleanser goes on before the needles.
                (name: "Cleanse", kind: Cleanse, duration: "1m 30s", notes: "Gentle, non-exfoliating cleanser. Pat skin dry before rolling."),
                // Per zone: horizontal, vertical, then diagonal passes, 4 each.
                (
                    name: "Roll",
                    kind: Roll,
                    when: RollDay,
                    after: "Sanitize roller",
                    passes: 4,
                    zones: [
                        (name: "Forehead", duration: "45s"),
                        (name: "Left cheek", duration: "45s"),
                        (name: "Right cheek", duration: "45s"),
                        (name: "Chin", duration: "30s"),
                    ],
                    notes: "Light pressure. Lift the roller between passes; never pivot it. Never on the eyelids. Stop if it hurts.",
                ),
                // Rinse and soak at least 10 min after use, alongside the next steps.
                (name: "Disinfect roller", kind: Sanitize, duration: "10m", when: RollDay, alongside: true, notes: "Rinse, soak in 70% isopropyl alcohol, air-dry, store it in its case."),
"#;

/// A product's step, with a comment on its pauses and days.
fn product_step(pick: &Pick, needle_mm: f64, out: &mut String) {
    let step = "                ";
    let (after, before) = default_pauses(&pick.actives, Some(needle_mm));
    let classes: Vec<&str> = pick.actives.iter().map(|a| a.as_str()).collect();
    let pauses = match (after, before) {
        (None, None) if pick.actives.is_empty() => "no actives, no pause around a roll".into(),
        (None, None) => format!("{}: after-care, no pause around a roll", classes.join(", ")),
        (a, b) => format!(
            "{}: off {} after a roll and {} before the next ({needle_mm} mm)",
            classes.join(", "),
            a.map_or("0 h".into(), pause_text),
            b.map_or("0 h".into(), pause_text)
        ),
    };
    comment(&format!("{pauses}; {}.", days_words(&pick.when)), out);
    if let Some(why) = &pick.moved {
        comment(&format!("Not where first asked for: {why}."), out);
    }
    let kind = if after.is_some() || before.is_some() {
        "Treatment"
    } else {
        "Serum"
    };
    let when = match &pick.when {
        When::Always => String::new(),
        other => format!(", when: {}", when(other)),
    };
    let _ = writeln!(
        out,
        "{step}(name: {name}, kind: {kind}, duration: \"1m\", product: {name}{when}),",
        name = quoted(&pick.name)
    );
}

/// A comment over a step, wrapped at 92 columns.
fn comment(text: &str, out: &mut String) {
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && 16 + 3 + line.len() + 1 + word.len() > 92 {
            let _ = writeln!(out, "                // {line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let _ = writeln!(out, "                // {line}");
}

/// The days a `when` of `init`'s names, in words.
fn days_words(when: &When) -> String {
    match when {
        When::Always => "every day".into(),
        When::RestDay => "on days without a roll".into(),
        When::RollDay => "on roll days".into(),
        When::Cycle { days, on, .. } => {
            let nights: Vec<String> = on.iter().map(u32::to_string).collect();
            format!("night {} of every {days}", nights.join(" and "))
        }
        other => format!("on {}", days_text(other).replace(',', ", ")),
    }
}

/// A `when` as RON, in the forms `init` makes.
fn when(when: &When) -> String {
    match when {
        When::Weekdays(days) => {
            let names: Vec<String> = days.iter().map(|d| format!("{d:?}")).collect();
            format!("Weekdays([{}])", names.join(", "))
        }
        When::Cycle { days, on, .. } => {
            let nights: Vec<String> = on.iter().map(u32::to_string).collect();
            format!("Cycle(days: {days}, on: [{}])", nights.join(", "))
        }
        other => format!("{other:?}"),
    }
}

fn actives(actives: &[Active]) -> String {
    let names: Vec<String> = actives.iter().map(|a| format!("{a:?}")).collect();
    format!("[{}]", names.join(", "))
}

/// A RON string: quotes and backslashes escaped (names hold no control characters).
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
