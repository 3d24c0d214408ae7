//! The guard on hooks, after ssh's StrictModes: hooks run whatever the config says, so
//! they are refused when anyone but you (or root) could change what the config says.
//!
//! That is the file itself, and every name on the way to it: whoever can write a
//! directory on the path can rename an entry in it and plant a config of their own, and
//! whoever can write the directory holding a symlink can point the link elsewhere.

use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};

/// Symlinks followed before giving up, as the kernel's own limit (MAXSYMLINKS).
const MAX_LINKS: usize = 40;

/// Hooks may run from the config at `config_path`; Err is the status line saying why
/// not and how to fix it.
pub fn guard(config_path: &Path) -> Result<(), String> {
    check(config_path).map_err(|why| format!("hooks are off: {why}"))
}

/// Takes every command the config names (its hooks, `notify.speak_with`) out of
/// `config` when the guard refuses the file at `config_path`: a program from a config
/// others could change is never run. The note says what is off and why.
pub fn disarm(config: &mut crate::routine::config::Config, config_path: &Path) -> Option<String> {
    let hooks = !config.hooks.is_empty();
    let speaker = config.notify.speak_with.is_some();
    if !hooks && !speaker {
        return None;
    }
    let why = check(config_path).err()?;
    let what = match (hooks, speaker) {
        (true, true) => "hooks and speak_with are off",
        (false, _) => "speak_with is off",
        (true, false) => "hooks are off",
    };
    config.hooks.clear();
    config.notify.speak_with = None;
    Some(format!("{what}: {why}"))
}

/// Why hooks from the config at `config_path` cannot be trusted, with the fix: the
/// first problem met on the way from `/` to the file.
pub fn check(config_path: &Path) -> Result<(), String> {
    let me = crate::os::sys::effective_uid();
    check_as(config_path, me)
}

/// The guard for the user `me`.
fn check_as(config_path: &Path, me: u32) -> Result<(), String> {
    let cannot = |e: io::Error| format!("cannot check {}: {e}", config_path.display());
    let lookups = resolve(config_path).map_err(cannot)?;
    for lookup in &lookups {
        let dir = fs::metadata(&lookup.dir).map_err(cannot)?;
        check_dir(lookup, &dir, me)?;
        if lookup.is_link() {
            check_owner(&lookup.entry, &lookup.meta, me, "the link ", "chown -h")?;
        }
    }
    // `resolve` ends on the file itself, never on a link.
    let Some(file) = lookups.last() else {
        return Err(format!("cannot check {}: no file", config_path.display()));
    };
    check_owner(&file.entry, &file.meta, me, "", "chown")?;
    let mode = file.meta.mode();
    if mode & 0o022 != 0 {
        return Err(format!(
            "{} can be written by {} (mode {:o}); `chmod go-w {}` fixes it",
            file.entry.display(),
            writers(mode),
            mode & 0o7777,
            file.entry.display()
        ));
    }
    Ok(())
}

/// A directory on the way: yours or root's, and writable by no one else unless sticky
/// (in a sticky directory such as /tmp, only an entry's owner can rename it, and every
/// entry on the way is checked to be yours or root's).
fn check_dir(lookup: &Lookup, meta: &Metadata, me: u32) -> Result<(), String> {
    check_owner(&lookup.dir, meta, me, "the directory ", "chown")?;
    let mode = meta.mode();
    // Only a shared temp dir (sticky and open to all, as /tmp) is let through: a dir
    // its group can write is a group's dir, refused sticky or not, as StrictModes does.
    let shared_temp = mode & 0o1000 != 0 && mode & 0o002 != 0;
    if mode & 0o022 != 0 && !shared_temp {
        let holds = if lookup.is_link() {
            format!(", which holds the link {},", lookup.entry.display())
        } else {
            String::new()
        };
        return Err(format!(
            "the directory {}{holds} can be written by {} and is not a sticky dir open to \
             all like /tmp (mode {:o}), so others could swap in a config of their own; \
             `chmod go-w {}` fixes it",
            lookup.dir.display(),
            writers(mode),
            mode & 0o7777,
            lookup.dir.display()
        ));
    }
    Ok(())
}

