//! The append-only journal: one JSON record a line, fsynced, never rewritten.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

mod holds;
mod index;
mod write;

pub use self::write::{TORN_FILE, append, append_once, append_to};

pub use self::holds::HoldRecord;
pub use self::index::{INDEX_FILE, read_for_day};

/// The journal's file name in the data dir.
pub const FILE_NAME: &str = "journal.jsonl";

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &str = "\u{feff}";

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    /// A routine done (or left unfinished) on a day.
    Session(SessionRecord),
    /// A new roller taken into use.
    RollerReplaced {
        /// When it was replaced.
        at: DateTime<FixedOffset>,
    },
    /// The rating and note given at the end of a session, added to it when read (the
    /// journal is never rewritten, so they follow the session as a record of their own).
    SessionNote {
        /// The session's routine.
        routine: String,
        /// When the session started: with the routine, which session it is.
        started: DateTime<FixedOffset>,
        /// The skin rated 1–5.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rating: Option<u8>,
        /// A one-line note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A progress photo copied into the data dir's photo folder.
    Photo(PhotoRecord),
    /// A new bottle of a product on the shelf opened (`rollcoach shelf open`): the
    /// latest opening wins over the config's `opened`.
    ProductOpened {
        /// The product's name in the config.
        product: String,
        /// The day it was opened.
        day: NaiveDate,
    },
    /// A lasting "yes" at the check-in (or `rollcoach hold`): rolling held until the
    /// person clears it.
    RollHold(HoldRecord),
    /// A hold cleared by the person: the latest of the two for a question wins.
    RollHoldCleared {
        /// The question the hold was on.
        ask: String,
        /// The journal day it was cleared.
        day: NaiveDate,
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// A one-off countdown (`rollcoach timer`), run out or stopped.
    Timer(TimerRecord),
    /// A record of a kind this version does not know, written by a newer one: read and
    /// left out of everything, so that an older rollcoach reads a newer journal quietly.
    #[serde(other)]
    Unknown,
}

/// A progress photo: a copy in the data dir's photo folder, never the original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRecord {
    /// The copy's file name in the photo folder (`2026-11-20-1.jpg`).
    pub file: String,
    /// The day the photo was taken: `--date`, else its EXIF date, else the day added.
    pub taken: NaiveDate,
    /// When it was added.
    pub added: DateTime<FixedOffset>,
    /// A one-line note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The photo folder's name in the data dir.
pub const PHOTO_DIR: &str = "photos";

/// Why the journal could not be read: what the reading thread tells the dashboard.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ReadError {
    /// The kind of input or output error.
    pub kind: io::ErrorKind,
    /// What the system said.
    pub message: String,
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        ReadError {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

/// A session of one routine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The routine's name.
    pub routine: String,
    /// The day it belongs to (after `day_starts_at`).
    pub day: NaiveDate,
    /// When the first step started.
    pub started: DateTime<FixedOffset>,
    /// When it ended.
    pub ended: DateTime<FixedOffset>,
    /// Every step was done or skipped; false for a session cut short.
    pub complete: bool,
    /// The steps done or skipped, in order.
    pub steps: Vec<StepRecord>,
    /// The skin rated 1–5 at the end, if the person did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    /// A one-line note written at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What happened to one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// The step's name.
    pub name: String,
    /// Its kind, lower case ("roll").
    pub kind: String,
    /// Done or skipped.
    pub status: StepOutcome,
    /// Seconds spent on it.
    pub secs: u64,
    /// Why it was skipped, when the app skipped it (the check-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it started (absent: not started, or journaled by an earlier version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<DateTime<FixedOffset>>,
    /// When it was done or skipped (absent as `started`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<DateTime<FixedOffset>>,
}

/// Whether a step was done or skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepOutcome {
    Done,
    Skipped,
}

