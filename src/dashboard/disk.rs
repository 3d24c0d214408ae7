//! The writes of a dashboard, on a worker thread: the journal, the saved session. A
//! write that fails (a full disk, a read-only dir) is kept in order and retried, so the
//! session stays in memory until the disk takes it, and nothing written is touched.

use std::collections::VecDeque;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, SystemTime};

use crate::routine::journal::{self, Record};
use crate::session::run::{SAVED_FILE, Saved};

/// How long to wait before trying a failed write again.
const RETRY: Duration = Duration::from_secs(5);

/// A write to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Append(Record),
    Save(Saved),
    /// The save every 30 s while a countdown runs: not fsynced, since it only guards
    /// against a crash of the program (the kernel still holds the data) and an fsync a
    /// half-minute would wake the disk for nothing.
    Checkpoint(Saved),
    Clear,
}

/// Where the writes go; files in the data dir, or a failing one in tests.
pub trait Store {
    /// Appends a record to the journal; the line to tell the person when a torn last
    /// line was set aside first.
    fn append(&mut self, record: &Record) -> io::Result<Option<String>>;
    /// Saves the session in progress; `durable`: fsynced before it returns.
    fn save(&mut self, saved: &Saved, durable: bool) -> io::Result<()>;
    /// Removes the saved session.
    fn clear(&mut self) -> io::Result<()>;
}

/// What identifies one state of the journal file: its inode, length and mtime.
pub type Stamp = Option<(u64, u64, Option<SystemTime>)>;

/// The journal file as the dashboard last knew it (read, or appended to by itself),
/// shared by the disk worker and the journal watcher, so that the watcher does not read
/// again what the dashboard itself wrote.
pub type Known = Arc<Mutex<Stamp>>;

/// The journal's stamp now; None when it cannot be looked at.
pub fn stamp(path: &Path) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path).ok()?;
    Some((meta.ino(), meta.len(), meta.modified().ok()))
}

/// The data dir's files; with `Known`, its own appends are noted there.
pub struct Files(pub PathBuf, pub Option<Known>);

/// Which data dir and lock file a dashboard took: device and inode of each. A dir
/// replaced under it (a restore, a sync tool) is another dir, whatever its name.
pub type Owned = Option<((u64, u64), (u64, u64))>;

/// The data dir's and its lock's identity now, when both are there.
pub fn owned(data_dir: &Path) -> Owned {
    use std::os::unix::fs::MetadataExt;
    let id = |p: &Path| fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
    Some((
        id(data_dir)?,
        id(&data_dir.join(crate::os::lock::LOCK_FILE))?,
    ))
}

/// Why nothing more is written: the data dir is not the one this dashboard locked, or
/// another dashboard holds its lock.
fn not_ours(data_dir: &Path, took: Taken) -> Option<io::Error> {
    let why = match took {
        Taken::Locked(Some(took)) if owned(data_dir) != Some(took) => {
            "the data dir was replaced since this dashboard took it (a restore, a sync tool)"
        }
        Taken::Unlocked if crate::os::lock::held(data_dir) => {
            "another rollcoach now owns the data dir"
        }
        _ => return None,
    };
    Some(io::Error::other(format!(
        "{why}: nothing more is written there, so nothing is journaled twice; quit and start again"
    )))
}

/// How the dashboard holds its data dir.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// It took the lock of this dir (and lock file).
    Locked(Owned),
    /// The dir could not be written at start: no lock was taken.
    Unlocked,
}

/// The data dir's files as the dashboard that took them writes them: nothing once the
/// dir is no longer the one it locked, or another dashboard holds the lock.
pub struct OwnedFiles(pub Files, pub Taken);

impl Store for OwnedFiles {
    fn append(&mut self, record: &Record) -> io::Result<Option<String>> {
        match not_ours(&self.0.0, self.1) {
            Some(e) => Err(e),
            None => self.0.append(record),
        }
    }

    fn save(&mut self, saved: &Saved, durable: bool) -> io::Result<()> {
        match not_ours(&self.0.0, self.1) {
            Some(e) => Err(e),
            None => self.0.save(saved, durable),
        }
    }

    fn clear(&mut self) -> io::Result<()> {
        match not_ours(&self.0.0, self.1) {
            Some(e) => Err(e),
            None => self.0.clear(),
        }
    }
}

