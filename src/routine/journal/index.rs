//! A small index beside the journal (`journal.index`) holding what the plan of the
//! journal's latest day, or of any day after it, needs: every record of the kinds in
//! `KEPT_KINDS`, the sessions of the latest day, and the sessions that rolled (the
//! plan's rolls, pauses and roller uses), older ones with only their Roll step.
//! Unreadable lines are kept as their warnings. `status` and `today` then read a few
//! kilobytes instead of the whole journal.
//!
//! The index names the journal it was made from: its device and inode, its length, its
//! modification time and a hash of the part indexed (a sample of 16 blocks of it, so
//! that the check costs the same at any age: `file::ends_hash`). It is used as it is
//! when all of them still match; when the journal changed, the part indexed is hashed
//! again: the same (the journal only grew) and the lines added are read and the index
//! rewritten; anything else (a hand edit that moved the indexed part, a copy renamed
//! over it) rebuilds it from the whole journal. An index cut short or written over (its last line counts and hashes
//! its entries) is made anew too. A torn last
//! line (no newline yet) is left out of the index and read each time.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::routine::private;

use chrono::NaiveDate;

use super::{Journal, Record, SessionRecord, StepOutcome, unreadable};
use crate::routine::config::Config;

mod file;

use self::file::{ends_hash, parse, save};

/// The index's file name, beside the journal.
pub const INDEX_FILE: &str = "journal.index";

/// The first word of the index; the number changes with its layout.
/// 4: holds (`roll_hold`, `roll_hold_cleared`) are kept; 5: the part indexed is
/// recognised by a sample of its blocks. An index of another layout is made anew.
const MAGIC: &str = "rollcoach-journal-index 5";

/// Record kinds (their `type` in the journal) kept whatever their age, and how many. A
/// new kind the plan needs is added here, and to `day` (which dates it for the journal's
/// latest day) and, for `Keep::Latest`, to `instant`; sessions are chosen by their own
/// rules (`Builder::finish`).
const KEPT_KINDS: &[(&str, Keep)] = &[
    ("roller_replaced", Keep::Latest),
    // Each product's latest opening is what the shelf reads; there are few.
    ("product_opened", Keep::Every),
    // Lasting check-in answers and their clearing, in file order: few, and each counts.
    ("roll_hold", Keep::Every),
    ("roll_hold_cleared", Keep::Every),
];

/// How many records of a kept kind the index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Every one.
    Every,
    /// The one of the latest `instant` (the plan of the latest day, or a later one,
    /// reads no other).
    Latest,
}

/// Older rolls are kept this many days back from the latest: a pause after rolling is
/// at most a year (the config checks it), and a day's due times can reach into the
/// next calendar day.
const ROLLS_BACK: u64 = 366 + 2;

/// How much of each end of the indexed part is hashed to recognise the file.
const ENDS: u64 = 4096;

/// What the plan needs of the journal, as stored in the index.
#[derive(Debug, Default, Clone, PartialEq)]
struct Index {
    /// Bytes of the journal indexed: up to the end of its last complete line.
    len: u64,
    /// Lines in those bytes.
    lines: usize,
    /// The latest day any record is dated (None: no record yet).
    latest: Option<NaiveDate>,
    /// Entries: (tag, day, text) where the tag is `k` (a kept kind), `d` (a session of
    /// the latest day), `u` (a roll since the latest roller replacement), `r` (an older
    /// roll, with its Roll step only), `w` (a warning; its text).
    entries: Vec<(char, Option<NaiveDate>, String)>,
}

/// The file the index was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
        }
    }
}

