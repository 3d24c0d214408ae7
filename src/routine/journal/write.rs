//! Appending to the journal: one line, fsynced, never twice when asked once, after a
//! torn last line a line of its own.

use super::*;

/// Appends one record and fsyncs; creates the file and its dir when missing. Returns
/// the line to tell the person when a torn last line had to be set aside first.
pub fn append(path: &Path, record: &Record) -> io::Result<Option<String>> {
    append_file(path, record, false)
}

/// Appends a record unless it is already the journal's last line: for a write retried
/// after one that reached the file but failed to sync (the dashboard's records carry
/// the instant to the nanosecond, so a second equal line can only be such a retry).
pub fn append_once(path: &Path, record: &Record) -> io::Result<Option<String>> {
    append_file(path, record, true)
}

/// Where a torn last line goes when a record is appended after it: beside the journal,
/// kept, never in the way of the lines that follow.
pub const TORN_FILE: &str = "journal.jsonl.torn";

/// The most of a torn line that is set aside: more is not a line of ours.
const MAX_TORN: u64 = 1 << 20;

pub(super) fn append_file(path: &Path, record: &Record, once: bool) -> io::Result<Option<String>> {
    if let Some(dir) = path.parent() {
        crate::routine::private::make_dir(dir)?;
    }
    let mut file = crate::routine::private::open_append(path)?;
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

/// A last line without its newline (a write cut short by a crash or a full disk) is
/// moved to `TORN_FILE` and cut from the journal, so that the record appended next is
/// not read after a line that every reader would warn about for good.
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
    let Some(start) = tail.iter().rposition(|&b| b == b'\n').map(|i| i + 1) else {
        if from > 0 {
            // A line longer than any record: left where it is, read as torn.
            return Ok(None);
        }
        return aside(file, path, &tail, 0);
    };
    aside(file, path, &tail[start..], from + start as u64)
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
