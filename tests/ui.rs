//! Snapshots of the dashboard on a TestBackend at a fixed time, one per state.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;
use rollcoach::dashboard::app::{Action, App, InputKey, Msg, Topic};
use rollcoach::dashboard::ui::view;
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::{Journal, Record};
use rollcoach::session::Moment;

const CONFIG: &str = r#"(checkin: [],
    roller: (needle_mm: 0.5, replace_after_uses: 15),
    routines: [
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "90s", notes: "Gentle, non-exfoliating cleanser; pat dry."),
            (name: "Roll", kind: Roll, when: RollDay, zones: [
                (name: "Forehead", duration: "45s"),
                (name: "Left cheek", duration: "45s"),
                (name: "Chin", duration: "30s", directions: [Horizontal, Vertical]),
            ]),
            (name: "Retinol", kind: Treatment, duration: "30s", when: RestDay, pause_after_roll: "72h"),
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

fn app_with(journal: Journal, now: Moment) -> App {
    App::new(parse(CONFIG).unwrap(), journal, None, false, now).0
}

fn draw(app: &App, now: Moment, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view(app, now.instant, f)).unwrap();
    terminal.backend().to_string()
}

fn key(app: &mut App, action: Action, now: Moment) {
    app.update(Msg::Key(action), now);
}

#[test]
fn first_step() {
    let t = t0();
    insta::assert_snapshot!(draw(&app_with(Journal::default(), t), t, 100, 30));
}

#[test]
fn running() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::StartPause, t);
    let now = t.after(Duration::from_millis(20_400));
    app.update(Msg::Tick, now);
    insta::assert_snapshot!(draw(&app, now, 100, 30));
}

#[test]
fn paused() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::StartPause, t);
    key(&mut app, Action::StartPause, t.after(secs(50)));
    insta::assert_snapshot!(draw(&app, t.after(secs(600)), 100, 30));
}

#[test]
fn roll_zone() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::Next, t);
    key(&mut app, Action::StartPause, t);
    let now = t.after(secs(50));
    app.update(Msg::Tick, now);
    insta::assert_snapshot!(draw(&app, now, 100, 30));
}

/// 22 s into Chin, whose two directions share its 30 s: the vertical, 8 s of it left.
fn mid_direction() -> (App, Moment) {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::Next, t);
    key(&mut app, Action::StartPause, t);
    let now = t.after(secs(45 + 45 + 22));
    app.update(Msg::Tick, now);
    (app, now)
}

#[test]
fn roll_zone_mid_direction() {
    let (app, now) = mid_direction();
    insta::assert_snapshot!(draw(&app, now, 100, 30));
}

/// The dashboard in every state a person sees from the mirror, at every pane size:
/// idle, rolling (mid direction), paused, the check-in, the summary.
fn mirror_states() -> Vec<(&'static str, App, Moment)> {
    let t = t0();
    let idle = app_with(Journal::default(), t);
    let (rolling, at) = mid_direction();
    let (mut paused, _) = mid_direction();
    key(&mut paused, Action::StartPause, at);
    let config = CONFIG
        .replacen("(checkin: [],", "(", 1)
        .replacen("routines:", CHECKIN, 1);
    let (mut checkin, _) = App::new(parse(&config).unwrap(), Journal::default(), None, false, t);
    key(&mut checkin, Action::StartPause, t);
    let (mut summary, end) = finished_session();
    summary.update(Msg::Input(InputKey::Esc), end);
    vec![
        ("idle", idle, t),
        ("rolling", rolling, at),
        ("paused", paused, at.after(secs(30))),
        ("checkin", checkin, t),
        ("summary", summary, end),
    ]
}

/// A bar's cells: thick where done, dim thin where still to come (a border's line is
/// neither).
fn bar_cell(cell: &ratatui::buffer::Cell) -> bool {
    use ratatui::style::Modifier;
    cell.symbol() == "━" || (cell.symbol() == "─" && cell.modifier.contains(Modifier::DIM))
}

#[test]
fn from_the_mirror_no_text_lies_on_a_bar_and_the_footer_keeps_help_and_quit() {
    for (state, app, now) in mirror_states() {
        for (w, h) in [(100u16, 30u16), (60, 16), (40, 40), (40, 12)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| view(&app, now.instant, f)).unwrap();
            let buffer = terminal.backend().buffer().clone();
            let screen = terminal.backend().to_string();
            for y in 0..h {
                let row: Vec<&ratatui::buffer::Cell> = (0..w).map(|x| &buffer[(x, y)]).collect();
                let Some(first) = row.iter().position(|c| bar_cell(c)) else {
                    continue;
                };
                let last = row.iter().rposition(|c| bar_cell(c)).unwrap();
                assert!(
                    row[first..=last].iter().all(|c| bar_cell(c)),
                    "{state} {w}x{h} row {y}: text on a bar\n{screen}"
                );
            }
            // The keys line is the last row; a question open over it has its own keys.
            let last = screen.lines().last().unwrap();
            if state != "checkin" {
                assert!(
                    last.contains("? help") && last.contains("q quit"),
                    "{state} {w}x{h}: {last}\n{screen}"
                );
            }
            insta::assert_snapshot!(format!("mirror_{state}_{w}x{h}"), screen);
        }
    }
}

/// While rolling, the big digits count the direction in hand, and the zone and the
/// direction are named under them, at every size.
#[test]
fn while_rolling_the_big_digits_count_the_direction() {
    let (app, now) = mid_direction();
    for (w, h) in [(100u16, 30u16), (60, 16), (40, 40), (40, 12)] {
        let screen = draw(&app, now, w, h);
        assert!(screen.contains("Chin · vertical ×4"), "{w}x{h}\n{screen}");
    }
    let wide = draw(&app, now, 100, 30);
    assert!(wide.contains("step 2 of 3 · 0:08 left"), "{wide}");
    assert!(wide.contains("▶ Chin             0:08"), "{wide}");
    // In a tall small pane the steps are listed under the digits.
    let tall = draw(&app, now, 40, 40);
    assert!(tall.contains("Moisturise"), "{tall}");
}

