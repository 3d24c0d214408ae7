//! The processes a hook started, found in /proc, and how they are ended.
//!
//! A process group is not enough: a hook can leave it (`setsid`, a double fork) and
//! outlive its timeout and the dashboard. Four nets catch what it started:
//! - every hook runs in a process group of its own, which whatever it starts stays in
//!   unless it leaves it, whatever its environment and parent: the group is ended whole;
//! - every hook runs with `ROLLCOACH_HOOK_ID` in its environment, which whatever it
//!   starts inherits, whichever session or parent it ends up in;
//! - while a hook runs, its descendants are recorded by parent pid, so one that clears
//!   its environment and leaves the group is known too, even after it is orphaned;
//! - the dashboard is a child subreaper: an orphan comes to it, not to init, so at quit
//!   every child it has is a hook's, and is ended.
//!
//! A process is named by pid and start time, so that a pid reused meanwhile by an
//! unrelated process is never signalled. Zombies handed to us are reaped by pid, never
//! with `waitpid(-1)`: each hook thread waits for its own child, and a status stolen
//! from it would leave it waiting on nothing. The registry lock is held from spawn to
//! registration, so the reaper always knows which zombies are a hook thread's to reap.
//! A hook's own process is reaped only once its group is let go (`release`): until
//! then its pid is taken, so the group's id cannot be another's.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// The variable that marks a hook and everything it starts.
pub const MARKER: &str = "ROLLCOACH_HOOK_ID";

/// How long a process told to stop (SIGTERM) has before it is killed.
pub const GRACE: Duration = Duration::from_millis(200);

/// Set once this process adopts orphans: only then are its unknown children a hook's.
static SUBREAPER: AtomicBool = AtomicBool::new(false);

/// Hook ids, unique within the process (the pid makes them unique between processes).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// One process as /proc shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Proc {
    /// Its pid.
    pub pid: i32,
    /// Its parent's pid.
    pub ppid: i32,
    /// Its process group's id.
    pub group: i32,
    /// Clock ticks after boot when it started: with the pid, its identity.
    pub start: u64,
    /// Exited, waiting to be reaped.
    pub zombie: bool,
    /// The hook id in its environment, when it was read and is there.
    pub hook: Option<String>,
}

/// Every process in /proc; with `environ`, with their hook marker read too (slower).
pub fn scan(environ: bool) -> Vec<Proc> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let mut proc = parse_stat(&fs::read_to_string(entry.path().join("stat")).ok()?)?;
            if proc.pid != pid {
                return None;
            }
            if environ && !proc.zombie {
                proc.hook = fs::read(entry.path().join("environ"))
                    .ok()
                    .and_then(|env| hook_id(&env));
            }
            Some(proc)
        })
        .collect()
}

/// "pid (comm) state ppid ... starttime ...": comm may hold spaces and parentheses.
pub fn parse_stat(stat: &str) -> Option<Proc> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let pid = stat[..open].trim().parse().ok()?;
    let fields: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    Some(Proc {
        pid,
        ppid: fields.get(1)?.parse().ok()?,
        group: fields.get(2)?.parse().ok()?,
        start: fields.get(19)?.parse().ok()?,
        zombie: matches!(fields.first(), Some(&"Z") | Some(&"X")),
        hook: None,
    })
}

/// The value of the hook marker in a NUL-separated environment block.
pub fn hook_id(environ: &[u8]) -> Option<String> {
    let key = format!("{MARKER}=");
    environ
        .split(|b| *b == 0)
        .find_map(|var| var.strip_prefix(key.as_bytes()))
        .map(|id| String::from_utf8_lossy(id).into_owned())
}

/// What belongs to one hook: its marker, its process group and the processes seen in
/// its tree.
#[derive(Debug, Default)]
pub struct Tree {
    marker: String,
    /// The hook's process group, while its first process is not reaped.
    group: Option<i32>,
    known: HashMap<i32, u64>,
}

impl Tree {
    /// A tree rooted at `root` (pid, start), marked with `marker`, in process group
    /// `group`.
    pub fn new(marker: String, group: Option<i32>, root: Option<(i32, u64)>) -> Tree {
        Tree {
            marker,
            group,
            known: root.into_iter().collect(),
        }
    }

    /// Whether a process is known to be this hook's.
    fn owns(&self, p: &Proc) -> bool {
        self.known.get(&p.pid) == Some(&p.start)
            || p.hook.as_deref() == Some(&self.marker)
            || Some(p.group) == self.group
    }

    /// This hook's processes in a snapshot (the known ones, the marked ones, and all
    /// their descendants), remembered for later snapshots.
    pub fn collect(&mut self, procs: &[Proc]) -> Vec<Proc> {
        let found = descendants(procs, |p| self.owns(p));
        self.known.extend(found.iter().map(|p| (p.pid, p.start)));
        found
    }
}

