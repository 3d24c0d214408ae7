//! Shared by the criterion benches: a realistic journal for the built-in routine, and
//! the budgets of BENCHMARKS.md checked after criterion has run.
//!
//! The journal follows the built-in routine (`config/default.ron`): a morning and an
//! evening session every day, rolling on the evening of every 7th day (0.5 mm needles),
//! the actives paused after a roll, steps skipped now and then, a check-in that says
//! "not today" once in a while (the roll moves to the next day), a few sessions left
//! unfinished, ratings and notes after many evenings, and a new roller every 15 rolls.
//! `bench/make_journal.py` writes the same kind of journal for the shell scripts.

#![allow(dead_code)]

use std::cell::RefCell;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use rollcoach::routine::config::{self, BUILT_IN, Config};
use rollcoach::routine::journal::{Journal, Record, SessionRecord, StepOutcome, StepRecord};
use rollcoach::session::Moment;

/// The last day of the generated journals; the benches plan the day after it.
pub const LAST_DAY: (i32, u32, u32) = (2026, 11, 22);

/// The built-in routine.
pub fn built_in() -> Config {
    config::parse(BUILT_IN).expect("the built-in routine parses")
}

/// The day after the journal, at 21:05 (the evening routine is due), as a Moment.
pub fn moment() -> Moment {
    let (y, m, d) = LAST_DAY;
    let wall = offset()
        .with_ymd_and_hms(y, m, d + 1, 21, 5, 0)
        .single()
        .expect("a valid time");
    Moment {
        instant: Instant::now(),
        wall,
    }
}

fn offset() -> FixedOffset {
    FixedOffset::east_opt(3600).expect("+01:00")
}

/// A small deterministic generator (xorshift64*), so every run benches the same journal.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// A number in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// (name, kind, seconds) of a step that runs.
type Planned = (&'static str, &'static str, u64);

const NOTES: &[&str] = &[
    "calm",
    "a little red",
    "slight tingling, gone by morning",
    "dry around the nose",
    "skin looks even",
    "small breakout on the chin",
];

const CHECKIN: &str = "check-in: Any active breakout, cold sore or infection where you roll?";

/// The records of a journal of `sessions` sessions (two a day) ending on [`LAST_DAY`].
pub fn records(sessions: usize) -> Vec<Record> {
    let days = sessions.div_ceil(2) as i64;
    let (y, m, d) = LAST_DAY;
    let last = NaiveDate::from_ymd_opt(y, m, d).expect("a valid day");
    let first = last - chrono::Duration::days(days - 1);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::with_capacity(sessions + sessions / 4);
    let mut last_roll_end: Option<DateTime<FixedOffset>> = None;
    let mut last_roll_day: Option<NaiveDate> = None;
    let mut rolls_on_roller = 0;
    let mut written = 0;
    let mut day = first;
    while written < sessions {
        // Morning, 07:30 give or take.
        let start = at(day, 7, 15 + rng.below(45) as u32);
        let paused = |end: Option<DateTime<FixedOffset>>, hours: i64, t: DateTime<FixedOffset>| {
            end.is_some_and(|e| t < e + chrono::Duration::hours(hours))
        };
        let mut steps: Vec<Planned> = vec![("Cleanse", "cleanse", 60)];
        if !paused(last_roll_end, 48, start) {
            steps.push(("Vitamin C serum", "serum", 60));
        }
        steps.push(("Moisturise", "moisturise", 60));
        steps.push(("Sunscreen", "protect", 30));
        let (session, _) = make_session("morning", day, start, &steps, false, &mut rng);
        out.push(Record::Session(session));
        written += 1;
        if written == sessions {
            break;
        }

        // Evening, 21:00 give or take; a roll on rolling days.
        let start = at(day, 20 + rng.below(2) as u32, rng.below(60) as u32);
        let rolling = last_roll_day.is_none_or(|d| (day - d).num_days() >= 7);
        let mut steps: Vec<Planned> = vec![("Cleanse", "cleanse", 90)];
        if rolling {
            steps.push(("Sanitize roller", "sanitize", 300));
            steps.push(("Roll", "roll", 165));
            steps.push(("Disinfect roller", "sanitize", 300));
        }
        steps.push(("Hyaluronic serum", "serum", 60));
        if !rolling && !paused(last_roll_end, 72, start) {
            steps.push(("Retinol", "treatment", 30));
        }
        if matches!(day.weekday(), Weekday::Tue | Weekday::Fri) && !paused(last_roll_end, 72, start)
        {
            steps.push(("Exfoliant", "treatment", 30));
        }
        steps.push(("Moisturise", "moisturise", 60));
        // Now and then the check-in says not today: the roll waits for tomorrow.
        let declined = rolling && rng.chance(0.03);
        let (session, rolled) = make_session("evening", day, start, &steps, declined, &mut rng);
        if rolled {
            last_roll_end = Some(session.ended);
            last_roll_day = Some(day);
            rolls_on_roller += 1;
        }
        let note = session.complete && rng.chance(0.4);
        let (routine, started) = (session.routine.clone(), session.started);
        out.push(Record::Session(session));
        written += 1;
        if note {
            out.push(Record::SessionNote {
                routine,
                started,
                rating: Some(1 + rng.below(5) as u8),
                note: rng
                    .chance(0.5)
                    .then(|| NOTES[rng.below(NOTES.len() as u64) as usize].to_string()),
            });
        }
        if rolls_on_roller == 15 {
            rolls_on_roller = 0;
            out.push(Record::RollerReplaced {
                at: at(day + chrono::Duration::days(1), 9, 0),
            });
        }
        day += chrono::Duration::days(1);
    }
    out
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time");
    offset()
        .from_local_datetime(&day.and_time(time))
        .single()
        .expect("a fixed offset has every time")
}

