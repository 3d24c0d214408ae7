//! Completions through the shells' own protocol, the man page as `man` renders it, and
//! the command table of docs/COMMANDS.md against the clap definitions `--help` prints.
//!
//! Each test runs the built binary in a temp dir with its own HOME, XDG dirs and data
//! dir, no `ROLLCOACH_*` from the environment, and `TZ=UTC`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use clap::CommandFactory as _;
use rollcoach::cli::Cli;
use rollcoach::routine::keys::Action;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_rollcoach");

/// Two routines, one product whose name has a space, check-in questions for holds.
const CONFIG: &str = r#"(
    products: [(name: "Night cream", actives: [HyaluronicAcid])],
    routines: [
        (name: "sunrise", at: "07:00", steps: [(name: "Cleanse", kind: Cleanse, duration: "1m")]),
        (name: "moonlight", steps: [(name: "Cream", kind: Moisturise, duration: "1m", product: "Night cream")]),
    ],
)"#;

struct Home {
    root: TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            root: tempfile::tempdir().expect("a temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, text).expect("write");
        path
    }

    /// A command in this home: the binary, or a shell that runs it.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.root.path())
            .env_remove("ROLLCOACH_CONFIG")
            .env_remove("ROLLCOACH_DATA_DIR")
            .env_remove("COMPLETE")
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("TZ", "UTC")
            .stdin(Stdio::null());
        cmd
    }

    /// `rollcoach ARGS`, which must succeed; its stdout.
    fn rollcoach(&self, args: &[&str]) -> String {
        let out = self
            .command(BIN)
            .args(args)
            .output()
            .expect("run rollcoach");
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Completes the last of `words` the way bash does at a Tab: sources the script
    /// `rollcoach completions bash` prints, sets COMP_WORDS, COMP_CWORD, COMP_LINE and
    /// COMP_POINT, calls the function it registered for `rollcoach`, prints COMPREPLY.
    fn bash(&self, words: &[&str], env: &[(&str, &Path)]) -> (Vec<String>, Output) {
        let script = self.write("rollcoach.bash", &self.rollcoach(&["completions", "bash"]));
        let quoted: Vec<String> = words.iter().map(|w| shell_quote(w)).collect();
        let line = words.join(" ");
        let current = words.last().expect("a word");
        let previous = words.len().checked_sub(2).map_or("", |i| words[i]);
        let program = format!(
            r#"source {script}
func=$(complete -p rollcoach | sed -E 's/.* -F ([^ ]+) .*/\1/')
COMP_WORDS=({words})
COMP_CWORD={cword}
COMP_LINE={line}
COMP_POINT=${{#COMP_LINE}}
COMP_TYPE=9
"$func" rollcoach {current} {previous}
printf '%s\n' "${{COMPREPLY[@]}}""#,
            script = shell_quote(&script.to_string_lossy()),
            words = quoted.join(" "),
            cword = words.len() - 1,
            line = shell_quote(&line),
            current = shell_quote(current),
            previous = shell_quote(previous),
        );
        let mut cmd = self.command("bash");
        cmd.arg("-c").arg(program);
        for (name, value) in env {
            cmd.env(name, value);
        }
        let out = cmd.output().expect("run bash");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let reply = stdout
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        (reply, out)
    }

    /// The env-var protocol itself: `COMPLETE=SHELL rollcoach -- WORDS`, the last word
    /// the one completed; each candidate on its line (fish adds a tab and its help).
    fn protocol(&self, shell: &str, words: &[&str]) -> (Vec<String>, Output) {
        let out = self
            .command(BIN)
            .env("COMPLETE", shell)
            .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
            .arg("--")
            .args(words)
            .output()
            .expect("run rollcoach");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let reply = stdout.lines().map(String::from).collect();
        (reply, out)
    }
}

fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

fn has(reply: &[String], value: &str) -> bool {
    reply.iter().any(|r| r == value)
}

#[test]
fn bash_completes_the_routines_of_the_config_on_the_line() {
    let home = Home::new();
    let config = home.write("mine.ron", CONFIG);
    let config = config.to_str().expect("utf-8");
    let (reply, out) = home.bash(&["rollcoach", "--config", config, "done", ""], &[]);
    assert!(
        has(&reply, "sunrise") && has(&reply, "moonlight"),
        "{reply:?} {out:?}"
    );
    assert!(!has(&reply, "evening"), "not the built-in's: {reply:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    // A prefix narrows them; the config may come after the command too.
    let (reply, _) = home.bash(&["rollcoach", "done", "--config", config, "moo"], &[]);
    assert_eq!(reply, ["moonlight"]);
}

#[test]
fn bash_completes_the_routines_of_rollcoach_config_or_the_built_in() {
    let home = Home::new();
    let config = home.write("mine.ron", CONFIG);
    let (reply, _) = home.bash(&["rollcoach", "done", ""], &[("ROLLCOACH_CONFIG", &config)]);
    assert!(has(&reply, "sunrise"), "{reply:?}");
    // No config at the default path: the built-in routine, as `done` would use.
    let (reply, out) = home.bash(&["rollcoach", "done", ""], &[]);
    assert!(
        has(&reply, "morning") && has(&reply, "evening"),
        "{reply:?}"
    );
    assert!(
        out.stderr.is_empty(),
        "no built-in notice at a Tab: {out:?}"
    );
    // The default path's config once there is one.
    let default = home.path("xdg-config").join("rollcoach");
    fs::create_dir_all(&default).expect("mkdir");
    fs::write(default.join("config.ron"), CONFIG).expect("write");
    let (reply, _) = home.bash(&["rollcoach", "done", ""], &[]);
    assert!(
        has(&reply, "sunrise") && !has(&reply, "morning"),
        "{reply:?}"
    );
}

#[test]
fn a_broken_or_missing_config_completes_no_names_and_prints_nothing() {
    let home = Home::new();
    let broken = home.write("broken.ron", "(routines: [ (name: \"sunrise\", steps: [");
    for config in [broken, home.path("missing.ron")] {
        let config = config.to_str().expect("utf-8");
        for words in [
            &["rollcoach", "--config", config, "done", ""][..],
            &["rollcoach", "--config", config, "shelf", "open", ""],
            &["rollcoach", "--config", config, "hold", "clear", ""],
        ] {
            let (reply, out) = home.bash(words, &[]);
            assert!(out.stderr.is_empty(), "{words:?}: {out:?}");
            assert!(
                reply.iter().all(|r| r.starts_with('-')),
                "only options for {words:?}: {reply:?}"
            );
        }
    }
}

#[test]
fn bash_completes_products_escaped_actions_holds_and_days() {
    let home = Home::new();
    let config = home.write("mine.ron", CONFIG);
    let config = config.to_str().expect("utf-8");
    let data = home.path("data");
    let data = data.to_str().expect("utf-8");
    let base = ["rollcoach", "--config", config, "--data-dir", data];
    let line = |rest: &[&'static str]| -> Vec<&str> { base.iter().chain(rest).copied().collect() };

    let (reply, _) = home.bash(&line(&["shelf", "open", "Ni"]), &[]);
    assert_eq!(reply, [r"Night\ cream"], "bash inserts it as one word");

    let (reply, _) = home.bash(&line(&["ctl", ""]), &[]);
    for action in Action::SENDABLE {
        assert!(
            has(&reply, &action.command_name()),
            "{action:?} in {reply:?}"
        );
    }
    assert!(
        !has(&reply, "history"),
        "screen actions are not sent: {reply:?}"
    );

    let (reply, _) = home.bash(&line(&["hold", "clear", ""]), &[]);
    assert!(!has(&reply, "1"), "no hold yet: {reply:?}");
    home.rollcoach(&[
        "--config",
        config,
        "--data-dir",
        data,
        "hold",
        "add",
        "Pregnant?",
    ]);
    home.rollcoach(&[
        "--config",
        config,
        "--data-dir",
        data,
        "hold",
        "add",
        "Keloids?",
    ]);
    let (reply, _) = home.bash(&line(&["hold", "clear", ""]), &[]);
    assert!(
        has(&reply, "1") && has(&reply, "2") && !has(&reply, "3"),
        "{reply:?}"
    );

    let (reply, _) = home.bash(&line(&["done", "--date", ""]), &[]);
    let days: Vec<chrono::NaiveDate> = reply
        .iter()
        .filter_map(|r| chrono::NaiveDate::parse_from_str(r, "%Y-%m-%d").ok())
        .collect();
    assert_eq!(days.len(), 2, "today and yesterday: {reply:?}");
    assert_eq!(days[0] - days[1], chrono::Duration::days(1));
    // The day starts at 04:00: before then it is still yesterday.
    let now = chrono::Utc::now().naive_utc();
    let today = [now.date(), (now - chrono::Duration::hours(4)).date()];
    assert!(today.contains(&days[0]), "{days:?} against {now}");
    let (reply, _) = home.bash(&line(&["plan", "--from", ""]), &[]);
    assert!(has(&reply, &days[0].to_string()), "{reply:?}");
}

#[test]
fn the_env_protocol_answers_each_shell_and_prints_the_script_without_words() {
    let home = Home::new();
    let config = home.write("mine.ron", CONFIG);
    let config = config.to_str().expect("utf-8");
    let (reply, out) = home.protocol("bash", &["rollcoach", "--config", config, "done", "s"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(reply, ["sunrise"]);
    // fish and zsh get the help beside each value.
    let (reply, _) = home.protocol("fish", &["rollcoach", "--config", config, "done", "s"]);
    assert_eq!(reply, ["sunrise\tat 07:00"]);
    let (reply, _) = home.protocol(
        "zsh",
        &["rollcoach", "--config", config, "shelf", "open", ""],
    );
    assert!(
        reply.iter().any(|r| r.starts_with("Night cream")),
        "{reply:?}"
    );
    // Subcommands come from the same definitions as --help.
    let (reply, _) = home.protocol("bash", &["rollcoach", "sh"]);
    assert_eq!(reply, ["shelf"]);
    // No words: the registration script, as `completions` prints it.
    let script = home
        .command(BIN)
        .env("COMPLETE", "bash")
        .output()
        .expect("run");
    assert!(script.status.success());
    let script = String::from_utf8_lossy(&script.stdout);
    assert!(script.contains("complete -o nospace"), "{script}");
    assert_eq!(script, home.rollcoach(&["completions", "bash"]));
    // An unknown shell says so and exits 2; `COMPLETE=0` is an ordinary run.
    let out = home
        .command(BIN)
        .env("COMPLETE", "tcsh")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("tcsh"));
    let out = home
        .command(BIN)
        .env("COMPLETE", "0")
        .arg("--version")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rollcoach "));
}

/// The top-level commands as `rollcoach --help` lists them.
fn help_commands(home: &Home) -> Vec<String> {
    let help = home.rollcoach(&["--help"]);
    let listed = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "));
    listed
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn the_man_page_names_every_command_action_and_section() {
    let home = Home::new();
    let page = home.rollcoach(&["man"]);
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "KEYS",
        "CONFIG",
        "FILES",
        "ENVIRONMENT",
        "\"EXIT STATUS\"",
        "\"SEE ALSO\"",
    ] {
        assert!(page.contains(&format!("\n.SH {section}\n")), "{section}");
    }
    assert!(
        !page.contains("rollcoach\\-check(1)"),
        "no sub-page that is not made"
    );
    let commands = help_commands(&home);
    assert!(commands.len() > 10, "{commands:?}");
    for command in &commands {
        let heading = format!(".SS \"rollcoach {}\"", command.replace('-', "\\-"));
        assert!(page.contains(&heading), "{command}");
    }
    for nested in ["photo add", "shelf open", "hold clear"] {
        assert!(
            page.contains(&format!(".SS \"rollcoach {nested}\"")),
            "{nested}"
        );
    }
    for action in Action::ALL {
        assert!(
            page.contains(&action.name().replace('-', "\\-")),
            "{action:?}"
        );
        assert!(
            page.contains(&action.help().replace('-', "\\-")),
            "{action:?}"
        );
    }
    for file in [
        "journal.jsonl",
        "journal.index",
        "session.json",
        "hooks.log",
        "photos/",
        "lock",
        "ctl.sock",
    ] {
        assert!(page.contains(file), "{file}");
    }
    for var in [
        "ROLLCOACH_CONFIG",
        "ROLLCOACH_DATA_DIR",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_RUNTIME_DIR",
        "TZ",
        "NO_COLOR",
    ] {
        assert!(page.contains(&format!("\\fB{var}\\fR")), "{var}");
    }
    for code in ["0", "1", "2"] {
        assert!(
            page.contains(&format!(".TP\n\\fB{code}\\fR\n")),
            "exit {code}"
        );
    }
}

#[test]
#[ignore = "needs man (man-db)"]
fn man_renders_the_page_without_a_warning() {
    let home = Home::new();
    let page = home.path("rollcoach.1");
    fs::write(&page, home.rollcoach(&["man"])).expect("write the page");
    let man = home
        .command("man")
        .arg("-l")
        .arg(&page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output();
    let out = match man {
        Ok(out) => out,
        Err(e) => panic!("man: {e} (install man-db)"),
    };
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for heading in [
        "COMMANDS",
        "KEYS",
        "CONFIG",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
    ] {
        assert!(text.lines().any(|l| l == heading), "{heading} in\n{text}");
    }
    assert!(
        text.contains("rollcoach done [OPTIONS] <ROUTINE>"),
        "{text}"
    );
    assert!(text.contains("start / pause"), "{text}");
}

/// The command paths clap defines: `shelf` and `shelf open`, `photo add` (not `photo`,
/// which needs one).
fn clap_paths(cmd: &clap::Command, prefix: &str, out: &mut BTreeSet<String>) {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        let path = format!("{prefix}{}", sub.get_name());
        if !sub.is_subcommand_required_set() {
            out.insert(path.clone());
        }
        clap_paths(sub, &format!("{path} "), out);
    }
}

/// The command paths the command table of docs/COMMANDS.md names: the words of each
/// row's first cell up to its first argument; `[list]` names both `hold` and `hold list`.
fn readme_paths() -> BTreeSet<String> {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/COMMANDS.md"))
        .expect("docs/COMMANDS.md");
    let table = readme
        .lines()
        .skip_while(|l| *l != "## Commands")
        .take_while(|l| !l.starts_with("## ") || *l == "## Commands");
    let mut paths = BTreeSet::new();
    for row in table.filter_map(|l| l.strip_prefix("| `")) {
        let cell = row.split('`').next().unwrap_or_default();
        let mut path: Vec<&str> = Vec::new();
        for word in cell.split_whitespace() {
            let bare = word.trim_start_matches('[').trim_end_matches(']');
            let is_word =
                !bare.is_empty() && bare.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            if !is_word || bare.starts_with('-') {
                break;
            }
            if bare != word {
                paths.insert(path.join(" "));
            }
            path.push(bare);
        }
        paths.insert(path.join(" "));
    }
    paths
}

#[test]
fn the_readme_command_table_and_help_name_the_same_commands() {
    let mut defined = BTreeSet::new();
    clap_paths(&Cli::command(), "", &mut defined);
    let documented = readme_paths();
    let missing: Vec<_> = defined.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&defined).collect();
    assert!(
        missing.is_empty(),
        "in --help, not in the table of docs/COMMANDS.md: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "in the table of docs/COMMANDS.md, not in --help: {extra:?}"
    );
    // And --help itself lists every top-level one.
    let home = Home::new();
    let top: BTreeSet<String> = defined
        .iter()
        .map(|p| p.split(' ').next().unwrap_or_default().to_string())
        .collect();
    let listed: BTreeSet<String> = help_commands(&home).into_iter().collect();
    assert_eq!(top, listed);
}
