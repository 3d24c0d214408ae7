//! The dashboard in a tmux pane of the sandbox's own tmux server.
//!
//! The pane's shell runs `rollcoach`, then writes its exit code and `stty -a` to files,
//! says "rollcoach exited" and stays alive, so a test can wait for the exit and look at
//! the terminal it left behind. It waits by reading its terminal, not by sleeping, so
//! that once the terminal is gone it ends too (also where it ignores SIGHUP).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{DEADLINE, Need, Sandbox, child_named, poll, quote, require};

impl Sandbox {
    /// `tmux` talking to this sandbox's server only.
    pub fn tmux(&self) -> Command {
        let mut command = Command::new("tmux");
        self.isolate(&mut command)
            .env("TMUX_TMPDIR", self.root())
            .env("SHELL", "/bin/sh")
            .args(["-f", "/dev/null"]);
        command
    }

    /// Runs a tmux command that must succeed; its stdout.
    pub fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Opens the dashboard in a new 100x30 tmux session called `name`.
    pub fn open(&self, name: &str) -> Pane<'_> {
        self.open_sized(name, 100, "")
    }

    /// Opens the dashboard with TERM set to `term` (empty: unset).
    pub fn open_with_term(&self, name: &str, term: &str) -> Pane<'_> {
        let env = match term {
            "" => "-u TERM ".to_string(),
            t => format!("TERM={} ", quote(t)),
        };
        self.open_sized(name, 100, &env)
    }

    /// Opens the dashboard with `env` (`NAME=value `, quoted for sh) in its environment.
    pub fn open_with_env(&self, name: &str, env: &str) -> Pane<'_> {
        self.open_sized(name, 100, env)
    }

    /// Opens the dashboard in a new tmux session `width` columns by 30 rows, with `env`
    /// (`NAME=value ` words for `env(1)`, quoted for sh) in its environment.
    pub fn open_sized(&self, name: &str, width: u16, env: &str) -> Pane<'_> {
        self.open_after(name, width, "", env)
    }

    /// Opens the dashboard after the shell commands `first` (e.g. `trap '' HUP; `).
    pub fn open_after(&self, name: &str, width: u16, first: &str, env: &str) -> Pane<'_> {
        self.open_on(name, width, first, env, Some(&self.config()))
    }

    /// Opens the dashboard with no `--config`: the built-in routine, while the sandbox's
    /// XDG config dir holds none.
    #[allow(dead_code)]
    pub fn open_built_in(&self, name: &str) -> Pane<'_> {
        self.open_on(name, 100, "", "", None)
    }

    /// Runs `rollcoach ARGS` (words quoted for sh) on the sandbox's config in a pane.
    #[allow(dead_code)]
    pub fn open_command(&self, name: &str, args: &str) -> Pane<'_> {
        let config = self.config();
        self.open_full(name, 100, "", "", Some(&config), args)
    }

    fn open_on(
        &self,
        name: &str,
        width: u16,
        first: &str,
        env: &str,
        config: Option<&Path>,
    ) -> Pane<'_> {
        self.open_full(name, width, first, env, config, "")
    }

    fn open_full(
        &self,
        name: &str,
        width: u16,
        first: &str,
        env: &str,
        config: Option<&Path>,
        args: &str,
    ) -> Pane<'_> {
        require(&[Need::Tmux]);
        let pane = Pane {
            sandbox: self,
            name: name.to_string(),
        };
        let rc = pane.rc_path();
        let rc_tmp = self.path(&format!("{name}.rc.tmp"));
        // `env` takes its options (`-u TERM`) before the first assignment.
        // Nothing of the test run's own ROLLCOACH_ variables (`.ci/run` sets one for
        // the property tests) reaches the dashboard or its hooks.
        let unset: String = std::env::vars()
            .map(|(name, _)| name)
            .chain(["ROLLCOACH_CONFIG".into(), "ROLLCOACH_DATA_DIR".into()])
            .filter(|name| name.starts_with("ROLLCOACH_"))
            .map(|name| format!("-u {name} "))
            .collect();
        let mut script = format!("{first}env {unset}{env}");
        for (var, value) in self.isolated_env() {
            script.push_str(&format!("{var}={} ", quote(value)));
        }
        script.push_str(&format!(
            "{bin} {config}--data-dir {data} {args}; \
             echo $? > {rc_tmp}; stty -a > {stty} 2>&1; mv {rc_tmp} {rc}; \
             echo 'rollcoach exited'; read -r _",
            bin = quote(env!("CARGO_BIN_EXE_rollcoach")),
            config = config.map_or(String::new(), |c| format!("--config {} ", quote(c))),
            data = quote(self.data_dir()),
            rc_tmp = quote(&rc_tmp),
            stty = quote(pane.stty_path()),
            rc = quote(&rc),
        ));
        self.tmux_ok(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            &width.to_string(),
            "-y",
            "30",
            &script,
        ]);
        pane
    }
}

/// One tmux session running the dashboard.
pub struct Pane<'a> {
    pub sandbox: &'a Sandbox,
    pub name: String,
}

