//! Spoken cues on a worker: the speech program runs as a child the worker owns, so a
//! key press never waits for it. A new cue ends the one still being spoken: after a
//! skip the person hears where they are, not a queue of steps already gone.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

/// Where the worker says that speech is off (Some, with why), or works again (None).
pub type SpeechReport = Arc<dyn Fn(Option<super::Failure>) + Send + Sync>;

/// The programs looked for on PATH, in this order: speech-dispatcher's client uses the
/// desktop's voice and audio; the espeaks speak by themselves.
pub const PROGRAMS: [&str; 3] = ["spd-say", "espeak-ng", "espeak"];

/// Why nothing is spoken when none of `PROGRAMS` is on PATH.
pub const NONE_FOUND: &str =
    "speech is off: no spd-say, espeak-ng or espeak on PATH; install one or set notify.speak_with";

/// The command a cue is appended to: `speak_with` when given, else the first of
/// `PROGRAMS` on `path`; Err with the line to show when there is none.
pub fn find(speak_with: Option<&[String]>, path: Option<&OsStr>) -> Result<Vec<String>, String> {
    if let Some(argv) = speak_with {
        let program = argv.first().map_or("", String::as_str);
        return if on_path(program, path) {
            Ok(argv.to_vec())
        } else {
            Err(format!(
                "speech is off: notify.speak_with's {program:?} is not a program on PATH; \
                 install it or fix notify.speak_with"
            ))
        };
    }
    let found = PROGRAMS
        .iter()
        .find(|p| on_path(p, path))
        .ok_or_else(|| NONE_FOUND.to_string())?;
    // Each ends its options at `--`: a cue is a step's name from the config, and one
    // that starts with `-` is text to say, never an option.
    Ok(match *found {
        // spd-say hands the text to a daemon and returns at once: `--wait` keeps it
        // alive while it speaks, and the text priority lets a new cue cancel the last.
        "spd-say" => vec![
            "spd-say".into(),
            "--wait".into(),
            "--priority".into(),
            "text".into(),
            "--".into(),
        ],
        program => vec![program.to_string(), "--".into()],
    })
}

/// A program name found in one of `path`'s dirs, or a path to an executable file.
fn on_path(program: &str, path: Option<&OsStr>) -> bool {
    let executable = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.is_empty() {
        return false;
    }
    if program.contains('/') {
        return executable(Path::new(program));
    }
    path.is_some_and(|path| std::env::split_paths(path).any(|dir| executable(&dir.join(program))))
}

/// The cue being spoken, shared with whoever ends the dashboard (the way out, the
/// signal thread), so that no voice outlives it.
#[derive(Default)]
pub struct Speaking {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    child: Option<Child>,
    ended: bool,
    /// The program last started, when it is spd-say: its daemon speaks on after the
    /// client is killed, and is told to stop at the end.
    dispatcher: Option<String>,
}

impl Speaking {
    /// Stops what is being said, and everything after: the dashboard is going.
    pub fn end(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.ended = true;
            silence(&mut state);
            if let Some(program) = state.dispatcher.take() {
                // Not waited for: the way out must not hang on the daemon.
                let _ = Command::new(program)
                    .arg("--cancel")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn();
            }
        }
    }

    /// Stops what is being said and says `cue` with `argv`; Err when it cannot start.
    fn say(&self, argv: &[String], cue: &str) -> Result<(), String> {
        let Ok(mut state) = self.state.lock() else {
            return Ok(());
        };
        silence(&mut state);
        if state.ended {
            return Ok(());
        }
        let (program, args) = argv.split_first().ok_or("no program")?;
        let child = Command::new(program)
            .args(args)
            .arg(cue)
            .stdin(Stdio::null())
            // The terminal is the dashboard's: nothing may be written over it.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // A group of its own, so that ending a wrapper script ends what it started.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {program:?}: {e}"))?;
        state.child = Some(child);
        state.dispatcher = Path::new(program)
            .file_name()
            .is_some_and(|name| name == "spd-say")
            .then(|| program.clone());
        Ok(())
    }
}

/// Ends the cue being spoken (its whole process group) and reaps it. The group is
/// ended even when its first process has exited: a speaker that put itself in the
/// background (`sh -c 'espeak … &'`) is still silenced. Its first process is not
/// reaped before, so the group's id cannot have been taken by another meanwhile.
fn silence(state: &mut State) {
    if let Some(mut child) = state.child.take() {
        if let Ok(pid) = i32::try_from(child.id()) {
            crate::os::sys::kill(-pid, libc::SIGKILL);
        }
        let _ = child.wait();
    }
}

