//! The saved session read at start: one no run could have written is set aside (never
//! deleted) with a one-line notice.

use super::*;
use crate::routine::plan::day_of;
use crate::session::run::Saved;

/// Reads a saved session; one that cannot be read, or could not have been written by a
/// run (`Saved::check`), is set aside, never deleted, and the dashboard opens without it.
pub(super) fn read_saved(
    data_dir: &Path,
    config: &Config,
    now: Moment,
) -> (Option<Saved>, Option<String>) {
    let path = saved_path(data_dir);
    let Ok(Some(bytes)) =
        crate::routine::private::read(&path, crate::routine::private::MAX_SMALL_FILE)
    else {
        return (None, None);
    };
    let why = match serde_json::from_slice::<Saved>(&bytes) {
        Ok(saved) => {
            let today = day_of(now.local(), config.day_starts_at);
            match saved.check(config.routine(&saved.routine), today, now.wall) {
                Ok(()) => return (Some(saved), None),
                Err(e) => format!("could not be restored: {e}"),
            }
        }
        Err(e) => format!("could not be read ({e})"),
    };
    let kept = match set_aside(&path) {
        Ok(aside) => format!("kept as {}", aside.display()),
        Err(e) => format!("it could not be moved aside ({e})"),
    };
    (None, Some(format!("the saved session {why}; {kept}")))
}

/// Renames `path` to `<path>.unreadable` (or `.unreadable.N` when that is taken, so an
/// earlier one is not overwritten); the new path.
pub(super) fn set_aside(path: &Path) -> io::Result<PathBuf> {
    let base = path.with_extension("json.unreadable");
    let free = (0..100)
        .map(|n| match n {
            0 => base.clone(),
            n => PathBuf::from(format!("{}.{n}", base.display())),
        })
        .find(|p| !p.exists())
        .ok_or_else(|| io::Error::other("100 earlier ones are in the way"))?;
    fs::rename(path, &free)?;
    Ok(free)
}
