//! Snapshots of the dashboard with steps running alongside: their small lines under the
//! big countdown, the step that waits for one, only they left, and their list.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollcoach::dashboard::app::{Action, App, InputKey, Msg};
use rollcoach::dashboard::ui::view;
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::Journal;
use rollcoach::session::Moment;

/// A roll night: the soak alongside the cleanse, the roll after it.
const ONE: &str = r#"(checkin: [],
    roller: (needle_mm: 0.5),
    routines: [(name: "evening", at: "21:00", steps: [
        (name: "Sanitize roller", kind: Sanitize, duration: "5m", alongside: true),
        (name: "Cleanse", kind: Cleanse, duration: "90s", notes: "Gentle cleanser; pat dry."),
        (name: "Roll", kind: Roll, after: "Sanitize roller", zones: [
            (name: "Forehead", duration: "45s"),
            (name: "Chin", duration: "30s"),
        ]),
        (name: "Disinfect roller", kind: Sanitize, duration: "10m", alongside: true),
        (name: "Moisturise", kind: Moisturise, duration: "1m"),
    ])],
)"#;

/// Two at once: a mask and a hair oil left on while the face is cleansed.
const TWO: &str = r#"(checkin: [],
    routines: [(name: "evening", at: "21:00", steps: [
        (name: "Sheet mask", kind: Treatment, duration: "15m", alongside: true),
        (name: "Hair oil", kind: Custom, duration: "20m", alongside: true),
        (name: "Cleanse", kind: Cleanse, duration: "90s"),
        (name: "Moisturise", kind: Moisturise, duration: "1m"),
    ])],
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

fn app(config: &str, now: Moment) -> App {
    App::new(parse(config).unwrap(), Journal::default(), None, false, now).0
}

fn draw(app: &App, now: Moment, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view(app, now.instant, f)).unwrap();
    terminal.backend().to_string()
}

fn key(app: &mut App, action: Action, now: Moment) {
    app.update(Msg::Key(action), now);
}

/// The soak started and went aside, the cleanse started 20 s ago.
fn one_running() -> (App, Moment) {
    let t = t0();
    let mut a = app(ONE, t);
    key(&mut a, Action::StartPause, t);
    key(&mut a, Action::StartPause, t);
    let now = t.after(secs(20));
    a.update(Msg::Tick, now);
    (a, now)
}

/// Both started one after the other, the cleanse running 30 s.
fn two_running() -> (App, Moment) {
    let t = t0();
    let mut a = app(TWO, t);
    key(&mut a, Action::StartPause, t);
    key(&mut a, Action::StartPause, t);
    key(&mut a, Action::StartPause, t);
    let now = t.after(secs(30));
    a.update(Msg::Tick, now);
    (a, now)
}

#[test]
fn one_alongside() {
    let (a, now) = one_running();
    let screen = draw(&a, now, 100, 30);
    assert!(screen.contains("Sanitize roller · 4:40"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn one_alongside_60x16() {
    let (a, now) = one_running();
    let screen = draw(&a, now, 60, 16);
    assert!(screen.contains("Sanitize roller · 4:40"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn two_alongside() {
    let (a, now) = two_running();
    let screen = draw(&a, now, 100, 30);
    assert!(screen.contains("Sheet mask · 14:30"), "{screen}");
    assert!(screen.contains("Hair oil · 19:30"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn two_alongside_60x16() {
    let (a, now) = two_running();
    let screen = draw(&a, now, 60, 16);
    assert!(screen.contains("Hair oil · 19:30"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_roll_waits_for_the_soak() {
    let (mut a, now) = one_running();
    a.update(Msg::Key(Action::Next), now);
    let later = now.after(secs(10));
    a.update(Msg::Tick, later);
    let screen = draw(&a, later, 100, 30);
    assert!(
        screen.contains("waiting for Sanitize roller · 4:30"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn only_steps_alongside_left_and_their_list() {
    let (mut a, now) = two_running();
    key(&mut a, Action::Next, now);
    key(&mut a, Action::Next, now);
    let screen = draw(&a, now, 100, 30);
    assert!(screen.contains("every step in hand is done"), "{screen}");
    insta::assert_snapshot!("only_alongside_left", screen);
    key(&mut a, Action::Alongside, now);
    a.update(Msg::Input(InputKey::Char('2')), now);
    a.update(Msg::Input(InputKey::Char('+')), now);
    let screen = draw(&a, now, 100, 30);
    assert!(screen.contains("▶ 2  Hair oil · 20:00"), "{screen}");
    insta::assert_snapshot!("alongside_list", screen);
    // Enter finishes the chosen one early; the other still runs, the list stays.
    a.update(Msg::Input(InputKey::Enter), now);
    assert_eq!(a.run.asides(), vec![0]);
    a.update(Msg::Input(InputKey::Enter), now);
    assert!(a.run.is_finished());
}

#[test]
fn never_panics_at_any_size_with_steps_alongside() {
    let (mut waiting, now) = one_running();
    waiting.update(Msg::Key(Action::Next), now);
    let (mut left, _) = two_running();
    key(&mut left, Action::Next, now);
    key(&mut left, Action::Next, now);
    let (two, _) = two_running();
    let mut listed = two.clone();
    key(&mut listed, Action::Alongside, now);
    for app in [&waiting, &left, &two, &listed] {
        for w in [1, 2, 10, 20, 39, 59, 60, 100, 300] {
            for h in [1, 2, 3, 5, 11, 16, 19, 20, 30, 80] {
                draw(app, now.after(secs(7)), w, h);
            }
        }
    }
}

/// The soak's end reaches the person as any step's end: the bell, a notification, the
/// StepEnd hook, a spoken cue.
#[test]
fn the_end_of_a_step_alongside_rings_notifies_runs_the_hook_and_is_said() {
    use rollcoach::dashboard::messages::Effect;
    let config = ONE.replace(
        "(checkin: [],",
        r#"(checkin: [], notify: (desktop: true, bell: true, speak: true),
            hooks: [(on: StepEnd, run: ["true"])],"#,
    );
    let t = t0();
    let mut a = app(&config, t);
    key(&mut a, Action::StartPause, t);
    key(&mut a, Action::StartPause, t);
    let effects = a.update(Msg::Tick, t.after(secs(300)));
    assert!(effects.contains(&Effect::Bell), "{effects:?}");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Notify { summary, body }
            if summary == "Sanitize roller done" && body.contains("alongside"))),
        "{effects:?}"
    );
    // The cleanse ended in the same wake-up (at 90 s): the soak's end has a hook too.
    let soak_hook = effects.iter().any(|e| {
        matches!(e, Effect::Hook(h) if h.event == "StepEnd"
            && h.env.iter().any(|(k, v)| k == "ROLLCOACH_STEP" && v == "Sanitize roller"))
    });
    assert!(soak_hook, "{effects:?}");
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::Speak { cue, .. } if cue.contains("Sanitize roller done"))
        ),
        "{effects:?}"
    );
}