impl Pane<'_> {
    /// Where the pane's shell writes rollcoach's exit code.
    pub fn rc_path(&self) -> PathBuf {
        self.sandbox.path(&format!("{}.rc", self.name))
    }

    /// Where the pane's shell writes `stty -a` after rollcoach exits.
    pub fn stty_path(&self) -> PathBuf {
        self.sandbox.path(&format!("{}.stty", self.name))
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        self.sandbox
            .tmux_ok(&["capture-pane", "-p", "-t", &self.name])
    }

    /// The screen with its attributes as escape sequences.
    pub fn screen_escaped(&self) -> String {
        self.sandbox
            .tmux_ok(&["capture-pane", "-p", "-e", "-t", &self.name])
    }

    /// A tmux format evaluated for this pane.
    pub fn format(&self, format: &str) -> String {
        self.sandbox
            .tmux_ok(&["display-message", "-p", "-t", &self.name, format])
            .trim()
            .to_string()
    }

    /// Presses keys (tmux key names: "Space", "q").
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        self.sandbox.tmux_ok(&args);
    }

    /// Resizes the window (and so the pane).
    pub fn resize(&self, width: u16, height: u16) {
        self.sandbox.tmux_ok(&[
            "resize-window",
            "-t",
            &self.name,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
        assert_eq!(
            self.format("#{window_width}x#{window_height}"),
            format!("{width}x{height}"),
            "tmux did not resize the window"
        );
    }

    /// Whether rollcoach still runs, as a failure message says it.
    fn state(&self) -> String {
        fs::read_to_string(self.rc_path())
            .map_or("still running".into(), |rc| format!("exited {}", rc.trim()))
    }

    /// Polls the screen until `ok` holds; the screen then.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        poll(
            &format!("{what} in pane {}", self.name),
            DEADLINE,
            || {
                let screen = self.screen();
                ok(&screen).then_some(screen)
            },
            || format!("(rollcoach {})\n{}", self.state(), self.screen()),
        )
    }

    /// Polls the screen until it shows `text`.
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for rollcoach to exit; its exit code as the pane's shell saw it.
    pub fn wait_exit(&self) -> i32 {
        poll(
            &format!("rollcoach to exit in pane {}", self.name),
            DEADLINE,
            || {
                let rc = fs::read_to_string(self.rc_path()).ok()?;
                Some(rc.trim().parse().expect("an exit code"))
            },
            || self.screen(),
        )
    }

    /// The pid of rollcoach: the child of the pane's shell.
    pub fn rollcoach_pid(&self) -> i32 {
        let shell: i32 = self
            .format("#{pane_pid}")
            .parse()
            .expect("tmux prints the pane's pid");
        poll(
            &format!("a rollcoach process under the pane's shell {shell}"),
            DEADLINE,
            || child_named(shell, "rollcoach"),
            || self.screen(),
        )
    }

    /// Sends a signal to rollcoach.
    pub fn signal(&self, signal: libc::c_int) {
        let pid = self.rollcoach_pid();
        // SAFETY: kill(2) on a pid this test started (a child of its own tmux pane).
        let r = unsafe { libc::kill(pid, signal) };
        assert_eq!(r, 0, "kill({pid}, {signal}) failed");
    }

    /// The lines of a file once it has `count` of them; the screen is shown if it never
    /// does.
    pub fn wait_lines(&self, path: &Path, count: usize) -> Vec<String> {
        let lines = || -> Vec<String> {
            let text = fs::read_to_string(path).unwrap_or_default();
            text.lines().map(str::to_string).collect()
        };
        poll(
            &format!("{count} lines in {}", path.display()),
            DEADLINE,
            || {
                let lines = lines();
                (lines.len() >= count).then_some(lines)
            },
            || format!("{:?}; last screen:\n{}", lines(), self.screen()),
        )
    }

    /// After rollcoach exited: the shell's terminal is as it was before.
    pub fn assert_terminal_restored(&self) {
        self.assert_screen_and_modes_restored();
        self.assert_cursor_shown();
    }

    /// After rollcoach exited: the cursor is visible again.
    pub fn assert_cursor_shown(&self) {
        self.wait_text("rollcoach exited");
        assert_eq!(
            self.format("#{cursor_flag}"),
            "1",
            "the cursor was left hidden"
        );
    }

    /// After rollcoach exited: the primary screen is back, the tty in cooked mode.
    pub fn assert_screen_and_modes_restored(&self) {
        self.wait_text("rollcoach exited");
        assert_eq!(
            self.format("#{alternate_on}"),
            "0",
            "the alternate screen was left on"
        );
        let stty = fs::read_to_string(self.stty_path()).expect("the pane wrote stty -a");
        let flags: Vec<&str> = stty.split_whitespace().collect();
        for flag in ["icanon", "echo", "isig"] {
            assert!(
                flags.contains(&flag),
                "the terminal was left without {flag} (raw mode?): {stty}"
            );
        }
    }
}
