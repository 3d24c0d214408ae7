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

/// Blocks of `ENDS` bytes hashed to recognise the part indexed: all of it up to this
/// many blocks, else the first, the last and evenly spaced ones between (a constant
/// cost whatever the journal's age).
const SAMPLED: u64 = 16;

/// Hashes of the file's first `len` bytes: a sample of them (all of a journal up to
/// 64 KiB; else 16 blocks of 4 KiB: the first, the last, and evenly spaced ones), and
/// the last `ENDS`. An edit that changes the length of anything indexed shifts the last
/// block and is seen; one of the same length inside the blocks not sampled of a large
/// journal is not (the journal is append-only; a hand edit in place of that kind is
/// the one thing the index can miss, and `rollcoach history` reads the journal itself).
/// Read only when the journal changed.
pub(super) fn ends_hash(file: &mut fs::File, len: u64) -> io::Result<(u64, u64)> {
    let mut whole = FNV_START;
    let mut last = Vec::new();
    let mut block = vec![0u8; ENDS as usize];
    let blocks = len.div_ceil(ENDS);
    let starts: Vec<u64> = if blocks <= SAMPLED {
        (0..blocks).map(|b| b * ENDS).collect()
    } else {
        let span = len - ENDS;
        (0..SAMPLED).map(|i| span * i / (SAMPLED - 1)).collect()
    };
    for start in starts {
        let n = ENDS.min(len - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut block[..n])?;
        whole = fnv(whole, &block[..n]);
        last.clear();
        last.extend_from_slice(&block[..n]);
    }
    // The last `ENDS` bytes (the last block read may be a short one).
    if (last.len() as u64) < ENDS.min(len) {
        let start = len - ENDS.min(len);
        last.resize((len - start) as usize, 0);
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut last)?;
    }
    Ok((whole, fnv(FNV_START, &last)))
}