/// The processes `root` picks and all their descendants, ourselves never included.
pub fn descendants(procs: &[Proc], root: impl Fn(&Proc) -> bool) -> Vec<Proc> {
    let me = std::process::id() as i32;
    let mut picked: HashSet<i32> = procs.iter().filter(|p| root(p)).map(|p| p.pid).collect();
    loop {
        let before = picked.len();
        for p in procs {
            if picked.contains(&p.ppid) {
                picked.insert(p.pid);
            }
        }
        if picked.len() == before {
            break;
        }
    }
    picked.remove(&me);
    procs
        .iter()
        .filter(|p| picked.contains(&p.pid))
        .cloned()
        .collect()
}

/// The hooks running now, for ending them at their timeout or at quit.
#[derive(Debug, Default)]
pub struct Running {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Hook id → its direct child's pid and its tree.
    hooks: HashMap<String, (i32, Tree)>,
    /// Quitting: no new hook starts.
    closed: bool,
}

impl Running {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Spawns a hook with its marker and registers it; Ok(None) once quitting.
    pub fn spawn(&self, command: &mut Command) -> io::Result<Option<(String, Child)>> {
        let id = format!(
            "{}-{}",
            std::process::id(),
            NEXT_ID.fetch_add(1, Ordering::Relaxed)
        );
        // A group of its own: what it starts stays in it, whatever it does to its
        // environment, and the group is ended whole.
        command.env(MARKER, &id).process_group(0);
        let mut state = self.lock();
        if state.closed {
            return Ok(None);
        }
        let child = command.spawn()?;
        let pid = child.id() as i32;
        let root = fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| parse_stat(&s))
            .map(|p| (p.pid, p.start));
        state
            .hooks
            .insert(id.clone(), (pid, Tree::new(id.clone(), Some(pid), root)));
        Ok(Some((id, child)))
    }

    /// Whether the dashboard is quitting.
    pub fn closed(&self) -> bool {
        self.lock().closed
    }

    /// Records what the hook has started so far (cheap: no environments read).
    pub fn watch(&self, id: &str) {
        let procs = scan(false);
        if let Some((_, tree)) = self.lock().hooks.get_mut(id) {
            tree.collect(&procs);
        }
    }

    /// Whether anything of the hook is still alive (its direct child excluded).
    pub fn lingers(&self, id: &str) -> bool {
        let procs = scan(true);
        let mut state = self.lock();
        let Some((pid, tree)) = state.hooks.get_mut(id) else {
            return false;
        };
        let pid = *pid;
        tree.collect(&procs)
            .iter()
            .any(|p| !p.zombie && p.pid != pid)
    }

    /// Ends the hook's processes; how many there were.
    pub fn end(&self, id: &str, grace: Duration) -> usize {
        end(grace, || {
            let procs = scan(true);
            let mut state = self.lock();
            match state.hooks.get_mut(id) {
                Some((_, tree)) => (tree.collect(&procs), tree.group.into_iter().collect()),
                None => (Vec::new(), Vec::new()),
            }
        })
    }

    /// Lets the hook's process group go: its first process is about to be reaped, after
    /// which the group's id may be another's.
    pub fn release(&self, id: &str) {
        if let Some((_, tree)) = self.lock().hooks.get_mut(id) {
            tree.group = None;
        }
    }

    /// Forgets a hook whose direct child was reaped, and reaps what it left to us.
    pub fn finish(&self, id: &str) {
        self.lock().hooks.remove(id);
        self.reap();
    }

    /// Quitting: no hook starts any more, and every running one is ended with all it
    /// started; returns how many processes there were.
    pub fn end_all(&self, grace: Duration) -> usize {
        self.lock().closed = true;
        let me = std::process::id() as i32;
        let adopted = SUBREAPER.load(Ordering::Relaxed);
        let ended = end(grace, || {
            let procs = scan(true);
            let mut state = self.lock();
            let mut found: Vec<Proc> = state
                .hooks
                .values_mut()
                .flat_map(|(_, tree)| tree.collect(&procs))
                .collect();
            if adopted {
                found.extend(descendants(&procs, |p| p.ppid == me));
            }
            found.sort_by_key(|p| p.pid);
            found.dedup_by_key(|p| p.pid);
            let groups = state.hooks.values().filter_map(|(_, t)| t.group).collect();
            (found, groups)
        });
        self.reap();
        ended
    }

    /// Reaps the zombies handed to us that no hook thread waits for.
    pub fn reap(&self) {
        if !SUBREAPER.load(Ordering::Relaxed) {
            return;
        }
        let me = std::process::id() as i32;
        let state = self.lock();
        let waited: HashSet<i32> = state.hooks.values().map(|(pid, _)| *pid).collect();
        for p in scan(false) {
            if p.ppid == me && p.zombie && !waited.contains(&p.pid) {
                // One exited child of ours that nobody else waits for (the lock keeps
                // hooks from registering meanwhile).
                crate::os::sys::reap(p.pid);
            }
        }
    }
}

