//! The event loop's one channel: what wakes the loop, posted from any thread (workers,
//! watchers, signals, the alarm, `rollcoach ctl`), and the terminal read on a thread of
//! its own.

use std::io;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use ratatui::crossterm::event::{self, Event as TermEvent};

use super::messages::Msg;

/// What wakes the event loop, all on one channel: a message for the app from any
/// thread (a worker, a watcher, the signals, the alarm), or what the terminal sent,
/// made into a message on the UI thread, where the keymap and any open question are
/// known.
#[derive(Debug)]
pub enum Input {
    /// A message for the app.
    App(Msg),
    /// A key, a resize, ... as read by the input thread.
    Terminal(TermEvent),
    /// The terminal cannot be read any more.
    TerminalGone(io::Error),
}

/// The event loop's channel, for any thread to post to: one clone a thread.
#[derive(Debug, Clone)]
pub struct Inbox(Sender<Input>);

impl Inbox {
    /// A new channel: the inbox to post to, the receiver the loop waits on.
    pub fn new() -> (Inbox, Receiver<Input>) {
        let (tx, rx) = mpsc::channel();
        (Inbox(tx), rx)
    }

    /// Hands a message to the UI thread, which wakes for it. Once the loop is gone it
    /// is dropped: nothing is left to act on it.
    pub fn post(&self, msg: Msg) {
        let _ = self.0.send(Input::App(msg));
    }
}

/// What the input thread does first, before crossterm reads the terminal: a question
/// asked of the terminal, whose answer it reads, handing on each key press read with it
/// as it comes.
pub type First = Box<dyn FnOnce(&mut dyn FnMut(TermEvent)) + Send>;

/// Reads the terminal on a thread of its own, so that the loop sleeps on the channel
/// alone: crossterm's read blocks until a key, a paste or a resize comes. `first` runs
/// on that thread before.
pub fn read_terminal(inbox: Inbox, first: Option<First>) {
    let fallback = inbox.clone();
    let spawned = thread::Builder::new().name("input".into()).spawn(move || {
        if let Some(first) = first {
            first(&mut |event| {
                let _ = inbox.0.send(Input::Terminal(event));
            });
        }
        loop {
            match event::read() {
                Ok(event) => {
                    if inbox.0.send(Input::Terminal(event)).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    let _ = inbox.0.send(Input::TerminalGone(e));
                    return;
                }
            }
        }
    });
    if let Err(e) = spawned {
        // The loop then ends at once with why.
        let _ = fallback.0.send(Input::TerminalGone(e));
    }
}
