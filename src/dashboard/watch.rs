//! Watches the config file and the journal, and hands each new version to the UI
//! thread; reading happens here, on the watcher's thread.

use std::path::{Path, PathBuf};

use notify::{RecursiveMode, Watcher};

use super::disk::{Known, stamp};
use super::inbox::Inbox;
use super::messages::Msg;
use crate::routine::{config, journal};

/// Sessions kept whole when the journal is read again, as at start.
pub const FULL_SESSIONS: usize = 512;

/// The journal the dashboard opens with: through the index, what the plan of `today`
/// needs (a few kilobytes at any age), and `true`: the rest is to be read off the UI
/// thread (`read_whole`). Where there is no index yet (making one reads the journal
/// whole, and it would then be read twice), or it cannot answer (a day before the
/// journal's latest), the whole journal, and `false`.
pub fn opening(
    path: &Path,
    config: &config::Config,
    today: chrono::NaiveDate,
) -> std::io::Result<(journal::Journal, bool)> {
    if !path.with_file_name(journal::INDEX_FILE).exists() {
        return journal::read_compact(path, FULL_SESSIONS).map(|j| (j, false));
    }
    match journal::read_for_day(path, today, config) {
        Ok(Some(journal)) => Ok((journal, true)),
        _ => journal::read_compact(path, FULL_SESSIONS).map(|j| (j, false)),
    }
}

/// Reads the whole journal on a thread of its own and hands it to the UI thread, as a
/// change of the file would: the history, the trend and the photos then have it all.
pub fn read_whole(path: PathBuf, inbox: Inbox) {
    let _ = std::thread::Builder::new()
        .name("journal".into())
        .spawn(move || {
            let read = journal::read_compact(&path, FULL_SESSIONS)
                .map(Box::new)
                .map_err(journal::ReadError::from);
            inbox.post(Msg::Journal(read));
        });
}

/// Starts watching `path`. Directories are watched, not the file: editors that save
/// by writing a new file and renaming it over the old one replace the file watched.
/// A config that is a link (GNU stow, home-manager, chezmoi) is followed: the
/// directory of every link on the way and of the final file are watched, and the
/// chain is looked at again after each event, so a link re-pointed is followed too.
pub fn start(path: &Path, inbox: Inbox) -> notify::Result<Watch> {
    let path = path.to_path_buf();
    // Read as the config is loaded: never blocking on a FIFO, bounded.
    let read = |path: &Path| crate::routine::private::read(path, 1 << 20).ok().flatten();
    let mut last: Option<Vec<u8>> = read(&path);
    // Directories to watch go to a thread of their own: a watch cannot be added from
    // inside the watcher's own callback.
    let (more, wanted) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let mut chain = link_chain(&path);
    let watched_path = path.clone();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // Reading the file (here, or in another dashboard or a status bar on the same
        // config) is an event too: read again for it, two readers would wake each
        // other for ever.
        if event.kind.is_access() || !event.paths.iter().any(|p| chain.contains(p)) {
            return;
        }
        let now = link_chain(&watched_path);
        if now != chain {
            let _ = more.send(dirs_of(&now));
            chain = now;
        }
        // Several events come for one save; only a change of content is a new config.
        let Some(bytes) = read(&watched_path) else {
            return;
        };
        // An editor writing in place truncates first: an empty file is a save under way.
        if bytes.iter().all(u8::is_ascii_whitespace) || last.as_ref() == Some(&bytes) {
            return;
        }
        last = Some(bytes);
        inbox.post(Msg::Config(reload(&watched_path)));
    })?;
    let watcher = std::sync::Arc::new(std::sync::Mutex::new(watcher));
    let first = dirs_of(&link_chain(&path));
    {
        let mut held = watcher.lock().unwrap_or_else(|e| e.into_inner());
        for dir in &first {
            held.watch(dir, RecursiveMode::NonRecursive)?;
        }
    }
    let adding = std::sync::Arc::downgrade(&watcher);
    let _ = std::thread::Builder::new()
        .name("config links".into())
        .spawn(move || {
            let mut seen = first;
            for dirs in wanted {
                let Some(watcher) = adding.upgrade() else {
                    return;
                };
                let mut held = watcher.lock().unwrap_or_else(|e| e.into_inner());
                for dir in dirs {
                    if !seen.contains(&dir) && held.watch(&dir, RecursiveMode::NonRecursive).is_ok()
                    {
                        seen.push(dir);
                    }
                }
            }
        });
    Ok(Watch(watcher))
}