impl SessionRecord {
    /// The skin was rolled in this session.
    pub fn rolled(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.kind == "roll" && s.status == StepOutcome::Done)
    }

    /// Steps done and steps skipped (by the person or passed by for a reason): the one
    /// count every screen shows of a session.
    pub fn tally(&self) -> (usize, usize) {
        let done = self
            .steps
            .iter()
            .filter(|s| s.status == StepOutcome::Done)
            .count();
        (done, self.steps.len() - done)
    }
}

/// A timer for anything (`rollcoach timer 10m "Sheet mask"`) in the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerRecord {
    /// What it timed.
    pub name: String,
    pub started: DateTime<FixedOffset>,
    pub ended: DateTime<FixedOffset>,
    /// Seconds it counted.
    pub secs: u64,
    /// It ran out (rather than being stopped).
    pub complete: bool,
}

/// The records read from a journal, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Journal {
    /// Records in file order.
    pub records: Vec<Record>,
    /// One line per unreadable line, with its number.
    pub warnings: Vec<String>,
}

impl Journal {
    /// The session records, in file order.
    pub fn sessions(&self) -> impl DoubleEndedIterator<Item = &SessionRecord> {
        self.records.iter().filter_map(|r| match r {
            Record::Session(s) => Some(s),
            _ => None,
        })
    }

    /// The day the product named was last opened, by the journal, on or before `date`:
    /// the latest day, and of two on one day the one written last.
    pub fn opened(&self, product: &str, date: NaiveDate) -> Option<NaiveDate> {
        self.records
            .iter()
            .filter_map(|r| match r {
                Record::ProductOpened { product: p, day } if p == product && *day <= date => {
                    Some(*day)
                }
                _ => None,
            })
            .max()
    }

    /// The photos, oldest taken first (in file order within a day).
    pub fn photos(&self) -> Vec<&PhotoRecord> {
        let mut photos: Vec<&PhotoRecord> = self
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Photo(p) => Some(p),
                _ => None,
            })
            .collect();
        photos.sort_by_key(|p| p.taken);
        photos
    }

    /// Adds a record read or written; a note goes onto its session too.
    pub fn add(&mut self, record: Record) {
        if let Record::SessionNote {
            routine,
            started,
            rating,
            note,
        } = &record
        {
            let session = self.records.iter_mut().rev().find_map(|r| match r {
                Record::Session(s) if s.routine == *routine && s.started == *started => Some(s),
                _ => None,
            });
            if let Some(session) = session {
                session.rating = rating.or(session.rating);
                session.note = note.clone().or(session.note.take());
            }
        }
        self.records.push(record);
    }

    /// Parses journal text; unreadable lines become warnings.
    pub fn parse(text: &str) -> Journal {
        let text = text.strip_prefix(BOM).unwrap_or(text);
        let mut journal = Journal::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(line) {
                Ok(record) => journal.add(record),
                Err(e) => journal.warnings.push(format!(
                    "{FILE_NAME} line {}: skipped, not a readable record ({e})",
                    i + 1
                )),
            }
        }
        journal
    }
}

/// The journal's path in a data dir.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// Reads the journal; a missing file is an empty journal.
pub fn read(path: &Path) -> io::Result<Journal> {
    let mut journal = Journal::default();
    for_each_line(path, |number, line| journal.add_line(number, line))?;
    Ok(journal)
}

/// Reads the journal for the dashboard, which keeps it all day: sessions more than
/// `full` records back keep only their completed Roll step. What the plan (rolls, roller
/// uses, today's sessions) and the history view (days, streaks, the newest sessions) use
/// is unchanged, and the memory is that of the step records of `full` sessions.
pub fn read_compact(path: &Path, full: usize) -> io::Result<Journal> {
    let mut journal = Journal::default();
    for_each_line(path, |number, line| {
        journal.add_line(number, line);
        let old = journal.records.len().checked_sub(full + 1);
        if let Some(Record::Session(s)) = old.and_then(|i| journal.records.get_mut(i)) {
            s.steps
                .retain(|x| x.kind == "roll" && x.status == StepOutcome::Done);
            s.steps.shrink_to_fit();
        }
    })?;
    Ok(journal)
}