impl Store for Files {
    fn append(&mut self, record: &Record) -> io::Result<Option<String>> {
        let path = journal::path(&self.0);
        let Some(known) = &self.1 else {
            return journal::append_once(&path, record);
        };
        // Held across the write, so that the watcher, woken by it, compares after it.
        let mut known = known.lock().unwrap_or_else(|e| e.into_inner());
        let before = stamp(&path);
        let repaired = journal::append_once(&path, record)?;
        // Only a file unchanged since last known: an append from elsewhere in between
        // still has to be read, and so does a journal whose torn line was set aside
        // (the warning about it goes once it is read again).
        if *known == before && repaired.is_none() {
            *known = stamp(&path);
        }
        Ok(repaired)
    }

    fn save(&mut self, saved: &Saved, durable: bool) -> io::Result<()> {
        let bytes = serde_json::to_vec(saved).map_err(io::Error::other)?;
        crate::routine::atomic::write(&self.0.join(SAVED_FILE), &bytes, durable)
    }

    fn clear(&mut self) -> io::Result<()> {
        match fs::remove_file(self.0.join(SAVED_FILE)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Writes not yet done, in order.
#[derive(Debug, Default)]
pub struct Queue {
    jobs: VecDeque<Job>,
    failing: Option<DiskTrouble>,
    /// Journal records written so far.
    pub appended: usize,
    /// Lines to tell the person once, from writes that went through (a torn line set
    /// aside), not yet told.
    pub said: Vec<String>,
}

impl Queue {
    /// Adds a write; a save replaces a save of the same kind still waiting before it.
    pub fn push(&mut self, job: Job) {
        let replaces = matches!(
            (&job, self.jobs.back()),
            (Job::Save(_), Some(Job::Save(_))) | (Job::Checkpoint(_), Some(Job::Checkpoint(_)))
        );
        if replaces {
            self.jobs.pop_back();
        }
        self.jobs.push_back(job);
    }

    /// Nothing waits.
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Does the writes in order up to the first that fails. Returns news when the
    /// state changes: writes start failing (or fail otherwise), or work again.
    pub fn flush(&mut self, store: &mut impl Store) -> Option<DiskNews> {
        while let Some(job) = self.jobs.front() {
            let error = |write, e: io::Error| DiskTrouble {
                write,
                error: e.to_string(),
            };
            let result = match job {
                Job::Append(record) => match store.append(record) {
                    Ok(said) => {
                        self.said.extend(said);
                        Ok(())
                    }
                    Err(e) => Err(error(Write::Journal, e)),
                },
                Job::Save(saved) | Job::Checkpoint(saved) => store
                    .save(saved, matches!(job, Job::Save(_)))
                    .map_err(|e| error(Write::Save, e)),
                Job::Clear => store.clear().map_err(|e| error(Write::Clear, e)),
            };
            if let Err(trouble) = result {
                let changed = self.failing.as_ref() != Some(&trouble);
                self.failing = Some(trouble.clone());
                return changed.then_some(DiskNews::Failing(trouble));
            }
            if let Some(Job::Append(_)) = self.jobs.pop_front() {
                self.appended += 1;
            }
        }
        self.failing.take().map(|_| DiskNews::Writable)
    }

    /// What could not be written, for the person to keep.
    pub fn leftovers(self) -> Vec<Job> {
        self.jobs.into()
    }
}

/// A write to the data dir that failed: which, and what the system said.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", match write {
    Write::Journal => format!("cannot write the journal: {error}; the session is kept and retried"),
    Write::Save => format!("cannot save the session: {error}; retrying"),
    Write::Clear => format!("cannot remove {SAVED_FILE}: {error}; retrying"),
})]
pub struct DiskTrouble {
    /// The write.
    pub write: Write,
    /// What the system said.
    pub error: String,
}

/// A kind of write to the data dir.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// A journal append.
    Journal,
    /// The saved session written.
    Save,
    /// The saved session removed.
    Clear,
}

/// What the disk worker tells the UI thread when its state changes.
#[derive(Debug, Clone, PartialEq)]
pub enum DiskNews {
    /// Writes fail, and why; they are retried.
    Failing(DiskTrouble),
    /// Writes work again: nothing was lost.
    Writable,
    /// A write went through and has something to say once (a torn line set aside).
    Said(String),
}

/// Where the disk worker tells its news.
pub type DiskReport = std::sync::Arc<dyn Fn(DiskNews) + Send + Sync>;

