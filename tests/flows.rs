//! Pure update sequences: keys and ticks at given times, asserting state and effects.

use std::time::{Duration, Instant};

use rollcoach::dashboard::app::{Action, App, Effect, InputKey, Msg, Overlay, Topic};
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::{Journal, Record, SessionRecord, StepOutcome, StepRecord};
use rollcoach::routine::plan::StepState;
use rollcoach::session::Moment;
use rollcoach::session::countdown::Countdown;

const CONFIG: &str = r#"(
    checkin: [],
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

/// A key at `now`. A Roll step keyed through in seconds asks whether it counts; these
/// sequences answer yes (the question itself is tested in tests/day_done.rs).
fn key(app: &mut App, action: Action, now: Moment) -> Vec<Effect> {
    let effects = app.update(Msg::Key(action), now);
    if matches!(app.overlay, Some(Overlay::ConfirmRoll { .. })) {
        return app.update(Msg::Input(InputKey::Char('y')), now);
    }
    effects
}

fn saves(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Save(_)))
        .count()
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
    assert_eq!(saves(&effects), 1, "{effects:?}");
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
    // Going on saves too, and so does a changed time: the status line reads the save.
    let effects = key(&mut app, Action::StartPause, t.after(secs(630)));
    assert_eq!(saves(&effects), 1, "resuming saves: {effects:?}");
    assert_eq!(app.run.step_left(t.after(secs(650)).instant), secs(40));
    let effects = key(&mut app, Action::AddTime, t.after(secs(650)));
    assert_eq!(saves(&effects), 1, "a nudge saves: {effects:?}");
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
    let mut effects = key(&mut app, Action::Next, t.after(secs(80)));
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
    assert!(appended(&key(&mut app, Action::Next, t.after(secs(200)))).is_empty());
}

#[test]
fn a_running_session_is_saved_every_30_seconds() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    assert!(app.update(Msg::Tick, t.after(secs(10))).is_empty());
    let effects = app.update(Msg::Tick, t.after(secs(30)));
    assert!(matches!(effects.as_slice(), [Effect::Checkpoint(s)] if s.left_ms == 60_000));
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
    // Saved again as it now is: paused, so `status` does not count it down.
    let [Effect::Save(again)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(!again.running);
    assert_eq!(again.left_ms, 35_000);
    assert_eq!(app.run.current, 1);
    assert_eq!(app.run.steps[0].outcome, Some(StepOutcome::Done));
    assert!(matches!(app.run.countdown, Countdown::Paused { left } if left == secs(35)));
    assert!(app.message.as_deref().unwrap().contains("resumed"));
}

#[test]
fn a_saved_session_of_an_earlier_day_is_journaled_as_unfinished() {
    let t = t0();
    let mut first = app(false, t);
    key(&mut first, Action::StartPause, t);
    key(&mut first, Action::Next, t.after(secs(60)));
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
    assert!(app.message.as_deref().unwrap().contains("read-only"));
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
    assert!(app.message.as_deref().unwrap().contains("in progress"));
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

const ALERTS: &str = r#"(
    checkin: [],
    roller: (needle_mm: 0.5, replace_after_uses: 1),
    notify: (desktop: DESKTOP, bell: true, warn_before: "10s"),
    hooks: [
        (on: StepEnd, run: ["record", "end"]),
        (on: ZoneStart, run: ["record", "zone"], timeout: "2s"),
        (on: RoutineDue, run: ["record", "due"]),
    ],
    routines: [
        (name: "evening", at: "21:10", auto_advance: true, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "20s"),
            (name: "Roll", kind: Roll, zones: [(name: "Forehead", duration: "30s"), (name: "Left cheek", duration: "30s")]),
        ]),
    ],
)"#;

fn alerting(desktop: bool, journal: Journal, now: Moment) -> App {
    let config = parse(&ALERTS.replace("DESKTOP", &desktop.to_string())).unwrap();
    App::new(config, journal, None, false, now).0
}

fn notes(effects: &[Effect]) -> Vec<(String, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify { summary, body } => Some((summary.clone(), body.clone())),
            _ => None,
        })
        .collect()
}

fn hooks(effects: &[Effect]) -> Vec<&rollcoach::alerts::hooks::HookRun> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Hook(h) => Some(h),
            _ => None,
        })
        .collect()
}

fn env<'a>(hook: &'a rollcoach::alerts::hooks::HookRun, name: &str) -> &'a str {
    &hook.env.iter().find(|(k, _)| k == name).unwrap().1
}

#[test]
fn each_transition_notifies_what_to_do_now() {
    let t = t0();
    let mut app = alerting(true, Journal::default(), t);
    let start = key(&mut app, Action::StartPause, t);
    assert_eq!(
        notes(&start),
        [
            ("evening started".into(), "First: Cleanse".into()),
            ("Cleanse".into(), "0:20 on the clock".into()),
        ]
    );
    let warn = app.update(Msg::Tick, t.after(secs(10)));
    assert_eq!(
        notes(&warn),
        [(
            "Cleanse: 0:10 left".into(),
            "Next: Roll, 1:00 — started".into()
        )]
    );
    let end = app.update(Msg::Tick, t.after(secs(20)));
    assert_eq!(
        notes(&end),
        [
            ("Cleanse done".into(), "Next: Roll, 1:00 — started".into()),
            ("Roll".into(), "1:00 on the clock".into()),
            (
                "Forehead".into(),
                "horizontal ×4 → vertical ×4 → diagonal ×4".into()
            ),
        ]
    );
    assert_eq!(end.iter().filter(|e| **e == Effect::Bell).count(), 1);
    let hooks_run = hooks(&end);
    assert_eq!(hooks_run.len(), 2);
    assert_eq!(hooks_run[0].argv, ["record", "end"]);
    assert_eq!(env(hooks_run[0], "ROLLCOACH_EVENT"), "StepEnd");
    assert_eq!(env(hooks_run[0], "ROLLCOACH_STEP"), "Cleanse");
    assert_eq!(env(hooks_run[0], "ROLLCOACH_STEP_KIND"), "cleanse");
    assert_eq!(env(hooks_run[0], "ROLLCOACH_NEXT_STEP"), "Roll");
    assert_eq!(env(hooks_run[0], "ROLLCOACH_ZONE"), "");
    assert_eq!(env(hooks_run[0], "ROLLCOACH_DAY"), "2026-11-23");
    assert_eq!(env(hooks_run[1], "ROLLCOACH_ZONE"), "Forehead");
    assert_eq!(env(hooks_run[1], "ROLLCOACH_REMAINING_SECS"), "60");
    assert_eq!(hooks_run[1].timeout, secs(2));

    app.update(Msg::Tick, t.after(secs(50)));
    let done = app.update(Msg::Tick, t.after(secs(80)));
    let said = notes(&done);
    assert_eq!(said[0].0, "Roll done");
    assert_eq!(
        said.last().unwrap(),
        &(
            "evening complete".to_string(),
            "2 done, 0 skipped in 1:20 · next roll Mon 30 Nov".to_string()
        )
    );
    assert!(done.contains(&Effect::Bell));
}