/// Reads only what the plan of `date` needs: completed rolls, roller replacements,
/// product openings and the sessions of that day. A line that holds none of "roll",
/// "product_opened" or the date cannot be one of those (serde_json never escapes
/// letters), so it is not made into a record;
/// with `check`, it is still checked to be JSON, so that a torn line is reported as
/// `read` reports it.
pub fn read_for_plan(path: &Path, date: NaiveDate, check: bool) -> io::Result<Journal> {
    let day = date.format("%Y-%m-%d").to_string();
    let roll = memchr::memmem::Finder::new("roll");
    let day = memchr::memmem::Finder::new(day.as_bytes());
    let opened = memchr::memmem::Finder::new("product_opened");
    let mut journal = Journal::default();
    for_each_line(path, |number, line| {
        if roll.find(line).is_some() || day.find(line).is_some() || opened.find(line).is_some() {
            journal.add_line(number, line);
        } else if check && let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            journal.warnings.push(unreadable(number, &e));
        }
    })?;
    Ok(journal)
}

impl Journal {
    /// Adds the record on line `number`, or a warning when it is not one.
    fn add_line(&mut self, number: usize, line: &[u8]) {
        match serde_json::from_str(&String::from_utf8_lossy(line)) {
            Ok(record) => self.add(record),
            Err(e) => self.warnings.push(unreadable(number, &e)),
        }
    }
}

fn unreadable(number: usize, e: &serde_json::Error) -> String {
    format!("{FILE_NAME} line {number}: skipped, not a readable record ({e})")
}

