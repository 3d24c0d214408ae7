//! Answers that last: a "yes" to a lasting check-in question is journaled and holds
//! rolling until the person clears it. While it stands no roll is planned, the days are
//! rest days (their steps and actives under their usual rules, no pause before a roll),
//! nothing is asked, and a pregnancy hold keeps retinoids off too. Pure plans and
//! dashboard updates first, then the command line on real files.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use rollcoach::dashboard::app::{Action, App, Effect, InputKey, Msg, Overlay};
use rollcoach::routine::config::{Config, parse};
use rollcoach::routine::journal::{HoldRecord, Journal, Record};
use rollcoach::routine::plan::{self, RETINOIDS_HELD_REASON, StepState};
use rollcoach::session::Moment;

const CONFIG: &str = r#"(
    roller: (needle_mm: 0.5),
    checkin: [
        "A cold sore?",
        (ask: "Keloids?", lasting: true),
        (ask: "Pregnant?", lasting: true, holds_retinoids: true),
    ],
    routines: [
        (name: "morning", at: "07:30", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Vitamin C", kind: Serum, duration: "1m", actives: [VitaminC]),
        ]),
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "1m"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Retinol", kind: Treatment, duration: "30s", actives: [Retinoid], when: RestDay),
            (name: "Moisturise", kind: Moisturise, duration: "1m"),
        ]),
    ],
)"#;

fn config() -> Config {
    parse(CONFIG).unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn wall(s: &str) -> DateTime<FixedOffset> {
    format!("{s}+00:00").parse().unwrap()
}

fn hold(ask: &str, day: &str, retinoids: bool) -> Record {
    Record::RollHold(HoldRecord {
        ask: ask.into(),
        day: date(day),
        at: wall(&format!("{day}T21:01:00")),
        holds_retinoids: retinoids,
    })
}

fn cleared(ask: &str, day: &str) -> Record {
    Record::RollHoldCleared {
        ask: ask.into(),
        day: date(day),
        at: wall(&format!("{day}T08:00:00")),
    }
}

fn journal(records: Vec<Record>) -> Journal {
    let mut journal = Journal::default();
    for r in records {
        journal.add(r);
    }
    journal
}

fn step<'a>(plan: &'a plan::Plan, routine: &str, name: &str) -> &'a plan::StepPlan {
    plan.routines
        .iter()
        .find(|r| r.name == routine)
        .and_then(|r| r.steps.iter().find(|s| s.name == name))
        .unwrap()
}

#[test]
fn while_a_hold_stands_no_roll_is_planned_and_the_days_are_rest_days() {
    let c = config();
    // Never rolled: every day would be a rolling day, retinol off before the roll.
    let open = plan::plan(
        &c,
        &Journal::default(),
        date("2026-12-04"),
        &wall("2026-12-04T06:00:00"),
    );
    assert!(open.rolling_day);
    assert_eq!(step(&open, "evening", "Retinol").status, StepState::Off);
    let held = journal(vec![hold("Keloids?", "2026-12-03", false)]);
    for day in 4..=20 {
        let d = date(&format!("2026-12-{day:02}"));
        let p = plan::plan(&c, &held, d, &wall(&format!("{d}T06:00:00")));
        assert!(!p.rolling_day, "{d}");
        let roll = step(&p, "evening", "Roll");
        assert_eq!(roll.status, StepState::Off, "{d}");
        assert_eq!(roll.reason.as_deref(), Some(plan::HELD_REASON));
        // A rest night: the rest-day retinol runs, and vitamin C keeps no pause before
        // a roll that is not planned.
        assert_eq!(
            step(&p, "evening", "Retinol").status,
            StepState::Pending,
            "{d}"
        );
        assert_eq!(
            step(&p, "morning", "Vitamin C").status,
            StepState::Pending,
            "{d}"
        );
        let roller = p.roller.as_ref().unwrap();
        assert_eq!(roller.next_after(d), None);
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("rolling held") && w.contains("hold clear")),
            "{:?}",
            p.warnings
        );
    }
    // Cleared: rolling is planned again from that day.
    let done = journal(vec![
        hold("Keloids?", "2026-12-03", false),
        cleared("Keloids?", "2026-12-10"),
    ]);
    let p = plan::plan(&c, &done, date("2026-12-10"), &wall("2026-12-10T06:00:00"));
    assert!(p.rolling_day);
    assert_eq!(step(&p, "evening", "Roll").status, StepState::Pending);
    assert!(!p.warnings.iter().any(|w| w.contains("rolling held")));
    let before = plan::plan(&c, &done, date("2026-12-09"), &wall("2026-12-09T06:00:00"));
    assert!(!before.rolling_day);
}

