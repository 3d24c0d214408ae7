//! What a worker could not do, told to the UI thread as a value, not a line of text: the
//! shell decides how to show it (a notice, the footer) and tests can match on it.

use std::time::Duration;

/// A failure of one of the workers that reach the person.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    /// The notification server refused a notification or could not be reached.
    #[error(
        "desktop notifications are off: {0} (`notify: (desktop: false)` in the config \
         silences this)"
    )]
    Desktop(String),
    /// A hook did not run to a good end.
    #[error("{0}")]
    Hook(#[from] HookFailure),
    /// A cue could not be spoken: no program, or it failed.
    #[error("{0}")]
    Speech(String),
}

/// A hook that did not run to a good end: which, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("hook `{program}` on {event}{why}")]
pub struct HookFailure {
    /// The event it runs on.
    pub event: String,
    /// Its program (argv[0]).
    pub program: String,
    /// What went wrong.
    pub why: HookWhy,
}

/// Why a hook did not run to a good end.
#[derive(Debug, Clone, PartialEq)]
pub enum HookWhy {
    /// Its output could not be captured, or it could not be waited for.
    Io(String),
    /// It could not be started.
    Start(String),
    /// It ran past its timeout and was killed.
    TimedOut(Duration),
    /// It exited with a failure (its exit status).
    Failed(String),
    /// The dashboard ended while it ran.
    EndedWithDashboard,
}

impl std::fmt::Display for HookWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HookWhy::Io(e) => write!(f, ": {e}"),
            HookWhy::Start(e) => write!(f, " cannot start: {e}"),
            HookWhy::TimedOut(after) => write!(
                f,
                " timed out after {}, killed",
                humantime::format_duration(*after)
            ),
            HookWhy::Failed(status) => write!(f, " failed: {status}"),
            HookWhy::EndedWithDashboard => f.write_str(" ended with the dashboard"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_reads_as_one_line() {
        let hook = |why| {
            Failure::from(HookFailure {
                event: "StepEnd".into(),
                program: "notify.sh".into(),
                why,
            })
            .to_string()
        };
        assert_eq!(
            hook(HookWhy::TimedOut(Duration::from_millis(300))),
            "hook `notify.sh` on StepEnd timed out after 300ms, killed"
        );
        assert_eq!(
            hook(HookWhy::Start(
                "No such file or directory (os error 2)".into()
            )),
            "hook `notify.sh` on StepEnd cannot start: No such file or directory (os error 2)"
        );
        assert_eq!(
            hook(HookWhy::Failed("exit status: 3".into())),
            "hook `notify.sh` on StepEnd failed: exit status: 3"
        );
        assert_eq!(
            hook(HookWhy::EndedWithDashboard),
            "hook `notify.sh` on StepEnd ended with the dashboard"
        );
        assert_eq!(
            Failure::Desktop("no server".into()).to_string(),
            "desktop notifications are off: no server (`notify: (desktop: false)` in the \
             config silences this)"
        );
    }
}
