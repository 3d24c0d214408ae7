//! The questions `rollcoach init` asks, in order, each with its default (Enter takes it)
//! and asked again, with what to type, until the answer is one it can use. The answers
//! come from an `Answerer`: the terminal, lines piped in, or a test.

use std::io;

use chrono::NaiveTime;

use crate::routine::actives::Active;
use crate::routine::when::When;

use super::parse::{self, DAYS_FORMS};
use super::place::{Choice, Pick, clashes, days_text, routine_name, suggest};

/// What a question is about, so that a script or a test can answer by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Needle,
    Morning,
    Evening,
    /// The name of the nth product (from 1).
    Product(usize),
    Actives(usize),
    Routine(usize),
    Days(usize),
    /// Its days again, after a clash with a product before it.
    DaysAgain(usize),
    Checkin,
}

/// Where the answers come from.
pub trait Answerer {
    /// Shows a line: what comes next, or why an answer was not taken.
    fn say(&mut self, text: &str) -> io::Result<()>;
    /// Shows `prompt` and reads one answer, None at the end of input.
    fn answer(&mut self, topic: Topic, prompt: &str) -> io::Result<Option<String>>;
}

/// Everything the answers said.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    /// One of `parse::NEEDLES`.
    pub needle_mm: f64,
    /// The morning routine's time; None: no morning routine.
    pub morning: Option<NaiveTime>,
    /// The evening routine's, the one that rolls.
    pub evening: NaiveTime,
    /// The products, each placed where no product before it conflicts with it.
    pub products: Vec<Pick>,
    /// The check-in before rolling: on (the built-in list) or off.
    pub checkin: bool,
}

/// The input ended before the last question: nothing is written.
#[derive(Debug, thiserror::Error)]
#[error("the input ended at {0:?} before the last question: nothing written")]
pub struct Stopped(pub String);

/// The most products `init` asks about; more can be added by hand.
pub const MOST_PRODUCTS: usize = 12;

/// Asks every question and gives the answers.
pub fn interview(who: &mut impl Answerer) -> anyhow::Result<Answers> {
    who.say(
        "Needle length. Home rollers are 0.25 to 0.5 mm; longer needles (0.75 mm and up) \
         are a medical procedure (AAD 2018), for a dermatologist, not for home.",
    )?;
    let needle_mm = question(
        who,
        Topic::Needle,
        "Needle length in mm (0.25, 0.3 or 0.5)",
        "0.5",
        parse::needle,
    )?;
    let morning = question(
        who,
        Topic::Morning,
        "Morning routine at (HH:MM, or none)",
        "07:30",
        parse::morning,
    )?;
    let evening = question(
        who,
        Topic::Evening,
        "Evening routine at (HH:MM; the roll is in the evening)",
        "21:00",
        |t| parse::evening(t, morning),
    )?;
    let products = products(who, needle_mm, morning.is_some())?;
    who.say(
        "The check-in asks before each roll whether anything rules it out tonight \
         (sunburn, a cold sore, pregnancy...); a yes makes it a rest night.",
    )?;
    let checkin = question(
        who,
        Topic::Checkin,
        "Check-in before rolling (on or off)",
        "on",
        parse::on_off,
    )?;
    Ok(Answers {
        needle_mm,
        morning,
        evening,
        products,
        checkin,
    })
}

