//! A day done is done: pure update sequences over a whole day. A routine the journal has
//! as done stays done through a config reload, a restart and a journal written from
//! elsewhere; a second run is asked for and never rolls again; `done` never records a
//! roll that did not happen, nor a time still to come.

use std::time::{Duration, Instant};

use rollcoach::dashboard::app::{Action, App, Effect, InputKey, Msg, Overlay};
use rollcoach::routine::config::{Config, parse};
use rollcoach::routine::journal::{Journal, Record, SessionRecord};
use rollcoach::routine::plan::{self, ROLLED_ALREADY_REASON, StepState};
use rollcoach::session::Moment;
use rollcoach::session::done::{self, Asked, NotRecorded};

const CONFIG: &str = r#"(
    roller: (needle_mm: 0.5),
    checkin: ["Active breakout where you roll?", "Sunburn in the last two days?"],
    routines: [
        (name: "morning", at: "07:30", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
        ]),
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Disinfect", kind: Sanitize, when: RollDay, duration: "5m"),
            (name: "Acid", kind: Treatment, duration: "30s", pause_after_roll: "72h"),
            (name: "Retinol", kind: Treatment, duration: "30s", when: RestDay),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ],
)"#;

fn config() -> Config {
    parse(CONFIG).unwrap()
}

/// `done` as the command line records it, on the test config.
fn record(
    journal: &Journal,
    saved: Option<&rollcoach::session::run::Saved>,
    asked: Asked,
    now: &chrono::DateTime<chrono::FixedOffset>,
    today: chrono::NaiveDate,
) -> Result<SessionRecord, NotRecorded> {
    done::record(&config(), journal, saved, asked, now, today)
}

fn at(wall: &str, instant: Instant) -> Moment {
    Moment {
        instant,
        wall: format!("{wall}+00:00").parse().unwrap(),
    }
}