/// An entry on the way is yours or root's; `what` says what it is ("the link ", or
/// nothing for the file) and `chown` how to give it back (`-h` changes a link itself).
fn check_owner(
    path: &Path,
    meta: &Metadata,
    me: u32,
    what: &str,
    chown: &str,
) -> Result<(), String> {
    let owner = meta.uid();
    if owner == me || owner == 0 {
        return Ok(());
    }
    Err(format!(
        "{what}{} is owned by uid {owner}, not by you (uid {me}) or root; \
         `sudo {chown} {me} {}` fixes it",
        path.display(),
        path.display()
    ))
}

/// Who besides the owner can write, from a mode (the mode shown next to it says the
/// rest).
fn writers(mode: u32) -> &'static str {
    if mode & 0o002 != 0 {
        "others"
    } else {
        "its group"
    }
}

/// One name looked up on the way to the config.
#[derive(Debug)]
struct Lookup {
    /// The directory it is looked up in, a real path (no links on it).
    dir: PathBuf,
    /// The name in that directory.
    entry: PathBuf,
    /// What the name is, not following a link.
    meta: Metadata,
}

impl Lookup {
    fn is_link(&self) -> bool {
        self.meta.file_type().is_symlink()
    }
}

/// Every lookup the kernel makes to open `path`, in order, following each symlink one
/// hop at a time; the last one is the file itself. Done by hand rather than with
/// `fs::canonicalize`, which gives where the path ends but not the links it went
/// through, and each link's directory decides where the link points.
fn resolve(path: &Path) -> io::Result<Vec<Lookup>> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Names still to look up, the next one last.
    let mut pending: Vec<OsString> = Vec::new();
    push_components(&mut pending, &path);
    let mut at = PathBuf::from("/");
    let mut lookups = Vec::new();
    let mut links = 0;
    while let Some(name) = pending.pop() {
        if name == ".." {
            // `at` holds no links, so its parent is the real one.
            at.pop();
            continue;
        }
        let entry = at.join(&name);
        let meta = fs::symlink_metadata(&entry)?;
        let target = meta.file_type().is_symlink().then(|| fs::read_link(&entry));
        lookups.push(Lookup {
            dir: at.clone(),
            entry: entry.clone(),
            meta,
        });
        match target {
            Some(target) => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(io::Error::other(format!(
                        "more than {MAX_LINKS} symlinks on the way"
                    )));
                }
                let target = target?;
                if target.is_absolute() {
                    at = PathBuf::from("/");
                }
                push_components(&mut pending, &target);
            }
            None => at = entry,
        }
    }
    Ok(lookups)
}