/// The worker thread and its queue.
pub struct DiskWorker {
    jobs: Sender<Job>,
    left: Receiver<Vec<Job>>,
    /// Journal records sent and not yet written, in order: what to print when the disk
    /// does not answer in time at quit (the worker keeps its own queue).
    unwritten: Arc<Mutex<VecDeque<Record>>>,
}

impl DiskWorker {
    /// Starts the worker on the data dir's files.
    pub fn start(data_dir: PathBuf, took: Taken, known: Known, report: DiskReport) -> DiskWorker {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (finished, left) = mpsc::channel();
        let unwritten: Arc<Mutex<VecDeque<Record>>> = Arc::default();
        let written = unwritten.clone();
        thread::spawn(move || {
            let mut store = OwnedFiles(Files(data_dir, Some(known)), took);
            let mut queue = Queue::default();
            let mut counted = 0;
            loop {
                let next = if queue.is_empty() {
                    inbox.recv().map_err(|_| RecvTimeoutError::Disconnected)
                } else {
                    inbox.recv_timeout(RETRY)
                };
                let done = match next {
                    Ok(job) => {
                        queue.push(job);
                        // Take whatever else is already waiting before touching the disk.
                        while let Ok(job) = inbox.try_recv() {
                            queue.push(job);
                        }
                        false
                    }
                    Err(RecvTimeoutError::Timeout) => false,
                    Err(RecvTimeoutError::Disconnected) => true,
                };
                if let Some(news) = queue.flush(&mut store) {
                    report(news);
                }
                for line in queue.said.drain(..) {
                    report(DiskNews::Said(line));
                }
                // Appends are written in the order they were sent.
                let fresh = queue.appended - counted;
                counted = queue.appended;
                let mut unwritten = written.lock().unwrap_or_else(|e| e.into_inner());
                let fresh = fresh.min(unwritten.len());
                unwritten.drain(..fresh);
                drop(unwritten);
                if done {
                    let _ = finished.send(queue.leftovers());
                    return;
                }
            }
        });
        DiskWorker {
            jobs,
            left,
            unwritten,
        }
    }

    /// Queues a write.
    pub fn send(&self, job: Job) {
        if let Job::Append(record) = &job {
            self.unwritten
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push_back(record.clone());
        }
        let _ = self.jobs.send(job);
    }