/// The journal for the plan of `date` read through the index, or None when the index
/// cannot answer (a day before the journal's latest one): the caller reads the journal.
/// The index is made or brought up to date on the way, when the data dir takes it.
pub fn read_for_day(path: &Path, date: NaiveDate, config: &Config) -> io::Result<Option<Journal>> {
    let Some(mut file) = private::open_read(path, private::MAX_JOURNAL)? else {
        return Ok(Some(Journal::default()));
    };
    let stamp = Stamp::of(&file.metadata()?);
    let index_path = path.with_file_name(INDEX_FILE);
    // A FIFO, a device or a huge file in the index's place is no index: made anew.
    let stored = private::read(&index_path, private::MAX_SMALL_FILE)
        .ok()
        .flatten()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| parse(&text));
    let (index, tail) = match stored {
        Some((made_from, index, _)) if made_from == stamp && index.len == stamp.size => {
            (index, None)
        }
        Some((made_from, index, hashes))
            if made_from.dev == stamp.dev
                && made_from.ino == stamp.ino
                && stamp.size >= index.len
                && hashes == ends_hash(&mut file, index.len)? =>
        {
            let before = index.len;
            let (index, tail) = extend(index, &mut file)?;
            if index.len != before {
                save(&index_path, &index, stamp, &mut file);
            }
            (index, tail)
        }
        _ => {
            let (index, tail) = extend(Index::default(), &mut file)?;
            save(&index_path, &index, stamp, &mut file);
            (index, tail)
        }
    };
    let tail_day = match &tail {
        Some(Ok(record)) => day(record),
        _ => None,
    };
    if index
        .latest
        .max(tail_day)
        .is_some_and(|latest| date < latest)
    {
        return Ok(None);
    }
    let mut journal = load(&index, config);
    match tail {
        Some(Ok(record)) => journal.add(record),
        Some(Err(warning)) => journal.warnings.push(warning),
        None => {}
    }
    Ok(Some(journal))
}

/// A last line without its newline: a record, or the warning for a torn line.
type Tail = Result<Record, String>;

/// Reads the complete lines after `index.len` into the index; the last line when it has
/// no newline yet, which stays outside it.
fn extend(index: Index, file: &mut fs::File) -> io::Result<(Index, Option<Tail>)> {
    file.seek(SeekFrom::Start(index.len))?;
    let mut rest = Vec::new();
    Read::take(&mut *file, private::MAX_JOURNAL).read_to_end(&mut rest)?;
    let complete = rest.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut builder = Builder::from(index);
    let mut number = builder.index.lines;
    for line in rest[..complete].split_inclusive(|&b| b == b'\n') {
        number += 1;
        let mut line = &line[..line.len() - 1];
        if number == 1 && line.starts_with(super::BOM.as_bytes()) {
            line = &line[super::BOM.len()..];
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !line.trim_ascii().is_empty() {
            builder.add(number, line);
        }
    }
    builder.index.len += complete as u64;
    builder.index.lines = number;
    let tail = (complete < rest.len() && !rest[complete..].trim_ascii().is_empty()).then(|| {
        let mut line = &rest[complete..];
        if number == 0 && line.starts_with(super::BOM.as_bytes()) {
            line = &line[super::BOM.len()..];
        }
        // A last line complete but for its newline is a record all the same, read each
        // time (never stored) until the newline comes.
        serde_json::from_str::<Record>(&String::from_utf8_lossy(line))
            .map_err(|e| unreadable(number + 1, &e))
    });
    Ok((builder.finish(), tail))
}

/// Chooses the entries of an index, record by record.
struct Builder {
    index: Index,
    /// Every record kept so far, with its compact text, before the final choice.
    sessions: Vec<(SessionRecord, String)>,
    /// Records of the kept kinds: their day, kind and record.
    kept: Vec<(Option<NaiveDate>, String, Record)>,
    warnings: Vec<String>,
}

impl Builder {
    /// Starts from an index: its entries are its records again.
    fn from(index: Index) -> Builder {
        let mut builder = Builder {
            index: Index {
                entries: Vec::new(),
                ..index.clone()
            },
            sessions: Vec::new(),
            kept: Vec::new(),
            warnings: Vec::new(),
        };
        for (tag, _, text) in index.entries {
            if tag == 'w' {
                builder.warnings.push(text);
            } else if let Ok(record) = serde_json::from_str::<Record>(&text) {
                builder.record(record, text);
            }
        }
        builder
    }

    /// Adds line `number` of the journal.
    fn add(&mut self, number: usize, line: &[u8]) {
        let text = String::from_utf8_lossy(line);
        match serde_json::from_str::<Record>(&text) {
            Ok(record) => self.record(record, text.into_owned()),
            Err(e) => self.warnings.push(unreadable(number, &e)),
        }
    }

    fn record(&mut self, record: Record, text: String) {
        let day = day(&record);
        let latest = self.index.latest;
        self.index.latest = latest.max(day);
        if self.index.latest != latest {
            // Only what can still be chosen is held: a session neither of the latest
            // day nor rolled is let go.
            let latest = self.index.latest;
            self.sessions
                .retain(|(s, _)| Some(s.day) == latest || s.rolled());
        }
        match record {
            Record::Session(s) if Some(s.day) == self.index.latest || s.rolled() => {
                self.sessions.push((s, text))
            }
            Record::Session(_) => {}
            other => {
                let kind = serde_json::to_value(&other)
                    .ok()
                    .and_then(|v| v["type"].as_str().map(str::to_string))
                    .unwrap_or_default();
                if let Some((_, keep)) = KEPT_KINDS.iter().find(|(k, _)| *k == kind) {
                    if *keep == Keep::Latest {
                        let at = instant(&other);
                        self.kept
                            .retain(|(_, k, old)| *k != kind || instant(old) > at);
                        if self.kept.iter().any(|(_, k, _)| *k == kind) {
                            return;
                        }
                    }
                    self.kept.push((day, kind, other));
                }
            }
        }
    }

    fn finish(self) -> Index {
        let Builder {
            mut index,
            sessions,
            kept,
            warnings,
        } = self;
        let replaced = kept
            .iter()
            .filter_map(|(_, _, record)| match record {
                Record::RollerReplaced { at } => Some(*at),
                _ => None,
            })
            .max();
        let last_roll = sessions
            .iter()
            .filter(|(s, _)| s.rolled())
            .map(|(s, _)| s.day)
            .max();
        let reach = last_roll.and_then(|d| d.checked_sub_days(chrono::Days::new(ROLLS_BACK)));
        // A roll the day before the replacement's date can still come after it, on a day
        // that starts late: the plan judges that by itself.
        let since = replaced.map(|at| at.date_naive().pred_opt().unwrap_or(at.date_naive()));
        index.entries = kept
            .into_iter()
            .filter_map(|(day, _, record)| Some(('k', day, serde_json::to_string(&record).ok()?)))
            .collect();
        for (mut s, text) in sessions {
            if Some(s.day) == index.latest {
                index.entries.push(('d', Some(s.day), text));
                continue;
            }
            let tag = if since.is_none_or(|since| s.day >= since) {
                'u'
            } else if Some(s.day) >= reach {
                'r'
            } else {
                continue;
            };
            s.steps
                .retain(|x| x.kind == "roll" && x.status == StepOutcome::Done);
            s.rating = None;
            s.note = None;
            let text = serde_json::to_string(&Record::Session(s.clone())).unwrap_or(text);
            index.entries.push((tag, Some(s.day), text));
        }
        index
            .entries
            .extend(warnings.into_iter().map(|w| ('w', None, w)));
        index
    }
}

/// When a record of a `Keep::Latest` kind happened.
fn instant(record: &Record) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    match record {
        Record::RollerReplaced { at } => Some(*at),
        _ => None,
    }
}