/// Monday 23 November 2026, 21:05, the evening due.
fn t0() -> Moment {
    at("2026-11-23T21:05:00", Instant::now())
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn key(app: &mut App, action: Action, now: Moment) -> Vec<Effect> {
    app.update(Msg::Key(action), now)
}

fn input(app: &mut App, c: char, now: Moment) -> Vec<Effect> {
    app.update(Msg::Input(InputKey::Char(c)), now)
}

fn appended(effects: &[Effect]) -> Vec<Record> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// Each step's time run out, Space on each: the session as journaled. The person rolls
/// for the whole time (a roll keyed through in seconds asks whether it counts).
fn run_through(app: &mut App, mut now: Moment) -> (SessionRecord, Moment) {
    for _ in 0..40 {
        let effects = if app.overlay.is_some() {
            // The check-in: none of these; the end-of-session note: passed.
            let c = if matches!(app.overlay, Some(Overlay::CheckIn(_))) {
                'n'
            } else {
                '\u{1b}'
            };
            if c == '\u{1b}' {
                app.update(Msg::Input(InputKey::Esc), now)
            } else {
                input(app, c, now)
            }
        } else if app.run.countdown.is_running() {
            now = now.after(app.run.step_left(now.instant) + secs(1));
            app.update(Msg::Tick, now)
        } else {
            key(app, Action::StartPause, now)
        };
        if let [Record::Session(session)] = appended(&effects).as_slice() {
            // The rating question that follows: passed.
            if matches!(app.overlay, Some(Overlay::Note(_))) {
                app.update(Msg::Input(InputKey::Esc), now);
            }
            return (session.clone(), now);
        }
    }
    panic!("the session did not end: {:?}", app.run)
}

fn rolls_on(journal: &Journal, day: &str) -> usize {
    let day = day.parse().unwrap();
    journal
        .sessions()
        .filter(|s| s.day == day && s.rolled())
        .count()
}

fn finished_evening() -> (App, SessionRecord, Moment) {
    let (mut app, effects) = App::new(config(), Journal::default(), None, false, t0());
    assert!(effects.is_empty());
    assert_eq!(app.run.routine, "evening");
    let (session, now) = run_through(&mut app, t0());
    assert!(session.rolled(), "{session:?}");
    (app, session, now)
}

/// Space, Enter and s on a routine done today start nothing and ask nothing.
fn assert_stays_done(app: &mut App, now: Moment) {
    assert!(app.run.is_closed(), "{:?}", app.run);
    for action in [Action::StartPause, Action::Next, Action::Skip] {
        let effects = key(app, action, now);
        assert!(appended(&effects).is_empty(), "{action:?}: {effects:?}");
        assert_eq!(app.overlay, None, "{action:?} opened {:?}", app.overlay);
        assert!(!app.run.countdown.is_running());
        assert!(app.run.is_closed());
    }
    assert!(
        app.message.as_deref().unwrap_or("").contains("done today"),
        "{:?}",
        app.message
    );
}

#[test]
fn a_finished_evening_stays_done_after_a_config_reload() {
    let (mut app, _, now) = finished_evening();
    let later = now.after(secs(60));
    app.update(Msg::Config(Ok((Box::new(config()), None))), later);
    assert_eq!(app.run.routine, "evening");
    assert!(app.run.rolled(), "the summary still shows the roll");
    assert_stays_done(&mut app, later.after(secs(1)));
}

#[test]
fn a_finished_evening_stays_done_after_a_restart() {
    let (_, session, now) = finished_evening();
    let journal = Journal {
        records: vec![Record::Session(session)],
        warnings: vec![],
    };
    let later = now.after(secs(120));
    let (mut app, effects) = App::new(config(), journal.clone(), None, false, later);
    assert!(effects.is_empty(), "{effects:?}");
    // The morning is not done: it is what is open today.
    assert_eq!(app.run.routine, "morning");
    assert!(!app.run.is_closed());
    key(&mut app, Action::NextRoutine, later);
    assert_eq!(app.run.routine, "evening");
    assert_stays_done(&mut app, later.after(secs(1)));
    // With the morning done too, reopening shows the day done.
    let morning = record(
        &journal,
        None,
        Asked {
            routine: "morning",
            date: day(),
            again: false,
            no_roll: false,
        },
        &later.wall,
        day(),
    )
    .unwrap();
    let mut both = journal;
    both.add(Record::Session(morning));
    let (mut app, _) = App::new(config(), both, None, false, later.after(secs(5)));
    assert_stays_done(&mut app, later.after(secs(6)));
    key(&mut app, Action::NextRoutine, later.after(secs(7)));
    assert_stays_done(&mut app, later.after(secs(8)));
}

#[test]
fn a_session_recorded_elsewhere_closes_the_run_on_screen() {
    let t = t0();
    let (mut app, _) = App::new(config(), Journal::default(), None, false, t);
    let session = record(
        &Journal::default(),
        None,
        Asked {
            routine: "evening",
            date: t.wall.date_naive(),
            again: false,
            no_roll: false,
        },
        &t.wall,
        t.wall.date_naive(),
    )
    .unwrap();
    let journal = Journal {
        records: vec![Record::Session(session)],
        warnings: vec![],
    };
    app.update(Msg::Journal(Ok(Box::new(journal))), t.after(secs(5)));
    assert_stays_done(&mut app, t.after(secs(6)));
}

#[test]
fn once_more_is_asked_for_and_never_rolls_again() {
    let (mut app, _, now) = finished_evening();
    let t = now.after(secs(30));
    // A second run is a deliberate act: `a`, then y.
    key(&mut app, Action::Again, t);
    assert_eq!(app.overlay, Some(Overlay::ConfirmAgain));
    input(&mut app, 'x', t);
    assert_eq!(app.overlay, None);
    assert!(app.run.is_closed(), "any other key: nothing changes");
    key(&mut app, Action::Again, t);
    input(&mut app, 'y', t);
    assert!(app.run.again);
    assert!(!app.run.is_closed());
    // The Roll step, and the step that runs only with the roll, are passed by with why;
    // the acid stays paused after the roll of this evening; the retinol stays a rest-day
    // step.
    let planned = app.routine_plan();
    let reason = |name: &str| {
        let step = planned.steps.iter().find(|s| s.name == name).unwrap();
        (step.status, step.reason.clone())
    };
    assert_eq!(
        reason("Roll"),
        (StepState::Off, Some(ROLLED_ALREADY_REASON.into()))
    );
    assert_eq!(
        reason("Disinfect"),
        (StepState::Off, Some(ROLLED_ALREADY_REASON.into()))
    );
    assert_eq!(reason("Acid").0, StepState::Off);
    assert!(reason("Acid").1.unwrap().contains("paused after rolling"));
    assert_eq!(reason("Retinol").0, StepState::Off);
    assert_eq!(reason("Cleanse").0, StepState::Pending);
    // No check-in: nothing rolls.
    let (second, _) = run_through(&mut app, t.after(secs(1)));
    assert!(!second.rolled());
    let names: Vec<&str> = second.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Cleanse", "Moisturise"]);
    assert_eq!(rolls_on(&app.journal, "2026-11-23"), 1);
    // And the day is done again: Space starts nothing.
    app.update(
        Msg::Config(Ok((Box::new(config()), None))),
        t.after(secs(900)),
    );
    assert_stays_done(&mut app, t.after(secs(901)));
}

#[test]
fn a_second_run_saved_and_restored_stays_a_second_run() {
    let (mut app, first, now) = finished_evening();
    let t = now.after(secs(30));
    key(&mut app, Action::Again, t);
    input(&mut app, 'y', t);
    key(&mut app, Action::StartPause, t);
    let saved = app.run.saved(t.after(secs(10)));
    assert!(saved.again);
    let journal = Journal {
        records: vec![Record::Session(first)],
        warnings: vec![],
    };
    let (mut again, _) = App::new(config(), journal, Some(saved), false, t.after(secs(20)));
    assert!(again.run.again);
    assert!(!again.run.is_closed());
    assert!(!again.run.steps.iter().any(|s| s.name == "Roll"));
    let (second, _) = run_through(&mut again, t.after(secs(21)));
    assert!(!second.rolled());
}

fn day() -> chrono::NaiveDate {
    "2026-11-23".parse().unwrap()
}

#[test]
fn done_after_a_declined_checkin_saved_in_the_dashboard_records_nothing() {
    let t = t0();
    let (mut app, _) = App::new(config(), Journal::default(), None, false, t);
    key(&mut app, Action::StartPause, t);
    input(&mut app, '2', t);
    input(&mut app, 'y', t);
    assert!(app.run.roll_declined());
    let saved = app.run.saved(t.after(secs(20)));
    let refused = record(
        &app.journal,
        Some(&saved),
        Asked {
            routine: "evening",
            date: day(),
            again: false,
            no_roll: false,
        },
        &t.after(secs(30)).wall,
        day(),
    );
    assert!(
        matches!(refused, Err(NotRecorded::Saved { .. })),
        "{refused:?}"
    );
    // Even with --again.
    let refused = record(
        &app.journal,
        Some(&saved),
        Asked {
            routine: "evening",
            date: day(),
            again: true,
            no_roll: false,
        },
        &t.after(secs(30)).wall,
        day(),
    );
    assert!(matches!(refused, Err(NotRecorded::Saved { .. })));
    // The morning is another routine: it is recorded.
    let morning = record(
        &app.journal,
        Some(&saved),
        Asked {
            routine: "morning",
            date: day(),
            again: false,
            no_roll: false,
        },
        &t.after(secs(30)).wall,
        day(),
    );
    assert!(morning.is_ok(), "{morning:?}");
}

#[test]
fn done_after_a_declined_session_in_the_journal_records_no_roll() {
    let t = t0();
    let (mut app, _) = App::new(config(), Journal::default(), None, false, t);
    key(&mut app, Action::StartPause, t);
    input(&mut app, '1', t);
    input(&mut app, 'y', t);
    let (declined, now) = run_through(&mut app, t.after(secs(1)));
    assert!(!declined.rolled());
    let journal = Journal {
        records: vec![Record::Session(declined)],
        warnings: vec![],
    };
    let again = record(
        &journal,
        None,
        Asked {
            routine: "evening",
            date: day(),
            again: true,
            no_roll: false,
        },
        &now.wall,
        day(),
    )
    .unwrap();
    assert!(!again.rolled(), "{again:?}");
    let plan = plan::plan(&config(), &journal, day(), &now.wall);
    assert!(
        plan.roller.unwrap().last_roll.is_none(),
        "no roll on a declined day"
    );
}

#[test]
fn done_never_records_a_time_still_to_come() {
    // At 18:00 the evening (due 21:00, 10 minutes long) is recorded as just done.
    let now = at("2026-11-23T18:00:00", Instant::now());
    let session = record(
        &Journal::default(),
        None,
        Asked {
            routine: "evening",
            date: day(),
            again: false,
            no_roll: false,
        },
        &now.wall,
        day(),
    )
    .unwrap();
    assert!(session.ended <= now.wall, "{session:?}");
    assert!(session.started < session.ended);
    // A day after today is refused.
    let tomorrow = record(
        &Journal::default(),
        None,
        Asked {
            routine: "evening",
            date: day().succ_opt().unwrap(),
            again: false,
            no_roll: false,
        },
        &now.wall,
        day(),
    );
    assert!(matches!(tomorrow, Err(NotRecorded::Future { .. })));
    // Done at 23:00, it keeps the routine's time.
    let late = at("2026-11-23T23:00:00", Instant::now());
    let session = record(
        &Journal::default(),
        None,
        Asked {
            routine: "evening",
            date: day(),
            again: false,
            no_roll: false,
        },
        &late.wall,
        day(),
    )
    .unwrap();
    assert_eq!(session.started.to_rfc3339(), "2026-11-23T21:00:00+00:00");
}

#[test]
fn done_again_on_a_day_that_rolled_records_no_second_roll() {
    let (app, _, now) = finished_evening();
    let again = record(
        &app.journal,
        None,
        Asked {
            routine: "evening",
            date: day(),
            again: true,
            no_roll: false,
        },
        &now.after(secs(60)).wall,
        day(),
    )
    .unwrap();
    assert!(!again.rolled());
    assert!(!again.steps.iter().any(|s| s.name == "Roll"));
    let refused = record(
        &app.journal,
        None,
        Asked {
            routine: "evening",
            date: day(),
            again: false,
            no_roll: false,
        },
        &now.after(secs(60)).wall,
        day(),
    );
    assert!(matches!(refused, Err(NotRecorded::AlreadyDone { .. })));
}

#[test]
fn the_dashboard_turns_to_the_routine_that_falls_due() {
    // Open at noon: the morning is not done, so it is shown.
    let noon = at("2026-11-23T12:00:00", Instant::now());
    let (mut app, _) = App::new(config(), Journal::default(), None, false, noon);
    assert_eq!(app.run.routine, "morning");
    // 21:00 comes: the evening falls due, and the pane turns to it.
    let due = noon.after(secs(9 * 3600 + 1));
    app.update(Msg::Tick, due);
    assert_eq!(app.run.routine, "evening");
    // Tab still moves by hand.
    key(&mut app, Action::NextRoutine, due.after(secs(1)));
    assert_eq!(app.run.routine, "morning");
}

#[test]
fn a_routine_in_progress_is_not_turned_away_from_when_another_falls_due() {
    let early = at("2026-11-23T20:59:30", Instant::now());
    let (mut app, _) = App::new(config(), Journal::default(), None, false, early);
    assert_eq!(app.run.routine, "morning");
    key(&mut app, Action::StartPause, early);
    app.update(Msg::Tick, early.after(secs(40)));
    assert_eq!(app.run.routine, "morning", "{:?}", app.run);
    assert!(app.in_progress());
}

/// The evening at its Roll step, rolling for `rolled` seconds of its 2 minutes.
fn rolling_for(rolled: u64) -> (App, Moment) {
    let t = t0();
    let (mut app, _) = App::new(config(), Journal::default(), None, false, t);
    key(&mut app, Action::StartPause, t);
    input(&mut app, 'n', t);
    key(&mut app, Action::Next, t.after(secs(30)));
    assert_eq!(app.run.current_step().unwrap().name, "Roll");
    key(&mut app, Action::StartPause, t.after(secs(31)));
    (app, t.after(secs(31 + rolled)))
}

#[test]
fn a_roll_keyed_through_in_seconds_asks_whether_it_counts() {
    let (mut app, now) = rolling_for(2);
    key(&mut app, Action::Next, now);
    assert!(
        matches!(app.overlay, Some(Overlay::ConfirmRoll { rolled, length })
            if rolled == secs(2) && length == secs(120)),
        "{:?}",
        app.overlay
    );
    assert_eq!(app.run.current_step().unwrap().name, "Roll");
    // Esc: back to rolling, nothing ended.
    app.update(Msg::Input(InputKey::Esc), now);
    assert_eq!(app.overlay, None);
    assert!(app.run.countdown.is_running());
    // Asked again, n: not rolled, a rest night; the roll skipped with why.
    key(&mut app, Action::Next, now.after(secs(1)));
    input(&mut app, 'n', now.after(secs(1)));
    assert!(app.run.roll_declined());
    let roll = app.run.steps.iter().find(|s| s.name == "Roll").unwrap();
    assert_eq!(
        roll.reason.as_deref(),
        Some("roll ended after 0:03 of 2:00: not counted")
    );
    let (session, _) = run_through(&mut app, now.after(secs(2)));
    assert!(!session.rolled());
    // The rest-day retinol came on, the Disinfect (only with a roll) did not.
    let done: Vec<&str> = session
        .steps
        .iter()
        .filter(|s| s.status == rollcoach::routine::journal::StepOutcome::Done)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(done, ["Cleanse", "Acid", "Retinol", "Moisturise"]);
}

#[test]
fn a_short_roll_that_counts_is_a_roll() {
    let (mut app, now) = rolling_for(5);
    key(&mut app, Action::Next, now);
    input(&mut app, 'y', now);
    assert_eq!(app.overlay, None);
    assert_eq!(app.run.current_step().unwrap().name, "Disinfect");
    let (session, _) = run_through(&mut app, now.after(secs(1)));
    assert!(session.rolled());
}

#[test]
fn a_roll_past_a_third_of_its_time_is_not_asked_about() {
    let (mut app, now) = rolling_for(40);
    key(&mut app, Action::Next, now);
    assert_eq!(app.overlay, None);
    assert_eq!(app.run.current_step().unwrap().name, "Disinfect");
}

#[test]
fn the_question_goes_when_the_roll_runs_past_a_third() {
    let (mut app, now) = rolling_for(10);
    key(&mut app, Action::Next, now);
    assert!(matches!(app.overlay, Some(Overlay::ConfirmRoll { .. })));
    // The countdown ran on under the question: at 0:40 of 2:00 it is a roll.
    app.update(Msg::Tick, now.after(secs(31)));
    assert_eq!(app.overlay, None);
    assert_eq!(app.run.current_step().unwrap().name, "Roll");
}

#[test]
fn ctl_next_on_a_short_roll_asks_on_the_dashboard() {
    let (mut app, now) = rolling_for(2);
    let (answer, _answered) = std::sync::mpsc::sync_channel(1);
    let mut effects = app.update(
        Msg::Sent(
            Action::Next,
            rollcoach::dashboard::app::Answer(
                answer,
                now.instant + std::time::Duration::from_secs(3),
            ),
        ),
        now,
    );
    let Some(Effect::Answer(_, taken)) = effects.pop() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        taken,
        Err("the roll ran 0:02 of 2:00: say on the dashboard whether it counts (y/n)".into())
    );
    assert!(matches!(app.overlay, Some(Overlay::ConfirmRoll { .. })));
}

