//! A wake-up on the clock that runs on while the machine sleeps.
//!
//! The event loop sleeps in `poll`, whose timeout is on the monotonic clock, and that
//! clock stops during a suspend: a routine due while the laptop slept would be
//! announced only when the rest of the timeout had passed after the resume (up to an
//! hour). A timer on CLOCK_BOOTTIME counts the sleep, so it fires at the resume; a
//! thread of its own waits for it and posts a Tick.

use std::sync::mpsc::Sender;
use std::time::Duration;

use super::messages::Msg;

/// The armed wake-up; a no-op where the timer cannot be made.
pub struct Alarm {
    #[cfg(target_os = "linux")]
    timer: Option<std::sync::Arc<crate::sys::BootTimer>>,
}

impl Alarm {
    /// Makes the timer and the thread that waits for it.
    pub fn start(inbox: Sender<Msg>) -> Alarm {
        #[cfg(target_os = "linux")]
        {
            let Ok(timer) = crate::sys::BootTimer::new() else {
                return Alarm { timer: None };
            };
            let timer = std::sync::Arc::new(timer);
            let held = timer.clone();
            let spawned = std::thread::Builder::new()
                .name("alarm".into())
                .spawn(move || {
                    loop {
                        match held.wait() {
                            Ok(()) => super::runtime::post(&inbox, Msg::Tick),
                            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                            Err(_) => return,
                        }
                    }
                });
            Alarm {
                timer: spawned.ok().map(|_| timer),
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = inbox;
            Alarm {}
        }
    }

    /// Arms the timer to fire `after` from now (counting any sleep), or disarms it.
    /// Says whether it is armed: without it, the caller's own timeout must do.
    pub fn set(&self, after: Option<Duration>) -> bool {
        #[cfg(target_os = "linux")]
        {
            self.timer.as_ref().is_some_and(|t| t.set(after))
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = after;
            false
        }
    }
}
