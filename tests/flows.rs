//! Pure update sequences: keys and ticks at given times, asserting state and effects.

use std::time::{Duration, Instant};

use rollcoach::dashboard::app::{Action, App, Effect, Msg};
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::{Journal, Record, StepOutcome};
use rollcoach::session::Moment;
use rollcoach::session::countdown::Countdown;

const CONFIG: &str = r#"(
    roller: (needle_mm: 0.5),
    routines: [
        (name: "morning", at: "07:30", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
        ]),
        (name: "evening", at: "21:00", auto_advance: AUTO, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "90s"),
            (name: "Roll", kind: Roll, when: RollDay, passes: 5, zones: [
                (name: "Forehead", duration: "45s"),
                (name: "Left cheek", duration: "45s"),
            ]),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ],
)"#;

fn t0() -> Moment {
    Moment {
        instant: Instant::now(),
        wall: "2026-11-23T21:05:00+00:00".parse().unwrap(),
    }
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn app(auto: bool, now: Moment) -> App {
    let config = parse(&CONFIG.replace("AUTO", &auto.to_string())).unwrap();
    let (app, effects) = App::new(config, Journal::default(), None, false, now);
    assert!(effects.is_empty());
    app
}

fn key(app: &mut App, action: Action, now: Moment) -> Vec<Effect> {
    app.update(Msg::Key(action), now)
}

fn appended(effects: &[Effect]) -> Vec<&Record> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append(r) => Some(r),
            _ => None,
        })
        .collect()
}

#[test]
fn opens_on_the_routine_due_now() {
    let t = t0();
    let app = app(false, t);
    assert_eq!(app.run.routine, "evening");
    let morning = Moment {
        wall: "2026-11-23T08:00:00+00:00".parse().unwrap(),
        ..t
    };
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    let (early, _) = App::new(config, Journal::default(), None, false, morning);
    assert_eq!(early.run.routine, "morning");
}

#[test]
fn start_pause_resume_keeps_the_time_left() {
    let t = t0();
    let mut app = app(false, t);
    let effects = key(&mut app, Action::StartPause, t);
    assert!(
        matches!(effects.as_slice(), [Effect::Save(_)]),
        "{effects:?}"
    );
    assert_eq!(app.run.step_left(t.after(secs(30)).instant), secs(60));

    let effects = key(&mut app, Action::StartPause, t.after(secs(30)));
    assert!(matches!(app.run.countdown, Countdown::Paused { left } if left == secs(60)));
    assert!(
        matches!(effects.as_slice(), [Effect::Save(_)]),
        "pausing saves"
    );

    // Paused for ten minutes: nothing moves.
    app.update(Msg::Tick, t.after(secs(630)));
    assert_eq!(app.run.step_left(t.after(secs(630)).instant), secs(60));
    key(&mut app, Action::StartPause, t.after(secs(630)));
    assert_eq!(app.run.step_left(t.after(secs(650)).instant), secs(40));
}

#[test]
fn a_countdown_that_ends_waits_for_space_without_auto_advance() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    let effects = app.update(Msg::Tick, t.after(secs(90)));
    assert_eq!(app.run.current, 1);
    assert!(matches!(app.run.countdown, Countdown::Idle { left } if left == secs(45)));
    assert_eq!(app.run.steps[0].outcome, Some(StepOutcome::Done));
    assert_eq!(app.run.steps[0].spent, secs(90));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Save(_))),
        "a step change saves"
    );
}

#[test]
fn with_auto_advance_the_next_step_starts_at_the_deadline() {
    let t = t0();
    let mut app = app(true, t);
    key(&mut app, Action::StartPause, t);
    // A late wake-up at 100 s: the Roll step started at 90 s, not at 100 s.
    app.update(Msg::Tick, t.after(secs(100)));
    assert_eq!(app.run.current, 1);
    assert_eq!(app.run.part_left(t.after(secs(100)).instant), secs(35));
}