fn drawn(app: &App, now: Moment) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|f| rollcoach::dashboard::ui::view(app, now.instant, f))
        .unwrap();
    terminal.backend().to_string()
}

/// A scripted week (the roll declined on Monday, rolled on Tuesday, rest days after):
/// after each evening the next roll is one value on the header, the summary, `status`
/// and `roller`, and the summary's counts are the history's.
#[test]
fn the_next_roll_and_the_counts_are_one_value_on_every_screen() {
    use rollcoach::routine::words::next_roll_day;
    let mut journal = Journal::default();
    let mut seen = Vec::new();
    for d in 0..7 {
        let day = day() + chrono::TimeDelta::days(d);
        let t = at(&format!("{day}T21:05:00"), Instant::now());
        let (mut app, _) = App::new(config(), journal.clone(), None, false, t);
        assert_eq!(app.run.routine, "evening", "{day}");
        key(&mut app, Action::StartPause, t);
        if d == 0 {
            input(&mut app, '1', t);
            input(&mut app, 'y', t);
        }
        let (session, now) = run_through(&mut app, t);
        let next = next_roll_day(app.next_roll(), day);
        let screen = drawn(&app, now);
        assert!(
            screen.contains(&format!("next roll {next} ·")),
            "the header on {day}: {screen}"
        );
        assert!(
            screen.contains(&format!("next roll   {next}")),
            "the summary on {day}: {screen}"
        );
        let (done, skipped) = session.tally();
        assert!(
            screen.contains(&format!("{done} done, {skipped} skipped")),
            "the summary's counts on {day}: {screen}"
        );
        assert_eq!(app.run_tally(), (done, skipped));
        journal.add(Record::Session(session));
        let status = rollcoach::cli::status::status(&config(), &journal, None, false, now.wall);
        assert_eq!(
            next_roll_day(status.next_roll, day),
            next,
            "status on {day}"
        );
        let plan = plan::plan(&config(), &journal, day, &now.wall);
        let roller = rollcoach::cli::roller_line(plan.roller.as_ref().unwrap(), day);
        assert!(
            roller.ends_with(&format!("next rolling day {next}")),
            "roller on {day}: {roller}"
        );
        seen.push(next);
    }
    // Declined Monday: Tuesday; rolled Tuesday: a week on; the same every day after.
    assert_eq!(seen[0], "Tue 24 Nov");
    assert!(seen[1..].iter().all(|n| n == "Tue 1 Dec"), "{seen:?}");
}

