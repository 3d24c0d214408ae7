//! The data dir's lock: one dashboard owns the session, and the headless commands can
//! ask whether one is running.

use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};

use crate::routine::private;
use std::io;
use std::path::Path;
use std::thread;
use std::time::Duration;

/// The lock file, in the data dir.
pub const LOCK_FILE: &str = "lock";

/// An exclusive lock on the data dir, held while a dashboard runs; released when dropped
/// (or when the process dies, however it dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock, or None when another dashboard holds it.
    pub fn take(data_dir: &Path) -> io::Result<Option<Lock>> {
        // Only the owner can open it, so nobody else can hold it to make this dashboard
        // read-only; a FIFO or a device planted there is refused, never waited on.
        let path = data_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(private::FILE_MODE)
            // Not through a link: the mode is set on the file opened.
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(&path)
            .and_then(|file| private::regular(file, &path))?;
        file.set_permissions(std::fs::Permissions::from_mode(private::FILE_MODE))?;
        // `held` takes the lock for a few microseconds: a dashboard starting at that
        // moment looks again rather than open read-only.
        for attempt in 0..5 {
            if attempt > 0 {
                thread::sleep(Duration::from_millis(10));
            }
            // A file system without locks cannot tell two dashboards apart either: this
            // one then opens read-only, the safe side.
            if file.try_lock().is_ok() {
                return Ok(Some(Lock { _file: file }));
            }
        }
        Ok(None)
    }
}

/// A running dashboard holds the lock of `data_dir`. Never blocks and never creates the
/// lock file; the lock is taken shared and released at once, so two status bars asking
/// at the same moment do not take each other for a dashboard.
pub fn held(data_dir: &Path) -> bool {
    let Ok(Some(file)) = private::open_read(&data_dir.join(LOCK_FILE), private::MAX_SMALL_FILE)
    else {
        return false;
    };
    match file.try_lock_shared() {
        Ok(()) => {
            // Closing the file (at the end of this scope) releases it too; unlocking
            // first shortens the moment a starting dashboard could find it taken.
            let _ = file.unlock();
            false
        }
        Err(TryLockError::WouldBlock) => true,
        // Another failure (a file system without locks) says nothing about a dashboard.
        Err(TryLockError::Error(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_only_while_a_lock_is_taken_and_never_creates_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!held(dir.path()));
        assert!(!dir.path().join(LOCK_FILE).exists());
        let lock = Lock::take(dir.path()).unwrap().expect("the lock is free");
        assert!(held(dir.path()));
        let mode = std::fs::metadata(dir.path().join(LOCK_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner can open the lock");
        assert!(Lock::take(dir.path()).unwrap().is_none());
        drop(lock);
        assert!(!held(dir.path()));
        // Asking leaves the lock free for a dashboard.
        assert!(Lock::take(dir.path()).unwrap().is_some());
    }
}