#[test]
fn a_pregnancy_hold_keeps_retinoids_off_and_another_does_not() {
    let c = config();
    let pregnant = journal(vec![hold("Pregnant?", "2026-12-03", true)]);
    let p = plan::plan(
        &c,
        &pregnant,
        date("2026-12-05"),
        &wall("2026-12-05T06:00:00"),
    );
    let retinol = step(&p, "evening", "Retinol");
    assert_eq!(retinol.status, StepState::Off);
    assert_eq!(retinol.reason.as_deref(), Some(RETINOIDS_HELD_REASON));
    assert_eq!(step(&p, "morning", "Vitamin C").status, StepState::Pending);
    // Cleared, it holds nothing.
    let after = journal(vec![
        hold("Pregnant?", "2026-12-03", true),
        cleared("Pregnant?", "2026-12-05"),
    ]);
    let p = plan::plan(&c, &after, date("2026-12-05"), &wall("2026-12-05T06:00:00"));
    assert_ne!(
        step(&p, "evening", "Retinol").reason.as_deref(),
        Some(RETINOIDS_HELD_REASON)
    );
}

fn moment(s: &str) -> Moment {
    Moment {
        instant: Instant::now(),
        wall: wall(s),
    }
}

#[test]
fn a_lasting_yes_at_the_check_in_is_journaled_and_holds_from_the_next_day() {
    let c = config();
    let mut now = moment("2026-12-03T21:00:00");
    let (mut app, _) = App::new(c.clone(), Journal::default(), None, false, now);
    assert_eq!(app.run.routine, "evening");
    app.update(Msg::Key(Action::StartPause), now);
    assert!(
        matches!(app.overlay, Some(Overlay::CheckIn(_))),
        "{:?}",
        app.overlay
    );
    app.update(Msg::Input(InputKey::Char('3')), now);
    let effects = app.update(Msg::Input(InputKey::Char('y')), now);
    let holds: Vec<&HoldRecord> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append(Record::RollHold(h)) => Some(h),
            _ => None,
        })
        .collect();
    assert_eq!(holds.len(), 1, "{effects:?}");
    assert_eq!(holds[0].ask, "Pregnant?");
    assert!(holds[0].holds_retinoids);
    assert!(
        app.message.as_deref().unwrap().contains("until you clear"),
        "{:?}",
        app.message
    );
    // The retinol of tonight's rest night is passed by, with the reason.
    let retinol = app.run.steps.iter().find(|s| s.name == "Retinol").unwrap();
    assert_eq!(retinol.reason.as_deref(), Some(RETINOIDS_HELD_REASON));
    // Finish the session; what it journals joins the journal.
    let mut journal = app.journal.clone();
    for _ in 0..20 {
        now = now.after(Duration::from_secs(90));
        for e in app.update(Msg::Key(Action::Next), now) {
            if let Effect::Append(r @ Record::Session(_)) = e {
                journal = app.journal.clone();
                assert!(journal.records.contains(&r));
            }
        }
    }
    assert!(journal.sessions().count() == 1, "{journal:?}");

    // The next evening: a rest night, nothing asked, the notice names the hold.
    let next = moment("2026-12-04T21:00:00");
    let (mut app, _) = App::new(c.clone(), journal.clone(), None, false, next);
    assert!(!app.plan.rolling_day);
    assert_eq!(app.day_kind(), "rest day");
    assert!(
        app.notices()
            .iter()
            .any(|n| n.contains("rolling held: \"Pregnant?\"")),
        "{:?}",
        app.notices()
    );
    app.update(Msg::Key(Action::StartPause), next);
    assert!(app.overlay.is_none(), "nothing asked: {:?}", app.overlay);
    assert!(app.run.has_started());

    // H lists the hold; 1 clears it; the plan follows at once.
    let (mut app, _) = App::new(c, journal, None, false, moment("2026-12-05T20:00:00"));
    assert!(!app.plan.rolling_day);
    app.update(Msg::Key(Action::Holds), moment("2026-12-05T20:00:00"));
    assert_eq!(app.overlay, Some(Overlay::Holds));
    let effects = app.update(
        Msg::Input(InputKey::Char('1')),
        moment("2026-12-05T20:00:00"),
    );
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Append(Record::RollHoldCleared { ask, .. }) if ask == "Pregnant?")),
        "{effects:?}"
    );
    assert!(app.overlay.is_none());
    assert!(app.plan.rolling_day, "rolling planned again");
    assert!(app.holds().is_empty());
    // Nothing left to clear.
    app.update(Msg::Key(Action::Holds), moment("2026-12-05T20:00:00"));
    assert!(app.overlay.is_none());
    assert_eq!(app.message.as_deref(), Some("nothing holds rolling"));
}