#[test]
fn each_direction_runs_the_pass_hook_and_rings_without_a_notification() {
    let t = t0();
    let config = ALERTS.replace("DESKTOP", "true").replace(
        r#"(on: RoutineDue"#,
        r#"(on: PassStart, run: ["record", "pass"]), (on: RoutineDue"#,
    );
    let config = config.replace(
        r#"(name: "Left cheek", duration: "30s")"#,
        r#"(name: "Left cheek", duration: "30s", directions: [Vertical, Diagonal])"#,
    );
    let mut app = App::new(parse(&config).unwrap(), Journal::default(), None, false, t).0;
    let pass_hooks = |effects: &[Effect]| -> Vec<String> {
        hooks(effects)
            .into_iter()
            .filter(|h| h.argv == ["record", "pass"])
            .map(|h| format!("{}/{}", env(h, "ROLLCOACH_ZONE"), env(h, "ROLLCOACH_PASS")))
            .collect()
    };
    let bells = |effects: &[Effect]| effects.iter().filter(|e| **e == Effect::Bell).count();
    key(&mut app, Action::StartPause, t);
    // The Roll step starts at 20 s: the Forehead and its horizontal, with one bell.
    let start = app.update(Msg::Tick, t.after(secs(20)));
    assert_eq!(pass_hooks(&start), ["Forehead/horizontal"]);
    assert_eq!(bells(&start), 1);
    // Each direction has 10 s: the vertical at 30 s, not a nanosecond before.
    let before = app.update(Msg::Tick, t.after(secs(30) - Duration::from_nanos(1)));
    assert!(pass_hooks(&before).is_empty());
    assert_eq!(app.next_wake(t.after(secs(29))), t.after(secs(30)).instant);
    let vertical = app.update(Msg::Tick, t.after(secs(30)));
    assert_eq!(pass_hooks(&vertical), ["Forehead/vertical"]);
    assert_eq!(bells(&vertical), 1);
    assert!(notes(&vertical).is_empty(), "{vertical:?}");
    let hook = hooks(&vertical)[0];
    assert_eq!(env(hook, "ROLLCOACH_EVENT"), "PassStart");
    assert_eq!(env(hook, "ROLLCOACH_STEP"), "Roll");
    let diagonal = app.update(Msg::Tick, t.after(secs(40)));
    assert_eq!(pass_hooks(&diagonal), ["Forehead/diagonal"]);
    // The Left cheek names two directions: 15 s each.
    let cheek = app.update(Msg::Tick, t.after(secs(50)));
    assert_eq!(pass_hooks(&cheek), ["Left cheek/vertical"]);
    assert!(pass_hooks(&app.update(Msg::Tick, t.after(secs(64)))).is_empty());
    let last = app.update(Msg::Tick, t.after(secs(65)));
    assert_eq!(pass_hooks(&last), ["Left cheek/diagonal"]);
    assert_eq!(bells(&last), 1);
}

#[test]
fn desktop_false_turns_notifications_off_but_not_hooks() {
    let t = t0();
    let mut app = alerting(false, Journal::default(), t);
    key(&mut app, Action::StartPause, t);
    let end = app.update(Msg::Tick, t.after(secs(20)));
    assert!(notes(&end).is_empty());
    assert_eq!(hooks(&end).len(), 2);
}

#[test]
fn a_routine_due_while_open_is_announced_once() {
    let t = t0(); // 21:05; the routine is due at 21:10
    let mut app = alerting(true, Journal::default(), t);
    assert!(app.update(Msg::Tick, t.after(secs(60))).is_empty());
    let due = app.update(Msg::Tick, t.after(secs(300)));
    assert_eq!(
        notes(&due),
        [(
            "evening is due".into(),
            "21:10 · open the rollcoach pane and press Space".into()
        )]
    );
    assert_eq!(env(hooks(&due)[0], "ROLLCOACH_EVENT"), "RoutineDue");
    assert!(app.update(Msg::Tick, t.after(secs(400))).is_empty());
}

#[test]
fn a_worn_roller_is_announced_when_a_session_starts() {
    let t = t0();
    let rolled = r#"{"type":"session","routine":"evening","day":"2026-11-01","started":"2026-11-01T21:00:00+00:00","ended":"2026-11-01T21:10:00+00:00","complete":true,"steps":[{"name":"Roll","kind":"roll","status":"done","secs":60}]}"#;
    let mut app = alerting(true, Journal::parse(rolled), t);
    let start = key(&mut app, Action::StartPause, t);
    assert!(notes(&start).contains(&(
        "Replace the roller".into(),
        "Used 1 of 1 times; blunt needles tear the skin".into()
    )));
}

#[test]
fn a_valid_config_edit_replaces_the_plan_and_keeps_the_running_step() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    key(&mut app, Action::Next, t.after(secs(30)));
    key(&mut app, Action::StartPause, t.after(secs(31)));
    // 10 s into the Roll step's first zone, a serum step is added before Moisturise.
    let edited = CONFIG.replace("AUTO", "false").replace(
        r#"(name: "Moisturise""#,
        r#"(name: "Serum", kind: Serum, duration: "1m"), (name: "Moisturise""#,
    );
    let now = t.after(secs(41));
    app.update(
        Msg::Config(Ok((Box::new(parse(&edited).unwrap()), None))),
        now,
    );
    assert_eq!(app.message.as_deref(), Some("config reloaded"));
    let names: Vec<&str> = app
        .routine_plan()
        .steps
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Cleanse", "Roll", "Serum", "Moisturise"]);
    assert_eq!(app.run.steps[0].outcome, Some(StepOutcome::Done));
    assert_eq!(app.run.current, 1);
    assert!(app.run.countdown.is_running());
    assert_eq!(app.run.part_left(t.after(secs(50)).instant), secs(26));
}

