//! The coach's promise holds for any routine a person writes, not only the built-in one:
//! generated configs (steps with actives or products placed anywhere around the Roll,
//! `when` rules, needle lengths, check-in lists) walked for 12 weeks through the
//! dashboard with random answers. The journal never shows a step with actives before the
//! roll in the session that rolled, nor an active inside its pause after or before an
//! actual roll (judged on the routines' due times), nor a retinoid, acid, benzoyl
//! peroxide or fragrance on the night of a broken-skin "yes", nor a roll while a
//! lasting "yes" holds rolling (until the person clears it), nor a retinoid while a
//! pregnancy hold stands.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use rollcoach::dashboard::app::{Action, App, Effect, InputKey, Msg, Overlay};
use rollcoach::routine::actives::{avoided_in_pregnancy, spares_broken_skin};
use rollcoach::routine::config::{Config, StepKind, parse};
use rollcoach::routine::journal::{Journal, Record, SessionRecord, StepOutcome};
use rollcoach::routine::plan;
use rollcoach::session::Moment;

const ACTIVES: [&str; 13] = [
    "Retinoid",
    "PrescriptionRetinoid",
    "Adapalene",
    "CopperPeptides",
    "Aha",
    "Bha",
    "BenzoylPeroxide",
    "VitaminC",
    "AzelaicAcid",
    "Niacinamide",
    "HyaluronicAcid",
    "Peptides",
    "Fragrance",
];
const KINDS: [&str; 7] = [
    "Cleanse",
    "Serum",
    "Treatment",
    "Moisturise",
    "Protect",
    "Wait",
    "Custom",
];
const WHENS: [&str; 6] = [
    "",
    "",
    "when: RollDay,",
    "when: RestDay,",
    "when: Weekdays([Mon, Wed, Fri]),",
    "when: Cycle(days: 4, on: [2]),",
];
const NEEDLES: [&str; 6] = ["0.25", "0.3", "0.4", "0.5", "0.75", "1.0"];
const TIMES: [&str; 3] = ["07:30", "13:00", "21:00"];
const CHECKINS: [&str; 5] = [
    "",
    "checkin: [],",
    r#"checkin: ["Sunburn or strong sun in the last two days?", "A cold sore?"],"#,
    r#"checkin: ["A cold sore?", (ask: "Open wounds?", broken_skin: true)],"#,
    r#"checkin: ["A cold sore?", (ask: "Keloids?", lasting: true), (ask: "Open wounds?", broken_skin: true), (ask: "Pregnant?", lasting: true, holds_retinoids: true)],"#,
];

/// One step that is not a roll: a kind, a `when`, and actives, a product or nothing.
fn step() -> impl Strategy<Value = String> {
    (
        0..KINDS.len(),
        0..WHENS.len(),
        prop_oneof![
            2 => Just(String::new()),
            3 => prop::sample::subsequence(ACTIVES.to_vec(), 1..=2)
                .prop_map(|a| format!("actives: [{}],", a.join(", "))),
            2 => (0usize..3).prop_map(|p| format!("product: \"P{p}\",")),
        ],
    )
        .prop_map(|(kind, when, what)| {
            format!(
                "kind: {}, duration: \"20s\", {} {what}",
                KINDS[kind], WHENS[when]
            )
        })
}

/// A config: one to three routines at distinct times, one holding a Roll step at a
/// random place, a needle length with its default rest days or a given one.
fn config_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::collection::vec(step(), 1..5), 1..=3),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        prop::bool::ANY,
        0..NEEDLES.len(),
        prop::option::of(1u32..=10),
        0..CHECKINS.len(),
    )
        .prop_map(
            |(routines, roll_in, roll_at, roll_day, needle, rest, checkin)| {
                let first = TIMES.len() - routines.len();
                let roll_in = roll_in.index(routines.len());
                let rest = rest.map_or(String::new(), |d| format!("rest_days: {d},"));
                let mut text = format!(
                    "(roller: (needle_mm: {}, {rest}), {}\n\
                     products: [(name: \"P0\", actives: [Retinoid]), \
                     (name: \"P1\", actives: [VitaminC, Fragrance]), (name: \"P2\")],\n\
                     routines: [\n",
                    NEEDLES[needle], CHECKINS[checkin]
                );
                for (i, steps) in routines.iter().enumerate() {
                    let mut steps: Vec<String> = steps.clone();
                    if i == roll_in {
                        let when = if roll_day { "when: RollDay," } else { "" };
                        steps.insert(
                            roll_at.index(steps.len() + 1),
                            format!("kind: Roll, duration: \"20s\", {when}"),
                        );
                    }
                    text += &format!("(name: \"r{i}\", at: \"{}\", steps: [\n", TIMES[first + i]);
                    for (j, s) in steps.iter().enumerate() {
                        text += &format!("(name: \"s{j}\", {s}),\n");
                    }
                    text += "]),\n";
                }
                text + "])"
            },
        )
}