#[test]
fn zones_advance_by_themselves_with_a_bell() {
    let t = t0();
    let mut app = app(true, t);
    key(&mut app, Action::StartPause, t);
    app.update(Msg::Tick, t.after(secs(90)));
    assert_eq!((app.run.current, app.run.part), (1, 0));
    let effects = app.update(Msg::Tick, t.after(secs(135)));
    assert_eq!(app.run.part, 1);
    assert!(effects.contains(&Effect::Bell), "{effects:?}");
    assert_eq!(app.run.step_left(t.after(secs(135)).instant), secs(45));
    assert_eq!(
        app.run.current_step().unwrap().technique.as_deref(),
        Some("horizontal ×5 → vertical ×5 → diagonal ×5")
    );
}

#[test]
fn skip_back_and_nudges() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::Skip, t);
    assert_eq!(app.run.steps[0].outcome, Some(StepOutcome::Skipped));
    assert_eq!(app.run.current, 1);
    key(&mut app, Action::Back, t);
    assert_eq!((app.run.current, app.run.steps[0].outcome), (0, None));

    key(&mut app, Action::AddTime, t);
    assert_eq!(app.run.step_left(t.instant), secs(120));
    key(&mut app, Action::TakeTime, t);
    key(&mut app, Action::TakeTime, t);
    assert_eq!(app.run.step_left(t.instant), secs(60));
    key(&mut app, Action::Restart, t);
    assert_eq!(app.run.step_left(t.instant), secs(90));
    // Taking more than is left never goes below zero.
    for _ in 0..5 {
        key(&mut app, Action::TakeTime, t);
    }
    assert_eq!(app.run.step_left(t.instant), Duration::ZERO);
}

#[test]
fn taking_the_last_seconds_of_a_running_step_ends_it() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    key(&mut app, Action::TakeTime, t.after(secs(70)));
    assert_eq!(app.run.current, 1);
    assert_eq!(app.run.steps[0].outcome, Some(StepOutcome::Done));
}

#[test]
fn finishing_every_step_appends_one_complete_record_and_updates_the_plan() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    let mut effects = key(&mut app, Action::Finish, t.after(secs(80)));
    effects.extend(key(&mut app, Action::StartPause, t.after(secs(85))));
    effects.extend(app.update(Msg::Tick, t.after(secs(175))));
    effects.extend(key(&mut app, Action::Skip, t.after(secs(180))));
    let records = appended(&effects);
    assert_eq!(records.len(), 1, "{effects:?}");
    let Record::Session(session) = records[0] else {
        panic!()
    };
    assert!(session.complete);
    assert_eq!(session.routine, "evening");
    let steps: Vec<(&str, StepOutcome, u64)> = session
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.status, s.secs))
        .collect();
    assert_eq!(
        steps,
        [
            ("Cleanse", StepOutcome::Done, 80),
            ("Roll", StepOutcome::Done, 90),
            ("Moisturise", StepOutcome::Skipped, 0),
        ]
    );
    assert_eq!(session.started, t.wall);
    assert_eq!(session.ended, t.after(secs(180)).wall);
    assert!(effects.contains(&Effect::ClearSaved));
    assert!(app.routine_plan().done);
    assert_eq!(app.plan.roller.as_ref().unwrap().uses, 1);
    // Nothing more is appended afterwards.
    assert!(appended(&key(&mut app, Action::Finish, t.after(secs(200)))).is_empty());
}

#[test]
fn a_running_session_is_saved_every_30_seconds() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    assert!(app.update(Msg::Tick, t.after(secs(10))).is_empty());
    let effects = app.update(Msg::Tick, t.after(secs(30)));
    assert!(matches!(effects.as_slice(), [Effect::Save(s)] if s.left_ms == 60_000));
}