#[test]
fn an_invalid_config_edit_keeps_the_old_one_and_shows_the_error() {
    let t = t0();
    let mut app = app(false, t);
    let before = app.plan.clone();
    app.update(
        Msg::Config(Err(config_error("invalid duration \"soon\""))),
        t,
    );
    assert_eq!(app.plan, before);
    assert!(app.config_error.as_deref().unwrap().contains("c.ron:3:12"));
    // It stays until the file is fixed, through key presses.
    key(&mut app, Action::Help, t);
    assert!(app.config_error.is_some());
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    app.update(Msg::Config(Ok((Box::new(config), None))), t);
    assert!(app.config_error.is_none());
}

const CHECKIN_CONFIG: &str = r#"(
    roller: (needle_mm: 0.5),
    checkin: ["Active breakout where you roll?", "Sunburn in the last two days?"],
    routines: [
        (name: "evening", at: "21:00", auto_advance: true, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Disinfect", kind: Sanitize, when: RollDay, duration: "5m"),
            (name: "Acid", kind: Treatment, duration: "30s", pause_after_roll: "72h"),
            (name: "Retinol", kind: Treatment, duration: "30s", when: RestDay),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ],
)"#;

fn input(app: &mut App, c: char, now: Moment) -> Vec<Effect> {
    app.update(Msg::Input(InputKey::Char(c)), now)
}

fn checkin_app(t: Moment) -> App {
    App::new(
        parse(CHECKIN_CONFIG).unwrap(),
        Journal::default(),
        None,
        false,
        t,
    )
    .0
}

/// Each step of a journaled session: name, outcome, reason.
fn outcomes(session: &SessionRecord) -> Vec<(&str, StepOutcome, Option<&str>)> {
    session
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.status, s.reason.as_deref()))
        .collect()
}

/// Runs the session to its end with Enter on each step; the journaled session.
fn finish_all(app: &mut App, mut at: Moment) -> SessionRecord {
    for _ in 0..20 {
        at = at.after(secs(1));
        let effects = key(app, Action::Next, at);
        if let [Record::Session(session)] = appended(&effects).as_slice() {
            return session.clone();
        }
    }
    panic!("the session did not end: {:?}", app.run)
}

#[test]
fn the_checkin_comes_before_the_first_step_on_one_screen() {
    let t = t0();
    let mut app = checkin_app(t);
    assert_eq!(app.run.current_step().unwrap().name, "Cleanse");
    key(&mut app, Action::StartPause, t);
    let Some(Overlay::CheckIn(checkin)) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    // Every question at once, nothing marked, nothing started (the roller not soaked).
    assert_eq!(checkin.marked, vec![false, false]);
    assert!(!app.run.has_started());
    assert!(app.takes_text());
    // n: none of these; the session starts as Space asked.
    input(&mut app, 'n', t.after(secs(2)));
    assert_eq!(app.overlay, None);
    assert_eq!(app.run.current_step().unwrap().name, "Cleanse");
    assert!(app.run.countdown.is_running());
    // Cleanse ends; auto_advance goes straight into the roll, asked nothing more.
    app.update(Msg::Tick, t.after(secs(62)));
    assert_eq!(app.overlay, None);
    assert_eq!(app.run.current_step().unwrap().name, "Roll");
    assert!(app.run.countdown.is_running());
}

#[test]
fn after_the_roll_the_paused_step_is_passed_by_with_its_reason() {
    let t = t0();
    let mut app = checkin_app(t);
    key(&mut app, Action::StartPause, t);
    input(&mut app, 'n', t);
    key(&mut app, Action::Next, t.after(secs(10)));
    key(&mut app, Action::Next, t.after(secs(20)));
    // After the roll, Disinfect; then the acid and the retinol are passed by.
    assert_eq!(app.run.current_step().unwrap().name, "Disinfect");
    key(&mut app, Action::Next, t.after(secs(30)));
    assert_eq!(app.run.current_step().unwrap().name, "Moisturise");
    let session = finish_all(&mut app, t.after(secs(40)));
    assert_eq!(
        outcomes(&session),
        [
            ("Cleanse", StepOutcome::Done, None),
            ("Roll", StepOutcome::Done, None),
            ("Disinfect", StepOutcome::Done, None),
            (
                "Acid",
                StepOutcome::Skipped,
                Some("paused after rolling: 72 h")
            ),
            (
                "Retinol",
                StepOutcome::Skipped,
                Some("rest-day step: rolled tonight")
            ),
            ("Moisturise", StepOutcome::Done, None),
        ]
    );
    // The plan agrees: the acid is skipped today, never pending or done.
    let plan = &app.plan.routines[0];
    assert_eq!(plan.steps[3].status, StepState::Skipped);
}

#[test]
fn a_yes_at_the_checkin_makes_a_rest_night_and_keeps_tomorrow_a_rolling_day() {
    let t = t0();
    let mut app = checkin_app(t);
    key(&mut app, Action::StartPause, t);
    // The second item is marked; y skips rolling tonight.
    input(&mut app, '2', t);
    let Some(Overlay::CheckIn(checkin)) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    assert_eq!(checkin.marked, vec![false, true]);
    input(&mut app, 'y', t.after(secs(2)));
    assert_eq!(app.overlay, None);
    assert_eq!(app.run.current_step().unwrap().name, "Cleanse");
    assert!(app.run.countdown.is_running());
    // auto_advance: Cleanse, then the rest night's steps: the acid and the retinol.
    app.update(Msg::Tick, t.after(secs(62)));
    assert_eq!(app.run.current_step().unwrap().name, "Acid");
    let session = finish_all(&mut app, t.after(secs(70)));
    let reason = Some("check-in: Sunburn in the last two days?");
    assert_eq!(
        outcomes(&session),
        [
            ("Cleanse", StepOutcome::Done, None),
            ("Roll", StepOutcome::Skipped, reason),
            ("Disinfect", StepOutcome::Skipped, reason),
            ("Acid", StepOutcome::Done, None),
            ("Retinol", StepOutcome::Done, None),
            ("Moisturise", StepOutcome::Done, None),
        ]
    );
    assert!(!session.rolled());
    // Not a roll: today stays a rolling day, and so is tomorrow.
    let roller = app.plan.roller.as_ref().unwrap();
    assert_eq!((roller.uses, roller.last_roll), (0, None));
    let tomorrow = rollcoach::routine::plan::plan(
        &app.config,
        &app.journal,
        app.day.succ_opt().unwrap(),
        &t.after(secs(86_400)).wall,
    );
    assert!(tomorrow.rolling_day);
}

