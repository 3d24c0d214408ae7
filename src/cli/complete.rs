//! Completions that know the person's data, through clap_complete's dynamic engine: the
//! script `rollcoach completions SHELL` prints calls `COMPLETE=SHELL rollcoach -- WORDS`
//! at each Tab, and the answer comes from the same clap definitions as `--help`, with
//! the values of a few arguments read from the config and journal the command line would
//! use (`--config`, `$ROLLCOACH_CONFIG`, the default path, else the built-in routine):
//! routine names after `done`, product names after `shelf open`, the actions `ctl`
//! sends, the standing holds after `hold clear`, and today and yesterday for `--date`.
//!
//! Completing writes nothing and prints nothing but candidates: a config or journal that
//! cannot be read completes nothing for its values, never an error on the terminal.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::CommandFactory as _;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::{CompleteEnv, Shells};

use super::*;

/// The variable the registration scripts set to the shell's name.
pub const VAR: &str = "COMPLETE";

/// The arguments that take a day (`--date`, `--from`).
const DAY_ARGS: [&str; 2] = ["date", "from"];

/// Answers the shell when `$COMPLETE` names one, before the command line is parsed:
/// `Some(code)` when it did (the process ends with it), `None` for an ordinary run.
pub fn answer() -> Option<ExitCode> {
    let shell = std::env::var_os(VAR)?;
    if shell.is_empty() || shell == "0" {
        return None;
    }
    let args: Vec<OsString> = std::env::args_os().collect();
    // The words the shell gives come after `--`; without them, the script is asked for.
    let words = args.iter().position(|a| a == "--").map(|i| &args[i + 1..]);
    let asked = words.is_some();
    let sources = Arc::new(Sources::from_words(words.unwrap_or_default(), &shell));
    let here = std::env::current_dir().ok();
    let env = CompleteEnv::with_factory(move || command(&sources)).var(VAR);
    match env.try_complete(args, here.as_deref()) {
        Ok(true) => Some(ExitCode::SUCCESS),
        Ok(false) => None,
        // At a Tab, silence: the shell shows nothing rather than an error mid-line.
        Err(_) if asked => Some(ExitCode::FAILURE),
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "rollcoach: {err}");
            Some(ExitCode::from(2))
        }
    }
}

/// Writes the script that registers these completions with `shell`, calling `completer`
/// (the program as it was run: `rollcoach` on the PATH, or a path to it).
pub fn registration(
    shell: clap_complete::Shell,
    completer: &str,
    out: &mut impl Write,
) -> Result<()> {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let Some(adapter) = shells.completer(&name) else {
        return Err(BadInput(format!("no completions for {name}")).into());
    };
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    adapter.write_registration(VAR, cmd.get_name(), cmd.get_name(), completer, &mut script)?;
    out.write_all(&script)?;
    Ok(())
}

/// The program as the person ran it, for the script to call back: a bare name is looked
/// up on the PATH then, a relative path is made absolute now.
pub fn completer() -> String {
    let argv0 = std::env::args_os()
        .next()
        .unwrap_or_else(|| "rollcoach".into());
    let mut path = PathBuf::from(argv0);
    if path.components().count() > 1
        && let Ok(here) = std::env::current_dir()
    {
        path = here.join(path);
    }
    path.to_string_lossy().into_owned()
}

/// Where the values come from, as the command line being completed names them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Sources {
    /// `--config` on the line, else `$ROLLCOACH_CONFIG`.
    config: Option<PathBuf>,
    /// `--data-dir` on the line, else `$ROLLCOACH_DATA_DIR`.
    data_dir: Option<PathBuf>,
    /// The shell is bash, which inserts a candidate as it is: spaces are escaped.
    bash: bool,
}

