//! The index file: how it is written and read back, and the hash that recognises the
//! journal it was made from.

use super::*;

/// FNV-1a over `bytes`, from `h`.
fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The index as text: a header naming the journal, one entry a line, and a last line
/// with the count of entries and a hash of all before it (an index cut short, or
/// written over by hand, is then made anew).
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
    let sum = fnv(FNV_START, text.as_bytes());
    text.push_str(&format!("end {} {sum}\n", index.entries.len()));
    text
}

/// The index read back: the journal it was made from, the index, its ends' hashes.
/// None for anything that is not an index of this layout.
pub(super) fn parse(text: &str) -> Option<(Stamp, Index, (u64, u64))> {
    let body = text.strip_suffix('\n')?;
    let (body, trailer) = body.rsplit_once('\n')?;
    let body = &text[..body.len() + 1];
    let (entry_count, sum) = trailer.strip_prefix("end ")?.split_once(' ')?;
    if sum.parse::<u64>().ok()? != fnv(FNV_START, body.as_bytes()) {
        return None;
    }
    let entry_count: usize = entry_count.parse().ok()?;
    let mut lines = body.lines();
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
    if entries.len() != entry_count {
        return None;
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

/// Hashes of the file's first `len` bytes: all of them (an edit anywhere in the part
/// indexed is seen), and the last `ENDS`. Read only when the journal changed.
pub(super) fn ends_hash(file: &mut fs::File, len: u64) -> io::Result<(u64, u64)> {
    file.seek(SeekFrom::Start(0))?;
    let mut whole = FNV_START;
    let mut last = Vec::with_capacity(ENDS as usize);
    let mut left = len;
    let mut buf = vec![0u8; 64 << 10];
    while left > 0 {
        let n = (buf.len() as u64).min(left) as usize;
        file.read_exact(&mut buf[..n])?;
        whole = fnv(whole, &buf[..n]);
        last.extend_from_slice(&buf[..n]);
        if last.len() as u64 > ENDS {
            last.drain(..last.len() - ENDS as usize);
        }
        left -= n as u64;
    }
    Ok((whole, fnv(FNV_START, &last)))
}