#[test]
fn skipping_the_roll_step_makes_the_rest_of_the_session_a_rest_night() {
    let t = t0();
    let mut app = checkin_app(t);
    key(&mut app, Action::StartPause, t);
    input(&mut app, 'n', t);
    key(&mut app, Action::Next, t.after(secs(10)));
    key(&mut app, Action::Skip, t.after(secs(20)));
    assert_eq!(app.run.current_step().unwrap().name, "Acid");
    let session = finish_all(&mut app, t.after(secs(30)));
    let reason = Some("roll skipped: a rest night");
    assert_eq!(
        outcomes(&session),
        [
            ("Cleanse", StepOutcome::Done, None),
            ("Roll", StepOutcome::Skipped, None),
            ("Disinfect", StepOutcome::Skipped, reason),
            ("Acid", StepOutcome::Done, None),
            ("Retinol", StepOutcome::Done, None),
            ("Moisturise", StepOutcome::Done, None),
        ]
    );
}

#[test]
fn esc_at_the_checkin_starts_nothing_and_enter_alone_answers_nothing() {
    let t = t0();
    let mut app = checkin_app(t);
    key(&mut app, Action::StartPause, t);
    app.update(Msg::Input(InputKey::Enter), t);
    assert!(matches!(app.overlay, Some(Overlay::CheckIn(_))));
    app.update(Msg::Input(InputKey::Esc), t);
    assert_eq!(app.overlay, None);
    assert!(!app.run.has_started());
    // Asked again at the next Space; marking an item and Enter also skips the roll.
    key(&mut app, Action::StartPause, t);
    input(&mut app, '1', t);
    app.update(Msg::Input(InputKey::Enter), t);
    assert_eq!(app.overlay, None);
    assert!(app.run.roll_declined());
}

#[test]
fn enter_then_yes_starts_the_first_step_left_instead_of_finishing_it() {
    let t = t0();
    let config = r#"(roller: (needle_mm: 0.5), checkin: ["Sunburn?"], routines: [
        (name: "evening", at: "21:00", steps: [
            (name: "Sanitize", kind: Sanitize, when: RollDay, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ])"#;
    let (mut app, _) = App::new(parse(config).unwrap(), Journal::default(), None, false, t);
    key(&mut app, Action::Next, t);
    input(&mut app, 'y', t);
    // Enter was aimed at Sanitize, now skipped: Moisturise starts, it is not finished.
    assert_eq!(app.run.current_step().unwrap().name, "Moisturise");
    assert!(app.run.countdown.is_running());
    assert!(!app.run.is_finished());
}

#[test]
fn a_rest_day_step_before_the_roll_is_journaled_as_rolled_tonight() {
    let t = t0();
    let config = r#"(checkin: [], roller: (needle_mm: 0.5), routines: [
        (name: "evening", at: "21:00", steps: [
            (name: "Night cream", kind: Treatment, when: RestDay, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ])"#;
    let (mut app, _) = App::new(parse(config).unwrap(), Journal::default(), None, false, t);
    // The first step shown is the roll: the night cream waits for a rest night.
    assert_eq!(app.run.current_step().unwrap().name, "Roll");
    let session = finish_all(&mut app, t);
    assert_eq!(
        outcomes(&session),
        [
            (
                "Night cream",
                StepOutcome::Skipped,
                Some("rest-day step: rolled tonight")
            ),
            ("Roll", StepOutcome::Done, None),
            ("Moisturise", StepOutcome::Done, None),
        ]
    );
}

#[test]
fn a_roll_in_any_routine_pauses_the_later_steps_of_its_session() {
    let t = t0();
    // Two routines hold a Roll step; the plan's roll is the evening's, but rolling in
    // the early one pauses its retinol all the same.
    let config = r#"(checkin: [], roller: (needle_mm: 0.5), routines: [
        (name: "early", at: "19:00", steps: [
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Retinol", kind: Treatment, duration: "30s", pause_after_roll: "72h"),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
        (name: "evening", at: "21:00", steps: [
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
        ]),
    ])"#;
    let (mut app, _) = App::new(parse(config).unwrap(), Journal::default(), None, false, t);
    while app.run.routine != "early" {
        key(&mut app, Action::NextRoutine, t);
    }
    let session = finish_all(&mut app, t);
    assert_eq!(
        outcomes(&session),
        [
            ("Roll", StepOutcome::Done, None),
            (
                "Retinol",
                StepOutcome::Skipped,
                Some("paused after rolling: 72 h")
            ),
            ("Moisturise", StepOutcome::Done, None),
        ]
    );
}

#[test]
fn a_read_only_dashboard_reminds_rings_and_runs_nothing() {
    let config = r#"(notify: (desktop: true, bell: true),
        hooks: [(on: RoutineDue, run: ["true"])],
        routines: [(name: "evening", at: "21:00", steps: [(name: "Cleanse", kind: Cleanse, duration: "1m")])])"#;
    let before = Moment {
        instant: Instant::now(),
        wall: "2026-11-23T20:59:00+00:00".parse().unwrap(),
    };
    let fired = |read_only: bool| {
        let (mut app, _) = App::new(
            parse(config).unwrap(),
            Journal::default(),
            None,
            read_only,
            before,
        );
        app.update(Msg::Tick, before.after(secs(120)))
            .into_iter()
            .filter(|e| matches!(e, Effect::Notify { .. } | Effect::Hook(_) | Effect::Bell))
            .count()
    };
    // The owner announces the routine (a notification and the hook); the second one not.
    assert!(fired(false) >= 2);
    assert_eq!(fired(true), 0);
}

#[test]
fn a_notice_stays_until_its_condition_ends() {
    let t = t0();
    let mut app = app(false, t);
    assert!(app.notices().is_empty());
    let full = "cannot write the journal: no space left; the session is kept and retried";
    app.update(Msg::Notice(Topic::Disk, Some(full.into())), t);
    assert_eq!(app.message.as_deref(), Some(full));
    // Another line takes the status bar; the notice stays.
    app.update(Msg::Report("desktop notifications are off".into()), t);
    app.update(Msg::Key(Action::StartPause), t);
    assert_eq!(app.notices(), [full.to_string()]);
    // A second condition, then the disk is back.
    app.update(
        Msg::Notice(Topic::Hooks, Some("hooks are off: chmod go-w".into())),
        t,
    );
    app.update(Msg::Notice(Topic::Disk, None), t);
    assert_eq!(app.notices(), ["hooks are off: chmod go-w".to_string()]);
    // An invalid config is listed until it is fixed.
    app.update(Msg::Config(Err(config_error("invalid duration"))), t);
    assert_eq!(app.notices().len(), 2);
    key(&mut app, Action::Notices, t);
    assert_eq!(app.overlay, Some(Overlay::Notices));
}

#[test]
fn a_session_without_a_roll_asks_nothing() {
    let t = t0();
    // Rolled yesterday: today is not a rolling day.
    let yesterday = Journal {
        records: vec![Record::Session(SessionRecord {
            routine: "evening".into(),
            day: "2026-11-22".parse().unwrap(),
            started: "2026-11-22T21:05:00+00:00".parse().unwrap(),
            ended: "2026-11-22T21:15:00+00:00".parse().unwrap(),
            complete: true,
            steps: vec![StepRecord {
                name: "Roll".into(),
                kind: "roll".into(),
                status: StepOutcome::Done,
                secs: 120,
                reason: None,
                started: None,
                ended: None,
            }],
            rating: None,
            note: None,
        })],
        warnings: vec![],
    };
    let (mut app, _) = App::new(parse(CHECKIN_CONFIG).unwrap(), yesterday, None, false, t);
    key(&mut app, Action::StartPause, t);
    assert_eq!(app.overlay, None);
    assert!(app.run.countdown.is_running());
}

#[test]
fn the_rating_and_note_go_with_the_session() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::Next, t);
    key(&mut app, Action::Next, t.after(secs(1)));
    key(&mut app, Action::Next, t.after(secs(2)));
    assert!(matches!(app.overlay, Some(Overlay::Note(_))));
    input(&mut app, '4', t.after(secs(3)));
    for c in "calm, a bit \"dry\"".chars() {
        input(&mut app, c, t.after(secs(4)));
    }
    app.update(Msg::Input(InputKey::Backspace), t.after(secs(4)));
    input(&mut app, '"', t.after(secs(4)));
    let effects = app.update(Msg::Input(InputKey::Enter), t.after(secs(5)));
    let records = appended(&effects);
    assert!(matches!(
        records.as_slice(),
        [Record::SessionNote { rating: Some(4), note: Some(n), .. }] if n == "calm, a bit \"dry\""
    ));
    let session = app.journal.sessions().last().unwrap();
    assert_eq!(session.rating, Some(4));
    assert_eq!(app.overlay, None);
}