/// The config watcher; watching ends when it is dropped.
pub struct Watch(#[allow(dead_code)] std::sync::Arc<std::sync::Mutex<notify::RecommendedWatcher>>);

/// `path`, then each link's target in turn, to the file at the end (at most 40 links,
/// the kernel's own limit): every name whose change changes the config.
fn link_chain(path: &Path) -> Vec<PathBuf> {
    // Named as the watcher names what it sees: with its directory, "." included.
    let anchored = |p: PathBuf| match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => p,
        _ => Path::new(".").join(p),
    };
    let mut at = anchored(path.to_path_buf());
    let mut chain = vec![at.clone()];
    for _ in 0..40 {
        let Ok(target) = std::fs::read_link(&at) else {
            break;
        };
        let dir = at.parent().map(Path::to_path_buf).unwrap_or_default();
        at = anchored(dir.join(target));
        if chain.contains(&at) {
            break;
        }
        chain.push(at.clone());
    }
    chain
}

/// The directories holding the names of a chain, each once.
fn dirs_of(chain: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for name in chain {
        let dir = match name.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    dirs
}

/// Starts watching the journal at `path` for what other processes write to it
/// (`rollcoach done`, `roller --replaced`, a sync tool renaming a new copy over it).
/// Appends and renames are both seen, since the directory is watched. What the
/// dashboard appended itself is in `known` and not read again.
pub fn journal(
    path: &Path,
    known: Known,
    inbox: Inbox,
) -> notify::Result<notify::RecommendedWatcher> {
    let path = path.to_path_buf();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_owned());
    let look = std::sync::Arc::new(move || {
        {
            let mut known = known.lock().unwrap_or_else(|e| e.into_inner());
            let now = stamp(&path);
            // Several events come for one write (the write, the close): once is enough.
            // A write during the read below changes the stamp again, so it is read too.
            if *known == now {
                return;
            }
            *known = now;
        }
        let read = journal::read_compact(&path, FULL_SESSIONS)
            .map(Box::new)
            .map_err(journal::ReadError::from);
        inbox.post(Msg::Journal(read));
    });
    let on_event = look.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_access() || !event.paths.iter().any(|p| p.file_name() == name.as_deref()) {
            return;
        }
        on_event();
    })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    // A write between the first read and the watch starting sent no event.
    look();
    Ok(watcher)
}

