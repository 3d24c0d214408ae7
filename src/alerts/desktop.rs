//! Desktop notifications on a worker thread: `show()` blocks as long as the server
//! takes (seconds on some desktops), and must never hold up a key press.

use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

use super::{Report, escape_markup};

/// The app name notifications carry.
pub const APP_NAME: &str = "rollcoach";

/// Sends one notification now, blocking; Ok with the server's name and id.
pub fn send(summary: &str, body: &str) -> Result<u32, String> {
    notify_rust::Notification::new()
        .appname(APP_NAME)
        .summary(&escape_markup(summary))
        .body(&escape_markup(body))
        .show()
        .map(|handle| handle.id())
        .map_err(|e| e.to_string())
}

/// The notification server's name and version, if one answers.
pub fn server() -> Result<String, String> {
    notify_rust::get_server_information()
        .map(|info| format!("{} {} ({})", info.name, info.version, info.vendor))
        .map_err(|e| e.to_string())
}

/// A worker that sends notifications in order.
pub struct Desktop {
    jobs: Sender<(String, String)>,
}

impl Desktop {
    /// Starts the worker; `report` is told once when notifications fail.
    pub fn start(report: Report) -> Desktop {
        let (jobs, inbox) = mpsc::channel::<(String, String)>();
        let spawned = thread::Builder::new()
            .name("notifications".into())
            .spawn(move || {
                let mut said = false;
                for (summary, body) in inbox {
                    if let Err(e) = send(&summary, &body)
                        && !said
                    {
                        said = true;
                        report(super::Failure::Desktop(e.to_string()));
                    }
                }
            });
        if let Err(e) = spawned {
            eprintln!("rollcoach: no notification thread: {e}");
        }
        Desktop { jobs }
    }

    /// Queues a notification.
    pub fn notify(&self, summary: String, body: String) {
        let _ = self.jobs.send((summary, body));
    }
}

/// `rollcoach notify-test`: one notification, and whether a server took it, within
/// `wait`. Runs `show()` on a thread so that a hung server cannot hang the command.
pub fn test(wait: Duration) -> Result<String, String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let result = send(
            "rollcoach test",
            "Notifications work: this is how a step's end will reach you.",
        )
        .map(|id| {
            let server = server().unwrap_or_else(|_| "the notification server".into());
            format!("{server} took it (id {id})")
        });
        let _ = tx.send(result);
    });
    rx.recv_timeout(wait).unwrap_or_else(|_| {
        Err(format!(
            "no answer from the notification server within {}s",
            wait.as_secs()
        ))
    })
}