#[test]
fn a_yes_that_does_not_last_holds_nothing() {
    let c = config();
    let now = moment("2026-12-03T21:00:00");
    let (mut app, _) = App::new(c, Journal::default(), None, false, now);
    app.update(Msg::Key(Action::StartPause), now);
    app.update(Msg::Input(InputKey::Char('1')), now);
    let effects = app.update(Msg::Input(InputKey::Char('y')), now);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::Append(Record::RollHold(_)))),
        "{effects:?}"
    );
    assert!(app.holds().is_empty());
    assert!(app.message.as_deref().unwrap().contains("tomorrow"));
}

#[test]
fn holds_retinoids_needs_lasting_and_the_built_in_list_marks_what_lasts() {
    let bad = parse(&CONFIG.replace(
        r#"(ask: "Keloids?", lasting: true)"#,
        r#"(ask: "Keloids?", holds_retinoids: true)"#,
    ));
    let text = format!("{:?}", bad.unwrap_err());
    assert!(
        text.contains("Keloids?") && text.contains("lasting"),
        "{text}"
    );
    let built_in = parse(
        "(routines: [(name: \"e\", steps: [(name: \"C\", kind: Cleanse, duration: \"1m\")])])",
    )
    .unwrap();
    let lasting: Vec<&str> = built_in
        .checkin
        .iter()
        .filter(|q| q.lasting)
        .map(|q| q.ask.as_str())
        .collect();
    for word in [
        "Eczema",
        "autoimmune",
        "keloids",
        "Blood thinners",
        "Pregnant",
        "Isotretinoin",
    ] {
        assert!(
            lasting.iter().any(|a| a.contains(word)),
            "{word}: {lasting:?}"
        );
    }
    let retinoids: Vec<&str> = built_in
        .checkin
        .iter()
        .filter(|q| q.holds_retinoids)
        .map(|q| q.ask.as_str())
        .collect();
    assert_eq!(retinoids, ["Pregnant or breastfeeding?"]);
    // The shipped config says the same as the list a config without one gets.
    let shipped = parse(include_str!("../config/default.ron")).unwrap();
    assert_eq!(shipped.checkin, built_in.checkin);
}

