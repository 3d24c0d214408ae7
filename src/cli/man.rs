//! `rollcoach man`: one whole man page (roff), made from the code's own definitions so
//! it cannot drift from them: the synopsis, options and every command from the clap
//! definitions `--help` prints, the keys from the one table of actions
//! (`Action::ALL`), the files from the names the code writes, the environment from the
//! variables the arguments read, the exit status from `Exit`.

use clap::CommandFactory as _;

use super::*;
use crate::routine::keys::Action;

/// The config's top-level fields, each with a line; `check` and docs/CONFIG.md say
/// the rest. A test holds this list to the fields the config reads.
pub const CONFIG_FIELDS: [(&str, &str); 10] = [
    (
        "routines",
        "the routines, in the order they are shown: each a name, an optional time (at: \"21:00\") and its steps (kind, duration or zones, when, actives or product)",
    ),
    (
        "roller",
        "the derma roller: needle_mm, rest_days (else from the needle table), replace_after_uses, replace_after_days",
    ),
    (
        "products",
        "the bottles on the shelf: name, actives, opened, lasts, expires",
    ),
    (
        "checkin",
        "the questions asked before a Roll step; a yes skips rolling (lasting: the answer stands until cleared)",
    ),
    (
        "aftercare",
        "what to keep off freshly needled skin, and for how long after a roll",
    ),
    (
        "notify",
        "desktop notifications, the bell, spoken cues, the warning before a step ends",
    ),
    (
        "hooks",
        "commands run on session events (on: SessionComplete, run: [...])",
    ),
    (
        "keys",
        "the dashboard's keys by action name, over the defaults (see KEYS)",
    ),
    ("theme", "the dashboard's colours"),
    (
        "day_starts_at",
        "a local time before which it is still the previous day (default 04:00)",
    ),
];

/// Writes the page.
pub fn render(out: &mut impl Write) -> Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    commands(&mut cmd, &mut page)?;
    keys(&mut page)?;
    config_section(&mut page)?;
    files(&mut page)?;
    environment(&cmd, &mut page)?;
    exit_status(&mut page)?;
    see_also(&mut page)?;
    man.render_version_section(&mut page)?;
    out.write_all(&page)?;
    Ok(())
}

/// Text as roff reads it: backslashes and hyphens escaped, no line taken for a request.
pub fn escape(text: &str) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        let line = line.replace('\\', "\\e").replace('-', "\\-");
        let request = line.starts_with('.') || line.starts_with('\'');
        lines.push(if request { format!("\\&{line}") } else { line });
    }
    lines.join("\n")
}

fn bold(text: &str) -> String {
    format!("\\fB{}\\fR", escape(text))
}

fn italic(text: &str) -> String {
    format!("\\fI{}\\fR", escape(text))
}

/// A tagged paragraph: the tag on its own line, then the text.
fn item(page: &mut Vec<u8>, tag: &str, text: &str) -> Result<()> {
    writeln!(page, ".TP\n{tag}\n{}", escape(text))?;
    Ok(())
}

/// COMMANDS: each command the `help` lists, subcommands under their parent, with its
/// usage line, what it does and its own arguments.
fn commands(cmd: &mut clap::Command, page: &mut Vec<u8>) -> Result<()> {
    writeln!(page, ".SH COMMANDS")?;
    writeln!(
        page,
        "Without a command, \\fBrollcoach\\fR opens the dashboard (see \\fBKEYS\\fR)."
    )?;
    for sub in cmd.get_subcommands_mut() {
        command(sub, page)?;
    }
    Ok(())
}

fn command(cmd: &mut clap::Command, page: &mut Vec<u8>) -> Result<()> {
    if cmd.is_hide_set() || cmd.get_name() == "help" {
        return Ok(());
    }
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string();
    writeln!(page, ".SS \"{}\"", escape(&name))?;
    let usage = cmd.render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    for line in usage.lines() {
        writeln!(page, "{}\n.br", bold(line.trim()))?;
    }
    let about = cmd.get_long_about().or(cmd.get_about());
    if let Some(about) = about {
        writeln!(page, ".PP\n{}", escape(&about.to_string()))?;
    }
    for arg in cmd.get_arguments() {
        let own = !arg.is_hide_set() && !arg.is_global_set();
        if own && !["help", "version"].contains(&arg.get_id().as_str()) {
            argument(arg, page)?;
        }
    }
    for sub in cmd.get_subcommands_mut() {
        command(sub, page)?;
    }
    Ok(())
}