#[test]
fn any_other_key_at_the_rating_skips_it_and_does_its_job() {
    let t = t0();
    let mut app = app(false, t);
    for i in 0..3 {
        key(&mut app, Action::Skip, t.after(secs(i)));
    }
    let effects = input(&mut app, 'q', t.after(secs(5)));
    assert!(appended(&effects).is_empty());
    assert!(app.quit);
}

#[test]
fn r_replaces_the_roller_after_a_yes() {
    let t = t0();
    let rolled = r#"{"type":"session","routine":"evening","day":"2026-11-01","started":"2026-11-01T21:00:00+00:00","ended":"2026-11-01T21:10:00+00:00","complete":true,"steps":[{"name":"Roll","kind":"roll","status":"done","secs":60}]}"#;
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    let (mut app, _) = App::new(config, Journal::parse(rolled), None, false, t);
    assert_eq!(app.plan.roller.as_ref().unwrap().uses, 1);
    key(&mut app, Action::ReplaceRoller, t);
    assert!(input(&mut app, 'n', t).is_empty());
    assert_eq!(app.plan.roller.as_ref().unwrap().uses, 1);
    key(&mut app, Action::ReplaceRoller, t);
    let effects = input(&mut app, 'y', t);
    assert!(matches!(
        appended(&effects).as_slice(),
        [Record::RollerReplaced { .. }]
    ));
    assert_eq!(app.plan.roller.as_ref().unwrap().uses, 0);
}

#[test]
fn with_the_history_open_a_running_countdown_wakes_only_for_what_happens() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    key(&mut app, Action::History, t.after(secs(1)));
    // Cleanse: 90 s, saved at the start; the warning is at 80 s, the save at 30 s.
    assert_eq!(app.next_wake(t.after(secs(1))) - t.instant, secs(30));
    app.update(Msg::Tick, t.after(secs(30)));
    assert_eq!(app.next_wake(t.after(secs(30))) - t.instant, secs(60));
    app.update(Msg::Tick, t.after(secs(60)));
    assert_eq!(app.next_wake(t.after(secs(60))) - t.instant, secs(80));
    // Closed again: every displayed second.
    key(&mut app, Action::Close, t.after(secs(61)));
    assert_eq!(
        app.next_wake(t.after(Duration::from_millis(61_500))) - t.instant,
        secs(62)
    );
}

/// A complete evening session that rolled, as `rollcoach done evening` records it.
const DONE_ELSEWHERE: &str = r#"{"type":"session","routine":"evening","day":"2026-11-23","started":"2026-11-23T21:06:00+00:00","ended":"2026-11-23T21:06:00+00:00","complete":true,"steps":[{"name":"Cleanse","kind":"cleanse","status":"done","secs":90},{"name":"Roll","kind":"roll","status":"done","secs":90},{"name":"Moisturise","kind":"moisturise","status":"done","secs":60}]}"#;