/// The config read again: Ok with a note when hooks were refused, or what is wrong.
fn reload(path: &Path) -> Result<(Box<config::Config>, Option<String>), config::ConfigError> {
    let mut config = config::load(path)?;
    let note = crate::alerts::guard::disarm(&mut config, path);
    Ok((Box::new(config), note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::inbox::Input;
    use std::sync::mpsc;
    use std::time::Duration;

    const GOOD: &str =
        r#"(routines: [(name: "e", steps: [(name: "C", kind: Cleanse, duration: "1m")])])"#;

    fn next(rx: &mpsc::Receiver<Input>) -> Msg {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Input::App(msg)) => msg,
            other => panic!("a reload within 10 s, not {other:?}"),
        }
    }

    /// The dashboard opens on what today's plan needs, read through the index; the whole
    /// journal follows from a thread.
    #[test]
    fn the_dashboard_opens_on_the_index_and_the_rest_follows() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal::path(dir.path());
        let mut text = String::new();
        for day in 1..=30 {
            text.push_str(&format!(
                r#"{{"type":"session","routine":"e","day":"2026-11-{day:02}","started":"2026-11-{day:02}T21:00:00+00:00","ended":"2026-11-{day:02}T21:01:00+00:00","complete":true,"steps":[]}}"#
            ));
            text.push('\n');
        }
        std::fs::write(&path, text).unwrap();
        let config = config::parse(GOOD).unwrap();
        let today: chrono::NaiveDate = "2026-11-30".parse().unwrap();
        // No index yet: all of it, at once (making the index would read it all too).
        let (all, partial) = opening(&path, &config, today).unwrap();
        assert!(!partial);
        assert_eq!(all.sessions().count(), 30);
        journal::read_for_day(&path, today, &config).unwrap();
        let (first, partial) = opening(&path, &config, today).unwrap();
        assert!(partial);
        assert_eq!(first.sessions().count(), 1, "only today's session");
        let (inbox, rx) = Inbox::new();
        read_whole(path.clone(), inbox);
        assert_eq!(records(next(&rx)), 30);
        // A day before the journal's latest: the index cannot answer; all of it now.
        let (all, partial) = opening(&path, &config, "2026-11-10".parse().unwrap()).unwrap();
        assert!(!partial);
        assert_eq!(all.sessions().count(), 30);
    }

    fn records(msg: Msg) -> usize {
        match msg {
            Msg::Journal(Ok(journal)) => journal.records.len(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_journal_is_read_again_after_an_append_or_a_rename_but_not_after_its_own() {
        use crate::dashboard::disk::{Files, Store};
        use crate::routine::journal::Record;
        use std::sync::{Arc, Mutex};
        let dir = tempfile::tempdir().unwrap();
        let path = journal::path(dir.path());
        let record = |at: &str| Record::RollerReplaced {
            at: at.parse().unwrap(),
        };
        journal::append(&path, &record("2026-11-23T21:00:00+00:00")).unwrap();
        let known = Arc::new(Mutex::new(stamp(&path)));
        let (tx, rx) = Inbox::new();
        let _watcher = journal(&path, known.clone(), tx).unwrap();

        // Another process appends (`rollcoach roller --replaced`).
        journal::append(&path, &record("2026-11-23T21:01:00+00:00")).unwrap();
        assert_eq!(records(next(&rx)), 2);

        // A sync tool writes a new copy and renames it over the journal.
        let copy = dir.path().join(".journal.jsonl.tmp");
        let text = std::fs::read_to_string(&path).unwrap();
        let third = serde_json::to_string(&record("2026-11-23T21:02:00+00:00")).unwrap();
        std::fs::write(&copy, format!("{text}{third}\n")).unwrap();
        std::fs::rename(&copy, &path).unwrap();
        assert_eq!(records(next(&rx)), 3);
        // The events of one change bring one read.
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());

        // The dashboard's own append: it has the record in memory, nothing is read.
        let mut files = Files(dir.path().to_path_buf(), Some(known));
        files.append(&record("2026-11-23T21:03:00+00:00")).unwrap();
        assert!(rx.recv_timeout(Duration::from_millis(500)).is_err());
        // An append from elsewhere after it is read, with both.
        journal::append(&path, &record("2026-11-23T21:04:00+00:00")).unwrap();
        assert_eq!(records(next(&rx)), 5);
    }

    #[test]
    fn a_rename_save_and_a_bad_edit_are_both_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.ron");
        std::fs::write(&path, GOOD).unwrap();
        let (tx, rx) = Inbox::new();
        let _watcher = start(&path, tx).unwrap();

        // An editor's save: write a new file, rename it over the old one.
        let tmp = dir.path().join(".config.ron.swp");
        std::fs::write(&tmp, GOOD.replace("\"1m\"", "\"2m\"")).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        match next(&rx) {
            Msg::Config(Ok((config, None))) => {
                assert_eq!(
                    config.routines[0].steps[0].length(),
                    Duration::from_secs(120)
                )
            }
            other => panic!("{other:?}"),
        }

        // `fs::write` truncates, then writes: the watcher may read the file empty in
        // between (an editor that saves in place does the same); the read after the
        // write is the one that counts.
        std::fs::write(&path, "(routines: [\n  (name: 1)])").unwrap();
        loop {
            match next(&rx) {
                Msg::Config(Err(e)) if e.to_string().contains("the file is empty") => {}
                Msg::Config(Err(e)) => {
                    assert!(e.to_string().contains("config.ron:2:"), "{e}");
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_config_reached_through_two_links_reloads_on_every_kind_of_save() {
        let root = tempfile::tempdir().unwrap();
        let (home, dots, store, other) = (
            root.path().join("home"),
            root.path().join("dots"),
            root.path().join("store"),
            root.path().join("other"),
        );
        for dir in [&home, &dots, &store, &other] {
            std::fs::create_dir(dir).unwrap();
        }
        // home/config.ron -> dots/config.ron -> store/config.ron
        let real = store.join("config.ron");
        std::fs::write(&real, GOOD).unwrap();
        std::os::unix::fs::symlink(&real, dots.join("config.ron")).unwrap();
        let path = home.join("config.ron");
        std::os::unix::fs::symlink(dots.join("config.ron"), &path).unwrap();
        let (tx, rx) = Inbox::new();
        let _watcher = start(&path, tx).unwrap();
        let changed = |n: u32| GOOD.replace("1m", &format!("{n}m"));
        // An edit in place can be read in the moment it has emptied the file: the read
        // after the write is the one that counts.
        let next = |rx: &mpsc::Receiver<Input>| loop {
            match next(rx) {
                Msg::Config(Err(e)) if e.to_string().contains("the file is empty") => {}
                msg => break msg,
            }
        };
        let minutes = |msg: Msg| match msg {
            Msg::Config(Ok((config, _))) => config.routines[0].steps[0]
                .duration
                .map_or(0, |d| d.0.as_secs() / 60),
            other => panic!("{other:?}"),
        };
        // An edit in place of the final file.
        std::fs::write(&real, changed(2)).unwrap();
        assert_eq!(minutes(next(&rx)), 2);
        // A save that writes a new file and renames it over the final one.
        let tmp = store.join(".config.ron.tmp");
        std::fs::write(&tmp, changed(3)).unwrap();
        std::fs::rename(&tmp, &real).unwrap();
        assert_eq!(minutes(next(&rx)), 3);
        // The middle link re-pointed to a file in a directory not watched before.
        let moved = other.join("config.ron");
        std::fs::write(&moved, changed(4)).unwrap();
        let link_tmp = dots.join(".link.tmp");
        std::os::unix::fs::symlink(&moved, &link_tmp).unwrap();
        std::fs::rename(&link_tmp, dots.join("config.ron")).unwrap();
        assert_eq!(minutes(next(&rx)), 4);
        // And that new target is followed from then on.
        std::thread::sleep(Duration::from_millis(200));
        std::fs::write(&moved, changed(5)).unwrap();
        assert_eq!(minutes(next(&rx)), 5);
    }
}