#[test]
fn roll_zone_mid_direction_compact() {
    let (app, now) = mid_direction();
    insta::assert_snapshot!(draw(&app, now, 40, 12));
}

#[test]
fn help_overlay() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::Help, t);
    insta::assert_snapshot!(draw(&app, t, 100, 30));
}

/// The evening run through (the roll done, the moisturiser skipped) at 21:08:26: the
/// rating question open.
fn finished_session() -> (App, Moment) {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::StartPause, t);
    key(&mut app, Action::Next, t.after(secs(80)));
    key(&mut app, Action::StartPause, t.after(secs(80)));
    app.update(Msg::Tick, t.after(secs(200)));
    key(&mut app, Action::Skip, t.after(secs(205)));
    assert!(app.run.is_finished());
    (app, t.after(secs(206)))
}

#[test]
fn summary() {
    let (mut app, now) = finished_session();
    insta::assert_snapshot!("note_prompt", draw(&app, now, 100, 30));
    app.update(Msg::Input(InputKey::Esc), now);
    insta::assert_snapshot!(draw(&app, now, 100, 30));
}

#[test]
fn note_stage_after_a_rating() {
    // A 4 given: the note is asked next, with what was typed so far.
    let (mut app, now) = finished_session();
    app.update(Msg::Input(InputKey::Char('4')), now);
    for c in "calm, a bit dry".chars() {
        app.update(Msg::Input(InputKey::Char(c)), now);
    }
    insta::assert_snapshot!(draw(&app, now, 100, 30));
}

#[test]
fn summary_compact_40x12() {
    let (mut app, now) = finished_session();
    app.update(Msg::Input(InputKey::Esc), now);
    insta::assert_snapshot!(draw(&app, now, 40, 12));
}

#[test]
fn roller_replace_confirmation() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::ReplaceRoller, t);
    insta::assert_snapshot!(draw(&app, t, 100, 30));
}

#[test]
fn read_only_after_space() {
    // A second dashboard: told so when it opens (as the runtime does), and Space does
    // nothing but say why.
    let t = t0();
    let (mut app, _) = App::new(parse(CONFIG).unwrap(), Journal::default(), None, true, t);
    app.update(
        Msg::Notice(
            Topic::ReadOnly,
            Some(
                "another rollcoach owns the session: read-only here; quit that one to act here"
                    .into(),
            ),
        ),
        t,
    );
    key(&mut app, Action::StartPause, t.after(secs(5)));
    insta::assert_snapshot!(draw(&app, t.after(secs(5)), 100, 30));
}

#[test]
fn config_error_in_the_footer() {
    // An edit that breaks the config, 50 s into the first step: the error stays in the
    // footer, the run goes on with the config it had.
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::StartPause, t);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.ron");
    std::fs::write(
        &path,
        CONFIG.replacen("duration: \"90s\"", "durations: \"90s\"", 1),
    )
    .unwrap();
    // The load error, as the config watcher sends it; its first problem is shown.
    let mut error = rollcoach::routine::config::load(&path).unwrap_err();
    error.path = error
        .path
        .replace(&dir.path().display().to_string(), "~/.config/rollcoach");
    app.update(Msg::Config(Err(error)), t.after(secs(50)));
    insta::assert_snapshot!(draw(&app, t.after(secs(50)), 100, 30));
}

#[test]
fn worn_roller_in_the_header() {
    // Fifteen rolls, every other day since 20 Oct: the roller has had its 15 uses.
    let lines: Vec<String> = (0..15)
        .map(|i| {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 20).unwrap()
                + chrono::Duration::days(2 * i);
            format!(
                r#"{{"type":"session","routine":"evening","day":"{day}","started":"{day}T21:00:00+00:00","ended":"{day}T21:10:00+00:00","complete":true,"steps":[{{"name":"Roll","kind":"roll","status":"done","secs":120}}]}}"#
            )
        })
        .collect();
    let journal = Journal::parse(&lines.join("\n"));
    assert!(journal.warnings.is_empty(), "{:?}", journal.warnings);
    let t = t0();
    insta::assert_snapshot!(draw(&app_with(journal, t), t, 100, 30));
}

const CHECKIN: &str = r#"checkin: ["Any active breakout, cold sore or infection where you roll?", "Sunburn in the last two days?"],
    routines:"#;

#[test]
fn checkin_before_the_roll() {
    // Space on the first step of a session that rolls: every question, one screen,
    // before anything starts; the second one marked.
    let t = t0();
    let config = CONFIG
        .replacen("(checkin: [],", "(", 1)
        .replacen("routines:", CHECKIN, 1);
    let (mut app, _) = App::new(parse(&config).unwrap(), Journal::default(), None, false, t);
    key(&mut app, Action::StartPause, t);
    app.update(Msg::Input(InputKey::Char('2')), t);
    insta::assert_snapshot!(draw(&app, t, 100, 30));
}

#[test]
fn rest_night_after_a_yes() {
    // A "yes" at the check-in: the roll skipped with its reason, the rest-day retinol on,
    // the position counting only what runs.
    let t = t0();
    let config = CONFIG
        .replacen("(checkin: [],", "(", 1)
        .replacen("routines:", CHECKIN, 1);
    let (mut app, _) = App::new(parse(&config).unwrap(), Journal::default(), None, false, t);
    key(&mut app, Action::StartPause, t);
    app.update(Msg::Input(InputKey::Char('y')), t);
    insta::assert_snapshot!(draw(&app, t.after(secs(5)), 100, 30));
}

