//! A whole day in a pure simulation: the app is woken exactly when it asks to be, with
//! the time passed in, through two routines, reminders and the turn of the day.

use std::time::{Duration, Instant};

use rollcoach::dashboard::app::{Action, App, Effect, InputKey, Msg};
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::{Journal, Record};
use rollcoach::session::Moment;

const CONFIG: &str = r#"(
    day_starts_at: "04:00",
    roller: (needle_mm: 0.5),
    notify: (desktop: true, warn_before: "10s"),
    routines: [
        (name: "morning", at: "07:30", auto_advance: true, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Sunscreen", kind: Protect, duration: "30s"),
        ]),
        (name: "evening", at: "21:00", auto_advance: true, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "90s"),
            (name: "Roll", kind: Roll, zones: [
                (name: "Forehead", duration: "45s"),
                (name: "Chin", duration: "30s"),
            ]),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ],
)"#;

/// What the day produced.
#[derive(Default)]
struct Log {
    due: Vec<(String, String)>,
    sessions: Vec<rollcoach::routine::journal::Session>,
    wakes: usize,
    days: Vec<(String, chrono::NaiveDate)>,
}

/// Lets the app sleep until it asks to be woken, again and again, up to `until`.
fn run_until(app: &mut App, now: &mut Moment, until: &str, log: &mut Log) {
    let until: chrono::DateTime<chrono::FixedOffset> = until.parse().unwrap();
    while now.wall < until {
        let wake = app.next_wake(*now);
        assert!(wake > now.instant, "a wake-up in the past at {}", now.wall);
        let step = (wake - now.instant).min((until - now.wall).to_std().unwrap());
        *now = now.after(step);
        let day = app.day;
        let effects = app.update(Msg::Tick, *now);
        log.wakes += 1;
        if app.day != day {
            log.days
                .push((now.wall.format("%d %H:%M:%S").to_string(), app.day));
        }
        record(&effects, now, log);
    }
}

fn record(effects: &[Effect], now: &Moment, log: &mut Log) {
    for effect in effects {
        match effect {
            Effect::Notify { summary, .. } if summary.ends_with("is due") => log
                .due
                .push((summary.clone(), now.wall.format("%d %H:%M:%S").to_string())),
            Effect::Append(Record::Session(s)) => log.sessions.push(s.clone()),
            _ => {}
        }
    }
}

/// Starts the routine on screen and lets it run through by its own deadlines.
fn run_session(app: &mut App, now: &mut Moment, log: &mut Log) {
    let effects = app.update(Msg::Key(Action::StartPause), *now);
    record(&effects, now, log);
    while !app.run.is_finished() {
        let wake = app.next_wake(*now);
        *now = now.after(wake - now.instant);
        let effects = app.update(Msg::Tick, *now);
        log.wakes += 1;
        record(&effects, now, log);
    }
    app.update(Msg::Input(InputKey::Esc), *now);
}