/// A worker that speaks cues, the latest replacing any still being spoken.
pub struct Speech {
    cues: Sender<(Option<Vec<String>>, String)>,
    speaking: Arc<Speaking>,
}

impl Speech {
    /// Starts the worker with the program `find` gave. `report` gets one line, once,
    /// when speech fails, and None when it works again; `told` says the missing program
    /// was already reported.
    pub fn start(found: Result<Vec<String>, String>, told: bool, report: SpeechReport) -> Speech {
        let (cues, inbox) = mpsc::channel::<(Option<Vec<String>>, String)>();
        let speaking = Arc::new(Speaking::default());
        let shared = speaking.clone();
        let spawned = thread::Builder::new().name("speech".into()).spawn(move || {
            let mut said = told;
            while let Ok(mut next) = inbox.recv() {
                // Only the latest of the cues that piled up is worth saying.
                while let Ok(later) = inbox.try_recv() {
                    next = later;
                }
                let (with, cue) = next;
                let spoken = match with.map_or_else(|| found.clone(), Ok) {
                    Ok(argv) => shared
                        .say(&argv, &cue)
                        .map_err(|e| format!("speech is off: {e}; fix notify.speak_with")),
                    Err(line) => Err(line),
                };
                // Said once while it fails; the notice goes once speech works again
                // (a program installed, the config fixed).
                match spoken {
                    Err(line) if !said => {
                        said = true;
                        report(Some(super::Failure::Speech(line)));
                    }
                    Ok(()) if said => {
                        said = false;
                        report(None);
                    }
                    _ => {}
                }
            }
        });
        if let Err(e) = spawned {
            eprintln!("rollcoach: no speech thread: {e}");
        }
        Speech { cues, speaking }
    }

    /// Says `cue`, with `with` when the config gives a program.
    pub fn say(&self, with: Option<Vec<String>>, cue: String) {
        let _ = self.cues.send((with, cue));
    }

    /// What is being spoken, for the way out to end.
    pub fn speaking(&self) -> Arc<Speaking> {
        self.speaking.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The process ids in process group `group`, from /proc.
    fn in_group(group: u32) -> Vec<u32> {
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                // After the command's closing parenthesis: state, ppid, pgrp.
                let fields: Vec<&str> = stat
                    .rsplit_once(')')
                    .map(|(_, rest)| rest.split_whitespace().collect())
                    .unwrap_or_default();
                fields.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(group)
                    && fields.first() != Some(&"Z")
            })
            .collect()
    }

    /// Waits up to 5 s for process group `group` to be running (`running`) or gone.
    fn wait_group(group: u32, running: bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while in_group(group).is_empty() == running {
            assert!(
                std::time::Instant::now() < deadline,
                "group {group}: {:?}, want it {}",
                in_group(group),
                if running { "running" } else { "gone" }
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    #[test]
    fn a_speaker_that_backgrounds_itself_is_still_silenced() {
        let speaking = Speaking::default();
        let argv: Vec<String> = ["sh", "-c", "sleep 300 & exit 0", "--"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let group = |speaking: &Speaking| {
            let state = speaking.state.lock().expect("the state");
            state.child.as_ref().expect("a speaker").id()
        };
        // The next cue silences it, then quitting silences the next.
        speaking.say(&argv, "Roll.").expect("sh starts");
        let first = group(&speaking);
        wait_group(first, true);
        speaking.say(&argv, "Serum.").expect("sh starts");
        let second = group(&speaking);
        wait_group(first, false);
        wait_group(second, true);
        speaking.end();
        wait_group(second, false);
    }

    #[test]
    fn the_first_program_on_path_is_taken() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let espeak = dir.path().join("espeak");
        std::fs::write(&espeak, "#!/bin/sh\n").expect("write");
        std::fs::set_permissions(&espeak, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let path = dir.path().as_os_str();
        assert_eq!(
            find(None, Some(path)),
            Ok(vec!["espeak".to_string(), "--".to_string()]),
            "the cue comes after `--`"
        );
    }

    #[test]
    fn none_on_path_says_what_to_do() {
        let dir = tempfile::tempdir().expect("a temp dir");
        assert_eq!(
            find(None, Some(dir.path().as_os_str())),
            Err(NONE_FOUND.to_string())
        );
        assert_eq!(find(None, None), Err(NONE_FOUND.to_string()));
    }

    #[test]
    fn a_given_program_that_is_not_there_is_named() {
        let argv = vec!["/nowhere/speaker".to_string(), "-s".into()];
        let why = find(Some(&argv), None).expect_err("not there");
        assert!(why.contains("\"/nowhere/speaker\""), "{why}");
    }
}