/// One session of `steps`: most steps done in about their time, a few skipped, and now
/// and then a session left unfinished. `declined`: a check-in said no to rolling.
/// Returns the session and whether it rolled.
fn make_session(
    routine: &str,
    day: NaiveDate,
    started: DateTime<FixedOffset>,
    steps: &[Planned],
    declined: bool,
    rng: &mut Rng,
) -> (SessionRecord, bool) {
    let unfinished = rng.chance(0.02);
    let keep = if unfinished {
        1 + rng.below(steps.len() as u64 - 1) as usize
    } else {
        steps.len()
    };
    let mut records = Vec::with_capacity(keep);
    let mut secs_total = 0;
    let mut past_roll = false;
    for &(name, kind, secs) in &steps[..keep] {
        past_roll |= kind == "roll";
        // The check-in skips the Roll step and the rolling-day steps after it.
        let (status, secs, reason) = if declined && past_roll && matches!(kind, "roll" | "sanitize")
        {
            (StepOutcome::Skipped, 0, Some(CHECKIN.to_string()))
        } else if kind != "roll" && rng.chance(0.04) {
            (StepOutcome::Skipped, rng.below(5), None)
        } else if rng.chance(0.2) {
            // Finished early with Enter.
            (StepOutcome::Done, secs * (50 + rng.below(50)) / 100, None)
        } else {
            (StepOutcome::Done, secs, None)
        };
        secs_total += secs + rng.below(20);
        records.push(StepRecord {
            name: name.to_string(),
            kind: kind.to_string(),
            status,
            secs,
            reason,
            started: None,
            ended: None,
        });
    }
    let session = SessionRecord {
        routine: routine.to_string(),
        day,
        started,
        ended: started + chrono::Duration::seconds(secs_total as i64),
        complete: !unfinished,
        steps: records,
        rating: None,
        note: None,
    };
    let rolled = session.rolled();
    (session, rolled)
}

/// The journal file's text: one JSON record a line.
pub fn text(records: &[Record]) -> String {
    let mut text = String::new();
    for r in records {
        text.push_str(&serde_json::to_string(r).expect("a record serializes"));
        text.push('\n');
    }
    text
}

/// The journal as read from its text.
pub fn journal(records: &[Record]) -> Journal {
    let mut journal = Journal::default();
    for r in records {
        journal.add(r.clone());
    }
    journal
}

/// Mean time per iteration of the budgeted benches, taken from every criterion sample
/// (warm-up included), and checked against the budgets once criterion is done.
pub struct Budgets {
    seen: RefCell<Vec<Timed>>,
}

/// A bench's name, its budget, the time its runs took and how many there were.
type Timed = (String, Option<Duration>, Duration, u64);

impl Budgets {
    pub const fn new() -> Budgets {
        Budgets {
            seen: RefCell::new(Vec::new()),
        }
    }

    /// Times `iters` runs of `f` for criterion's `iter_custom`, and remembers them with
    /// the budget of one run, if it has one.
    pub fn time<O>(
        &self,
        name: &str,
        budget: Option<Duration>,
        iters: u64,
        mut f: impl FnMut() -> O,
    ) -> Duration {
        let start = Instant::now();
        for _ in 0..iters {
            std::hint::black_box(f());
        }
        let took = start.elapsed();
        let mut seen = self.seen.borrow_mut();
        match seen.iter_mut().find(|(n, ..)| n == name) {
            Some((_, _, total, count)) => {
                *total += took;
                *count += iters;
            }
            None => seen.push((name.to_string(), budget, took, iters)),
        }
        took
    }

    /// Prints one line per budget; false when one is missed. Benches that ran only a
    /// few times (`--test`, a filter that left them out) are not judged.
    pub fn report(&self) -> bool {
        let mut ok = true;
        println!();
        for (name, budget, total, count) in self.seen.borrow().iter() {
            if *count < 20 {
                continue;
            }
            let mean = *total / u32::try_from(*count).unwrap_or(u32::MAX);
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            match budget {
                Some(budget) => {
                    let met = mean < *budget;
                    ok &= met;
                    println!(
                        "{name}: mean {:.3} ms over {count} runs; budget < {:.3} ms: {}",
                        ms(mean),
                        ms(*budget),
                        if met { "ok" } else { "MISSED" }
                    );
                }
                None => println!("{name}: mean {:.3} ms over {count} runs", ms(mean)),
            }
        }
        ok
    }
}

thread_local! {
    /// The budgets of this bench binary (criterion runs benches on the main thread).
    pub static BUDGETS: Budgets = const { Budgets::new() };
}

/// Runs the benchmark groups with short warm-up and measurement times, then checks the
/// budgeted means: exits 1 when one is missed.
pub fn run(groups: &[fn(&mut criterion::Criterion)]) {
    let mut c = criterion::Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    for group in groups {
        group(&mut c);
    }
    c.final_summary();
    if !BUDGETS.with(|b| b.report()) {
        eprintln!("a budget was missed");
        std::process::exit(1);
    }
}
