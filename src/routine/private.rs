//! The data dir is private: skin ratings, notes and check-in answers are nobody else's.
//! The dir is made 0700 and every file in it 0600; a dir made before that rule (0755,
//! files 0644) is tightened once, and the caller says so. Reading a file there is
//! bounded: a FIFO, a device or a link to one never hangs or fills memory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _};
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::Path;

/// The mode of the data dir and of every dir in it.
pub const DIR_MODE: u32 = 0o700;
/// The mode of every file in the data dir.
pub const FILE_MODE: u32 = 0o600;

/// The most a small file of the data dir (`session.json`, `journal.index`) may hold.
pub const MAX_SMALL_FILE: u64 = 4 << 20;
/// The most the journal may hold: ten years of it is about 3 MB.
pub const MAX_JOURNAL: u64 = 512 << 20;

/// Makes `dir` (and its missing parents) with mode 0700.
pub fn make_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)
}

/// Opens `path` for appending (and reading), created 0600 when missing.
pub fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .mode(FILE_MODE)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .and_then(|file| regular(file, path))
}

/// Takes away what group and others may do with `dir` and every file and dir directly
/// in it (links are left alone: their mode means nothing). Returns what it changed, so
/// that the caller says it once; a missing dir is nothing to do.
pub fn tighten(dir: &Path) -> io::Result<Option<String>> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Ok(None);
    }
    let mut changed = 0;
    if meta.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(DIR_MODE))?;
        changed += 1;
    }
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        // Never through a link: one planted here pointing at a system file would
        // otherwise have that file's mode changed.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let (want, flags) = if kind.is_dir() {
            (DIR_MODE, libc::O_DIRECTORY)
        } else if kind.is_file() {
            (FILE_MODE, 0)
        } else {
            continue;
        };
        let Ok(opened) = OpenOptions::new()
            .read(true)
            .custom_flags(flags | libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(entry.path())
        else {
            continue;
        };
        let mode = opened.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            opened.set_permissions(fs::Permissions::from_mode(mode & want))?;
            changed += 1;
        }
    }
    Ok((changed > 0).then(|| {
        format!(
            "made {} private: the dir 0700 and its files 0600 (others could read them)",
            dir.display()
        )
    }))
}

/// Why a file in the data dir cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum Unreadable {
    /// A FIFO, a device, a directory: not a regular file.
    #[error("{0} is not a regular file")]
    NotAFile(String),
    /// Larger than the bound for that file.
    #[error("{0} is larger than {1} MiB: not a file rollcoach wrote")]
    TooLarge(String, u64),
}

/// Opens `path` to read without blocking (a FIFO cannot hang the open) and checks it
/// is a regular file of at most `limit` bytes; a missing file is None.
pub fn open_read(path: &Path, limit: u64) -> io::Result<Option<File>> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path);
    match file {
        Ok(file) => {
            let file = regular(file, path)?;
            if file.metadata()?.len() > limit {
                return Err(too_large(path, limit));
            }
            Ok(Some(file))
        }
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The whole of a regular file of at most `limit` bytes, or None when it is missing.
pub fn read(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let Some(file) = open_read(path, limit)? else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    Ok(Some(bytes))
}

/// `file` when it is a regular file, else an error naming it.
pub fn regular(file: File, path: &Path) -> io::Result<File> {
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(io::Error::other(Unreadable::NotAFile(name(path))))
    }
}

fn too_large(path: &Path, limit: u64) -> io::Error {
    io::Error::other(Unreadable::TooLarge(name(path), limit >> 20))
}

fn name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_dir_is_0700_and_an_appended_file_0600() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a").join("data");
        make_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        open_append(&dir.join("journal.jsonl")).unwrap();
        assert_eq!(mode(&dir.join("journal.jsonl")), 0o600);
    }

    #[test]
    fn an_open_dir_is_tightened_once_and_says_so() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        let journal = dir.join("journal.jsonl");
        fs::write(&journal, "").unwrap();
        fs::set_permissions(&journal, fs::Permissions::from_mode(0o644)).unwrap();
        let said = tighten(&dir).unwrap().expect("a line saying so");
        assert!(said.contains("private"), "{said}");
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&journal), 0o600);
        assert_eq!(tighten(&dir).unwrap(), None);
        assert_eq!(tighten(&root.path().join("none")).unwrap(), None);
        // A link planted in the dir is not followed: its target keeps its mode.
        let outside = root.path().join("system-file");
        fs::write(&outside, "").unwrap();
        fs::set_permissions(&outside, fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("planted")).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(tighten(&dir).unwrap().is_some());
        assert_eq!(mode(&outside), 0o644);
    }

    #[test]
    fn a_fifo_is_refused_at_once_and_a_read_is_bounded() {
        let root = tempfile::tempdir().unwrap();
        let fifo = root.path().join("journal.index");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(read(&fifo, 100).is_err());
        assert!(open_read(&fifo, 100).is_err());
        let big = root.path().join("big");
        fs::write(&big, vec![b'x'; 101]).unwrap();
        assert!(read(&big, 100).is_err());
        assert_eq!(read(&big, 101).unwrap().unwrap().len(), 101);
        assert_eq!(read(&root.path().join("none"), 1).unwrap(), None);
    }
}