#[test]
fn a_day_of_routines_reminders_and_the_day_boundary() {
    let mut now = Moment {
        instant: Instant::now(),
        wall: "2026-11-23T05:00:00+00:00".parse().unwrap(),
    };
    let (mut app, _) = App::new(parse(CONFIG).unwrap(), Journal::default(), None, false, now);
    let mut log = Log::default();

    run_until(&mut app, &mut now, "2026-11-23T07:31:00+00:00", &mut log);
    assert_eq!(app.run.routine, "morning");
    run_session(&mut app, &mut now, &mut log);
    run_until(&mut app, &mut now, "2026-11-23T21:05:00+00:00", &mut log);
    // After the morning, Tab to the evening (the app opened on the morning).
    app.update(Msg::Key(Action::NextRoutine), now);
    assert_eq!(app.run.routine, "evening");
    run_session(&mut app, &mut now, &mut log);
    run_until(&mut app, &mut now, "2026-11-24T08:00:00+00:00", &mut log);

    // Every reminder once, at its minute.
    assert_eq!(
        log.due,
        [
            ("morning is due".to_string(), "23 07:30:00".to_string()),
            ("evening is due".to_string(), "23 21:00:00".to_string()),
            ("morning is due".to_string(), "24 07:30:00".to_string()),
        ]
    );
    // The day turned once, at day_starts_at.
    assert_eq!(
        log.days,
        [("24 04:00:00".to_string(), "2026-11-24".parse().unwrap())]
    );
    // No countdown drifted: each session took exactly its steps' time.
    let took: Vec<(String, i64, Vec<u64>)> = log
        .sessions
        .iter()
        .map(|s| {
            (
                s.routine.clone(),
                (s.ended - s.started).num_seconds(),
                s.steps.iter().map(|x| x.secs).collect(),
            )
        })
        .collect();
    assert_eq!(
        took,
        [
            ("morning".to_string(), 90, vec![60, 30]),
            ("evening".to_string(), 225, vec![90, 75, 60]),
        ]
    );
    // On the new day the morning is due again and nothing is done yet.
    assert!(!app.plan.routines[0].done);
    assert_eq!(app.day.to_string(), "2026-11-24");
    // Idle, it woke about once an hour, plus each reminder and the turn of the day;
    // running, once a displayed second.
    let running_secs = 90 + 225;
    assert!(
        log.wakes < running_secs + 40,
        "{} wake-ups in 27 hours",
        log.wakes
    );
}

#[test]
fn a_long_countdown_ends_on_its_deadline_whatever_the_wakeups() {
    let mut now = Moment {
        instant: Instant::now(),
        wall: "2026-11-23T21:00:00+00:00".parse().unwrap(),
    };
    let config = CONFIG.replace("\"90s\"", "\"10m\"");
    let (mut app, _) = App::new(
        parse(&config).unwrap(),
        Journal::default(),
        None,
        false,
        now,
    );
    assert_eq!(app.run.routine, "evening");
    app.update(Msg::Key(Action::StartPause), now);
    // Wake-ups that come late by up to 0.9 s, as a busy machine delivers them.
    let mut late = 0u64;
    while app.run.current == 0 {
        let wake = app.next_wake(now);
        late = (late * 7 + 3) % 10;
        now = now.after((wake - now.instant) + Duration::from_millis(late * 100));
        app.update(Msg::Tick, now);
    }
    // The Roll step (its first zone: 45 s) started at exactly 10:00, not at the late
    // wake-up.
    let started_roll = now.instant - (Duration::from_secs(45) - app.run.part_left(now.instant));
    let since_start = now.wall - chrono::Duration::from_std(now.instant - started_roll).unwrap();
    assert_eq!(since_start.format("%H:%M:%S").to_string(), "21:10:00");
    assert_eq!(app.run.steps[0].spent, Duration::from_secs(600));
}

/// One routine run through the dashboard at `at`, every step finished with Enter; at the
/// check-in, `decline` answers "y" (a rest night), else "n". The journaled session.
fn run_built_in(
    journal: Journal,
    routine: &str,
    at: &str,
    decline: bool,
) -> (Journal, rollcoach::routine::journal::Session) {
    let config = parse(rollcoach::routine::config::BUILT_IN).unwrap();
    let mut now = Moment {
        instant: Instant::now(),
        wall: at.parse().unwrap(),
    };
    let (mut app, _) = App::new(config, journal, None, false, now);
    assert_eq!(app.run.routine, routine, "at {at}");
    for _ in 0..40 {
        now = now.after(Duration::from_secs(20));
        let effects = if app.takes_text() {
            let answer = if decline { 'y' } else { 'n' };
            app.update(Msg::Input(InputKey::Char(answer)), now)
        } else {
            app.update(Msg::Key(Action::Finish), now)
        };
        for effect in effects {
            if let Effect::Append(Record::Session(s)) = effect {
                return (app.journal, s);
            }
        }
    }
    panic!("{routine} at {at} did not end: {:#?}", app.run)
}

