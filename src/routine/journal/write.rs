//! Appending to the journal: one line, fsynced, never twice when asked once, after a
//! torn last line a line of its own.

use super::*;

/// Appends one record and fsyncs; creates the file and its dir when missing.
pub fn append(path: &Path, record: &Record) -> io::Result<()> {
    append_file(path, record, false)
}

/// Appends a record unless it is already the journal's last line: for a write retried
/// after one that reached the file but failed to sync (the dashboard's records carry
/// the instant to the nanosecond, so a second equal line can only be such a retry).
pub fn append_once(path: &Path, record: &Record) -> io::Result<()> {
    append_file(path, record, true)
}

pub(super) fn append_file(path: &Path, record: &Record, once: bool) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::routine::private::make_dir(dir)?;
    }
    let mut file = crate::routine::private::open_append(path)?;
    if once && ends_with(&mut file, record)? {
        return file.sync_all();
    }
    append_to(&mut file, record)?;
    file.sync_all()
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
