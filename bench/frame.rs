//! `cargo bench --bench frame`: one full dashboard frame drawn into a TestBackend
//! (100×30 and 200×60) while the big countdown runs, the history overlay, and `update`
//! for one key. Budget (BENCHMARKS.md): one frame at 200×60 < 0.5 ms.

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollcoach::dashboard::app::{Action, App, Msg};
use rollcoach::dashboard::ui;
use rollcoach::session::Moment;
use support::BUDGETS;

const FRAME_200X60: Duration = Duration::from_micros(500);

/// The dashboard on the built-in routine and a 10-year journal, on the evening routine
/// (due at 21:00; it is 21:05), with the first step's countdown running.
fn running_app() -> (App, Moment) {
    let now = support::moment();
    let journal = support::journal(&support::records(7_300));
    let (mut app, _) = App::new(support::built_in(), journal, None, false, now);
    app.update(Msg::Key(Action::StartPause), now);
    assert!(app.run.countdown.is_running(), "the countdown runs");
    (app, now)
}

fn frames(c: &mut Criterion) {
    let (app, now) = running_app();
    let mut group = c.benchmark_group("frame");
    for (w, h) in [(100u16, 30u16), (200, 60)] {
        let name = format!("{w}x{h}");
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
        // Each frame a second later, as the countdown is drawn: the big digits change.
        let mut second = 0u64;
        group.bench_function(&name, |b| {
            b.iter_custom(|iters| {
                let budget = ((w, h) == (200, 60)).then_some(FRAME_200X60);
                BUDGETS.with(|budgets| {
                    budgets.time(&format!("frame {name}"), budget, iters, || {
                        second = (second + 1) % 60;
                        let at = now.instant + Duration::from_secs(second);
                        terminal
                            .draw(|frame| ui::view(&app, at, frame))
                            .map(|_| ())
                            .expect("a test terminal draws")
                    })
                })
            })
        });
    }
    // The history overlay (opened with `h`): calendar, streaks, recent sessions, from the
    // 10-year journal. Drawn once when opened, not every second; no budget of its own.
    let mut history = app.clone();
    history.update(Msg::Key(Action::StartPause), now);
    history.update(Msg::Key(Action::History), now);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("a test terminal");
    group.bench_function("history 200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| ui::view(&history, now.instant, frame))
                .map(|_| ())
                .expect("a test terminal draws")
        })
    });
    group.finish();
}

fn update(c: &mut Criterion) {
    let (app, now) = running_app();
    let mut group = c.benchmark_group("update");
    // `+`: 30 s more on the running step.
    let mut adding = app.clone();
    group.bench_function("add time", |b| {
        b.iter(|| black_box(adding.update(Msg::Key(Action::AddTime), black_box(now))))
    });
    // Space twice: pause (which saves the run) and go on.
    let mut toggling = app.clone();
    group.bench_function("pause and resume (2 keys)", |b| {
        b.iter(|| {
            black_box(toggling.update(Msg::Key(Action::StartPause), black_box(now)));
            black_box(toggling.update(Msg::Key(Action::StartPause), black_box(now)))
        })
    });
    group.finish();
}

fn main() {
    support::run(&[frames, update]);
}
