//! The photo worker: decodes the photos the view asks for on a thread of its own, the
//! newest request first, in the graphics the terminal draws (`Question`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use ratatui::layout::Size;
use ratatui_image::picker::Picker;

use super::{Picture, prepare, query};

/// What the photo view asks the worker for: these photos, at the size the screen has
/// for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// The photos on screen (file names), in the order they are shown. Each is made
    /// when the worker has not made it at the size the screen has now (a resize).
    pub files: Vec<String>,
    /// Those the view has no picture of: made whatever the worker made before.
    pub missing: Vec<String>,
}

/// How the worker hands a picture to the UI thread.
pub type Deliver = Arc<dyn Fn(Picture) + Send + Sync>;

/// The worker that decodes photos. Requests that pile up while it works are passed
/// over for the newest: stepping through photos quickly decodes only where it stops.
pub struct PhotoWorker {
    jobs: Sender<Job>,
}

/// What the worker is handed: a request, or the picker the terminal's answer made.
pub(super) enum Job {
    Wanted(Wanted),
    Picker(Picker),
}

/// The question of which graphics the terminal draws, for the input thread to ask
/// (`query`): its answer goes to the photo worker, which waits for it before its first
/// picture.
pub struct Question {
    pub(super) to: Sender<Job>,
}

impl Question {
    /// Asks, with `write` putting the question out; the keys read meanwhile go to
    /// `key` as they come, for the dashboard to act on.
    pub fn ask(
        self,
        write: impl FnOnce(&[u8]) -> std::io::Result<()>,
        key: &mut dyn FnMut(ratatui::crossterm::event::Event),
    ) {
        let picker = query::ask(write, query::ANSWER_WAIT, key);
        let _ = self.to.send(Job::Picker(picker));
    }
}

/// How long the worker waits for the terminal's answer before it draws in half blocks
/// (the question itself gives up well before).
const ANSWER_AWAITED: std::time::Duration = std::time::Duration::from_secs(3);

impl PhotoWorker {
    /// Starts the worker with the photo folder, the terminal's picker (None: half
    /// blocks, set up on the worker when first needed) and a way to find the cells each
    /// photo is shown in.
    pub fn start(
        dir: PathBuf,
        picker: Option<Picker>,
        cells: impl Fn() -> Size + Send + 'static,
        deliver: Deliver,
    ) -> PhotoWorker {
        Self::spawn(dir, picker, false, cells, deliver)
    }

    /// Starts the worker with the picker still to come from the terminal's answer to
    /// the `Question` returned.
    pub fn awaiting(
        dir: PathBuf,
        cells: impl Fn() -> Size + Send + 'static,
        deliver: Deliver,
    ) -> (PhotoWorker, Question) {
        let worker = Self::spawn(dir, None, true, cells, deliver);
        let question = Question {
            to: worker.jobs.clone(),
        };
        (worker, question)
    }

    fn spawn(
        dir: PathBuf,
        picker: Option<Picker>,
        awaited: bool,
        cells: impl Fn() -> Size + Send + 'static,
        deliver: Deliver,
    ) -> PhotoWorker {
        let (jobs, inbox) = mpsc::channel();
        // Without a thread (none left to start) requests go nowhere and the view keeps
        // saying it is scaling: the rest of the dashboard is unaffected.
        let _ = thread::Builder::new()
            .name("photos".into())
            .spawn(move || work(&dir, picker, awaited, &cells, &inbox, &deliver));
        PhotoWorker { jobs }
    }

    /// Asks for pictures; the answers come back as `Msg::Photo`.
    pub fn send(&self, wanted: Wanted) {
        let _ = self.jobs.send(Job::Wanted(wanted));
    }
}

fn work(
    dir: &Path,
    picker: Option<Picker>,
    awaited: bool,
    cells: &dyn Fn() -> Size,
    inbox: &Receiver<Job>,
    deliver: &Deliver,
) {
    let mut picker = picker;
    let mut awaited = awaited;
    // The photos on screen (the newest request's), those the view has no picture of,
    // and those made at the size the screen has now.
    let mut shown: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let (mut made, mut made_at): (Vec<String>, Option<Size>) = (Vec::new(), None);
    loop {
        let size = cells();
        if made_at != Some(size) {
            made.clear();
            made_at = Some(size);
        }
        let next = shown
            .iter()
            .find(|f| missing.contains(f) || !made.contains(f))
            .cloned();
        let Some(file) = next else {
            // Nothing left to make: sleep until the view asks.
            match inbox.recv() {
                Ok(job) => {
                    if take(job, &mut picker, &mut shown, &mut missing) {
                        made.clear();
                    }
                }
                Err(_) => return,
            }
            continue;
        };
        // The terminal's answer, when it is being asked: drawn in its graphics.
        let since = std::time::Instant::now();
        while awaited && picker.is_none() {
            let left = ANSWER_AWAITED.saturating_sub(since.elapsed());
            match inbox.recv_timeout(left) {
                Ok(job) => {
                    take(job, &mut picker, &mut shown, &mut missing);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => awaited = false,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        // Made here, not at start: it looks for tmux, which costs a process.
        let with = picker.get_or_insert_with(Picker::halfblocks);
        deliver(prepare(dir, &file, size, with));
        missing.retain(|f| *f != file);
        made.push(file);
        // What the view asked meanwhile: stepping through photos quickly makes only
        // those it stops at. A picker that comes late makes them again in its graphics.
        while let Ok(job) = inbox.try_recv() {
            if take(job, &mut picker, &mut shown, &mut missing) {
                made.clear();
            }
        }
    }
}

/// A job taken in: a request's photos are the ones on screen now; a picker is the one
/// pictures are made with from now on (true: the pictures made are to be made again).
fn take(
    job: Job,
    picker: &mut Option<Picker>,
    shown: &mut Vec<String>,
    missing: &mut Vec<String>,
) -> bool {
    let wanted = match job {
        Job::Wanted(wanted) => wanted,
        Job::Picker(answer) => {
            *picker = Some(answer);
            return true;
        }
    };
    missing.extend(wanted.missing);
    missing.retain(|f| wanted.files.contains(f));
    *shown = wanted.files;
    false
}