/// One argument: `--date DATE`, `ROUTINE` or `--json`, its help, values and default.
fn argument(arg: &clap::Arg, page: &mut Vec<u8>) -> Result<()> {
    let value = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(|n| n.to_string())
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
    let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
    let tag = match arg.get_long() {
        Some(long) if takes_value => format!("{} {}", bold(&format!("--{long}")), italic(&value)),
        Some(long) => bold(&format!("--{long}")),
        None => italic(&value),
    };
    let mut text = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && takes_value {
        text.push_str(&format!(" [possible values: {}]", values.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && takes_value {
        text.push_str(&format!(" [default: {}]", defaults.join(", ")));
    }
    item(page, &tag, &text)
}

/// KEYS: every action of the one table, its default keys, what it does, and its name
/// for the config's `keys` (and for `rollcoach ctl` when it can be sent).
fn keys(page: &mut Vec<u8>) -> Result<()> {
    writeln!(page, ".SH KEYS")?;
    writeln!(
        page,
        "The dashboard's keys, by default. The config's \\fBkeys\\fR sets others by the \
         action's name (keys: (skip: [\"x\"])); Ctrl\\-c always quits."
    )?;
    for action in Action::ALL {
        let keys = action.default_keys();
        let tag: Vec<String> = keys.iter().map(|k| bold(k)).collect();
        let mut text = format!("{} (config: {}", action.help(), action.name());
        if Action::SENDABLE.contains(&action) {
            text.push_str(&format!("; rollcoach ctl {}", action.command_name()));
        }
        text.push(')');
        item(page, &tag.join(", "), &text)?;
    }
    Ok(())
}

fn config_section(page: &mut Vec<u8>) -> Result<()> {
    writeln!(page, ".SH CONFIG")?;
    writeln!(
        page,
        "The routine is one commented RON file, by default \
         \\fI~/.config/rollcoach/config.ron\\fR (\\fB\\-\\-config\\fR, \
         \\fBROLLCOACH_CONFIG\\fR); without one, the built\\-in routine runs and \
         \\fBrollcoach init\\fR writes it there to edit. \\fBrollcoach check\\fR \
         validates it, each error with its line and column. Its fields:"
    )?;
    for (field, text) in CONFIG_FIELDS {
        item(page, &bold(field), text)?;
    }
    writeln!(
        page,
        ".PP\nEvery field, its values and defaults: docs/CONFIG.md in the source."
    )?;
    Ok(())
}

/// FILES: the config, then the data dir's files by the names the code writes.
fn files(page: &mut Vec<u8>) -> Result<()> {
    use crate::alerts::hooks::LOG_NAME;
    use crate::os::lock::LOCK_FILE;
    use crate::session::run::SAVED_FILE;
    writeln!(page, ".SH FILES")?;
    let data = "the data dir";
    let entries = [
        (
            "~/.config/rollcoach/config.ron".to_string(),
            "the routine ($XDG_CONFIG_HOME/rollcoach/config.ron)".to_string(),
        ),
        (
            "~/.local/share/rollcoach/".to_string(),
            "the data dir ($XDG_DATA_HOME/rollcoach, --data-dir, ROLLCOACH_DATA_DIR): \
             made 0700, every file in it 0600"
                .to_string(),
        ),
        (
            journal::FILE_NAME.to_string(),
            format!(
                "in {data}: the journal, one JSON line for each session, roll, photo, bottle opened and hold"
            ),
        ),
        (
            journal::INDEX_FILE.to_string(),
            format!(
                "in {data}: what status and today need of the journal; made again by itself, deleting it is harmless"
            ),
        ),
        (
            SAVED_FILE.to_string(),
            format!(
                "in {data}: the session in progress, resumed at the next start (one that cannot be read is renamed {SAVED_FILE}.unreadable)"
            ),
        ),
        (
            LOG_NAME.to_string(),
            format!("in {data}: what the hooks printed"),
        ),
        (
            format!("{}/", journal::PHOTO_DIR),
            format!("in {data}: the progress photos rollcoach photo add copied"),
        ),
        (
            LOCK_FILE.to_string(),
            format!("in {data}: held by the dashboard that owns the session"),
        ),
        (
            "$XDG_RUNTIME_DIR/rollcoach/*.sock, else ctl.sock".to_string(),
            format!(
                "the control socket rollcoach ctl talks to (ctl.sock in {data} when there is no runtime dir)"
            ),
        ),
    ];
    for (name, text) in entries {
        item(page, &italic(&name), &text)?;
    }
    Ok(())
}

/// ENVIRONMENT: the variables the arguments read (from their definitions), then those
/// the program reads itself.
fn environment(cmd: &clap::Command, page: &mut Vec<u8>) -> Result<()> {
    writeln!(page, ".SH ENVIRONMENT")?;
    for arg in cmd.get_arguments() {
        if let (Some(var), Some(long)) = (arg.get_env(), arg.get_long()) {
            let text = format!("as --{long}, when it is not given");
            item(page, &bold(&var.to_string_lossy()), &text)?;
        }
    }
    let others = [
        (
            "XDG_CONFIG_HOME",
            "where the config is looked for (default ~/.config)",
        ),
        (
            "XDG_DATA_HOME",
            "where the data dir is (default ~/.local/share)",
        ),
        ("XDG_RUNTIME_DIR", "where the dashboard's control socket is"),
        ("HOME", "the base of the default paths"),
        (
            "TZ",
            "the local time zone: the day, the routines' times, the journal's times",
        ),
        (
            "NO_COLOR",
            "when set and not empty, the dashboard draws without colour",
        ),
        (
            "TERM",
            "dumb: the dashboard is refused; tmux*: photos as half blocks",
        ),
        ("TMUX", "inside tmux, photos are drawn as half blocks"),
        (
            "DBUS_SESSION_BUS_ADDRESS",
            "the session bus desktop notifications go to",
        ),
        (
            complete::VAR,
            "set by the completion scripts (rollcoach completions SHELL) to ask for candidates",
        ),
    ];
    for (var, text) in others {
        item(page, &bold(var), text)?;
    }
    writeln!(
        page,
        ".PP\nHooks run with ROLLCOACH_EVENT, ROLLCOACH_ROUTINE, ROLLCOACH_STEP and more \
         set (docs/CONFIG.md in the source)."
    )?;
    Ok(())
}

fn exit_status(page: &mut Vec<u8>) -> Result<()> {
    writeln!(page, ".SH \"EXIT STATUS\"")?;
    for exit in Exit::ALL {
        item(page, &bold(&(exit as u8).to_string()), exit.meaning())?;
    }
    Ok(())
}

fn see_also(page: &mut Vec<u8>) -> Result<()> {
    writeln!(page, ".SH \"SEE ALSO\"")?;
    writeln!(
        page,
        "README.md (the guide), docs/COMMANDS.md, docs/CONFIG.md (the config reference), \
         docs/DASHBOARD.md, docs/DOMAIN.md (the rules and their sources), ARCHITECTURE.md, \
         in the source."
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_roff_requests_and_escapes_out_of_text() {
        assert_eq!(escape("--date"), "\\-\\-date");
        assert_eq!(escape(".hidden\n'quoted"), "\\&.hidden\n\\&'quoted");
        assert_eq!(escape("a\\b"), "a\\eb");
    }

    #[test]
    fn the_config_section_names_every_field_the_config_reads() {
        // serde names every field it expects when it meets one it does not know.
        let Err(problems) = config::parse("(no_such_field: 1)") else {
            panic!("an unknown field is refused");
        };
        let message = format!("{problems:?}");
        let start = message.find("expected one of").expect("the fields listed");
        let listed = &message[start..];
        for (field, _) in CONFIG_FIELDS {
            assert!(
                listed.contains(&format!("`{field}`")),
                "{field} in {listed}"
            );
        }
        let count = listed.matches('`').count() / 2;
        assert_eq!(
            count,
            CONFIG_FIELDS.len(),
            "every field in the man page: {listed}"
        );
    }
}