/// The day a record is dated, for the latest day of the journal.
fn day(record: &Record) -> Option<NaiveDate> {
    match record {
        Record::Session(s) => Some(s.day),
        Record::RollerReplaced { at } => Some(at.date_naive()),
        Record::ProductOpened { day, .. } => Some(*day),
        Record::RollHold(hold) => Some(hold.day),
        Record::RollHoldCleared { day, .. } => Some(*day),
        // Not read by the plan: photos, notes, and kinds of a newer version.
        Record::SessionNote { .. } | Record::Photo(_) | Record::Unknown => None,
    }
}

/// The journal the plan reads from an index: older rolls only as far back as a pause
/// after rolling in `config` can reach (at most a year).
fn load(index: &Index, config: &Config) -> Journal {
    let longest = config
        .routines
        .iter()
        .flat_map(|r| &r.steps)
        .filter_map(|s| s.pause_after_roll)
        .map(|p| p.0.as_secs() / 86_400 + 1)
        .max()
        .unwrap_or(0);
    let last_roll = index
        .entries
        .iter()
        .filter(|(tag, _, _)| matches!(tag, 'u' | 'r'))
        .filter_map(|(_, day, _)| *day)
        .max();
    // Two days more: a day's due times can reach into the next calendar day.
    let reach = last_roll.and_then(|d| d.checked_sub_days(chrono::Days::new(longest + 2)));
    let mut journal = Journal::default();
    for (tag, day, text) in &index.entries {
        let wanted = match tag {
            'w' => {
                journal.warnings.push(text.clone());
                false
            }
            'r' => *day >= reach,
            _ => true,
        };
        if wanted && let Ok(record) = serde_json::from_str(text) {
            journal.add(record);
        }
    }
    journal
}
