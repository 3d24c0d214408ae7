//! A whole day in a pure simulation: the app is woken exactly when it asks to be, with
//! the time passed in, through two routines, reminders and the turn of the day.

use std::time::{Duration, Instant};

use rollcoach::dashboard::app::{Action, App, Effect, InputKey, Msg, Overlay};
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::{Journal, Record};
use rollcoach::session::Moment;

const CONFIG: &str = r#"(
    checkin: [],
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
    sessions: Vec<rollcoach::routine::journal::SessionRecord>,
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
    // The pane followed the day: at 21:00 it turned from the morning's summary to the
    // evening, with no key pressed.
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
) -> (Journal, rollcoach::routine::journal::SessionRecord) {
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
            // The check-in: y declines; a roll keyed through: y, it counts.
            let counts = matches!(app.overlay, Some(Overlay::ConfirmRoll { .. }));
            let answer = if decline || counts { 'y' } else { 'n' };
            app.update(Msg::Input(InputKey::Char(answer)), now)
        } else {
            app.update(Msg::Key(Action::Next), now)
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

/// The routine names announced as due by these effects.
fn due_names(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify { summary, .. } => summary.strip_suffix(" is due").map(String::from),
            _ => None,
        })
        .collect()
}

/// Ten seconds of monotonic time and a night of wall time: a laptop asleep from 20:00
/// to 08:00 (the monotonic clock stops while suspended).
#[test]
fn after_a_suspend_what_became_due_is_announced_at_once_and_the_day_turns() {
    let now = Moment {
        instant: Instant::now(),
        wall: "2026-11-23T20:00:00+00:00".parse().unwrap(),
    };
    let (mut app, _) = App::new(parse(CONFIG).unwrap(), Journal::default(), None, false, now);
    assert_eq!(app.day.to_string(), "2026-11-23");
    let resumed = Moment {
        instant: now.instant + Duration::from_secs(10),
        wall: "2026-11-24T08:00:00+00:00".parse().unwrap(),
    };
    let effects = app.update(Msg::Tick, resumed);
    // The new day's morning, not the evening slept through on the day before.
    assert_eq!(due_names(&effects), ["morning"]);
    assert_eq!(app.day.to_string(), "2026-11-24");
    assert_eq!(app.run.routine, "morning");
    // And not again at the next wake-up.
    let later = resumed.after(Duration::from_secs(60));
    assert!(due_names(&app.update(Msg::Tick, later)).is_empty());
}

/// A key is the first thing after the resume: what became due comes first all the same.
#[test]
fn a_key_after_a_suspend_finds_the_day_already_turned() {
    let now = Moment {
        instant: Instant::now(),
        wall: "2026-11-23T20:00:00+00:00".parse().unwrap(),
    };
    let (mut app, _) = App::new(parse(CONFIG).unwrap(), Journal::default(), None, false, now);
    let resumed = Moment {
        instant: now.instant + Duration::from_secs(3),
        wall: "2026-11-24T08:00:00+00:00".parse().unwrap(),
    };
    let effects = app.update(Msg::Key(Action::Help), resumed);
    assert_eq!(due_names(&effects), ["morning"]);
    assert_eq!(app.day.to_string(), "2026-11-24");
}

/// A step running when the lid closes ends at its wall-clock deadline: the skin did not
/// pause while the machine slept.
#[test]
fn a_countdown_running_through_a_suspend_ends_at_its_wall_clock_deadline() {
    let start = Moment {
        instant: Instant::now(),
        wall: "2026-11-23T21:00:00+00:00".parse().unwrap(),
    };
    let config = CONFIG.replace("\"90s\"", "\"10m\"");
    let (mut app, _) = App::new(
        parse(&config).unwrap(),
        Journal::default(),
        None,
        false,
        start,
    );
    app.update(Msg::Key(Action::StartPause), start);
    // Asleep from 21:00:02 to 21:05:00: two seconds of monotonic time went by.
    let at = |mono: u64, wall: &str| Moment {
        instant: start.instant + Duration::from_secs(mono),
        wall: wall.parse().unwrap(),
    };
    let first = at(2, "2026-11-23T21:05:00+00:00");
    app.update(Msg::Tick, first);
    assert_eq!(app.run.current, 0);
    assert_eq!(app.run.part_left(first.instant), Duration::from_secs(300));
    // Asleep again past the end of the step, both zones of the roll, into Moisturise.
    let second = at(4, "2026-11-23T21:12:00+00:00");
    app.update(Msg::Tick, second);
    assert_eq!(app.run.steps[0].spent, Duration::from_secs(600));
    assert_eq!(app.run.steps[1].spent, Duration::from_secs(75));
    assert_eq!(app.run.current, 2);
    assert_eq!(app.run.part_left(second.instant), Duration::from_secs(15));
    // Then it runs on as before, to the second.
    let end = second.after(Duration::from_secs(15));
    let effects = app.update(Msg::Tick, end);
    let session = effects
        .iter()
        .find_map(|e| match e {
            Effect::Append(Record::Session(s)) => Some(s),
            _ => None,
        })
        .expect("the session ends at 21:12:15");
    assert_eq!(session.ended.format("%H:%M:%S").to_string(), "21:12:15");
    assert_eq!(
        session.steps.iter().map(|s| s.secs).collect::<Vec<_>>(),
        [600, 75, 60]
    );
}

