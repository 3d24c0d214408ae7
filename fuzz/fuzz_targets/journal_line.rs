//! Journal lines → records: any bytes, never a panic; whatever is read is written and
//! read back equal.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rollcoach::routine::journal::{Journal, Record};

fuzz_target!(|data: &[u8]| {
    // The journal is read the way `journal::read` reads it: lossy UTF-8.
    let text = String::from_utf8_lossy(data);
    let journal = Journal::parse(&text);
    // A byte order mark at the start is not a line (editors put one there).
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines = body.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(
        journal.records.len() + journal.warnings.len(),
        lines,
        "every line is a record or a warning"
    );
    for record in &journal.records {
        let line = serde_json::to_string(record).expect("a record serializes");
        assert!(!line.contains('\n'), "a record is one line: {line}");
        let back: Record = serde_json::from_str(&line).expect("a written record reads back");
        assert_eq!(&back, record, "round trip of {line}");
    }
});