/// What the person does with one routine on one day.
#[derive(Debug, Clone, Copy)]
enum Evening {
    /// Not opened at all.
    Skipped,
    /// Every step finished; "n" at the check-in.
    Done,
    /// "y" at the check-in: a rest night.
    Declined,
    /// The first broken-skin question marked, then "y".
    Burnt,
    /// A lasting question marked (the n-th of them, cycling), then "y".
    Lasting(usize),
}

fn evening() -> impl Strategy<Value = Evening> {
    prop_oneof![
        1 => Just(Evening::Skipped),
        5 => Just(Evening::Done),
        2 => Just(Evening::Declined),
        1 => Just(Evening::Burnt),
        1 => (0usize..4).prop_map(Evening::Lasting),
    ]
}

const DAYS: usize = 84;

/// One routine run through the dashboard at its due time, every step finished with
/// Enter; the check-in answered as `what` says. The journaled session, if any.
fn run(
    config: &Config,
    journal: Journal,
    at: DateTime<FixedOffset>,
    what: Evening,
) -> (Journal, Option<SessionRecord>) {
    let mut now = Moment {
        instant: Instant::now(),
        wall: at,
    };
    let (mut app, _) = App::new(config.clone(), journal, None, false, now);
    let burnt = config.checkin.iter().position(|q| q.broken_skin);
    let lasting: Vec<usize> = (0..config.checkin.len())
        .filter(|i| config.checkin[*i].lasting)
        .collect();
    let mark = match what {
        Evening::Burnt => burnt,
        Evening::Lasting(n) if !lasting.is_empty() => Some(lasting[n % lasting.len()]),
        _ => None,
    };
    for _ in 0..40 {
        now = now.after(Duration::from_secs(20));
        let effects = if matches!(app.overlay, Some(Overlay::ConfirmRoll { .. })) {
            // "Did you roll?": the Roll step was keyed through; yes, it counts.
            app.update(Msg::Input(InputKey::Char('y')), now)
        } else if app.takes_text() {
            if let Some(i) = mark {
                let mark = char::from_digit((i as u32 + 1) % 10, 10).unwrap();
                app.update(Msg::Input(InputKey::Char(mark)), now);
            }
            let answer = match what {
                Evening::Declined | Evening::Burnt | Evening::Lasting(_) => 'y',
                _ => 'n',
            };
            app.update(Msg::Input(InputKey::Char(answer)), now)
        } else if !app.run.has_started() {
            app.update(Msg::Key(Action::StartPause), now)
        } else {
            app.update(Msg::Key(Action::Next), now)
        };
        for effect in effects {
            if let Effect::Append(Record::Session(s)) = effect {
                return (app.journal, Some(s));
            }
        }
    }
    (app.journal, None)
}

/// The person clears the first hold on the dashboard (H, then 1) at `at`.
fn clear_hold(config: &Config, journal: Journal, at: DateTime<FixedOffset>) -> Journal {
    let now = Moment {
        instant: Instant::now(),
        wall: at,
    };
    let (mut app, _) = App::new(config.clone(), journal, None, false, now);
    app.update(Msg::Key(Action::Holds), now);
    if app.takes_text() {
        app.update(Msg::Input(InputKey::Char('1')), now);
    }
    app.journal
}

/// The holds standing over a session: (question, retinoids too) for each lasting "yes"
/// journaled before it ended and not cleared before it started.
fn holds_over(journal: &Journal, s: &SessionRecord) -> Vec<(String, bool)> {
    let mut standing: Vec<(String, bool)> = Vec::new();
    for record in &journal.records {
        match record {
            Record::RollHold(h) if h.at <= s.ended => {
                standing.retain(|(a, _)| *a != h.ask);
                standing.push((h.ask.clone(), h.holds_retinoids));
            }
            Record::RollHoldCleared { ask, at, .. } if *at < s.started => {
                standing.retain(|(a, _)| a != ask);
            }
            _ => {}
        }
    }
    standing
}

/// The due time of `routine` on `day`, in UTC.
fn due(config: &Config, routine: &str, day: NaiveDate) -> DateTime<FixedOffset> {
    let r = config.routine(routine).unwrap();
    plan::clock_on(day, plan::routine_time(r), config.day_starts_at)
        .and_utc()
        .fixed_offset()
}

