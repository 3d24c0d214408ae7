//! hooks.log, bounded: rotated to hooks.log.1 when the next write would take it past
//! its limit, so that the two files never hold more than twice the limit, however
//! much hooks print.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How large hooks.log may grow before it is rotated.
pub const LOG_LIMIT: u64 = 1024 * 1024;

/// How much of one run's output is kept: a hook that floods its output keeps the
/// others' lines in the log.
pub const RUN_BUDGET: u64 = 256 * 1024;

/// The hook log, shared by the hook threads.
#[derive(Debug)]
pub struct HookLog {
    path: PathBuf,
    limit: u64,
    file: Mutex<Option<File>>,
}

impl HookLog {
    /// The log at `path`, rotated at `limit` bytes.
    pub fn new(path: PathBuf, limit: u64) -> HookLog {
        HookLog {
            path,
            limit: limit.max(1),
            file: Mutex::new(None),
        }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file it is rotated to.
    pub fn rotated(&self) -> PathBuf {
        let mut name = self.path.clone().into_os_string();
        name.push(".1");
        PathBuf::from(name)
    }

    /// Appends; a write larger than the room left starts a new file first, and one
    /// larger than the limit is split across files.
    pub fn write(&self, mut bytes: &[u8]) -> io::Result<()> {
        let mut slot = self.file.lock().unwrap_or_else(|e| e.into_inner());
        while !bytes.is_empty() {
            let file = match slot.as_mut() {
                Some(file) => file,
                None => slot.insert(self.open()?),
            };
            let len = file.metadata()?.len();
            let room = self.limit.saturating_sub(len);
            if (bytes.len() as u64 > room && len > 0) || room == 0 {
                *slot = None;
                fs::rename(&self.path, self.rotated())?;
                continue;
            }
            let take = bytes.len().min(room as usize);
            file.write_all(&bytes[..take])?;
            bytes = &bytes[take..];
        }
        Ok(())
    }

    fn open(&self) -> io::Result<File> {
        if let Some(dir) = self.path.parent() {
            crate::routine::private::make_dir(dir)?;
        }
        OpenOptions::new()
            .create(true)
            .append(true)
            .mode(crate::routine::private::FILE_MODE)
            .open(&self.path)
    }

    /// Copies a hook's output into the log until its end, keeping the first `budget`
    /// bytes; the rest is read and dropped, so the hook never blocks on a full pipe.
    /// Returns how many bytes were dropped.
    pub fn copy(&self, mut output: impl Read, budget: u64) -> io::Result<u64> {
        let mut buf = [0u8; 8192];
        let mut kept = 0u64;
        let mut dropped = 0u64;
        loop {
            let n = match output.read(&mut buf) {
                Ok(0) => return Ok(dropped),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let keep = (n as u64).min(budget.saturating_sub(kept)) as usize;
            if keep > 0 {
                self.write(&buf[..keep])?;
            }
            kept += keep as u64;
            dropped += (n - keep) as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_and_keeps_one_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let log = HookLog::new(dir.path().join("hooks.log"), 100);
        for i in 0..30 {
            log.write(format!("line {i:02}\n").as_bytes()).unwrap();
        }
        let now = fs::read_to_string(log.path()).unwrap();
        let old = fs::read_to_string(log.rotated()).unwrap();
        assert!(now.len() <= 100 && old.len() <= 100, "{now:?} {old:?}");
        // Whole lines: rotation happens before a line that would not fit.
        assert!(
            old.starts_with("line ") && now.ends_with("line 29\n"),
            "{old:?} {now:?}"
        );
        log.write(&[b'x'; 250]).unwrap();
        assert_eq!(fs::metadata(log.path()).unwrap().len(), 50);
        assert_eq!(fs::metadata(log.rotated()).unwrap().len(), 100);
    }

    #[test]
    fn a_flood_is_cut_at_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        let log = HookLog::new(dir.path().join("hooks.log"), 1000);
        let flood = vec![b'y'; 5000];
        let dropped = log.copy(&flood[..], 300).unwrap();
        assert_eq!(dropped, 4700);
        assert_eq!(fs::metadata(log.path()).unwrap().len(), 300);
    }
}
