//! Progress photos from the command line: `photo add` copies a JPEG or PNG into the
//! data dir's photo folder (private to the person: 0700, files 0600) and journals it;
//! `photo list` shows them. The original file is only read.

use std::fs;
use std::io::Cursor;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use chrono::Datelike as _;

use super::*;
use crate::dashboard::photos::{self, Kind, MAX_PHOTO_BYTES, PhotoFileError};
use crate::routine::journal::{PHOTO_DIR, PhotoRecord};
use crate::routine::words::short_date;

pub(super) fn run(ctx: &Context, command: &PhotoCommand, out: &mut impl Write) -> Result<()> {
    match command {
        PhotoCommand::Add { file, date, note } => add(ctx, file, *date, note.as_deref(), out),
        PhotoCommand::List { json } => list(ctx, *json, out),
    }
}

fn add(
    ctx: &Context,
    file: &Path,
    date: Option<NaiveDate>,
    note: Option<&str>,
    out: &mut impl Write,
) -> Result<()> {
    let note = super::record::one_line_note(note)?;
    let bytes = read_photo(file)?;
    let refuse = |why: String| BadInput(format!("{}: {why}; nothing added", shown(file)));
    let kind = photos::kind(&bytes).ok_or_else(|| refuse("not a JPEG or PNG image".into()))?;
    // Decoded small, as the dashboard will: a file that does not decode is refused now,
    // not found broken months later.
    photos::decode_within(&bytes, 64, 64)
        .map_err(|e| refuse(format!("not a readable image ({e})")))?;
    let now = ctx.now();
    let today = ctx.today(now);
    // A camera's clock can be wrong: a date after today is not when it was taken.
    let exif = exif_day(&bytes);
    let (taken, from) = match (date, exif) {
        (Some(day), _) => (day, "--date"),
        (None, Some(day)) if day <= today => (day, "its EXIF date"),
        (None, Some(_)) => (today, "today: its EXIF date is after today"),
        (None, None) => (today, "today"),
    };
    let dir = photo_dir(&ctx.data_dir)?;
    let (name, path) = write_copy(&dir, taken, kind, &bytes)?;
    let record = PhotoRecord {
        file: name.clone(),
        taken,
        added: with_offset(now),
        note,
    };
    if let Err(e) = append(ctx, &Record::Photo(record)) {
        // A copy the journal does not know would never be shown.
        let _ = fs::remove_file(&path);
        return Err(e);
    }
    writeln!(
        out,
        "added the photo of {} ({from}) as {}",
        if taken.year() == today.year() {
            short_date(taken)
        } else {
            taken.format("%a %-d %b %Y").to_string()
        },
        shown(&path)
    )?;
    Ok(())
}

/// A path as it can be printed: a file name may hold escape sequences.
fn shown(path: &Path) -> String {
    crate::dashboard::ui::clean(&path.display().to_string())
}

/// Reads the photo, refusing what is not a regular file or is too big to be one.
fn read_photo(file: &Path) -> Result<Vec<u8>> {
    let refuse = |why: String| BadInput(format!("{}: {why}; nothing added", shown(file)));
    photos::read_photo(file).map_err(|e| {
        refuse(match e {
            PhotoFileError::NotAFile => "not a file".into(),
            PhotoFileError::TooBig(bytes) => format!(
                "{} MB is more than a photo ({} MB at most)",
                bytes >> 20,
                MAX_PHOTO_BYTES >> 20
            ),
            PhotoFileError::Io(e) => format!("cannot read it ({e})"),
        })
        .into()
    })
}

/// The day in the photo's EXIF data: when it was taken, else digitised, else changed.
pub fn exif_day(bytes: &[u8]) -> Option<NaiveDate> {
    let data = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    [
        exif::Tag::DateTimeOriginal,
        exif::Tag::DateTimeDigitized,
        exif::Tag::DateTime,
    ]
    .iter()
    .find_map(|tag| {
        let field = data.get_field(*tag, exif::In::PRIMARY)?;
        let exif::Value::Ascii(values) = &field.value else {
            return None;
        };
        let when = exif::DateTime::from_ascii(values.first()?).ok()?;
        let day = NaiveDate::from_ymd_opt(
            i32::from(when.year),
            u32::from(when.month),
            u32::from(when.day),
        )?;
        (FIRST_DAY..=LAST_DAY).contains(&day).then_some(day)
    })
}

/// The photo folder, made private (0700) whether new or already there.
fn photo_dir(data_dir: &Path) -> Result<PathBuf> {
    let dir = data_dir.join(PHOTO_DIR);
    crate::routine::private::make_dir(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    // mkdir never follows a link at its last part.
    match fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", dir.display())),
    }
    // Opened without following a link, checked and chmod-ed through that one open:
    // a link planted in its place (to a system file, another dir) is refused, never
    // changed.
    let refuse = |why: &str| {
        anyhow::anyhow!(
            "{} {why}: photos go only into a folder of your own; move it away and try again",
            shown(&dir)
        )
    };
    if fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refuse("is a link"));
    }
    let opened = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_DIRECTORY | libc::O_NONBLOCK)
        .open(&dir);
    let folder = match opened {
        Ok(folder) => folder,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Err(refuse("is a link")),
        Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => {
            return Err(refuse("is not a folder"));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot open {}", shown(&dir))),
    };
    let meta = folder
        .metadata()
        .with_context(|| format!("cannot open {}", shown(&dir)))?;
    if meta.uid() != crate::os::sys::effective_uid() {
        return Err(refuse("belongs to another user"));
    }
    // The mode given at creation is masked by the umask; this one is not.
    folder
        .set_permissions(fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot make {} private", shown(&dir)))?;
    Ok(dir)
}

/// Writes the copy as `DAY-N.EXT` (the first N free), 0600, fsynced.
fn write_copy(dir: &Path, day: NaiveDate, kind: Kind, bytes: &[u8]) -> Result<(String, PathBuf)> {
    for n in 1..10_000 {
        let name = format!("{day}-{n}.{}", kind.extension());
        let path = dir.join(&name);
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path);
        let mut file = match file {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
        };
        let written = file
            .write_all(bytes)
            .and_then(|()| file.set_permissions(fs::Permissions::from_mode(0o600)))
            .and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = fs::remove_file(&path);
            return Err(e).with_context(|| format!("cannot write {}", path.display()));
        }
        return Ok((name, path));
    }
    bail!("{}: too many photos of {day}", dir.display())
}

fn list(ctx: &Context, json: bool, out: &mut impl Write) -> Result<()> {
    let journal = ctx.journal()?;
    let photos = journal.photos();
    let dir = ctx.data_dir.join(PHOTO_DIR);
    if json {
        let list: Vec<serde_json::Value> = photos
            .iter()
            .map(|p| {
                serde_json::json!({
                    "file": p.file,
                    "path": dir.join(&p.file),
                    "taken": p.taken,
                    "added": p.added,
                    "note": p.note,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        writeln!(out)?;
        return Ok(());
    }
    if photos.is_empty() {
        writeln!(out, "no photos yet: `rollcoach photo add FILE` adds one")?;
    }
    for p in photos {
        let note = p
            .note
            .as_deref()
            .map(|n| format!("  {}", crate::dashboard::ui::clean(n)))
            .unwrap_or_default();
        writeln!(
            out,
            "{}  {}{note}",
            p.taken.format("%a %-d %b %Y"),
            crate::dashboard::ui::clean(&dir.join(&p.file).display().to_string())
        )?;
    }
    Ok(())
}