fn reread(app: &mut App, text: &str, now: Moment) -> Vec<Effect> {
    app.update(Msg::Journal(Ok(Box::new(Journal::parse(text)))), now)
}

#[test]
fn a_routine_recorded_done_elsewhere_shows_done() {
    let t = t0();
    let mut app = app(false, t);
    assert_eq!(app.run.routine, "evening");
    assert!(!app.routine_plan().done);
    let effects = reread(&mut app, DONE_ELSEWHERE, t.after(secs(60)));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.routine_plan().done);
    assert_eq!(app.plan.roller.as_ref().unwrap().uses, 1);
    assert_eq!(app.routine_plan().steps[1].status, StepState::Done);
    // Closed as the journal has it: its summary, nothing to start.
    assert!(app.run.is_closed());
    assert!(app.run.rolled());
}

#[test]
fn a_session_in_progress_stays_when_the_journal_changes_elsewhere() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    let replaced = r#"{"type":"roller_replaced","at":"2026-11-23T21:05:30+00:00"}"#;
    reread(
        &mut app,
        &format!("{DONE_ELSEWHERE}\n{replaced}"),
        t.after(secs(70)),
    );
    // Its own run goes on where it was: the first step, running, 20 s left.
    assert!(app.in_progress());
    assert_eq!(app.run.routine, "evening");
    assert_eq!(app.run.current, 0);
    assert!(app.run.countdown.is_running());
    assert_eq!(app.run.part_left(t.after(secs(70)).instant), secs(20));
    assert!(app.journal.records.len() == 2);
}

#[test]
fn a_reread_that_misses_its_own_appends_keeps_them() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    key(&mut app, Action::Next, t.after(secs(80)));
    key(&mut app, Action::Next, t.after(secs(85)));
    let effects = key(&mut app, Action::Next, t.after(secs(90)));
    let Some(Record::Session(mine)) = appended(&effects).first().copied().cloned() else {
        panic!("{effects:?}")
    };
    let before = app.plan.clone();
    assert!(app.routine_plan().done);
    // The disk worker has not written it yet (or the disk refuses it): the file is empty.
    reread(&mut app, "", t.after(secs(91)));
    assert_eq!(app.plan, before);
    // The rating given at the end, appended and journaled in memory.
    app.update(Msg::Input(InputKey::Char('4')), t.after(secs(92)));
    app.update(Msg::Input(InputKey::Enter), t.after(secs(93)));
    app.update(Msg::Input(InputKey::Enter), t.after(secs(93)));
    assert!(
        matches!(app.journal.records.last(), Some(Record::SessionNote { .. })),
        "{:?}",
        app.journal.records
    );
    let before = app.plan.clone();
    let history = app.journal.clone();
    // Now the file has both lines: a re-read gives the same plan and the same records.
    let line = serde_json::to_string(&Record::Session(mine)).unwrap();
    let note = app
        .journal
        .records
        .last()
        .map(|r| serde_json::to_string(r).unwrap())
        .unwrap();
    reread(&mut app, &format!("{line}\n{note}"), t.after(secs(94)));
    assert_eq!(app.plan, before);
    assert_eq!(app.journal, history);
    // Once the file holds them they are not added twice by a later re-read.
    reread(&mut app, &format!("{line}\n{note}"), t.after(secs(95)));
    assert_eq!(app.journal, history);
}

#[test]
fn a_signal_quits_the_way_q_does() {
    let t = t0();
    let mut app = app(false, t);
    key(&mut app, Action::StartPause, t);
    let effects = app.update(Msg::Quit, t.after(secs(5)));
    assert!(app.quit);
    assert_eq!(saves(&effects), 1, "{effects:?}");
}