/// Calls `each` with the number and the text (without "\n" or "\r\n") of every line
/// that is not blank, read through a 64 KiB buffer: no buffer the size of the journal.
/// A missing file, or no data dir to hold one (the writes will say why), has no lines.
fn for_each_line(path: &Path, mut each: impl FnMut(usize, &[u8])) -> io::Result<()> {
    use std::io::BufRead;
    // Without blocking, a regular file, bounded: a FIFO or a link to /dev/zero in its
    // place is an error, not a hang or the memory filled.
    let Some(file) = super::private::open_read(path, super::private::MAX_JOURNAL)? else {
        return Ok(());
    };
    let mut reader = io::BufReader::with_capacity(1 << 16, file.take(super::private::MAX_JOURNAL));
    let mut line = Vec::with_capacity(1024);
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        number += 1;
        // A journal edited by hand on Windows may start with a UTF-8 byte order mark.
        if number == 1 && line.starts_with(BOM.as_bytes()) {
            line.drain(..BOM.len());
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        if !line.trim_ascii().is_empty() {
            each(number, &line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(day: &str, rolled: bool) -> Record {
        let at: DateTime<FixedOffset> = format!("{day}T21:00:00+01:00").parse().unwrap();
        Record::Session(SessionRecord {
            routine: "evening".into(),
            day: day.parse().unwrap(),
            started: at,
            ended: at + chrono::Duration::minutes(5),
            complete: true,
            steps: vec![StepRecord {
                name: "Roll".into(),
                kind: "roll".into(),
                status: if rolled {
                    StepOutcome::Done
                } else {
                    StepOutcome::Skipped
                },
                secs: 180,
                reason: None,
                started: None,
                ended: None,
            }],
            rating: None,
            note: None,
        })
    }

    #[test]
    fn records_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(&dir.path().join("new-dir"));
        let records = vec![
            session("2026-11-20", true),
            Record::RollerReplaced {
                at: "2026-11-21T08:00:00+01:00".parse().unwrap(),
            },
        ];
        for r in &records {
            append(&path, r).unwrap();
        }
        let journal = read(&path).unwrap();
        assert_eq!(journal.records, records);
        assert!(journal.warnings.is_empty());
    }

    #[test]
    fn a_torn_line_is_skipped_with_its_number_and_the_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        append(&path, &session("2026-11-20", true)).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(b"{\"type\":\"session\",\"rout");
        fs::write(&path, &bytes).unwrap();

        let journal = read(&path).unwrap();
        assert_eq!(journal.records.len(), 1);
        assert_eq!(journal.warnings.len(), 1);
        assert!(
            journal.warnings[0].contains("line 2"),
            "{:?}",
            journal.warnings
        );
        assert_eq!(fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn appending_after_a_torn_line_sets_it_aside_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        fs::write(&path, b"{\"type\":\"sess").unwrap();
        let said = append(&path, &session("2026-11-21", false)).unwrap();
        assert!(said.is_some_and(|l| l.contains(TORN_FILE)));
        let journal = read(&path).unwrap();
        assert_eq!(journal.records, vec![session("2026-11-21", false)]);
        assert!(journal.warnings.is_empty(), "{:?}", journal.warnings);
        assert_eq!(
            fs::read(path.with_file_name(TORN_FILE)).unwrap(),
            b"{\"type\":\"sess\n"
        );
        assert_eq!(append(&path, &session("2026-11-22", false)).unwrap(), None);
    }

    #[test]
    fn a_last_line_complete_but_for_its_newline_stays_in_the_journal() {
        // Edited by hand and saved without a final newline: a record all the same.
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        let first = serde_json::to_string(&session("2026-11-20", true)).unwrap();
        let last = serde_json::to_string(&session("2026-11-21", false)).unwrap();
        fs::write(&path, format!("\u{feff}{first}\n{last}")).unwrap();
        let before = read(&path).unwrap();
        assert_eq!(before.records.len(), 2);
        assert_eq!(append(&path, &session("2026-11-22", true)).unwrap(), None);
        let after = read(&path).unwrap();
        assert_eq!(after.records[..2], before.records[..]);
        assert_eq!(after.records.len(), 3);
        assert!(after.warnings.is_empty(), "{:?}", after.warnings);
        assert!(!path.with_file_name(TORN_FILE).exists());
        // The same for a journal of that one line.
        fs::write(&path, &last).unwrap();
        assert_eq!(append(&path, &session("2026-11-22", true)).unwrap(), None);
        assert_eq!(read(&path).unwrap().records.len(), 2);
    }

    #[test]
    fn a_line_another_writer_is_still_writing_is_not_set_aside() {
        // A line without its newline while another process holds the journal's lock is
        // that process's append under way, not a torn line: it is never cut.
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        append(&path, &session("2026-11-20", true)).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(b"{\"type\":\"sess");
        fs::write(&path, &bytes).unwrap();
        let writer = fs::File::open(&path).unwrap();
        writer.lock().unwrap();
        let late = write::append_file(
            &path,
            &session("2026-11-21", false),
            false,
            std::time::Duration::from_millis(50),
        );
        let err = late.expect_err("no write while another writer holds the journal");
        assert!(err.to_string().contains("nothing written"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), bytes, "the journal is untouched");
        assert!(!path.with_file_name(TORN_FILE).exists());
        // Its writer gone (it never finished), the line is torn: set aside once.
        drop(writer);
        let said = append(&path, &session("2026-11-21", false)).unwrap();
        assert!(said.is_some_and(|l| l.contains(TORN_FILE)));
        assert_eq!(read(&path).unwrap().records.len(), 2);
    }

    #[test]
    fn a_note_goes_onto_its_session() {
        let Record::Session(first) = session("2026-11-20", true) else {
            unreachable!()
        };
        let note = Record::SessionNote {
            routine: first.routine.clone(),
            started: first.started,
            rating: Some(4),
            note: Some("calm, a little red".into()),
        };
        let text = [
            serde_json::to_string(&Record::Session(first.clone())).unwrap(),
            serde_json::to_string(&session("2026-11-21", false)).unwrap(),
            serde_json::to_string(&note).unwrap(),
        ]
        .join("\n");
        let journal = Journal::parse(&text);
        let sessions: Vec<&SessionRecord> = journal.sessions().collect();
        assert_eq!(sessions[0].rating, Some(4));
        assert_eq!(sessions[0].note.as_deref(), Some("calm, a little red"));
        assert_eq!(
            (sessions[1].rating, sessions[1].note.as_deref()),
            (None, None)
        );
    }

    /// A file in memory that takes `room` more bytes and then reports a full disk.
    struct FullDisk {
        bytes: std::io::Cursor<Vec<u8>>,
        room: usize,
    }

    impl Read for FullDisk {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.bytes.read(buf)
        }
    }

    impl Seek for FullDisk {
        fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
            self.bytes.seek(to)
        }
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.bytes.write(&buf[..n])
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_that_fails_half_way_loses_nothing_written_before() {
        let mut file = FullDisk {
            bytes: std::io::Cursor::new(Vec::new()),
            room: usize::MAX,
        };
        append_to(&mut file, &session("2026-11-20", true)).unwrap();
        append_to(&mut file, &session("2026-11-21", false)).unwrap();
        file.room = 30;
        let err = append_to(&mut file, &session("2026-11-22", true)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);

        let text = String::from_utf8(file.bytes.get_ref().clone()).unwrap();
        let journal = Journal::parse(&text);
        assert_eq!(
            journal.records,
            vec![session("2026-11-20", true), session("2026-11-21", false)]
        );
        assert_eq!(journal.warnings.len(), 1, "the torn line is reported");

        // Space again: the retry starts on a fresh line and is read back.
        file.room = usize::MAX;
        append_to(&mut file, &session("2026-11-22", true)).unwrap();
        let text = String::from_utf8(file.bytes.into_inner()).unwrap();
        assert_eq!(Journal::parse(&text).records.len(), 3);
    }

    #[test]
    fn the_plan_from_a_partial_read_is_the_plan_from_the_whole_journal() {
        use crate::routine::config::{BUILT_IN, parse};
        let config = parse(BUILT_IN).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        let start: NaiveDate = "2026-09-01".parse().unwrap();
        for i in 0..80 {
            let day = start + chrono::Duration::days(i);
            append(&path, &session(&day.to_string(), i % 9 == 0)).unwrap();
            if i == 40 {
                append(
                    &path,
                    &Record::RollerReplaced {
                        at: format!("{day}T08:00:00+01:00").parse().unwrap(),
                    },
                )
                .unwrap();
            }
        }
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(b"{\"type\":\"sess\n");
        fs::write(&path, &bytes).unwrap();
        let whole = read(&path).unwrap();
        for i in [0, 9, 10, 41, 60, 79, 85] {
            let date = start + chrono::Duration::days(i);
            let now = date.and_hms_opt(20, 0, 0).unwrap();
            let partial = read_for_plan(&path, date, true).unwrap();
            assert_eq!(
                crate::routine::plan::plan(&config, &partial, date, &now.and_utc()),
                crate::routine::plan::plan(&config, &whole, date, &now.and_utc()),
                "{date}"
            );
        }
        let compact = read_compact(&path, 10).unwrap();
        assert_eq!(compact.records.len(), whole.records.len());
        let date = start + chrono::Duration::days(85);
        let now = date.and_hms_opt(20, 0, 0).unwrap();
        assert_eq!(
            crate::routine::plan::plan(&config, &compact, date, &now.and_utc()),
            crate::routine::plan::plan(&config, &whole, date, &now.and_utc())
        );
    }

    /// The plan of `date` from the index equals the plan from the whole journal, and
    /// the index does not answer for a day before the journal's latest.
    fn same_plan_through_the_index(path: &Path, date: NaiveDate) {
        use crate::routine::config::{BUILT_IN, parse};
        let config = parse(BUILT_IN).unwrap();
        let whole = read(path).unwrap();
        let now = date.and_hms_opt(20, 0, 0).unwrap().and_utc();
        let indexed = read_for_day(path, date, &config)
            .unwrap()
            .expect("the index answers for the latest day");
        assert_eq!(
            crate::routine::plan::plan(&config, &indexed, date, &now),
            crate::routine::plan::plan(&config, &whole, date, &now),
            "{date}"
        );
        let later = date + chrono::Duration::days(3);
        let now = later.and_hms_opt(8, 0, 0).unwrap().and_utc();
        let indexed = read_for_day(path, later, &config).unwrap().unwrap();
        assert_eq!(
            crate::routine::plan::plan(&config, &indexed, later, &now),
            crate::routine::plan::plan(&config, &whole, later, &now),
            "{later}"
        );
        let before = date - chrono::Duration::days(1);
        assert_eq!(read_for_day(path, before, &config).unwrap(), None);
    }

    #[test]
    fn an_edit_in_the_middle_or_an_index_cut_short_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        let index = dir.path().join(INDEX_FILE);
        let start: NaiveDate = "2025-01-01".parse().unwrap();
        let day = |i: i64| start + chrono::Duration::days(i);
        for i in 0..300 {
            append(&path, &session(&day(i).to_string(), i % 7 == 0)).unwrap();
        }
        same_plan_through_the_index(&path, day(299));
        // A roll in the middle, far from both ends, made a skip in place (same length),
        // then a session appended as the dashboard would: not "only grown".
        let text = fs::read_to_string(&path).unwrap();
        let middle = text.len() / 2;
        let at = middle + text[middle..].find("\"status\":\"done\"").unwrap();
        let mut edited = text.clone();
        edited.replace_range(at..at + 15, "\"status\":\"skip\"");
        fs::write(&path, &edited).unwrap();
        append(&path, &session(&day(300).to_string(), false)).unwrap();
        same_plan_through_the_index(&path, day(300));
        // The index cut short, or only its first line left: made anew.
        let made = fs::read_to_string(&index).unwrap();
        fs::write(&index, &made[..made.len() / 2]).unwrap();
        same_plan_through_the_index(&path, day(300));
        let header = made.lines().next().unwrap();
        fs::write(&index, format!("{header}\n")).unwrap();
        same_plan_through_the_index(&path, day(300));
        // An entry written in by hand under a good header and trailer: the hash says so.
        let forged = made.replacen("\n", "\nu 2025-01-02 {}\n", 1);
        fs::write(&index, forged).unwrap();
        same_plan_through_the_index(&path, day(300));
    }

    #[test]
    fn the_index_keeps_every_product_opening_the_shelf_reads() {
        use crate::routine::config::parse;
        let config = parse(
            r#"(products: [(name: "Toner", actives: [Aha], opened: "2020-01-06", lasts: "6M"),
                          (name: "Serum", actives: [VitaminC], opened: "2020-01-06")],
                routines: [(name: "evening", steps: [
                    (name: "Toner", kind: Treatment, duration: "30s", product: "Toner"),
                    (name: "Serum", kind: Serum, duration: "30s", product: "Serum")])])"#,
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        let start: NaiveDate = "2026-06-01".parse().unwrap();
        let day = |i: i64| start + chrono::Duration::days(i);
        for i in 0..200 {
            append(&path, &session(&day(i).to_string(), i % 7 == 0)).unwrap();
            // A new toner long ago, and a new serum in the middle: both still count.
            if i == 3 || i == 120 {
                let product = if i == 3 { "Toner" } else { "Serum" };
                append(
                    &path,
                    &Record::ProductOpened {
                        product: product.into(),
                        day: day(i),
                    },
                )
                .unwrap();
            }
        }
        let date = day(199);
        let now = date.and_hms_opt(20, 0, 0).unwrap().and_utc();
        let whole = crate::routine::plan::plan(&config, &read(&path).unwrap(), date, &now);
        let indexed = read_for_day(&path, date, &config).unwrap().unwrap();
        assert_eq!(
            crate::routine::plan::plan(&config, &indexed, date, &now),
            whole
        );
        // Without the openings read through the index both would date from 2020.
        assert_eq!(indexed.opened("Serum", date), Some(day(120)));
        assert_eq!(indexed.opened("Toner", date), Some(day(3)));
    }

    #[test]
    fn the_index_answers_as_the_whole_journal_through_appends_edits_and_tears() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        let index = dir.path().join(INDEX_FILE);
        let start: NaiveDate = "2025-01-01".parse().unwrap();
        let day = |i: i64| start + chrono::Duration::days(i);
        for i in 0..500 {
            append(&path, &session(&day(i).to_string(), i % 7 == 0)).unwrap();
            if i % 100 == 50 {
                let at = format!("{}T08:00:00+01:00", day(i));
                append(
                    &path,
                    &Record::RollerReplaced {
                        at: at.parse().unwrap(),
                    },
                )
                .unwrap();
            }
        }
        same_plan_through_the_index(&path, day(499));
        let made = fs::read_to_string(&index).unwrap();
        assert!(made.len() < 40_000, "{} bytes", made.len());

        // Appended to (`rollcoach done`, the dashboard): the new lines are added.
        append(&path, &session(&day(500).to_string(), true)).unwrap();
        same_plan_through_the_index(&path, day(500));
        assert_ne!(fs::read_to_string(&index).unwrap(), made);

        // A roll recorded after the fact, dated long ago, and a replacement after it.
        append(&path, &session(&day(495).to_string(), true)).unwrap();
        let at = format!("{}T08:00:00+01:00", day(499));
        append(
            &path,
            &Record::RollerReplaced {
                at: at.parse().unwrap(),
            },
        )
        .unwrap();
        same_plan_through_the_index(&path, day(500));

        // A torn last line: reported, and the index still answers.
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(b"{\"type\":\"session\",\"rout");
        fs::write(&path, &bytes).unwrap();
        let config = crate::routine::config::parse(crate::routine::config::BUILT_IN).unwrap();
        let torn = read_for_day(&path, day(500), &config).unwrap().unwrap();
        assert_eq!(torn.warnings, read(&path).unwrap().warnings);
        assert_eq!(torn.warnings.len(), 1, "{:?}", torn.warnings);
        same_plan_through_the_index(&path, day(500));
        // An append after it starts a line of its own; the torn one stays a warning.
        append(&path, &session(&day(501).to_string(), false)).unwrap();
        same_plan_through_the_index(&path, day(501));
        let torn = read_for_day(&path, day(501), &config).unwrap().unwrap();
        assert_eq!(torn.warnings, read(&path).unwrap().warnings);

        // Edited by hand in place, to the same length: the latest roll made a skip.
        let text = fs::read_to_string(&path).unwrap();
        let last_roll = text.rfind("\"status\":\"done\"").unwrap();
        let mut edited = text.clone();
        edited.replace_range(last_roll..last_roll + 15, "\"status\":\"skip\"");
        fs::write(&path, &edited).unwrap();
        same_plan_through_the_index(&path, day(501));
        // Lines deleted, and the file grown past its old length.
        let mut lines: Vec<&str> = text.lines().collect();
        lines.retain(|l| !l.contains(&day(497).to_string()));
        let grown = format!("{}\n{}\n", lines.join("\n"), "x".repeat(5000));
        fs::write(&path, grown).unwrap();
        same_plan_through_the_index(&path, day(501));
        // A copy renamed over it.
        let copy = dir.path().join("copy");
        fs::write(&copy, text.lines().take(300).collect::<Vec<_>>().join("\n")).unwrap();
        fs::rename(&copy, &path).unwrap();
        let latest = read(&path)
            .unwrap()
            .sessions()
            .map(|s| s.day)
            .max()
            .unwrap();
        same_plan_through_the_index(&path, latest);
        // A garbled index is made again.
        fs::write(&index, "rollcoach-journal-index 1 garbage").unwrap();
        same_plan_through_the_index(&path, latest);
    }

    #[test]
    fn a_retried_append_adds_no_second_line_but_a_deliberate_one_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        let first = session("2026-11-20", true);
        append_once(&path, &first).unwrap();
        // The retry of a write that reached the file though its sync failed.
        append_once(&path, &first).unwrap();
        assert_eq!(read(&path).unwrap().records.len(), 1);
        // Another record, then the first again: not the last line, so it is written.
        append_once(&path, &session("2026-11-21", false)).unwrap();
        append_once(&path, &first).unwrap();
        assert_eq!(read(&path).unwrap().records.len(), 3);
        // `done --again` means it: the plain append always writes.
        append(&path, &first).unwrap();
        assert_eq!(read(&path).unwrap().records.len(), 4);
    }

    #[test]
    fn a_product_opening_round_trips_and_reads_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        let opened = Record::ProductOpened {
            product: "Retinol 0.3%".into(),
            day: "2026-11-02".parse().unwrap(),
        };
        append(&path, &opened).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "{\"type\":\"product_opened\",\"product\":\"Retinol 0.3%\",\"day\":\"2026-11-02\"}\n"
        );
        let journal = read(&path).unwrap();
        assert_eq!(journal.records, vec![opened]);
        let day = |t: &str| t.parse::<NaiveDate>().unwrap();
        assert_eq!(
            journal.opened("Retinol 0.3%", day("2026-11-30")),
            Some(day("2026-11-02"))
        );
        assert_eq!(journal.opened("Retinol 0.3%", day("2026-11-01")), None);
        assert_eq!(journal.opened("Vitamin C", day("2026-11-30")), None);
        // The plan's partial read keeps it, whatever the day planned.
        let partial = read_for_plan(&path, day("2027-03-01"), true).unwrap();
        assert_eq!(partial.records, journal.records);
    }

    #[test]
    fn a_record_of_a_kind_from_a_newer_version_is_read_quietly() {
        let text = [
            serde_json::to_string(&session("2026-11-20", true)).unwrap(),
            r#"{"type":"skin_photo","path":"a.jpg"}"#.to_string(),
            r#"{"type":"session","rout"#.to_string(),
        ]
        .join("\n");
        let journal = Journal::parse(&text);
        assert_eq!(
            journal.records,
            vec![session("2026-11-20", true), Record::Unknown]
        );
        assert_eq!(journal.sessions().count(), 1);
        // A torn line is still reported.
        assert_eq!(journal.warnings.len(), 1, "{:?}", journal.warnings);
        assert!(journal.warnings[0].contains("line 3"));
    }

    #[test]
    fn photo_records_read_beside_the_old_kinds_which_read_as_before() {
        let photo = |file: &str, taken: &str| PhotoRecord {
            file: file.into(),
            taken: taken.parse().unwrap(),
            added: "2026-11-21T08:00:00+01:00".parse().unwrap(),
            note: None,
        };
        let line =
            serde_json::to_string(&Record::Photo(photo("2026-11-20-1.jpg", "2026-11-20"))).unwrap();
        assert_eq!(
            line,
            r#"{"type":"photo","file":"2026-11-20-1.jpg","taken":"2026-11-20","added":"2026-11-21T08:00:00+01:00"}"#
        );
        let old = [
            serde_json::to_string(&session("2026-11-19", true)).unwrap(),
            r#"{"type":"roller_replaced","at":"2026-11-19T08:00:00+01:00"}"#.to_string(),
        ];
        let text = [
            old[0].clone(),
            line,
            old[1].clone(),
            serde_json::to_string(&Record::Photo(photo("2026-11-02-1.png", "2026-11-02"))).unwrap(),
        ]
        .join("\n");
        let journal = Journal::parse(&text);
        assert!(journal.warnings.is_empty(), "{:?}", journal.warnings);
        let without_photos: Vec<&Record> = journal
            .records
            .iter()
            .filter(|r| !matches!(r, Record::Photo(_)))
            .collect();
        let before = Journal::parse(&old.join("\n"));
        assert_eq!(without_photos, before.records.iter().collect::<Vec<_>>());
        // Oldest taken first, whatever the order they were added in.
        let files: Vec<&str> = journal.photos().iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files, ["2026-11-02-1.png", "2026-11-20-1.jpg"]);
    }

    #[test]
    fn a_missing_journal_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(&path(dir.path())).unwrap(), Journal::default());
    }
}