/// The products, one at a time until an empty name.
fn products(
    who: &mut impl Answerer,
    needle_mm: f64,
    two_routines: bool,
) -> anyhow::Result<Vec<Pick>> {
    who.say(
        "Products with actives (a serum, a treatment), one at a time. Each goes on after \
         the roll, never before the needles, and pauses around a roll as its actives ask. \
         The classes of actives:",
    )?;
    for (i, active) in Active::ALL.iter().enumerate() {
        who.say(&format!(
            "  {:>2} {:?} ({})",
            i + 1,
            active,
            active.examples()
        ))?;
    }
    let mut placed: Vec<Pick> = Vec::new();
    for n in 1..=MOST_PRODUCTS {
        let taken: Vec<String> = placed.iter().map(|p| p.name.clone()).collect();
        let Some(name) = question(
            who,
            Topic::Product(n),
            &format!("Product {n}: its name (Enter: no more products)"),
            "",
            |t| parse::name(t, &taken),
        )?
        else {
            return Ok(placed);
        };
        let actives = question(
            who,
            Topic::Actives(n),
            "  its actives: numbers or names, commas between (Enter: none)",
            "",
            parse::actives,
        )?;
        let evening = if two_routines {
            question(
                who,
                Topic::Routine(n),
                "  morning or evening",
                parse::usual_routine(&actives),
                parse::routine,
            )?
        } else {
            true
        };
        let when = question(
            who,
            Topic::Days(n),
            &format!("  which days: {DAYS_FORMS}"),
            "every",
            |t| parse::days(t, &actives, needle_mm),
        )?;
        let pick = Pick {
            name,
            actives,
            evening,
            when,
            moved: None,
        };
        if let Some(pick) = settle(who, &placed, pick, n, needle_mm, two_routines)? {
            placed.push(pick);
        }
    }
    who.say(&format!(
        "That is {MOST_PRODUCTS} products: add more by hand (docs/ROUTINE.md)."
    ))?;
    Ok(placed)
}

/// What to do after a clash, as typed.
enum Again {
    Days(When),
    Routine(bool),
    Skip,
}

/// The product where no product before it conflicts with it: asked again, with a
/// choice that works as the default, while it clashes; None when left out.
fn settle(
    who: &mut impl Answerer,
    placed: &[Pick],
    mut pick: Pick,
    n: usize,
    needle_mm: f64,
    two_routines: bool,
) -> anyhow::Result<Option<Pick>> {
    // The first clash, for the product's comment in the file.
    let mut why = None;
    loop {
        let found = clashes(placed, &pick);
        if found.is_empty() {
            pick.moved = why;
            return Ok(Some(pick));
        }
        for clash in &found {
            who.say(&format!("  {}.", clash.text(&pick)))?;
        }
        why = why.or_else(|| Some(found[0].text(&pick)));
        let default = match suggest(placed, &pick, two_routines) {
            Choice::Days(when) => days_text(&when),
            Choice::Move => routine_name(!pick.evening).into(),
            Choice::Skip => "skip".into(),
        };
        let other = if two_routines {
            format!(", {} to move it there", routine_name(!pick.evening))
        } else {
            String::new()
        };
        let again = question(
            who,
            Topic::DaysAgain(n),
            &format!(
                "  other days for {:?} (as above){other}, or skip to leave it out",
                pick.name
            ),
            &default,
            |t| {
                if t.trim().eq_ignore_ascii_case("skip") {
                    return Ok(Again::Skip);
                }
                if two_routines && let Ok(evening) = parse::routine(t) {
                    return Ok(Again::Routine(evening));
                }
                parse::days(t, &pick.actives, needle_mm).map(Again::Days)
            },
        )?;
        match again {
            Again::Skip => {
                who.say(&format!(
                    "  {:?} left out: add it by hand later (docs/ROUTINE.md).",
                    pick.name
                ))?;
                return Ok(None);
            }
            Again::Routine(evening) => pick.evening = evening,
            Again::Days(when) => pick.when = when,
        }
    }
}

/// Asks until `read` takes the answer (Enter: `default`), saying why after each it
/// does not.
pub fn question<T>(
    who: &mut impl Answerer,
    topic: Topic,
    prompt: &str,
    default: &str,
    read: impl Fn(&str) -> Result<T, String>,
) -> anyhow::Result<T> {
    let shown = if default.is_empty() {
        format!("{prompt}: ")
    } else {
        format!("{prompt} [{default}]: ")
    };
    loop {
        let Some(line) = who.answer(topic, &shown)? else {
            return Err(Stopped(prompt.trim().to_string()).into());
        };
        let line = line.trim();
        match read(if line.is_empty() { default } else { line }) {
            Ok(value) => return Ok(value),
            Err(why) => who.say(&format!("  {why}"))?,
        }
    }
}
