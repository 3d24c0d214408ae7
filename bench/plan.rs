//! `cargo bench --bench plan`: today's plan from a 10-year journal (7,300 sessions) and
//! from 100,000 sessions, and reading (parsing) the 10-year journal's text.
//! Budget (BENCHMARKS.md): plan from 100,000 sessions < 100 ms.

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use rollcoach::routine::journal::Journal;
use rollcoach::routine::plan;
use support::BUDGETS;

const PLAN_100K: Duration = Duration::from_millis(100);

fn plans(c: &mut Criterion) {
    let config = support::built_in();
    let now = support::moment().wall.naive_local();
    let date = now.date();
    let mut group = c.benchmark_group("plan");
    for (name, sessions, budget) in [
        ("10 years (7,300 sessions)", 7_300, None),
        ("100,000 sessions", 100_000, Some(PLAN_100K)),
    ] {
        let journal = support::journal(&support::records(sessions));
        assert_eq!(journal.sessions().count(), sessions);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                BUDGETS.with(|budgets| {
                    budgets.time(&format!("plan {name}"), budget, iters, || {
                        plan::plan(
                            black_box(&config),
                            black_box(&journal),
                            date,
                            &now.and_utc(),
                        )
                    })
                })
            })
        });
    }
    group.finish();
}

fn read(c: &mut Criterion) {
    let text = support::text(&support::records(7_300));
    let journal = Journal::parse(&text);
    assert!(journal.warnings.is_empty(), "{:?}", journal.warnings);
    assert_eq!(journal.sessions().count(), 7_300);
    let mut group = c.benchmark_group("journal");
    group.bench_function(
        format!("parse 10 years ({:.1} MB)", text.len() as f64 / 1e6),
        |b| b.iter(|| Journal::parse(black_box(&text))),
    );
    group.finish();
}

fn main() {
    support::run(&[plans, read]);
}
