//! How the program ends: the exit statuses `main` returns, each with what it means
//! for the man page's EXIT STATUS.

/// How the program ends: its exit status, as `main` returns it and the man page says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Ok = 0,
    /// Anything but bad input.
    Failed = 1,
    /// Bad input: the person can fix the command line or the config.
    BadInput = 2,
}

impl Exit {
    /// Every status, in order.
    pub const ALL: [Exit; 3] = [Exit::Ok, Exit::Failed, Exit::BadInput];

    /// The status as the process returns it.
    pub fn code(self) -> std::process::ExitCode {
        std::process::ExitCode::from(self as u8)
    }

    /// What it means, for the man page.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Ok => {
                "done; also when the reader of the output went away early \
                 (rollcoach man | head -1), and after --help and --version"
            }
            Exit::Failed => {
                "anything else, with one line on stderr: a data dir that cannot be written, \
                 a routine already done that day, a dashboard that did not take a ctl action"
            }
            Exit::BadInput => {
                "bad input: a config that does not parse or validate, bad arguments, \
                 a --date out of range or in another form, a note with a line break"
            }
        }
    }
}