#[test]
fn after_a_restart_a_skipped_step_keeps_its_reason_on_screen() {
    let t = t0();
    let (mut app, _) = App::new(config(), Journal::default(), None, false, t);
    key(&mut app, Action::StartPause, t);
    input(&mut app, '2', t);
    input(&mut app, 'y', t);
    let (declined, now) = run_through(&mut app, t.after(secs(1)));
    let journal = Journal {
        records: vec![Record::Session(declined)],
        warnings: vec![],
    };
    let later = now.after(secs(60));
    let (mut app, _) = App::new(config(), journal, None, false, later);
    key(&mut app, Action::NextRoutine, later);
    assert_eq!(app.run.routine, "evening");
    let screen = drawn(&app, later);
    assert!(screen.contains("check-in: Sunburn"), "{screen}");
    assert!(
        screen.contains("evening done · no roll tonight"),
        "{screen}"
    );
    assert!(
        screen.contains("no roll tonight · next roll Tue 24 Nov"),
        "{screen}"
    );
}

#[test]
fn done_no_roll_records_a_rest_night() {
    let t = t0();
    let session = record(
        &Journal::default(),
        None,
        Asked {
            routine: "evening",
            date: day(),
            again: false,
            no_roll: true,
        },
        &t.wall,
        day(),
    )
    .unwrap();
    assert!(!session.rolled());
    let steps: Vec<(&str, &str, Option<&str>)> = session
        .steps
        .iter()
        .map(|s| {
            let status = match s.status {
                rollcoach::routine::journal::StepOutcome::Done => "done",
                rollcoach::routine::journal::StepOutcome::Skipped => "skipped",
            };
            (s.name.as_str(), status, s.reason.as_deref())
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("Cleanse", "done", None),
            ("Roll", "skipped", Some(done::NOT_ROLLED_REASON)),
            ("Disinfect", "skipped", Some(done::NOT_ROLLED_REASON)),
            ("Acid", "done", None),
            ("Retinol", "done", None),
            ("Moisturise", "done", None),
        ]
    );
    // The day is a rest night: no roller use, the next roll tomorrow.
    let journal = Journal {
        records: vec![Record::Session(session)],
        warnings: vec![],
    };
    let plan = plan::plan(&config(), &journal, day(), &t.wall);
    let roller = plan.roller.unwrap();
    assert_eq!(roller.uses, 0);
    assert_eq!(roller.next_after(day()), day().succ_opt());
}

#[test]
fn aftercare_shows_once_the_roll_is_done_in_the_session() {
    let (mut app, now) = rolling_for(40);
    let screen = drawn(&app, now);
    assert!(
        !screen.contains("after rolling, no:"),
        "not before the roll: {screen}"
    );
    key(&mut app, Action::Next, now);
    assert_eq!(app.run.current_step().unwrap().name, "Disinfect");
    let screen = drawn(&app, now);
    assert!(screen.contains("after rolling, no:"), "{screen}");
    // Counted from the evening's due time (21:00 on Monday; the session started 21:05).
    assert!(screen.contains("makeup · Tue 21:00"), "{screen}");
}