/// Lasting conditions: counted in the header while the status line moves on, and listed
/// with `!`, one line each with what to do.
fn app_with_notices(t: Moment) -> App {
    let mut app = app_with(Journal::default(), t);
    app.update(
        Msg::Notice(
            Topic::Hooks,
            Some("hooks are off: /home/me/.config/rollcoach can be written by others (mode 777); `chmod go-w /home/me/.config/rollcoach` fixes it".into()),
        ),
        t,
    );
    app.update(
        Msg::Notice(
            Topic::Desktop,
            Some("desktop notifications are off: no notification server answers".into()),
        ),
        t,
    );
    app.update(Msg::Report("config reloaded".into()), t);
    app
}

#[test]
fn notices_counted_in_the_header() {
    let t = t0();
    insta::assert_snapshot!(draw(&app_with_notices(t), t, 100, 30));
}

#[test]
fn notices_listed() {
    let t = t0();
    let mut app = app_with_notices(t);
    key(&mut app, Action::Notices, t);
    insta::assert_snapshot!(draw(&app, t, 100, 30));
}

#[test]
fn notices_counted_in_a_small_pane() {
    let t = t0();
    insta::assert_snapshot!(draw(&app_with_notices(t), t, 40, 12));
}

fn history_app(t: Moment) -> App {
    // Three weeks of evenings: kept, a roll on the 9th and the 16th, one day missed, one
    // unfinished, one rated with a note.
    let mut lines = Vec::new();
    for day in 2..=22 {
        if day == 12 {
            continue;
        }
        let rolled = day == 9 || day == 16;
        let complete = day != 19;
        let mut steps =
            vec![r#"{"name":"Cleanse","kind":"cleanse","status":"done","secs":90}"#.to_string()];
        if rolled {
            steps.push(r#"{"name":"Roll","kind":"roll","status":"done","secs":120}"#.into());
        }
        lines.push(format!(
            r#"{{"type":"session","routine":"evening","day":"2026-11-{day:02}","started":"2026-11-{day:02}T21:00:00+00:00","ended":"2026-11-{day:02}T21:06:00+00:00","complete":{complete},"steps":[{}]}}"#,
            steps.join(",")
        ));
    }
    lines.push(r#"{"type":"session_note","routine":"evening","started":"2026-11-22T21:00:00+00:00","rating":4,"note":"calm, a bit dry"}"#.into());
    let journal = Journal::parse(&lines.join("\n"));
    assert!(journal.warnings.is_empty(), "{:?}", journal.warnings);
    let (mut app, _) = App::new(parse(CONFIG).unwrap(), journal, None, false, t);
    key(&mut app, Action::History, t);
    app
}

#[test]
fn history_view() {
    let t = t0();
    insta::assert_snapshot!(draw(&history_app(t), t, 100, 30));
}

#[test]
fn history_view_40x12() {
    let t = t0();
    insta::assert_snapshot!(draw(&history_app(t), t, 40, 12));
}

#[test]
fn rest_day() {
    let t = t0();
    // Rolled two days ago: a rest day, Roll off until next week, Retinol paused.
    let rolled = r#"{"type":"session","routine":"evening","day":"2026-11-21","started":"2026-11-21T21:00:00+00:00","ended":"2026-11-21T21:10:00+00:00","complete":true,"steps":[{"name":"Roll","kind":"roll","status":"done","secs":120}]}"#;
    let journal = Journal::parse(rolled);
    assert_eq!(journal.records.len(), 1);
    assert!(matches!(journal.records[0], Record::Session(_)));
    insta::assert_snapshot!(draw(&app_with(journal, t), t, 100, 30));
}

#[test]
fn compact_40x12() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::StartPause, t);
    insta::assert_snapshot!(draw(&app, t.after(secs(5)), 40, 12));
}

#[test]
fn control_characters_from_the_config_are_shown_as_text() {
    let t = t0();
    let config = CONFIG.replace("pat dry.", "pat dry.\\u{1b}[2J\\u{7}");
    let app = App::new(parse(&config).unwrap(), Journal::default(), None, false, t).0;
    let screen = draw(&app, t, 100, 30);
    assert!(screen.contains("pat dry.\u{fffd}[2J\u{fffd}"), "{screen}");
    assert!(!screen.contains('\u{1b}'));
}

#[test]
fn never_panics_at_any_size() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::Next, t);
    key(&mut app, Action::StartPause, t);
    for (w, h) in [
        (1, 1),
        (2, 1),
        (1, 5),
        (10, 3),
        (39, 11),
        (59, 19),
        (60, 20),
        (300, 80),
    ] {
        draw(&app, t.after(secs(3)), w, h);
        key(&mut app, Action::Help, t);
        draw(&app, t.after(secs(3)), w, h);
        key(&mut app, Action::Help, t);
    }
}

/// The buffer with its styles, for the colour snapshots.
fn styled(app: &App, now: Moment, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view(app, now.instant, f)).unwrap();
    terminal.backend().buffer().clone()
}

fn themed(theme: &str, no_color: bool) -> ratatui::buffer::Buffer {
    let t = t0();
    let config = CONFIG.replacen("routines:", &format!("theme: {theme},\n    routines:"), 1);
    let (mut app, _) = App::new(parse(&config).unwrap(), Journal::default(), None, false, t);
    app.no_color = no_color;
    key(&mut app, Action::Next, t);
    key(&mut app, Action::StartPause, t);
    styled(&app, t.after(secs(3)), 40, 12)
}

#[test]
fn theme_default() {
    insta::assert_debug_snapshot!(themed("()", false));
}