    /// Waits up to `within` for the writes already asked for; returns those the disk
    /// refused, or None when it did not answer in time (a hung mount).
    pub fn finish(self, within: Duration) -> Result<Vec<Job>, Vec<Record>> {
        let unwritten = self.unwritten.clone();
        drop(self.jobs);
        self.left.recv_timeout(within).map_err(|_| {
            unwritten
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .cloned()
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store that refuses every write while `broken`, and records what it took.
    #[derive(Default)]
    struct Flaky {
        broken: bool,
        taken: Vec<String>,
    }

    impl Flaky {
        fn take(&mut self, what: String) -> io::Result<()> {
            if self.broken {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
            }
            self.taken.push(what);
            Ok(())
        }
    }

    impl Store for Flaky {
        fn append(&mut self, record: &Record) -> io::Result<Option<String>> {
            self.take(format!(
                "append {}",
                serde_json::to_value(record).unwrap()["type"]
            ))
            .map(|()| None)
        }
        fn save(&mut self, saved: &Saved, _durable: bool) -> io::Result<()> {
            self.take(format!("save {}", saved.left_ms))
        }
        fn clear(&mut self) -> io::Result<()> {
            self.take("clear".into())
        }
    }

    fn saved(left_ms: u64) -> Saved {
        Saved {
            saved_at: None,
            running: true,
            idle: false,
            routine: "evening".into(),
            day: "2026-11-23".parse().unwrap(),
            started: None,
            current: None,
            part: 0,
            left_ms,
            part_length_ms: 0,
            current_spent_secs: 0,
            steps: vec![],
            checked_in: false,
            again: false,
            alongside: vec![],
            current_began: None,
        }
    }

    #[test]
    fn failed_writes_wait_in_order_and_go_through_when_the_disk_is_back() {
        let mut store = Flaky {
            broken: true,
            ..Flaky::default()
        };
        let mut queue = Queue::default();
        queue.push(Job::Save(saved(3)));
        let Some(DiskNews::Failing(first)) = queue.flush(&mut store) else {
            panic!("a failing save is news");
        };
        assert_eq!(first.write, Write::Save);
        assert!(
            first
                .to_string()
                .contains("cannot save the session: no space left"),
            "{first}"
        );
        // Said once, not at every retry.
        assert_eq!(queue.flush(&mut store), None);
        queue.push(Job::Save(saved(2)));
        queue.push(Job::Append(Record::RollerReplaced {
            at: "2026-11-23T21:00:00+00:00".parse().unwrap(),
        }));
        queue.push(Job::Clear);
        assert_eq!(queue.flush(&mut store), None);
        // Nothing written yet: at a quit that cannot wait, the record is still owed.
        assert_eq!(queue.appended, 0);

        store.broken = false;
        assert_eq!(queue.flush(&mut store), Some(DiskNews::Writable));
        assert_eq!(queue.appended, 1);
        // The newer save replaced the older one; the journal before the clear.
        assert_eq!(
            store.taken,
            ["save 2", "append \"roller_replaced\"", "clear"]
        );
        assert!(queue.is_empty());
    }

    #[test]
    fn what_the_disk_never_took_is_handed_back() {
        let mut store = Flaky {
            broken: true,
            ..Flaky::default()
        };
        let mut queue = Queue::default();
        queue.push(Job::Clear);
        queue.flush(&mut store);
        assert_eq!(queue.leftovers(), vec![Job::Clear]);
    }

    #[test]
    fn a_torn_line_set_aside_is_said_once_and_the_journal_read_again() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        let record = |at: &str| Record::RollerReplaced {
            at: at.parse().unwrap(),
        };
        journal::append(&journal::path(&dir), &record("2026-11-23T21:00:00+00:00")).unwrap();
        let mut bytes = fs::read(journal::path(&dir)).unwrap();
        bytes.extend_from_slice(b"{\"type\":\"roll");
        fs::write(journal::path(&dir), &bytes).unwrap();
        // As the dashboard knows it: read at start, torn line and all.
        let known: Known = Arc::new(Mutex::new(stamp(&journal::path(&dir))));
        let news = Arc::new(Mutex::new(Vec::new()));
        let heard = news.clone();
        let report: DiskReport = Arc::new(move |n| heard.lock().unwrap().push(n));
        let worker = DiskWorker::start(dir.clone(), Taken::Locked(None), known.clone(), report);
        worker.send(Job::Append(record("2026-11-23T21:01:00+00:00")));
        worker.send(Job::Append(record("2026-11-23T21:02:00+00:00")));
        assert_eq!(worker.finish(Duration::from_secs(10)), Ok(vec![]));
        let news = news.lock().unwrap();
        assert_eq!(news.len(), 1, "{news:?}");
        let DiskNews::Said(line) = &news[0] else {
            panic!("{news:?}");
        };
        assert!(line.contains(journal::TORN_FILE), "{line}");
        // Not taken for the dashboard's own append: the watcher reads it again, and the
        // warning about the torn line goes.
        assert_ne!(*known.lock().unwrap(), stamp(&journal::path(&dir)));
        let read = journal::read(&journal::path(&dir)).unwrap();
        assert_eq!(read.records.len(), 3);
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    }

    #[test]
    fn a_data_dir_replaced_under_its_dashboard_is_not_written() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        let lock = crate::os::lock::Lock::take(&dir).unwrap().expect("free");
        let mut files = OwnedFiles(Files(dir.clone(), None), Taken::Locked(owned(&dir)));
        let record = |at: &str| Record::RollerReplaced {
            at: at.parse().unwrap(),
        };
        files.append(&record("2026-11-23T21:00:00+00:00")).unwrap();
        // A restore: the dir moved away and a new one made in its place.
        std::fs::rename(&dir, root.path().join("old")).unwrap();
        std::fs::create_dir(&dir).unwrap();
        let err = files
            .append(&record("2026-11-23T21:01:00+00:00"))
            .unwrap_err();
        assert!(err.to_string().contains("replaced"), "{err}");
        assert!(
            !journal::path(&dir).exists(),
            "nothing written in the new dir"
        );
        drop(lock);
        // A dashboard without the lock writes nothing where another holds it.
        let other = crate::os::lock::Lock::take(&dir).unwrap().expect("free");
        let mut unlocked = OwnedFiles(Files(dir.clone(), None), Taken::Unlocked);
        let err = unlocked
            .append(&record("2026-11-23T21:02:00+00:00"))
            .unwrap_err();
        assert!(err.to_string().contains("owns the data dir"), "{err}");
        drop(other);
        unlocked
            .append(&record("2026-11-23T21:02:00+00:00"))
            .unwrap();
    }
}
