//! What reaches the dashboard and what it asks the shell to do: actions, typed keys,
//! messages, effects, and the lasting conditions it keeps in sight.

use super::photos::{Picture, Wanted};
use crate::alerts::Failure;
use crate::alerts::hooks::HookRun;
use crate::routine::config::{Config, ConfigError};
use crate::routine::journal::{Journal, ReadError, Record};
pub use crate::routine::keys::Action;
use crate::session::run::Saved;

/// A lasting condition the dashboard keeps in sight until it is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Topic {
    /// The routine is the built-in one, not a file of the person's.
    BuiltIn,
    /// Another dashboard owns the session.
    ReadOnly,
    /// Writes to the data dir fail.
    Disk,
    /// Hooks are refused.
    Hooks,
    /// Desktop notifications fail.
    Desktop,
    /// The config file is not watched.
    Watch,
    /// The journal is not watched.
    WatchJournal,
    /// Cues cannot be spoken.
    Speech,
    /// The control socket could not be served.
    Control,
}

/// A key typed into a question or a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKey {
    Char(char),
    Backspace,
    Enter,
    Esc,
    /// The arrow keys: a long list scrolls, a grid's cursor moves.
    Up,
    Down,
    Left,
    Right,
}

/// What reaches `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key bound to an action.
    Key(Action),
    /// A key typed while a question or the note is open.
    Input(InputKey),
    /// Time passed (the wake-up the app asked for).
    Tick,
    /// The terminal changed size.
    Resize,
    /// A worker reports something worth a line in the footer.
    Report(String),
    /// A worker could not do what it was asked (a hook failed).
    Failed(Failure),
    /// The config file changed: the new config (with a note), or its first error.
    Config(Result<(Box<Config>, Option<String>), ConfigError>),
    /// A lasting condition began (with what to do), or ended (None).
    Notice(Topic, Option<String>),
    /// The journal file changed: read again (off the UI thread), or why it could not be.
    Journal(Result<Box<Journal>, ReadError>),
    /// A signal asks the dashboard to end: the same way out as `q`.
    Quit,
    /// A photo decoded and scaled for the photo view (or why it could not be).
    Photo(Picture),
    /// `rollcoach ctl` sent an action: carried out as its key, then answered.
    Sent(Action, Answer),
}

/// Where the answer to an action sent by `rollcoach ctl` goes: taken, or why not; and
/// the moment after which its client has given up, and the action is not carried out.
#[derive(Debug, Clone)]
pub struct Answer(
    pub std::sync::mpsc::SyncSender<Result<(), String>>,
    pub std::time::Instant,
);

/// A reply channel is equal to no other: two requests are never the same one.
impl PartialEq for Answer {
    fn eq(&self, _: &Answer) -> bool {
        false
    }
}

/// What the shell does for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Tell `rollcoach ctl` whether its action was taken.
    Answer(Answer, Result<(), String>),
    /// Ring the terminal bell.
    Bell,
    /// Append a record to the journal.
    Append(Record),
    /// Save the run in progress (fsynced: a step change, a pause, quitting).
    Save(Saved),
    /// Save the running countdown's time (every 30 s; not fsynced).
    Checkpoint(Saved),
    /// Remove the saved run (it was journaled).
    ClearSaved,
    /// Show a desktop notification.
    Notify { summary: String, body: String },
    /// Run a user hook.
    Hook(HookRun),
    /// Speak a cue, with the config's program (None: the one found on PATH).
    Speak {
        cue: String,
        with: Option<Vec<String>>,
        /// A change of direction: not said when a later cue of the same moment comes.
        direction: bool,
    },
    /// Decode photos for the photo view, off the UI thread.
    ShowPhotos(Wanted),
}