#[test]
fn a_saved_session_resumes_paused_at_its_step() {
    let t = t0();
    let mut first = app(false, t);
    key(&mut first, Action::StartPause, t);
    first.update(Msg::Tick, t.after(secs(90)));
    key(&mut first, Action::StartPause, t.after(secs(91)));
    let effects = key(&mut first, Action::Quit, t.after(secs(101)));
    let [Effect::Save(saved)] = effects.as_slice() else {
        panic!("{effects:?}")
    };

    let later = t.after(secs(300));
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    let (app, effects) = App::new(
        config,
        Journal::default(),
        Some(saved.clone()),
        false,
        later,
    );
    assert!(effects.is_empty());
    assert_eq!(app.run.current, 1);
    assert_eq!(app.run.steps[0].outcome, Some(StepOutcome::Done));
    assert!(matches!(app.run.countdown, Countdown::Paused { left } if left == secs(35)));
    assert!(app.status.as_deref().unwrap().contains("resumed"));
}

#[test]
fn a_saved_session_of_an_earlier_day_is_journaled_as_unfinished() {
    let t = t0();
    let mut first = app(false, t);
    key(&mut first, Action::StartPause, t);
    key(&mut first, Action::Finish, t.after(secs(60)));
    let effects = key(&mut first, Action::Quit, t.after(secs(61)));
    let [Effect::Save(saved)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let next_day = t.after(secs(24 * 3600));
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    let (app, effects) = App::new(
        config,
        Journal::default(),
        Some(saved.clone()),
        false,
        next_day,
    );
    let records = appended(&effects);
    let [Record::Session(session)] = records.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(!session.complete);
    assert_eq!(session.day.to_string(), "2026-11-23");
    assert_eq!(session.steps.len(), 1);
    assert!(effects.contains(&Effect::ClearSaved));
    assert!(!app.run.has_started());
}

#[test]
fn read_only_changes_nothing() {
    let t = t0();
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    let (mut app, _) = App::new(config, Journal::default(), None, true, t);
    assert!(key(&mut app, Action::StartPause, t).is_empty());
    assert!(!app.run.has_started());
    assert!(app.status.as_deref().unwrap().contains("read-only"));
}

#[test]
fn tab_moves_to_the_next_routine_but_not_mid_session() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::NextRoutine, t);
    assert_eq!(app.run.routine, "morning");
    key(&mut app, Action::NextRoutine, t);
    key(&mut app, Action::StartPause, t);
    key(&mut app, Action::NextRoutine, t);
    assert_eq!(app.run.routine, "evening");
    assert!(app.status.as_deref().unwrap().contains("in progress"));
}

#[test]
fn idle_wakes_only_for_what_it_shows() {
    let t = t0();
    let mut app = app(false, t);
    // 21:05, nothing running: nothing to show before the next day, so an hour's sleep.
    assert_eq!(app.next_wake(t) - t.instant, secs(3600));
    // 03:30: the day turns at 04:00.
    let night = Moment {
        wall: "2026-11-24T03:30:00+00:00".parse().unwrap(),
        ..t
    };
    assert_eq!(app.next_wake(night) - t.instant, secs(30 * 60));
    // 07:00 on a new day: the morning routine is due at 07:30.
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    let dawn = Moment {
        wall: "2026-11-24T07:00:00+00:00".parse().unwrap(),
        ..t
    };
    let (fresh, _) = App::new(config, Journal::default(), None, false, dawn);
    assert_eq!(fresh.next_wake(dawn) - t.instant, secs(30 * 60));
    key(
        &mut app,
        Action::StartPause,
        t.after(Duration::from_millis(300)),
    );
    // Running: the next displayed second.
    assert_eq!(
        app.next_wake(t.after(secs(1))) - t.instant,
        Duration::from_millis(1300)
    );
}

#[test]
fn help_opens_and_esc_closes() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::Help, t);
    assert!(app.overlay.is_some());
    key(&mut app, Action::Close, t);
    assert!(app.overlay.is_none());
}