/// `rollcoach` on CONFIG with its own data dir, in UTC.
fn rollcoach(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rollcoach"));
    cmd.env_remove("ROLLCOACH_CONFIG")
        .env_remove("ROLLCOACH_DATA_DIR")
        .env("HOME", dir.join("home"))
        .env("TZ", "UTC")
        .arg("--config")
        .arg(dir.join("config.ron"))
        .arg("--data-dir")
        .arg(dir.join("data"));
    cmd
}

fn out(cmd: &mut Command) -> (i32, String, String) {
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn the_command_line_lists_adds_and_clears_holds_through_the_index() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.ron"), CONFIG).unwrap();
    let run = |args: &[&str]| out(rollcoach(dir.path()).args(args));
    assert_eq!(run(&["hold"]).1, "nothing holds rolling\n");
    // A status first: the index is made, and the holds must reach it as they come.
    let (code, text, _) = run(&["status"]);
    assert_eq!(code, 0);
    assert!(!text.contains("held"), "{text}");
    let (code, text, err) = run(&["hold", "add", "Pregnant?"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("rolling held: Pregnant?") && text.contains("retinoids off"),
        "{text}"
    );
    run(&["hold", "add", "Keloids?"]);
    let (_, list, _) = run(&["hold", "list"]);
    assert!(
        list.starts_with("1  Pregnant?") && list.contains("\n2  Keloids?"),
        "{list}"
    );
    let (_, json, _) = run(&["hold", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json[0]["holds_retinoids"], true);
    assert_eq!(json[1]["ask"], "Keloids?");
    let (_, today, _) = run(&["today"]);
    assert!(today.contains("next rolling day held"), "{today}");
    assert!(today.contains(RETINOIDS_HELD_REASON), "{today}");
    let (_, status, _) = run(&["status", "--format", "json"]);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["rolling_day"], false);
    assert!(status["next_roll"].is_null(), "{status}");
    // Two stand: which one must be said.
    let (code, _, err) = run(&["hold", "clear"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("2 holds stand") && err.contains("--all"),
        "{err}"
    );
    let (code, _, err) = run(&["hold", "clear", "7"]);
    assert_eq!(code, 2);
    assert!(err.contains("numbers them 1 to 2"), "{err}");
    let (code, text, _) = run(&["hold", "clear", "Keloids?"]);
    assert_eq!(code, 0);
    assert_eq!(text, "cleared: Keloids?\n");
    let (code, text, _) = run(&["hold", "clear"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("cleared: Pregnant?") && text.contains("planned again"),
        "{text}"
    );
    let (_, status, _) = run(&["status", "--format", "json"]);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert!(!status["next_roll"].is_null(), "{status}");
    assert_eq!(run(&["hold"]).1, "nothing holds rolling\n");
    let (code, _, err) = run(&["hold", "add", " "]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn an_index_that_lost_its_holds_is_made_anew() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.ron"), CONFIG).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let line = serde_json::to_string(&hold("Keloids?", "2026-12-01", false)).unwrap();
    std::fs::write(data.join("journal.jsonl"), format!("{line}\n")).unwrap();
    let (_, status, _) = out(rollcoach(dir.path()).args(["status", "--format", "json"]));
    assert!(serde_json::from_str::<serde_json::Value>(&status).unwrap()["next_roll"].is_null());
    // An index that left the hold out (the layout of the version before, which did not
    // keep holds): its count and hash no longer match, and the journal is read again.
    let index = data.join("journal.index");
    let text = std::fs::read_to_string(&index).unwrap();
    assert!(text.contains("roll_hold"), "{text}");
    let older: String = text
        .replace("rollcoach-journal-index 5", "rollcoach-journal-index 4")
        .lines()
        .filter(|l| !l.contains("roll_hold"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&index, older).unwrap();
    let (_, status, _) = out(rollcoach(dir.path()).args(["status", "--format", "json"]));
    assert!(
        serde_json::from_str::<serde_json::Value>(&status).unwrap()["next_roll"].is_null(),
        "{status}"
    );
}
