//! The index file: how it is written and read back, and the hash that recognises the
//! journal it was made from.

use super::*;

/// The index as text: a header naming the journal, then one entry a line.
pub(super) fn render(index: &Index, stamp: Stamp, hashes: (u64, u64)) -> String {
    let latest = index.latest.map_or("-".to_string(), |d| d.to_string());
    let mut text = format!(
        "{MAGIC} {} {} {} {} {} {} {} {latest}\n",
        index.len, index.lines, stamp.dev, stamp.ino, stamp.mtime_ns, hashes.0, hashes.1
    );
    for (tag, day, entry) in &index.entries {
        let day = day.map_or("-".to_string(), |d| d.to_string());
        // A warning quotes a line, which may hold anything but a line break.
        let entry = entry.replace(['\n', '\r'], " ");
        text.push_str(&format!("{tag} {day} {entry}\n"));
    }
    text
}

/// The index read back: the journal it was made from, the index, its ends' hashes.
/// None for anything that is not an index of this layout.
pub(super) fn parse(text: &str) -> Option<(Stamp, Index, (u64, u64))> {
    let mut lines = text.lines();
    let header = lines.next()?.strip_prefix(MAGIC)?;
    let f: Vec<&str> = header.split_whitespace().collect();
    let [len, count, dev, ino, mtime, head, tail, latest] = f.as_slice() else {
        return None;
    };
    let len: u64 = len.parse().ok()?;
    let stamp = Stamp {
        dev: dev.parse().ok()?,
        ino: ino.parse().ok()?,
        size: len,
        mtime_ns: mtime.parse().ok()?,
    };
    let latest = match *latest {
        "-" => None,
        d => Some(d.parse().ok()?),
    };
    let mut entries = Vec::new();
    for line in lines {
        let (tag, rest) = line.split_once(' ')?;
        let (day, entry) = rest.split_once(' ')?;
        let tag = tag.chars().next().filter(|t| "kdurw".contains(*t))?;
        let day = match day {
            "-" => None,
            d => Some(d.parse().ok()?),
        };
        entries.push((tag, day, entry.to_string()));
    }
    let index = Index {
        len,
        lines: count.parse().ok()?,
        latest,
        entries,
    };
    Some((stamp, index, (head.parse().ok()?, tail.parse().ok()?)))
}

/// Writes the index; a data dir that does not take it leaves the journal read each time.
pub(super) fn save(path: &Path, index: &Index, stamp: Stamp, file: &mut fs::File) {
    let Ok(hashes) = ends_hash(file, index.len) else {
        return;
    };
    let stamp = Stamp {
        size: index.len,
        ..stamp
    };
    let _ = crate::routine::atomic::write(path, render(index, stamp, hashes).as_bytes(), false);
}

/// FNV-1a hashes of the first and the last `ENDS` bytes of the file's first `len`.
pub(super) fn ends_hash(file: &mut fs::File, len: u64) -> io::Result<(u64, u64)> {
    let mut read = |from: u64| -> io::Result<u64> {
        let mut buf = vec![0u8; (len - from).min(ENDS) as usize];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut buf)?;
        Ok(buf.iter().fold(0xcbf2_9ce4_8422_2325, |h: u64, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        }))
    };
    Ok((read(0)?, read(len.saturating_sub(ENDS))?))
}