#[test]
fn theme_light() {
    insta::assert_debug_snapshot!(themed("(palette: Light)", false));
}

#[test]
fn theme_high_contrast_with_an_own_accent() {
    insta::assert_debug_snapshot!(themed(
        r##"(palette: HighContrast, accent: "#ff8800")"##,
        false
    ));
}

#[test]
fn no_color_keeps_marks_and_bold_only() {
    let buffer = themed("(palette: Light)", true);
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
    insta::assert_debug_snapshot!(buffer);
}

#[test]
fn remapped_keys_show_in_the_footer_and_help() {
    let t = t0();
    let config = CONFIG.replacen(
        "routines:",
        r#"keys: (start_pause: ["p"], quit: ["x"]),
    routines:"#,
        1,
    );
    let (mut app, _) = App::new(parse(&config).unwrap(), Journal::default(), None, false, t);
    let screen = draw(&app, t, 100, 30);
    assert!(screen.contains("p start  Enter done"), "{screen}");
    assert!(screen.contains("x quit"), "{screen}");
    assert!(screen.contains("p starts the step"), "{screen}");
    key(&mut app, Action::Help, t);
    let help = draw(&app, t, 100, 30);
    assert!(help.contains("      p  start / pause"), "{help}");
    assert!(help.contains("      x  quit"), "{help}");
}

#[test]
fn history_view_without_colour_keeps_its_marks() {
    let t = t0();
    let mut app = history_app(t);
    app.no_color = true;
    let buffer = styled(&app, t, 60, 20);
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset)
    );
    let text: String = buffer.content().iter().map(|c| c.symbol()).collect();
    for mark in ["# ", "R ", ". ", "streak 3"] {
        assert!(text.contains(mark), "{mark:?} missing");
    }
}

/// The months row and the Monday row of the history calendar, as characters.
fn calendar_rows(screen: &str) -> (Vec<char>, Vec<char>) {
    let rows: Vec<Vec<char>> = screen
        .lines()
        .map(|l| l.trim_matches('"').chars().collect())
        .collect();
    (rows[2].clone(), rows[3].clone())
}

#[test]
fn month_labels_stand_over_the_week_of_the_first_and_the_calendar_starts_near_the_first_session() {
    let t = t0();
    let screen = draw(&history_app(t), t, 100, 30);
    let (months, mondays) = calendar_rows(&screen);
    let months: String = months.into_iter().collect();
    let mondays: String = mondays.into_iter().collect();
    // The first session is on Mon 2 Nov: the calendar starts two weeks before its week
    // (19 Oct), not months of empty dots before, and ends with today's week (23 Nov).
    assert!(mondays.starts_with("│Mon . . # R R . "), "{screen}");
    assert_eq!(
        mondays.trim_end_matches(['│', ' ']),
        "│Mon . . # R R .",
        "{screen}"
    );
    // "Nov" stands over the week that holds 1 Nov (Mon 26 Oct), the second column.
    let label = months
        .find("Nov")
        .map(|byte| months[..byte].chars().count());
    assert_eq!(label, Some("│Mon . ".chars().count()), "{screen}");
}

#[test]
fn recent_sessions_leave_out_days_still_to_come() {
    let t = t0();
    let mut app = history_app(t);
    let later = r#"{"type":"session","routine":"evening","day":"2026-11-30","started":"2026-11-30T21:00:00+00:00","ended":"2026-11-30T21:06:00+00:00","complete":true,"steps":[]}"#;
    app.journal.add(serde_json::from_str(later).unwrap());
    let screen = draw(&app, t, 100, 30);
    assert!(!screen.contains("30 Nov"), "{screen}");
    assert!(screen.contains("Sun 22 Nov"), "{screen}");
}

#[test]
fn wide_characters_stay_inside_their_panel() {
    let t = t0();
    let config = CONFIG
        .replace(
            "\"Cleanse\"",
            "\"洗顔フォームでやさしく洗う洗顔フォームでやさしく洗う🧴🧴\"",
        )
        .replace("\"Moisturise\", kind", "\"保湿クリーム🧴\", kind")
        .replace(
            "Gentle, non-exfoliating cleanser; pat dry.",
            &"洗顔料で優しく洗う。".repeat(12),
        );
    let app = App::new(parse(&config).unwrap(), Journal::default(), None, false, t).0;
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| view(&app, t.instant, f)).unwrap();
    let buffer = terminal.backend().buffer();
    // The step list is a third of 100 columns: its right border is column 32.
    for y in 3..28 {
        for x in [32, 99] {
            assert_eq!(
                buffer[(x, y)].symbol(),
                "│",
                "row {y}, column {x}:\n{}",
                terminal.backend()
            );
        }
    }
    let screen = terminal.backend().to_string();
    assert!(screen.contains("洗顔"), "{screen}");
}

/// A routine whose config asks for what cannot be right, on a rest day: an expired
/// retinol (the step still runs), a prescription retinoid with benzoyl peroxide, and a
/// step whose `when` is never true.
const WARNED: &str = r#"(
    checkin: [],
    roller: (needle_mm: 0.5),
    products: [(name: "Retinol 0.3%", actives: [Retinoid], opened: "2026-05-01")],
    routines: [
        (name: "evening", at: "21:00", steps: [
            (name: "Cleanse", kind: Cleanse, duration: "90s"),
            (name: "Roll", kind: Roll, when: RollDay, duration: "2m"),
            (name: "Retinol", kind: Treatment, duration: "30s", product: "Retinol 0.3%"),
            (name: "Adapalene", kind: Treatment, duration: "30s", actives: [PrescriptionRetinoid], pause_after_roll: "72h", pause_before_roll: "24h"),
            (name: "Spot gel", kind: Treatment, duration: "30s", actives: [BenzoylPeroxide]),
            (name: "Mask", kind: Treatment, duration: "5m", when: All([Weekdays([Mon]), Weekdays([Tue])])),
        ]),
    ],
)"#;

