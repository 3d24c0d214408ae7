//! Appending to the journal: one line, fsynced, never twice when asked once, after a
//! torn last line a line of its own.
//!
//! Every append holds the journal's own lock (an exclusive `flock` on the file) while
//! it looks at the last line and writes: a dashboard and `rollcoach done` may append at
//! the same moment, and a line another writer has only half written looks torn. A torn
//! line is set aside only under the lock, so it is one whose writer is gone.

use std::time::{Duration, Instant};

use super::*;

/// How long an append waits for another writer's append to end: one takes a few
/// milliseconds, so a lock held this long is held by a stopped process.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Appends one record and fsyncs; creates the file and its dir when missing. Returns
/// the line to tell the person when a torn last line had to be set aside first.
pub fn append(path: &Path, record: &Record) -> io::Result<Option<String>> {
    append_file(path, record, false, LOCK_WAIT)
}

/// Appends a record unless it is already the journal's last line: for a write retried
/// after one that reached the file but failed to sync (the dashboard's records carry
/// the instant to the nanosecond, so a second equal line can only be such a retry).
pub fn append_once(path: &Path, record: &Record) -> io::Result<Option<String>> {
    append_file(path, record, true, LOCK_WAIT)
}

/// Where a torn last line goes when a record is appended after it: beside the journal,
/// kept, never in the way of the lines that follow.
pub const TORN_FILE: &str = "journal.jsonl.torn";

/// The most of a torn line that is set aside: more is not a line of ours.
const MAX_TORN: u64 = 1 << 20;

pub(super) fn append_file(
    path: &Path,
    record: &Record,
    once: bool,
    wait: Duration,
) -> io::Result<Option<String>> {
    if let Some(dir) = path.parent() {
        crate::routine::private::make_dir(dir)?;
    }
    let mut file = crate::routine::private::open_append(path)?;
    // Released when the file is closed, at the end of this function.
    lock(&file, wait)?;
    if once && ends_with(&mut file, record)? {
        return file.sync_all().map(|()| None);
    }
    let repaired = set_torn_line_aside(&mut file, path)?;
    let before = file.seek(SeekFrom::End(0))?;
    if let Err(e) = append_to(&mut file, record) {
        // A full disk: the journal is left as it was, no half line at its end.
        let _ = file.set_len(before);
        return Err(e);
    }
    file.sync_all()?;
    Ok(repaired)
}

/// Takes the journal's write lock, waiting up to `wait` for another writer's append.
fn lock(file: &fs::File, wait: Duration) -> io::Result<()> {
    let until = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(fs::TryLockError::WouldBlock) if Instant::now() < until => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another process has been writing the journal for {} s \
                         (a rollcoach stopped mid-write?); nothing written",
                        wait.as_secs()
                    ),
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// A last line without its newline that is not JSON (a write cut short by a crash or a
/// full disk) is moved to `TORN_FILE` and cut from the journal, so that the record
/// appended next is not read after a line that every reader would warn about for good.
/// One that is JSON, complete but for its newline (an edit by hand), is read as it
/// always was and stays: the next record goes on a line of its own after it.
fn set_torn_line_aside(file: &mut fs::File, path: &Path) -> io::Result<Option<String>> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok(None);
    }
    let from = len.saturating_sub(MAX_TORN);
    file.seek(SeekFrom::Start(from))?;
    let mut tail = Vec::new();
    Read::take(&mut *file, MAX_TORN).read_to_end(&mut tail)?;
    if tail.last() == Some(&b'\n') {
        return Ok(None);
    }
    let start = match tail.iter().rposition(|&b| b == b'\n') {
        Some(i) => i + 1,
        // A line longer than any record: left where it is, read as torn.
        None if from > 0 => return Ok(None),
        None => 0,
    };
    let line = &tail[start..];
    let text = match from + start as u64 {
        0 => line.strip_prefix(BOM.as_bytes()).unwrap_or(line),
        _ => line,
    };
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    if text.trim_ascii().is_empty()
        || serde_json::from_str::<serde::de::IgnoredAny>(&String::from_utf8_lossy(text)).is_ok()
    {
        return Ok(None);
    }
    aside(file, path, line, from + start as u64)
}

fn aside(file: &mut fs::File, path: &Path, torn: &[u8], at: u64) -> io::Result<Option<String>> {
    let side = path.with_file_name(TORN_FILE);
    let mut kept = crate::routine::private::open_append(&side)?;
    kept.write_all(torn)?;
    kept.write_all(b"\n")?;
    kept.sync_all()?;
    file.set_len(at)?;
    Ok(Some(format!(
        "the journal's last line was cut short ({} bytes, a write that did not finish); \
         it is kept in {} and the journal goes on without it",
        torn.len(),
        side.display()
    )))
}

/// The file's last line is this record.
pub(super) fn ends_with(file: &mut (impl Read + Seek), record: &Record) -> io::Result<bool> {
    let mut line = serde_json::to_string(record).map_err(io::Error::other)?;
    line.push('\n');
    let len = file.seek(SeekFrom::End(0))?;
    let want = line.len() as u64;
    if len < want {
        return Ok(false);
    }
    let tail = if len > want { want + 1 } else { want };
    file.seek(SeekFrom::Start(len - tail))?;
    let mut end = vec![0u8; tail as usize];
    file.read_exact(&mut end)?;
    let starts_a_line = tail == want || end[0] == b'\n';
    Ok(starts_a_line && end.ends_with(line.as_bytes()))
}

/// Writes one record as a line at the end of `file`: the seam where tests put a writer
/// that fails half-way, as a full disk does.
pub fn append_to(file: &mut (impl Read + Write + Seek), record: &Record) -> io::Result<()> {
    let mut line = serde_json::to_string(record).map_err(io::Error::other)?;
    line.push('\n');
    // A crash can leave a torn last line without its newline; start on a fresh line so
    // that the new record is not glued onto it.
    let len = file.seek(SeekFrom::End(0))?;
    if len > 0 {
        file.seek(SeekFrom::Start(len - 1))?;
        let mut last = [0u8; 1];
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            line.insert(0, '\n');
        }
    }
    file.seek(SeekFrom::End(0))?;
    file.write_all(line.as_bytes())
}