fn spoken(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Speak { cue, .. } => Some(cue.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn spoken_cues_are_one_per_moment_and_a_read_only_dashboard_says_none() {
    let config = CONFIG.replace("AUTO", "false").replace(
        "roller:",
        "notify: (speak: true, speak_with: [\"say\"]),\n    roller:",
    );
    let t = t0();
    let open = |read_only: bool| {
        App::new(
            parse(&config).unwrap(),
            Journal::default(),
            None,
            read_only,
            t,
        )
        .0
    };
    let mut owner = open(false);
    let started = key(&mut owner, Action::StartPause, t);
    assert_eq!(spoken(&started), ["Cleanse."]);
    assert!(
        started.contains(&Effect::Speak {
            cue: "Cleanse.".into(),
            with: Some(vec!["say".into()]),
            direction: false,
        }),
        "the config's program goes with the cue"
    );
    // Cleanse ends; the Roll step starts with its first zone: one cue, not two.
    key(&mut owner, Action::Next, t.after(secs(5)));
    let rolled = key(&mut owner, Action::StartPause, t.after(secs(6)));
    assert_eq!(spoken(&rolled), ["Roll. Forehead."]);
    let zone = owner.update(Msg::Tick, t.after(secs(6 + 45)));
    assert_eq!(spoken(&zone), ["Left cheek."]);
    let warned = owner.update(Msg::Tick, t.after(secs(6 + 80)));
    assert_eq!(spoken(&warned), ["Ten seconds."]);
    // A late tick that passes both (a suspend): said together, the later not cutting
    // off the earlier.
    let mut late = open(false);
    key(&mut late, Action::StartPause, t);
    key(&mut late, Action::Next, t.after(secs(5)));
    key(&mut late, Action::StartPause, t.after(secs(6)));
    let both = late.update(Msg::Tick, t.after(secs(6 + 85)));
    assert_eq!(spoken(&both), ["Left cheek. Five seconds."]);

    let mut second = open(true);
    assert!(spoken(&key(&mut second, Action::StartPause, t)).is_empty());
}

#[test]
fn speech_that_cannot_start_is_a_lasting_notice() {
    let t = t0();
    let mut app = app(false, t);
    let off = "speech is off: no spd-say, espeak-ng or espeak on PATH; install one or set notify.speak_with";
    app.update(Msg::Notice(Topic::Speech, Some(off.into())), t);
    app.update(Msg::Key(Action::StartPause), t);
    assert_eq!(app.notices(), [off.to_string()]);
    // The worker says speech works again (a program given in the config).
    app.update(Msg::Notice(Topic::Speech, None), t);
    assert!(app.notices().is_empty());
    // Speech turned off in the config: its notice goes with it.
    app.update(Msg::Notice(Topic::Speech, Some(off.into())), t);
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    app.update(Msg::Config(Ok((Box::new(config), None))), t);
    assert!(app.notices().is_empty());
}

/// Sends an action as `rollcoach ctl` does; the effects and the answer it gets.
fn sent(app: &mut App, action: Action, now: Moment) -> (Vec<Effect>, Result<(), String>) {
    let (answer, answered) = std::sync::mpsc::sync_channel(1);
    let mut effects = app.update(
        Msg::Sent(
            action,
            rollcoach::dashboard::app::Answer(answer, now.instant + Duration::from_secs(3)),
        ),
        now,
    );
    let last = effects.pop();
    assert!(
        matches!(last, Some(Effect::Answer(..))),
        "the answer comes last: {last:?}"
    );
    if let Some(Effect::Answer(answer, taken)) = last {
        answer.0.send(taken).unwrap();
    }
    (effects, answered.recv().unwrap())
}

#[test]
fn an_action_sent_from_outside_does_what_its_key_does() {
    let t = t0();
    let mut by_key = app(false, t);
    let mut by_ctl = app(false, t);
    for (i, action) in [
        Action::StartPause,
        Action::AddTime,
        Action::StartPause,
        Action::Next,
        Action::Back,
        Action::Skip,
    ]
    .into_iter()
    .enumerate()
    {
        let at = t.after(secs(10 * i as u64));
        let keyed = key(&mut by_key, action, at);
        let (effects, taken) = sent(&mut by_ctl, action, at);
        assert_eq!(taken, Ok(()), "{action}");
        assert_eq!(effects, keyed, "{action}");
        assert_eq!(by_ctl.run, by_key.run, "{action}");
    }
}

/// The dashboard was stopped (SIGSTOP) while `ctl start-pause` waited; its client was
/// told "busy: try again" and gave up. Taken up after SIGCONT, the action is not
/// carried out: a retry as told would otherwise do it twice.
#[test]
fn an_action_whose_client_gave_up_is_not_carried_out() {
    let t = t0();
    let mut app = app(false, t);
    let before = app.run.clone();
    let (answer, _gone) = std::sync::mpsc::sync_channel(1);
    let sent_at = t;
    let mut effects = app.update(
        Msg::Sent(
            Action::StartPause,
            rollcoach::dashboard::app::Answer(answer, sent_at.instant + secs(3)),
        ),
        t.after(secs(30)),
    );
    assert_eq!(app.run, before, "nothing done");
    let Some(Effect::Answer(_, taken)) = effects.pop() else {
        panic!("answered: {effects:?}");
    };
    assert!(taken.is_err_and(|why| why.contains("busy")));
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn an_action_sent_from_outside_is_refused_with_why() {
    let t = t0();
    let mut app = app(false, t);
    // Nothing to go back to before the first step.
    let (effects, taken) = sent(&mut app, Action::Back, t);
    assert!(effects.is_empty());
    assert_eq!(taken, Err("`back` changes nothing now".into()));
    // Screen actions are the pane's own.
    let (_, taken) = sent(&mut app, Action::History, t);
    assert_eq!(taken, Err("`history` cannot be sent".into()));
    assert_eq!(app.overlay, None);
    // A question open on the dashboard is answered there.
    key(&mut app, Action::ReplaceRoller, t);
    assert_eq!(app.overlay, Some(Overlay::ConfirmReplace));
    let before = app.run.clone();
    let (effects, taken) = sent(&mut app, Action::StartPause, t);
    assert!(effects.is_empty());
    assert_eq!(
        taken,
        Err("a question is open on the dashboard: answer it there".into())
    );
    assert_eq!(app.run, before);
    // A read-only dashboard takes nothing.
    let config = parse(&CONFIG.replace("AUTO", "false")).unwrap();
    let (mut watching, _) = App::new(config, Journal::default(), None, true, t);
    let (_, taken) = sent(&mut watching, Action::StartPause, t);
    assert_eq!(taken, Err("this dashboard is read-only".into()));
}

#[test]
fn a_sent_start_that_needs_the_check_in_says_so() {
    let t = t0();
    let config = parse(
        &CONFIG
            .replace("AUTO", "false")
            .replace("checkin: [],", "checkin: [\"Sunburn?\"],"),
    )
    .unwrap();
    let (mut app, _) = App::new(config, Journal::default(), None, false, t);
    let (_, taken) = sent(&mut app, Action::StartPause, t);
    assert_eq!(
        taken,
        Err("the check-in comes first: answer it on the dashboard, and the action follows".into())
    );
    assert!(matches!(app.overlay, Some(Overlay::CheckIn(_))));
}

/// A routine whose steps name actives and a product instead of pauses.
const ACTIVES_CONFIG: &str = r#"(
    checkin: [],
    roller: (needle_mm: 0.5),
    products: [(name: "Glycolic toner", actives: [Aha], opened: "2026-01-10")],
    routines: [
        (name: "evening", at: "21:00", auto_advance: true, steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            // 24 h before (the class default is 48 h, which would keep it off a
            // declined night too, with tomorrow's roll): on if the roll is declined.
            (name: "Toner", kind: Treatment, duration: "30s", product: "Glycolic toner", pause_before_roll: "24h"),
            (name: "Hyaluronic", kind: Serum, duration: "1m", actives: [HyaluronicAcid]),
        ]),
    ],
)"#;

#[test]
fn a_step_paused_by_its_actives_is_passed_by_after_the_roll() {
    let t = t0();
    let (mut app, _) = App::new(
        parse(ACTIVES_CONFIG).unwrap(),
        Journal::default(),
        None,
        false,
        t,
    );
    let session = finish_all(&mut app, t);
    assert_eq!(
        outcomes(&session),
        [
            ("Cleanse", StepOutcome::Done, None),
            ("Roll", StepOutcome::Done, None),
            (
                "Toner",
                StepOutcome::Skipped,
                Some("paused after rolling: 72 h")
            ),
            ("Hyaluronic", StepOutcome::Done, None),
        ]
    );
}

#[test]
fn a_bottle_opened_from_another_terminal_ends_the_expiry_warning() {
    let t = t0();
    let (app, _) = App::new(
        parse(ACTIVES_CONFIG).unwrap(),
        Journal::default(),
        None,
        false,
        t,
    );
    // Opened 10 Jan, an AHA keeps 12 months: on 23 Nov it has not expired yet.
    assert!(app.notices().is_empty(), "{:?}", app.notices());
    let later = Moment {
        instant: t.instant,
        wall: "2027-01-12T20:00:00+00:00".parse().unwrap(),
    };
    let (mut app, _) = App::new(
        parse(ACTIVES_CONFIG).unwrap(),
        Journal::default(),
        None,
        false,
        later,
    );
    let toner = |app: &App| {
        app.routine_plan()
            .steps
            .iter()
            .find(|s| s.name == "Toner")
            .and_then(|s| s.warning.clone())
    };
    assert!(toner(&app).is_some_and(|w| w.contains("expired Sun 10 Jan 2027")));
    assert_eq!(app.notices().len(), 1, "{:?}", app.notices());
    reread(
        &mut app,
        r#"{"type":"product_opened","product":"Glycolic toner","day":"2027-01-12"}"#,
        later.after(secs(5)),
    );
    assert_eq!(toner(&app), None);
    assert!(app.notices().is_empty(), "{:?}", app.notices());
}

/// A config error as the watcher sends it: `c.ron:3:12: MESSAGE`.
fn config_error(message: &str) -> rollcoach::routine::config::ConfigError {
    rollcoach::routine::config::ConfigError {
        path: "c.ron".into(),
        problems: vec![rollcoach::routine::config::Problem::Syntax {
            line: 3,
            col: 12,
            message: message.into(),
        }],
    }
}

#[test]
fn turning_desktop_notifications_off_clears_their_notice_at_once() {
    let t = t0();
    let mut app = app(false, t);
    app.update(
        Msg::Notice(
            Topic::Desktop,
            Some("desktop notifications are off: no server".into()),
        ),
        t,
    );
    assert_eq!(app.notices().len(), 1);
    let quiet = CONFIG.replace("AUTO", "false").replacen(
        "roller:",
        "notify: (desktop: false),\n    roller:",
        1,
    );
    app.update(
        Msg::Config(Ok((Box::new(parse(&quiet).unwrap()), None))),
        t.after(secs(1)),
    );
    assert!(app.notices().is_empty(), "{:?}", app.notices());
}

#[test]
fn a_message_stays_a_few_seconds_over_the_keys_then_goes() {
    let t = t0();
    let mut app = app(false, t);
    app.update(Msg::Report("config reloaded".into()), t);
    assert_eq!(app.message.as_deref(), Some("config reloaded"));
    // The loop wakes when it is due to go, not a minute later.
    let ends = t.instant + rollcoach::dashboard::app::MESSAGE_FOR;
    assert!(app.next_wake(t.after(secs(1))) <= ends);
    app.update(Msg::Tick, t.after(secs(3)));
    assert_eq!(app.message.as_deref(), Some("config reloaded"));
    app.update(Msg::Tick, t.after(rollcoach::dashboard::app::MESSAGE_FOR));
    assert_eq!(app.message, None);
    // A new one starts its own time.
    app.update(Msg::Report("noted".into()), t.after(secs(20)));
    app.update(Msg::Tick, t.after(secs(24)));
    assert_eq!(app.message.as_deref(), Some("noted"));
}

#[test]
fn a_broken_skin_yes_keeps_the_rest_nights_retinoid_and_acid_off() {
    let t = t0();
    let text = r#"(
        roller: (needle_mm: 0.5),
        checkin: ["Acne?", (ask: "Sunburn?", broken_skin: true)],
        routines: [(name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Retinol", kind: Treatment, duration: "1m", actives: [Retinoid], when: RestDay, pause_before_roll: "12h"),
            (name: "Acid", kind: Treatment, duration: "1m", actives: [Aha], when: RestDay, pause_before_roll: "12h"),
            (name: "Hyaluronic", kind: Serum, duration: "1m", actives: [HyaluronicAcid]),
        ])],
    )"#;
    let run = |mark: char| {
        let (mut app, _) = App::new(parse(text).unwrap(), Journal::default(), None, false, t);
        key(&mut app, Action::StartPause, t);
        assert!(matches!(app.overlay, Some(Overlay::CheckIn(_))));
        app.update(Msg::Input(InputKey::Char(mark)), t);
        app.update(Msg::Input(InputKey::Char('y')), t);
        finish_all(&mut app, t)
    };
    let burnt = run('2');
    let off = Some("check-in: Sunburn?: not on broken or burnt skin tonight");
    assert_eq!(
        outcomes(&burnt),
        [
            ("Cleanse", StepOutcome::Done, None),
            ("Roll", StepOutcome::Skipped, Some("check-in: Sunburn?")),
            ("Retinol", StepOutcome::Skipped, off),
            ("Acid", StepOutcome::Skipped, off),
            ("Hyaluronic", StepOutcome::Done, None),
        ]
    );
    // Acne is not broken skin: the rest night's actives treat it.
    let acne = run('1');
    assert_eq!(acne.steps[2].name, "Retinol");
    assert_eq!(acne.steps[2].status, StepOutcome::Done);
}

#[test]
fn only_the_first_check_in_says_it_is_not_medical_advice() {
    let t = t0();
    let text = r#"(roller: (needle_mm: 0.5), checkin: ["Sunburn?"], routines: [(name: "evening", at: "21:00", steps: [
        (name: "Roll", kind: Roll, duration: "20s"),
    ])])"#;
    let (mut app, _) = App::new(parse(text).unwrap(), Journal::default(), None, false, t);
    assert!(app.first_checkin());
    key(&mut app, Action::StartPause, t);
    app.update(Msg::Input(InputKey::Char('n')), t);
    finish_all(&mut app, t);
    // A roll in the journal: a check-in was answered; the next says nothing more.
    assert!(!app.first_checkin());
    let (again, _) = App::new(parse(text).unwrap(), app.journal, None, false, t);
    assert!(!again.first_checkin());
}