/// Queues the names of `path` so that its first comes off `pending` next.
fn push_components(pending: &mut Vec<OsString>, path: &Path) {
    let names: Vec<OsString> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_os_string()),
            Component::ParentDir => Some("..".into()),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect();
    pending.extend(names.into_iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, chown, symlink};
    use tempfile::TempDir;

    /// The uid `chown` gives files away to: nobody.
    const NOBODY: u32 = 65534;

    fn me() -> u32 {
        crate::os::sys::effective_uid()
    }

    fn chmod(path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    /// A private temp dir (0755) holding `config.ron` (0644): safe as it stands.
    fn setup() -> (TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        chmod(dir.path(), 0o755);
        let file = dir.path().join("config.ron");
        fs::write(&file, "()").unwrap();
        chmod(&file, 0o644);
        (dir, file)
    }

    fn mkdir(path: &Path, mode: u32) -> PathBuf {
        fs::create_dir(path).unwrap();
        chmod(path, mode);
        path.to_path_buf()
    }

    fn refused(path: &Path) -> String {
        match check(path) {
            Ok(()) => panic!("{} passed the guard", path.display()),
            Err(why) => why,
        }
    }

    /// Giving a file away needs root: the tests that do are ignored unless asked for
    /// (`--include-ignored`, as CI does), and then fail without it.
    fn need_root(test: &str) {
        assert_eq!(me(), 0, "{test} needs root to give files away");
    }

    #[test]
    fn a_private_file_in_a_private_dir_passes_and_the_dirs_above_it_too() {
        // The temp dir lives under /tmp (1777, root's) under / (0755, root's): sticky
        // and root-owned system directories pass.
        let (_dir, file) = setup();
        assert_eq!(check(&file), Ok(()));
        assert_eq!(guard(&file), Ok(()));
    }

    #[test]
    fn a_file_others_or_its_group_can_write_is_refused() {
        let (_dir, file) = setup();
        chmod(&file, 0o666);
        let why = refused(&file);
        assert!(
            why.contains("can be written by others (mode 666)")
                && why.contains(&format!("`chmod go-w {}`", file.display())),
            "{why}"
        );
        chmod(&file, 0o664);
        assert!(refused(&file).contains("by its group (mode 664)"));
        chmod(&file, 0o646);
        assert!(refused(&file).contains("by others (mode 646)"));
        assert!(guard(&file).unwrap_err().starts_with("hooks are off: "));
    }

    #[test]
    fn speak_with_from_a_config_the_guard_refuses_is_taken_out() {
        let (dir, file) = setup();
        let mut config = crate::routine::config::parse(crate::routine::config::BUILT_IN).unwrap();
        config.notify.speak_with = Some(vec!["/bin/sh".into(), "-c".into(), "evil".into()]);
        let mut trusted = config.clone();
        assert_eq!(disarm(&mut trusted, &file), None);
        assert!(
            trusted.notify.speak_with.is_some(),
            "a safe config keeps it"
        );
        chmod(dir.path(), 0o775);
        let note = disarm(&mut config, &file).expect("refused");
        assert!(note.starts_with("speak_with is off: "), "{note}");
        assert_eq!(config.notify.speak_with, None);
    }

    #[test]
    fn a_dir_its_group_can_write_is_refused() {
        let (dir, file) = setup();
        chmod(dir.path(), 0o775);
        let why = refused(&file);
        assert!(
            why.contains(&format!(
                "the directory {} can be written",
                dir.path().display()
            )) && why.contains("mode 775")
                && why.contains(&format!("`chmod go-w {}`", dir.path().display())),
            "{why}"
        );
    }

    #[test]
    fn a_sticky_dir_anyone_can_write_passes_only_a_safe_file() {
        let (dir, _) = setup();
        let shared = mkdir(&dir.path().join("shared"), 0o1777);
        let file = shared.join("config.ron");
        fs::write(&file, "()").unwrap();
        chmod(&file, 0o644);
        assert_eq!(check(&file), Ok(()));
        chmod(&file, 0o666);
        assert!(refused(&file).contains(&file.display().to_string()));
        // Without the sticky bit anyone could rename the file away.
        chmod(&file, 0o644);
        chmod(&shared, 0o777);
        assert!(refused(&file).contains("is not a sticky dir open to all like /tmp (mode 777)"));
    }

    #[test]
    fn a_dir_its_group_can_write_is_refused_even_when_sticky() {
        let (dir, file) = setup();
        for mode in [0o1775, 0o1770, 0o3775] {
            chmod(dir.path(), mode);
            let why = refused(&file);
            assert!(
                why.contains(&format!("(mode {mode:o})")) && why.contains("its group"),
                "{mode:o}: {why}"
            );
        }
    }

    #[test]
    fn an_ancestor_anyone_can_write_is_refused() {
        let (dir, _) = setup();
        let open = mkdir(&dir.path().join("open"), 0o777);
        let inner = mkdir(&open.join("inner"), 0o755);
        let file = inner.join("config.ron");
        fs::write(&file, "()").unwrap();
        chmod(&file, 0o644);
        let why = refused(&file);
        assert!(
            why.contains(&format!("the directory {} can be", open.display())),
            "{why}"
        );
        // Sticky, the ancestor is fine: `inner` is ours, so no one else can rename it.
        chmod(&open, 0o1777);
        assert_eq!(check(&file), Ok(()));
    }

    #[test]
    fn a_link_into_an_unsafe_target_is_refused() {
        let (dir, link) = setup();
        fs::remove_file(&link).unwrap();
        let open = mkdir(&dir.path().join("open"), 0o777);
        let target = open.join("real.ron");
        fs::write(&target, "()").unwrap();
        chmod(&target, 0o644);
        symlink(&target, &link).unwrap();
        let why = refused(&link);
        assert!(
            why.contains(&format!("the directory {} can be", open.display())),
            "{why}"
        );
        // A safe directory, but a target others can write.
        chmod(&open, 0o755);
        assert_eq!(check(&link), Ok(()));
        chmod(&target, 0o666);
        assert!(refused(&link).contains(&format!("{} can be written", target.display())));
    }

    #[test]
    fn a_link_in_an_unsafe_dir_is_refused_even_to_a_safe_target() {
        let (dir, target) = setup();
        let open = mkdir(&dir.path().join("open"), 0o777);
        let link = open.join("config.ron");
        symlink(&target, &link).unwrap();
        let why = refused(&link);
        assert!(
            why.contains(&format!(
                "the directory {}, which holds the link {},",
                open.display(),
                link.display()
            )),
            "{why}"
        );
        // A link to a link in that directory: the second hop is refused too.
        let safe = mkdir(&dir.path().join("safe"), 0o755);
        let first = safe.join("config.ron");
        symlink(&link, &first).unwrap();
        assert!(refused(&first).contains(&link.display().to_string()));
        chmod(&open, 0o755);
        assert_eq!(check(&first), Ok(()));
    }

    #[test]
    #[ignore = "needs root"]
    fn a_file_owned_by_someone_else_is_refused() {
        need_root("a_file_owned_by_someone_else_is_refused");
        let (_dir, file) = setup();
        chown(&file, Some(NOBODY), None).unwrap();
        let why = refused(&file);
        assert!(
            why.contains(&format!("{} is owned by uid {NOBODY}", file.display()))
                && why.contains(&format!("`sudo chown {} {}`", me(), file.display())),
            "{why}"
        );
    }

    #[test]
    #[ignore = "needs root"]
    fn a_dir_owned_by_someone_else_is_refused() {
        need_root("a_dir_owned_by_someone_else_is_refused");
        let (dir, _) = setup();
        let theirs = mkdir(&dir.path().join("theirs"), 0o755);
        let file = theirs.join("config.ron");
        fs::write(&file, "()").unwrap();
        chmod(&file, 0o644);
        chown(&theirs, Some(NOBODY), None).unwrap();
        let why = refused(&file);
        assert!(
            why.contains(&format!(
                "the directory {} is owned by uid {NOBODY}",
                theirs.display()
            )),
            "{why}"
        );
    }

    #[test]
    #[ignore = "needs root"]
    fn a_link_owned_by_someone_else_in_a_sticky_dir_is_refused() {
        need_root("a_link_owned_by_someone_else_in_a_sticky_dir_is_refused");
        let (dir, target) = setup();
        let shared = mkdir(&dir.path().join("shared"), 0o1777);
        let link = shared.join("config.ron");
        symlink(&target, &link).unwrap();
        assert_eq!(check(&link), Ok(()));
        std::os::unix::fs::lchown(&link, Some(NOBODY), None).unwrap();
        let why = refused(&link);
        assert!(
            why.contains(&format!(
                "the link {} is owned by uid {NOBODY}",
                link.display()
            )) && why.contains("`sudo chown -h"),
            "{why}"
        );
    }

    #[test]
    fn your_file_is_refused_to_someone_else() {
        // Runs without root: the same check, as seen by another user.
        let (_dir, file) = setup();
        let other = if me() == NOBODY { NOBODY - 1 } else { NOBODY };
        if me() == 0 {
            // Root's files are trusted by everyone.
            assert_eq!(check_as(&file, other), Ok(()));
        } else {
            let why = check_as(&file, other).unwrap_err();
            assert!(why.contains(&format!("is owned by uid {}", me())), "{why}");
        }
    }

    #[test]
    fn resolving_ends_where_canonicalize_does() {
        let (dir, file) = setup();
        let a = mkdir(&dir.path().join("a"), 0o755);
        let b = mkdir(&a.join("b"), 0o755);
        // Relative, absolute and `..` hops, through a linked directory.
        symlink("../../config.ron", b.join("rel")).unwrap();
        symlink(&b, dir.path().join("to-b")).unwrap();
        symlink(dir.path().join("to-b/rel"), a.join("abs")).unwrap();
        let path = dir.path().join("a/./b/../abs");
        let lookups = resolve(&path).unwrap();
        let end = &lookups.last().unwrap().entry;
        assert_eq!(end, &fs::canonicalize(&path).unwrap());
        assert_eq!(end, &fs::canonicalize(&file).unwrap());
        assert_eq!(check(&path), Ok(()));
    }

    #[test]
    fn a_link_loop_is_refused_not_followed_forever() {
        let (dir, _) = setup();
        let link = dir.path().join("loop");
        symlink(&link, &link).unwrap();
        assert!(refused(&link).contains("symlinks on the way"));
    }
}