/// Every way the journal breaks the rules, empty when it keeps them.
fn broken_rules(config: &Config, journal: &Journal, sessions: &[SessionRecord]) -> Vec<String> {
    let mut broken = Vec::new();
    for s in sessions {
        let holds = holds_over(journal, s);
        if s.rolled() && !holds.is_empty() {
            broken.push(format!(
                "{} {}: rolled while held by {holds:?}",
                s.day, s.routine
            ));
        }
        let routine = config.routine(&s.routine).unwrap();
        let retinoids_held = holds.iter().any(|(_, r)| *r);
        for x in s.steps.iter().filter(|x| x.status == StepOutcome::Done) {
            let step = routine.steps.iter().find(|y| y.name == x.name);
            if retinoids_held && step.is_some_and(|y| avoided_in_pregnancy(&y.actives)) {
                broken.push(format!(
                    "{} {} {}: a retinoid while pregnant",
                    s.day, s.routine, x.name
                ));
            }
        }
    }
    let rolls: Vec<DateTime<FixedOffset>> = sessions
        .iter()
        .filter(|s| s.rolled())
        .map(|s| due(config, &s.routine, s.day))
        .collect();
    // The nights of a broken-skin "yes": from the session that answered it on.
    let burnt: Vec<(NaiveDate, DateTime<FixedOffset>)> = sessions
        .iter()
        .filter(|s| {
            s.steps.iter().any(|x| {
                x.kind == "roll"
                    && x.status == StepOutcome::Skipped
                    && x.reason.as_deref().is_some_and(|r| {
                        config
                            .checkin
                            .iter()
                            .any(|q| q.broken_skin && r.contains(q.ask.as_str()))
                    })
            })
        })
        .map(|s| (s.day, s.started))
        .collect();
    for s in sessions {
        let routine = config.routine(&s.routine).unwrap();
        let roll_at = routine.steps.iter().position(|x| x.kind == StepKind::Roll);
        let t = due(config, &s.routine, s.day);
        for x in s.steps.iter().filter(|x| x.status == StepOutcome::Done) {
            let Some(j) = routine.steps.iter().position(|y| y.name == x.name) else {
                continue;
            };
            let step = &routine.steps[j];
            if step.kind == StepKind::Roll || step.actives.is_empty() {
                continue;
            }
            if spares_broken_skin(&step.actives)
                && burnt
                    .iter()
                    .any(|(day, from)| *day == s.day && s.started >= *from)
            {
                broken.push(format!(
                    "{} {} {}: on broken skin",
                    s.day, s.routine, x.name
                ));
            }
            if s.rolled() && roll_at.is_some_and(|r| j < r) {
                broken.push(format!(
                    "{} {} {}: actives before the roll",
                    s.day, s.routine, x.name
                ));
            }
            let after = step
                .pause_after_roll
                .map(|p| TimeDelta::from_std(p.0).unwrap());
            let before = step
                .pause_before_roll
                .map(|p| TimeDelta::from_std(p.0).unwrap());
            for r in &rolls {
                if let Some(after) = after
                    && *r <= t
                    && t < *r + after
                {
                    broken.push(format!(
                        "{} {} {} at {t}: {} after the roll at {r}",
                        s.day,
                        s.routine,
                        x.name,
                        t - *r
                    ));
                }
                if let Some(before) = before
                    && t < *r
                    && *r - t < before
                {
                    broken.push(format!(
                        "{} {} {} at {t}: {} before the roll at {r}",
                        s.day,
                        s.routine,
                        x.name,
                        *r - t
                    ));
                }
            }
        }
    }
    broken
}

proptest! {
    #![proptest_config(ProptestConfig {
        // All of them in `.ci/run` (ROLLCOACH_FULL_PROPERTIES), a quarter while working.
        cases: if std::env::var_os("ROLLCOACH_FULL_PROPERTIES").is_some() { 64 } else { 16 },
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/proptest-regressions/safe_routines.txt"
        )))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_routine_walked_for_twelve_weeks_keeps_the_rules(
        text in config_text(),
        days in prop::collection::vec(prop::collection::vec(evening(), 3), DAYS),
        clears in prop::collection::vec(prop::bool::weighted(0.15), DAYS),
    ) {
        let config = parse(&text);
        prop_assert!(config.is_ok(), "{text}\n{config:?}");
        let config = config.unwrap();
        let start: NaiveDate = "2026-11-30".parse().unwrap();
        let mut journal = Journal::default();
        let mut sessions = Vec::new();
        for (d, choices) in days.iter().enumerate() {
            let day = start + TimeDelta::days(d as i64);
            if clears[d] {
                let morning = due(&config, &config.routines[0].name, day) - TimeDelta::hours(1);
                journal = clear_hold(&config, journal, morning);
            }
            for (routine, what) in config.routines.iter().zip(choices) {
                if matches!(what, Evening::Skipped) {
                    continue;
                }
                let at = due(&config, &routine.name, day);
                let (j, session) = run(&config, journal, at, *what);
                journal = j;
                sessions.extend(session);
            }
        }
        let broken = broken_rules(&config, &journal, &sessions);
        prop_assert!(broken.is_empty(), "{text}\n{broken:#?}");
    }
}