/// A step of a routine without `at` is judged now: paused for 2 h after the 21:00 roll,
/// it comes on at 23:00 by itself, the app woken for it, with no key pressed.
#[test]
fn a_step_paused_after_rolling_comes_on_at_its_time_without_a_key() {
    let config = r#"(
    checkin: [],
        day_starts_at: "04:00",
        roller: (needle_mm: 0.5),
        routines: [
            (name: "evening", at: "21:00", steps: [
                (name: "Roll", kind: Roll, zones: [(name: "Forehead", duration: "45s")]),
            ]),
            (name: "anytime", steps: [
                (name: "Acid", kind: Treatment, duration: "1m", pause_after_roll: "2h"),
            ]),
        ],
    )"#;
    let rolled = r#"{"type":"session","routine":"evening","day":"2026-11-23","started":"2026-11-23T21:00:00+00:00","ended":"2026-11-23T21:01:00+00:00","complete":true,"steps":[{"name":"Roll","kind":"roll","status":"done","secs":45}]}"#;
    let mut now = Moment {
        instant: Instant::now(),
        wall: "2026-11-23T21:30:00+00:00".parse().unwrap(),
    };
    let (mut app, _) = App::new(
        parse(config).unwrap(),
        Journal::parse(rolled),
        None,
        false,
        now,
    );
    assert_eq!(app.run.routine, "anytime");
    let acid = |app: &App| app.routine_plan().steps[0].status;
    assert_eq!(acid(&app), rollcoach::routine::plan::StepState::Off);
    let mut wakes = 0;
    while acid(&app) == rollcoach::routine::plan::StepState::Off {
        assert!(now.wall.format("%H:%M").to_string().as_str() < "23:01");
        let wake = app.next_wake(now);
        assert!(wake > now.instant);
        now = now.after(wake - now.instant);
        app.update(Msg::Tick, now);
        wakes += 1;
    }
    assert_eq!(now.wall.format("%H:%M:%S").to_string(), "23:00:00");
    assert!(wakes <= 3, "{wakes} wake-ups in 90 minutes");
    // The run on screen has the step, ready for Space.
    assert_eq!(app.run.steps.len(), 1);
    assert_eq!(app.run.steps[0].name, "Acid");
}

/// With `day_starts_at` inside the hour the autumn change repeats (02:30, clocks go back
/// from 03:00 CEST to 02:00 CET), the day shown never goes back, and a routine due in
/// that hour is announced once.
#[test]
fn the_day_never_goes_back_in_the_repeated_autumn_hour() {
    use chrono::{DateTime, FixedOffset, TimeDelta};
    let config = r#"(
        day_starts_at: "02:30",
        notify: (desktop: true),
        routines: [
            (name: "night", at: "02:45", steps: [(name: "Cleanse", kind: Cleanse, duration: "1m")]),
            (name: "evening", at: "21:00", steps: [(name: "Cleanse", kind: Cleanse, duration: "1m")]),
        ],
    )"#;
    let start: DateTime<FixedOffset> = "2026-10-25T02:20:00+02:00".parse().unwrap();
    let change: DateTime<FixedOffset> = "2026-10-25T01:00:00+00:00".parse().unwrap();
    let summer = FixedOffset::east_opt(2 * 3600).unwrap();
    let winter = FixedOffset::east_opt(3600).unwrap();
    let t0 = Instant::now();
    let moment = |minutes: i64| {
        let at = start + TimeDelta::minutes(minutes);
        Moment {
            instant: t0 + Duration::from_secs(minutes as u64 * 60),
            wall: at.with_timezone(if at < change { &summer } else { &winter }),
        }
    };
    let (mut app, _) = App::new(
        parse(config).unwrap(),
        Journal::default(),
        None,
        false,
        moment(0),
    );
    assert_eq!(app.day.to_string(), "2026-10-24");
    let mut days = vec![app.day];
    let mut announced = Vec::new();
    // 02:20 CEST to 03:20 CET, every five minutes: two hours of real time.
    for m in (5..=120).step_by(5) {
        let now = moment(m);
        announced.extend(due_names(&app.update(Msg::Tick, now)));
        assert!(
            app.day >= *days.last().unwrap(),
            "the day went back to {} at {}",
            app.day,
            now.wall
        );
        if days.last() != Some(&app.day) {
            days.push(app.day);
        }
        assert!(app.next_wake(now) > now.instant);
    }
    assert_eq!(
        days.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        ["2026-10-24", "2026-10-25"]
    );
    assert_eq!(announced, ["night"]);
}