/// Eight weeks of the built-in routine, morning and evening, every day, through the
/// dashboard's own update (the check-in, steps passed by after a roll, rest nights),
/// with the check-in declined on some rolling days. On every day: no retinol or acid
/// in the 72 h after a roll or the evening before one, no vitamin C in the 48 h after
/// or on the morning of a roll, retinol and acid never on the same night, rolls at
/// least the needle's 7 rest days apart; and the actives are not starved.
#[test]
fn eight_weeks_of_the_built_in_routine_keep_the_pauses() {
    use chrono::{DateTime, DurationRound, FixedOffset, TimeDelta};
    use rollcoach::routine::journal::StepOutcome;

    let start: chrono::NaiveDate = "2026-11-30".parse().unwrap();
    let mut journal = Journal::default();
    let mut sessions = Vec::new();
    let mut rolling_days_seen = 0;
    for d in 0..56 {
        let day = start + TimeDelta::days(d);
        let (j, morning) =
            run_built_in(journal, "morning", &format!("{day}T07:30:00+00:00"), false);
        sessions.push(morning);
        // Every third rolling day the check-in is declined.
        let config = parse(rollcoach::routine::config::BUILT_IN).unwrap();
        let now: DateTime<FixedOffset> = format!("{day}T21:00:00+00:00").parse().unwrap();
        let rolling = rollcoach::routine::plan::plan(&config, &j, day, &now).rolling_day;
        let decline = rolling && {
            rolling_days_seen += 1;
            rolling_days_seen % 3 == 2
        };
        let (j, evening) = run_built_in(j, "evening", &format!("{day}T21:00:00+00:00"), decline);
        assert_eq!(evening.rolled(), rolling && !decline, "{day}");
        sessions.push(evening);
        journal = j;
    }

    // Pauses count routine due times: each session started within a minute of its `at`.
    let due = |t: DateTime<FixedOffset>| t.duration_trunc(TimeDelta::minutes(1)).unwrap();
    let done = |name: &str| -> Vec<DateTime<FixedOffset>> {
        sessions
            .iter()
            .filter(|s| {
                s.steps
                    .iter()
                    .any(|x| x.name == name && x.status == StepOutcome::Done)
            })
            .map(|s| due(s.started))
            .collect()
    };
    let rolls: Vec<DateTime<FixedOffset>> = sessions
        .iter()
        .filter(|s| s.rolled())
        .map(|s| due(s.started))
        .collect();
    assert!(rolls.len() >= 6, "{rolls:?}");
    for pair in rolls.windows(2) {
        assert!(pair[1] - pair[0] >= TimeDelta::days(7), "{pair:?}");
    }
    let hours = TimeDelta::hours;
    for (name, after, before) in [
        ("Retinol", hours(72), hours(48)),
        ("Exfoliant", hours(72), hours(48)),
        ("Vitamin C serum", hours(48), hours(24)),
    ] {
        let times = done(name);
        // About once a week at least: the window between the pauses is three evenings.
        assert!(times.len() >= 6, "{name} starved: {times:?}");
        for t in &times {
            for r in &rolls {
                assert!(
                    !(*r <= *t && *t < *r + after),
                    "{name} at {t}, {} after the roll at {r}",
                    *t - *r
                );
                assert!(
                    !(*t < *r && *r - *t < before),
                    "{name} at {t}, {} before the roll at {r}",
                    *r - *t
                );
            }
        }
    }
    let retinol_days: Vec<_> = done("Retinol").iter().map(|t| t.date_naive()).collect();
    for t in done("Exfoliant") {
        assert!(!retinol_days.contains(&t.date_naive()), "both on {t}");
    }
    // A session that rolled ran nothing but the roll, its sanitising and after-care.
    for s in sessions.iter().filter(|s| s.rolled()) {
        for x in s.steps.iter().filter(|x| x.status == StepOutcome::Done) {
            assert!(
                [
                    "Cleanse",
                    "Sanitize roller",
                    "Roll",
                    "Disinfect roller",
                    "Hyaluronic serum",
                    "Moisturise"
                ]
                .contains(&x.name.as_str()),
                "{} on a roll night: {s:?}",
                x.name
            );
        }
    }
}
