//! Config text → parse + validate: any bytes, never a panic.
//!
//! A config that parses is also planned for a fixed day, the way `rollcoach status`
//! and the dashboard use it straight after loading.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rollcoach::routine::config::parse;
use rollcoach::routine::journal::Journal;
use rollcoach::routine::plan::plan;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = parse(text) {
        let _ = config.warnings();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|d| d.and_hms_opt(21, 5, 0))
            .expect("a valid date");
        let _ = plan(&config, &Journal::default(), now.date(), &now.and_utc());
    }
});