impl Sources {
    /// Reads `--config` and `--data-dir` from the words, the variables their definitions
    /// name where the words have none.
    fn from_words(words: &[OsString], shell: &OsStr) -> Sources {
        let cmd = Cli::command();
        let from_env = |id: &str| {
            let arg = cmd.get_arguments().find(|a| a.get_id() == id)?;
            let value = std::env::var_os(arg.get_env()?)?;
            (!value.is_empty()).then(|| PathBuf::from(value))
        };
        let on_line = |long: &str| {
            let flag = format!("--{long}");
            let with = format!("--{long}=");
            let mut found = None;
            for (i, word) in words.iter().enumerate() {
                let text = word.to_string_lossy();
                if text == flag {
                    found = words.get(i + 1).map(PathBuf::from);
                } else if let Some(value) = text.strip_prefix(&with) {
                    found = Some(PathBuf::from(value));
                }
            }
            found.filter(|p| !p.as_os_str().is_empty())
        };
        let shell = std::path::Path::new(shell).file_stem().unwrap_or(shell);
        Sources {
            config: on_line("config").or_else(|| from_env("config")),
            data_dir: on_line("data-dir").or_else(|| from_env("data_dir")),
            bash: shell == "bash",
        }
    }

    /// The config the command would load, read quietly; `None` when it cannot be.
    fn config(&self) -> Option<Context> {
        let cli = Cli {
            config: self.config.clone(),
            data_dir: self.data_dir.clone(),
            command: None,
        };
        let (config_path, named) = config_path(&cli).ok()?;
        let built_in = !named && !config_path.exists();
        let config = if built_in {
            config::parse(BUILT_IN).ok()?
        } else {
            config::load(&config_path).ok()?
        };
        Some(Context {
            config,
            config_path,
            built_in,
            data_dir: data_dir(&cli).ok()?,
        })
    }