fn warned_app(t: Moment) -> App {
    // Rolled Mon 16 Nov: Fri 20 is a rest day, the retinol on again.
    let rolled = r#"{"type":"session","routine":"evening","day":"2026-11-16","started":"2026-11-16T21:00:00+00:00","ended":"2026-11-16T21:05:00+00:00","complete":true,"steps":[{"name":"Roll","kind":"roll","status":"done","secs":120}]}"#;
    let journal = Journal::parse(rolled);
    App::new(parse(WARNED).unwrap(), journal, None, false, t).0
}

#[test]
fn warnings_counted_in_the_header_and_listed_under_the_steps() {
    let t = Moment {
        instant: Instant::now(),
        wall: "2026-11-20T21:05:00+00:00".parse().unwrap(),
    };
    insta::assert_snapshot!(draw(&warned_app(t), t, 110, 34));
}

#[test]
fn warnings_listed_with_the_notices() {
    let t = Moment {
        instant: Instant::now(),
        wall: "2026-11-20T21:05:00+00:00".parse().unwrap(),
    };
    let mut app = warned_app(t);
    key(&mut app, Action::Notices, t);
    insta::assert_snapshot!(draw(&app, t, 110, 34));
}

/// Eight weeks of evenings up to the 22nd: a roll every Monday, the skin rated every
/// third evening and rising from 2 to 5, a day missed now and then.
fn trend_journal() -> Vec<String> {
    let first: chrono::NaiveDate = "2026-09-28".parse().unwrap();
    let mut lines = Vec::new();
    for i in 0..56 {
        let day = first + chrono::Duration::days(i);
        if i % 9 == 4 {
            continue;
        }
        let rolled = chrono::Datelike::weekday(&day) == chrono::Weekday::Mon;
        let mut steps =
            vec![r#"{"name":"Cleanse","kind":"cleanse","status":"done","secs":90}"#.to_string()];
        if rolled {
            steps.push(r#"{"name":"Roll","kind":"roll","status":"done","secs":120}"#.into());
        }
        let rating = if i % 3 == 0 {
            format!(r#","rating":{}"#, (2 + i * 4 / 56).min(5))
        } else {
            String::new()
        };
        lines.push(format!(
            r#"{{"type":"session","routine":"evening","day":"{day}","started":"{day}T21:00:00+00:00","ended":"{day}T21:06:00+00:00","complete":true,"steps":[{}]{rating}}}"#,
            steps.join(",")
        ));
    }
    lines
}

fn trend_app(t: Moment, extra: &[String]) -> App {
    let mut lines = trend_journal();
    lines.extend(extra.iter().cloned());
    let journal = Journal::parse(&lines.join("\n"));
    assert!(journal.warnings.is_empty(), "{:?}", journal.warnings);
    let mut app = App::new(parse(CONFIG).unwrap(), journal, None, false, t).0;
    key(&mut app, Action::History, t);
    app
}

#[test]
fn trend_chart_in_a_tall_pane() {
    let t = t0();
    let screen = draw(&trend_app(t, &[]), t, 100, 34);
    assert!(screen.contains("skin│"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn trend_compact_in_a_small_pane() {
    let t = t0();
    let screen = draw(&trend_app(t, &[]), t, 60, 18);
    assert!(screen.contains("│skin "), "{screen}");
    insta::assert_snapshot!(screen);
}

/// A 60 × 40 PNG: `colour` below the diagonal, white above it (the edge makes half
/// blocks, which show in a snapshot).
fn two_tone_png(path: &std::path::Path, colour: [u8; 3]) {
    let image = image::RgbImage::from_fn(60, 40, |x, y| {
        image::Rgb(if y * 60 > x * 40 {
            colour
        } else {
            [255, 255, 255]
        })
    });
    image.save(path).unwrap();
}

fn photo_line(file: &str, taken: &str) -> String {
    format!(
        r#"{{"type":"photo","file":"{file}","taken":"{taken}","added":"{taken}T08:00:00+00:00"}}"#
    )
}

#[test]
fn photo_view_with_two_photos_in_half_blocks() {
    use rollcoach::dashboard::app::Effect;
    use rollcoach::dashboard::photos::{Wanted, cells_for, prepare};
    let dir = tempfile::tempdir().unwrap();
    let photos = dir.path().join("photos");
    std::fs::create_dir(&photos).unwrap();
    two_tone_png(&photos.join("2026-10-26-1.png"), [200, 0, 0]);
    two_tone_png(&photos.join("2026-11-09-1.png"), [0, 150, 0]);
    two_tone_png(&photos.join("2026-11-23-1.png"), [0, 0, 220]);
    let t = t0();
    let mut app = trend_app(
        t,
        &[
            photo_line("2026-11-23-1.png", "2026-11-23"),
            photo_line("2026-10-26-1.png", "2026-10-26"),
            photo_line("2026-11-09-1.png", "2026-11-09"),
        ],
    );
    // The latest beside the one closest to 4 weeks before it, earlier first.
    let asked = app.update(Msg::Key(Action::Photos), t);
    let files = vec![
        "2026-10-26-1.png".to_string(),
        "2026-11-23-1.png".to_string(),
    ];
    assert_eq!(
        asked,
        vec![Effect::ShowPhotos(Wanted {
            files: files.clone(),
            missing: files.clone(),
        })]
    );
    let waiting = draw(&app, t, 100, 30);
    assert_eq!(waiting.matches("scaling…").count(), 2, "{waiting}");
    // What the worker does, here on the test's thread.
    let picker = ratatui_image::picker::Picker::halfblocks();
    for file in &files {
        let picture = prepare(&photos, file, cells_for(100, 30), &picker);
        assert!(picture.shown.is_ok(), "{picture:?}");
        app.update(Msg::Photo(picture), t);
    }
    let screen = draw(&app, t, 100, 30);
    assert!(
        screen.contains("between them: 24 sessions, 2 rolls"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
    // Half blocks carry the photos' colours: the earlier red, the later blue.
    let buffer = styled(&app, t, 100, 30);
    let colours: Vec<Color> = buffer.content().iter().flat_map(|c| [c.fg, c.bg]).collect();
    assert!(colours.contains(&Color::Rgb(200, 0, 0)), "{colours:?}");
    assert!(colours.contains(&Color::Rgb(0, 0, 220)), "{colours:?}");

    // A longer span still finds the oldest; stepping back compares the middle one.
    app.update(Msg::Key(Action::LongerSpan), t);
    assert_eq!(app.photos_shown(), files);
    app.update(Msg::Key(Action::EarlierPhoto), t);
    assert_eq!(
        app.photos_shown(),
        vec![
            "2026-10-26-1.png".to_string(),
            "2026-11-09-1.png".to_string()
        ]
    );
    // A picture that comes back for a photo no longer shown is not kept.
    let stale = prepare(&photos, "2026-11-23-1.png", cells_for(100, 30), &picker);
    app.update(Msg::Photo(stale), t);
    assert!(app.picture("2026-11-23-1.png").is_none());
    // Closing the view lets the pictures go.
    app.update(Msg::Key(Action::Close), t);
    assert!(app.pictures.is_empty());
}

#[test]
fn the_trend_and_the_photo_view_fit_any_size() {
    use rollcoach::dashboard::photos::{cells_for, prepare};
    let dir = tempfile::tempdir().unwrap();
    two_tone_png(&dir.path().join("a.png"), [200, 0, 0]);
    two_tone_png(&dir.path().join("b.png"), [0, 0, 220]);
    let t = t0();
    let mut history = trend_app(t, &[]);
    let mut photos = trend_app(
        t,
        &[
            photo_line("a.png", "2026-10-26"),
            photo_line("b.png", "2026-11-23"),
        ],
    );
    photos.update(Msg::Key(Action::Photos), t);
    let picker = ratatui_image::picker::Picker::halfblocks();
    // Sizes that share their image cells share one picture (decoding is the slow part).
    let mut made = std::collections::HashMap::new();
    for width in [1u16, 2, 7, 12, 30, 45, 61, 100, 180] {
        for height in [1u16, 2, 5, 11, 14, 15, 16, 24, 25, 40] {
            draw(&history, t, width, height);
            // Pictures made for this size, and kept when the pane shrinks.
            for file in ["a.png", "b.png"] {
                let cells = cells_for(width, height);
                let picture = made
                    .entry((file, cells.width, cells.height))
                    .or_insert_with(|| prepare(dir.path(), file, cells, &picker))
                    .clone();
                photos.update(Msg::Photo(picture), t);
            }
            draw(&photos, t, width, height);
            draw(&photos, t, (width / 2).max(1), (height / 2).max(1));
        }
    }
    history.update(Msg::Key(Action::Close), t);
}

#[test]
fn the_photo_keys_act_only_where_they_belong() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    // Outside the history, `p` and the stepping keys do nothing.
    for action in [
        Action::Photos,
        Action::EarlierPhoto,
        Action::LaterPhoto,
        Action::LongerSpan,
        Action::ShorterSpan,
    ] {
        assert!(app.update(Msg::Key(action), t).is_empty());
        assert_eq!(app.overlay, None);
    }
    // From the history with no photos: the view says how to add one, and asks nothing.
    key(&mut app, Action::History, t);
    assert!(app.update(Msg::Key(Action::Photos), t).is_empty());
    let screen = draw(&app, t, 100, 30);
    assert!(screen.contains("No photos yet."), "{screen}");
    assert!(screen.contains("rollcoach photo add FILE"), "{screen}");
    // `p` again goes back to the history.
    key(&mut app, Action::Photos, t);
    assert_eq!(
        app.overlay,
        Some(rollcoach::dashboard::app::Overlay::History)
    );
}

#[test]
fn the_config_can_give_the_photo_actions_their_own_keys() {
    let t = t0();
    let config = CONFIG.replacen(
        "(checkin: [],\n    roller:",
        "(checkin: [],\n    keys: (photos: [\"P\"], earlier_photo: [\",\"], later_photo: [\".\"]),\n    roller:",
        1,
    );
    assert_ne!(config, CONFIG);
    let mut app = App::new(parse(&config).unwrap(), Journal::default(), None, false, t).0;
    key(&mut app, Action::History, t);
    let screen = draw(&app, t, 100, 30);
    assert!(screen.contains("history · P photos"), "{screen}");
    key(&mut app, Action::Photos, t);
    let screen = draw(&app, t, 100, 30);
    assert!(
        screen.contains("photos · P back to the history"),
        "{screen}"
    );
}

#[test]
fn the_history_lists_sessions_newest_first_whenever_they_were_recorded() {
    let t = t0();
    // The 21st recorded after the 22nd (`rollcoach done --date` for a session away from
    // the terminal): the 22nd still comes first.
    let line = |day: &str| {
        format!(
            r#"{{"type":"session","routine":"evening","day":"{day}","started":"{day}T21:00:00+00:00","ended":"{day}T21:10:00+00:00","complete":true,"steps":[]}}"#
        )
    };
    let journal = Journal::parse(&[line("2026-11-22"), line("2026-11-21")].join("\n"));
    let mut app = app_with(journal, t);
    key(&mut app, Action::History, t);
    let screen = draw(&app, t, 100, 30);
    let at = |day: &str| {
        screen
            .find(day)
            .unwrap_or_else(|| panic!("{day} not listed:\n{screen}"))
    };
    assert!(at("Sun 22 Nov") < at("Sat 21 Nov"), "{screen}");
}

/// The built-in routine's evening, its check-in open, question 5 (sunburn) marked and
/// `n` pressed: refused, with the keys on screen however small the pane.
fn builtin_checkin_refused(t: Moment) -> App {
    let config = parse(rollcoach::routine::config::BUILT_IN).unwrap();
    let (mut app, _) = App::new(config, Journal::default(), None, false, t);
    while app.run.routine != "evening" {
        key(&mut app, Action::NextRoutine, t);
    }
    key(&mut app, Action::StartPause, t);
    app.update(Msg::Input(InputKey::Char('5')), t);
    app.update(Msg::Input(InputKey::Char('n')), t);
    assert!(!app.run.has_started(), "n with a mark starts nothing");
    app
}

#[test]
fn checkin_refuses_n_with_a_mark_and_stays_readable_at_60x16() {
    let t = t0();
    let app = builtin_checkin_refused(t);
    let screen = draw(&app, t, 60, 16);
    assert!(
        screen.contains("1 marked: y skips rolling tonight"),
        "{screen}"
    );
    assert!(screen.contains("n none, roll"), "{screen}");
    assert!(screen.contains("Esc later"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn checkin_scrolls_to_every_question_at_40x12() {
    let t = t0();
    let mut app = builtin_checkin_refused(t);
    let screen = draw(&app, t, 40, 12);
    assert!(screen.contains("1 marked: y skips"), "{screen}");
    assert!(screen.contains("n none, roll"), "{screen}");
    assert!(
        screen.contains("[x]"),
        "the marked question is in view: {screen}"
    );
    insta::assert_snapshot!("checkin_40x12", screen);
    // Down to the last question: it comes into view, the keys stay.
    for _ in 0..12 {
        app.update(Msg::Input(InputKey::Down), t);
    }
    let screen = draw(&app, t, 40, 12);
    assert!(screen.contains("0 [ ] Isotretinoin"), "{screen}");
    assert!(screen.contains("n none, roll"), "{screen}");
    // And back up to the first.
    for _ in 0..12 {
        app.update(Msg::Input(InputKey::Up), t);
    }
    let screen = draw(&app, t, 40, 12);
    assert!(screen.contains("1 [ ] Active acne"), "{screen}");
    // y now skips the roll with the marked answer as its reason.
    app.update(Msg::Input(InputKey::Char('y')), t);
    assert!(app.run.roll_declined());
}

/// The built-in routine the day after a roll, the nights ahead open, the cursor moved to
/// a day and a row.
fn week_view(t: Moment) -> App {
    let config = parse(rollcoach::routine::config::BUILT_IN).unwrap();
    let day = t.wall.date_naive().pred_opt().unwrap();
    let rolled = format!(
        r#"{{"type":"session","routine":"evening","day":"{day}","started":"{day}T21:00:00+00:00","ended":"{day}T21:10:00+00:00","complete":true,"steps":[{{"name":"Roll","kind":"roll","status":"done","secs":120}}]}}"#
    );
    let (mut app, _) = App::new(config, Journal::parse(&rolled), None, false, t);
    key(&mut app, Action::Week, t);
    for k in [
        InputKey::Right,
        InputKey::Right,
        InputKey::Down,
        InputKey::Down,
    ] {
        app.update(Msg::Input(k), t);
    }
    app
}

#[test]
fn week_view_at_100x30() {
    let t = t0();
    let app = week_view(t);
    let screen = draw(&app, t, 100, 30);
    assert!(screen.contains("evening · Roll"), "{screen}");
    assert!(screen.contains("after-care"), "{screen}");
    assert!(screen.contains("after rolling: no"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn week_view_at_60x16_keeps_the_cursor_in_view() {
    let t = t0();
    let mut app = week_view(t);
    for _ in 0..20 {
        app.update(Msg::Input(InputKey::Right), t);
    }
    let screen = draw(&app, t, 60, 16);
    insta::assert_snapshot!(screen);
    // Esc closes it; w opens it again.
    app.update(Msg::Input(InputKey::Esc), t);
    assert_eq!(app.overlay, None);
    assert!(app.week.is_empty(), "the plans are dropped with the view");
}

/// A new user's first days in December: the calendar starts near them, the current
/// month is labelled, and a long note is wrapped or cut with "…" at every pane size,
/// the session list kept.
#[test]
fn a_new_users_history_fits_every_pane() {
    let t = Moment {
        instant: Instant::now(),
        wall: "2026-12-03T21:05:00+00:00".parse().unwrap(),
    };
    let note = "red around the nose after the new serum, otherwise calm and a little dry";
    let lines = [
        r#"{"type":"session","routine":"evening","day":"2026-12-01","started":"2026-12-01T21:00:00+00:00","ended":"2026-12-01T21:06:00+00:00","complete":true,"steps":[{"name":"Cleanse","kind":"cleanse","status":"done","secs":90}]}"#.to_string(),
        r#"{"type":"session","routine":"evening","day":"2026-12-02","started":"2026-12-02T21:00:00+00:00","ended":"2026-12-02T21:06:00+00:00","complete":true,"steps":[{"name":"Cleanse","kind":"cleanse","status":"done","secs":90}]}"#.to_string(),
        format!(r#"{{"type":"session_note","routine":"evening","started":"2026-12-02T21:00:00+00:00","rating":4,"note":"{note}"}}"#),
    ];
    let journal = Journal::parse(&lines.join("\n"));
    let (mut app, _) = App::new(parse(CONFIG).unwrap(), journal, None, false, t);
    key(&mut app, Action::History, t);
    for (w, h) in [(100, 30), (60, 16), (40, 40)] {
        let screen = draw(&app, t, w, h);
        let (months, mondays) = calendar_rows(&screen);
        let months: String = months.into_iter().collect();
        let mondays: String = mondays.into_iter().collect();
        assert!(
            months.contains("Dec"),
            "{w}x{h}: the current month\n{screen}"
        );
        // Two weeks before the first session's week, then this week: three columns.
        assert_eq!(
            mondays.trim_end_matches(['│', ' ']),
            "│Mon . . .",
            "{w}x{h}\n{screen}"
        );
        assert!(
            screen.contains("Wed 2 Dec") && screen.contains("Tue 1 Dec"),
            "{w}x{h}\n{screen}"
        );
        assert!(screen.contains("skin 4/5"), "{w}x{h}: the rating\n{screen}");
        assert!(screen.contains("red around"), "{w}x{h}: the note\n{screen}");
        // The note is whole where it fits, else its cut ends with "…".
        let whole = screen.replace("│\"\n\"│  ", " ").contains("a little dry");
        assert!(whole || screen.contains('…'), "{w}x{h}\n{screen}");
    }
    insta::assert_snapshot!(draw(&app, t, 40, 40));
}

/// The help in a short pane: it says which keys it shows and the arrows scroll to the
/// rest; a key bound to an action closes it and does it.
#[test]
fn the_help_scrolls_in_a_short_pane() {
    use rollcoach::dashboard::app::InputKey;
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::Help, t);
    let top = draw(&app, t, 60, 16);
    assert!(top.contains("keys 1-14 of 23 · ↑↓ scroll"), "{top}");
    assert!(
        top.contains("start / pause") && !top.contains("quit (a session"),
        "{top}"
    );
    for _ in 0..30 {
        app.update(Msg::Input(InputKey::Down), t);
    }
    let bottom = draw(&app, t, 60, 16);
    assert!(bottom.contains("keys 10-23 of 23"), "{bottom}");
    assert!(bottom.contains("quit (a session"), "{bottom}");
    // Back to the top: thirteen presses at most (the most a pane of 12 rows hides).
    for _ in 0..13 {
        app.update(Msg::Input(InputKey::Up), t);
    }
    assert!(draw(&app, t, 60, 16).contains("keys 1-14 of 23"));
    // At 100x30 everything shows and nothing scrolls.
    assert!(draw(&app, t, 100, 30).contains(" keys · Esc closes "));
    // h opens the history from the help.
    app.update(Msg::Input(InputKey::Char('h')), t);
    assert!(draw(&app, t, 100, 30).contains("history"));
}

/// Two photos: side by side in a wide pane, one above the other in a tall one, their
/// captions never meeting; a key that would show the same two says so.
#[test]
fn photos_stack_in_a_tall_pane_and_a_key_that_changes_nothing_says_so() {
    use rollcoach::dashboard::photos::areas;
    use rollcoach::routine::journal::Record;
    let wide = areas(Rect::new(0, 0, 100, 30));
    assert_eq!(wide.earlier.0.y, wide.later.0.y);
    assert!(wide.earlier.0.right() < wide.later.0.x);
    let tall = areas(Rect::new(0, 0, 40, 40));
    assert_eq!(tall.earlier.0.x, tall.later.0.x);
    assert!(tall.earlier.1.bottom() <= tall.later.0.y, "{tall:?}");
    assert_eq!(tall.earlier.0.height, tall.later.0.height);
    assert!(tall.earlier.0.height >= 15, "{tall:?}");

    let t = t0();
    let mut app = trend_app(
        t,
        &[
            photo_line("a.png", "2026-10-26"),
            photo_line("b.png", "2026-11-23"),
        ],
    );
    let long = "after the third roll, a little red on the left cheek and calm elsewhere";
    for record in app.journal.records.iter_mut() {
        if let Record::Photo(p) = record {
            p.note = Some(long.into());
        }
    }
    app.update(Msg::Key(Action::Photos), t);
    let screen = draw(&app, t, 100, 30);
    let caption = screen
        .lines()
        .find(|l| l.contains("Mon 26 Oct 2026"))
        .unwrap_or_else(|| panic!("{screen}"));
    // Each caption is cut with "…" a column short of its half: a gap between them.
    assert_eq!(caption.matches('…').count(), 2, "{caption}");
    assert!(caption.contains("… "), "{caption}");
    // With two photos, a longer span and a later photo show the same two.
    app.update(Msg::Key(Action::LongerSpan), t);
    assert!(draw(&app, t, 100, 30).contains("no other photo for that span"));
    app.update(Msg::Key(Action::LaterPhoto), t);
    assert!(draw(&app, t, 100, 30).contains("no later photo"));
}

/// The big number is the direction's time left, not the step's: 10 s into Forehead
/// (45 s, three directions of 15 s), 0:05 is left of the horizontal, 1:50 of the step.
#[test]
fn the_big_number_is_the_directions_time() {
    let t = t0();
    let mut app = app_with(Journal::default(), t);
    key(&mut app, Action::Next, t);
    key(&mut app, Action::StartPause, t);
    let now = t.after(secs(10));
    app.update(Msg::Tick, now);
    // A pane too low for big digits shows the number as text.
    let screen = draw(&app, now, 40, 8);
    assert!(screen.contains("0:05"), "{screen}");
    assert!(screen.contains("Forehead · horizontal ×4"), "{screen}");
    let wide = draw(&app, now, 100, 30);
    assert!(wide.contains("step 2 of 3 · 1:50 left"), "{wide}");
}