/// SIGTERM to what `find` finds (processes, and process groups whose ids are held),
/// SIGKILL after `grace` to what is left, again until nothing is (a process may fork
/// while it is told to stop); bounded.
fn end(grace: Duration, mut find: impl FnMut() -> (Vec<Proc>, Vec<i32>)) -> usize {
    let mut alive = || {
        let (procs, groups) = find();
        let procs: Vec<Proc> = procs.into_iter().filter(|p| !p.zombie).collect();
        (procs, groups)
    };
    let (first, groups) = alive();
    if first.is_empty() {
        return 0;
    }
    signal(&first, &groups, libc::SIGTERM);
    let deadline = Instant::now() + grace;
    let mut left = (first.clone(), groups);
    while !left.0.is_empty() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
        left = alive();
    }
    for _ in 0..20 {
        if left.0.is_empty() {
            break;
        }
        signal(&left.0, &left.1, libc::SIGKILL);
        thread::sleep(Duration::from_millis(5));
        left = alive();
    }
    first.len()
}

fn signal(procs: &[Proc], groups: &[i32], signal: libc::c_int) {
    for group in groups {
        // The whole group at once, a process forked a moment ago included; its id is
        // still its first process's, not yet reaped.
        crate::os::sys::kill(-group, signal);
        if signal == libc::SIGTERM {
            crate::os::sys::kill(-group, libc::SIGCONT);
        }
    }
    for p in procs {
        // A process found in this hook's tree a moment ago; a stopped one gets SIGCONT
        // so that it can act on SIGTERM.
        crate::os::sys::kill(p.pid, signal);
        if signal == libc::SIGTERM {
            crate::os::sys::kill(p.pid, libc::SIGCONT);
        }
    }
}

/// Makes this process the reaper of its orphaned descendants (Linux), and reaps them
/// as they exit. Err says why not: hooks then still end, but orphans go to init.
pub fn adopt_orphans(running: Arc<Running>) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        crate::os::sys::become_subreaper()
            .map_err(|e| format!("cannot adopt what hooks leave behind: {e}"))?;
        SUBREAPER.store(true, Ordering::Relaxed);
        let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGCHLD])
            .map_err(|e| format!("cannot watch for exited hooks: {e}"))?;
        thread::Builder::new()
            .name("reaper".into())
            .spawn(move || {
                for _ in signals.forever() {
                    running.reap();
                }
            })
            .map_err(|e| format!("cannot start the reaper thread: {e}"))?;
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = running;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc(pid: i32, ppid: i32, hook: Option<&str>) -> Proc {
        Proc {
            pid,
            ppid,
            group: pid,
            start: pid as u64 * 10,
            zombie: false,
            hook: hook.map(String::from),
        }
    }

    #[test]
    fn stat_lines_parse_with_odd_names() {
        let line =
            "4242 (a) b (c) S 17 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10";
        let p = parse_stat(line).unwrap();
        assert_eq!(
            (p.pid, p.ppid, p.start, p.zombie),
            (4242, 17, 987654, false)
        );
        let zombie = line.replace(") S 17", ") Z 17");
        assert!(parse_stat(&zombie).unwrap().zombie);
    }

    #[test]
    fn the_marker_is_read_from_the_environment() {
        assert_eq!(
            hook_id(b"HOME=/root\0ROLLCOACH_HOOK_ID=12-3\0X=1\0"),
            Some("12-3".into())
        );
        assert_eq!(hook_id(b"XROLLCOACH_HOOK_ID=1\0"), None);
    }

    #[test]
    fn the_hooks_group_is_its_own_whatever_the_environment_and_parent() {
        // 400 cleared its environment and was orphaned before any look: its group is
        // still the hook's, until the group is let go.
        let mut tree = Tree::new("9-1".into(), Some(100), Some((100, 1000)));
        let orphan = Proc {
            group: 100,
            ..proc(400, 1, None)
        };
        let procs = vec![orphan.clone(), proc(500, 1, None)];
        assert_eq!(tree.collect(&procs), [orphan]);
        let mut let_go = Tree::new("9-1".into(), None, None);
        assert!(let_go.collect(&procs).is_empty());
    }

    #[test]
    fn a_tree_keeps_what_it_saw_after_its_parents_are_gone() {
        let mut tree = Tree::new("9-1".into(), None, Some((100, 1000)));
        // 100 → 101 → 102, and 200 (setsid, marked) → 201 (environment cleared).
        let first = vec![
            proc(100, 1, None),
            proc(101, 100, None),
            proc(102, 101, None),
            proc(200, 1, Some("9-1")),
            proc(201, 200, None),
            proc(300, 1, Some("9-2")),
        ];
        let mut pids: Vec<i32> = tree.collect(&first).iter().map(|p| p.pid).collect();
        pids.sort();
        assert_eq!(pids, [100, 101, 102, 200, 201]);
        // The root and the middle exit: 102 is re-parented, still known.
        let later = vec![
            proc(102, 1, None),
            proc(201, 1, None),
            proc(300, 1, Some("9-2")),
        ];
        let pids: Vec<i32> = tree.collect(&later).iter().map(|p| p.pid).collect();
        assert_eq!(pids, [102, 201]);
        // A reused pid (another start time) is not ours.
        let reused = vec![Proc {
            start: 5,
            ..proc(102, 1, None)
        }];
        assert!(tree.collect(&reused).is_empty());
    }
}