    /// A candidate as the shell should insert it.
    fn candidate(&self, value: &str) -> CompletionCandidate {
        if !self.bash {
            return CompletionCandidate::new(value);
        }
        let mut escaped = String::with_capacity(value.len());
        for c in value.chars() {
            if !(c.is_alphanumeric() || "_-.,:/@%+=^".contains(c)) {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        CompletionCandidate::new(escaped)
    }
}

/// The clap definitions of `--help` with the completers of the values that come from
/// the person's data.
fn command(sources: &Arc<Sources>) -> clap::Command {
    let values = |find: fn(&Sources) -> Vec<CompletionCandidate>| {
        let sources = Arc::clone(sources);
        ArgValueCandidates::new(move || find(&sources))
    };
    let (routines, products, holds) = (values(routines), values(products), values(holds));
    let (actions, days) = (values(actions), values(days));
    let on = |arg: &'static str, completer: ArgValueCandidates| {
        move |a: clap::Arg| {
            if a.get_id() == arg {
                a.add(completer.clone())
            } else {
                a
            }
        }
    };
    Cli::command()
        .mut_subcommands(move |sub| match sub.get_name() {
            "done" => sub.mut_args(on("routine", routines.clone())),
            "ctl" => sub.mut_args(on("action", actions.clone())),
            "shelf" => sub.mut_subcommands(|open| open.mut_args(on("name", products.clone()))),
            "hold" => sub.mut_subcommands(|clear| match clear.get_name() {
                "clear" => clear.mut_args(on("which", holds.clone())),
                _ => clear,
            }),
            _ => sub,
        })
        .mut_subcommands(move |sub| with_days(sub, &days))
}

/// Adds the day completer to every `--date` and `--from`, in subcommands too.
fn with_days(cmd: clap::Command, days: &ArgValueCandidates) -> clap::Command {
    cmd.mut_args(|a| {
        if DAY_ARGS.contains(&a.get_id().as_str()) {
            a.add(days.clone())
        } else {
            a
        }
    })
    .mut_subcommands(|sub| with_days(sub, days))
}

/// The config's routines, each with its time.
fn routines(sources: &Sources) -> Vec<CompletionCandidate> {
    let Some(ctx) = sources.config() else {
        return Vec::new();
    };
    let routines = ctx.config.routines.iter();
    let at = |r: &config::Routine| r.at.map(|at| format!("at {at}"));
    routines
        .map(|r| sources.candidate(&r.name).help(at(r).map(Into::into)))
        .collect()
}

/// The config's products, each with its actives.
fn products(sources: &Sources) -> Vec<CompletionCandidate> {
    let Some(ctx) = sources.config() else {
        return Vec::new();
    };
    let products = ctx.config.products.iter();
    products
        .map(|p| {
            let actives: Vec<&str> = p.actives.iter().map(|a| a.as_str()).collect();
            let help = (!actives.is_empty()).then(|| actives.join(", ").into());
            sources.candidate(&p.name).help(help)
        })
        .collect()
}

/// The actions `ctl` sends, with what each does.
fn actions(sources: &Sources) -> Vec<CompletionCandidate> {
    let sendable = crate::routine::keys::Action::SENDABLE.iter();
    sendable
        .map(|a| {
            sources
                .candidate(&a.command_name())
                .help(Some(a.help().into()))
        })
        .collect()
}

/// The holds standing today, by their number in `hold list`, each with its question.
fn holds(sources: &Sources) -> Vec<CompletionCandidate> {
    let Some(ctx) = sources.config() else {
        return Vec::new();
    };
    let day = ctx.today(ctx.now());
    // Read straight from the journal: completing never rewrites the index.
    let Ok(journal) = journal::read_for_plan(&ctx.journal_path(), day, false) else {
        return Vec::new();
    };
    let holds = journal.holds(day);
    let ask = |ask: &str| Some(crate::dashboard::ui::clean(ask).into());
    let numbered = holds.iter().enumerate();
    numbered
        .map(|(i, h)| sources.candidate(&(i + 1).to_string()).help(ask(&h.ask)))
        .collect()
}

/// Today and yesterday as `--date` takes them, by the config's `day_starts_at` when it
/// loads.
fn days(sources: &Sources) -> Vec<CompletionCandidate> {
    let now = Local::now().naive_local();
    let today = match sources.config() {
        Some(ctx) => ctx.today(now),
        None => now.date(),
    };
    let days = [
        (today, "today"),
        (today - chrono::Days::new(1), "yesterday"),
    ];
    days.into_iter()
        .map(|(day, word)| {
            let help = Some(word.into());
            sources
                .candidate(&day.format("%Y-%m-%d").to_string())
                .help(help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn the_config_and_data_dir_are_read_from_the_line_being_completed() {
        let s = Sources::from_words(
            &words("rollcoach --config a.ron done --data-dir=d ev"),
            OsStr::new("bash"),
        );
        assert_eq!(s.config, Some(PathBuf::from("a.ron")));
        assert_eq!(s.data_dir, Some(PathBuf::from("d")));
        assert!(s.bash);
        let s = Sources::from_words(
            &words("rollcoach done --config"),
            OsStr::new("/usr/bin/zsh"),
        );
        assert!(s.config.is_none() || std::env::var_os("ROLLCOACH_CONFIG").is_some());
        assert!(!s.bash);
    }

    #[test]
    fn bash_gets_spaces_and_quotes_escaped() {
        let bash = Sources {
            bash: true,
            ..Sources::default()
        };
        let value =
            |s: &Sources, v: &str| s.candidate(v).get_value().to_string_lossy().into_owned();
        assert_eq!(value(&bash, "Retinol 0.3%"), "Retinol\\ 0.3%");
        assert_eq!(value(&bash, "it's"), "it\\'s");
        assert_eq!(value(&Sources::default(), "Retinol 0.3%"), "Retinol 0.3%");
    }

    #[test]
    fn every_completer_finds_its_argument() {
        let cmd = command(&Arc::new(Sources::default()));
        let has = |path: &[&str], arg: &str| {
            let mut c = &cmd;
            for name in path {
                c = c.find_subcommand(name).expect("the subcommand");
            }
            let a = c
                .get_arguments()
                .find(|a| a.get_id() == arg)
                .expect("the argument");
            a.get::<ArgValueCandidates>().is_some()
        };
        assert!(has(&["done"], "routine"));
        assert!(has(&["ctl"], "action"));
        assert!(has(&["shelf", "open"], "name"));
        assert!(has(&["hold", "clear"], "which"));
        assert!(has(&["done"], "date"));
        assert!(has(&["plan"], "from"));
        assert!(has(&["photo", "add"], "date"));
        assert!(has(&["shelf", "open"], "date"));
    }
}
