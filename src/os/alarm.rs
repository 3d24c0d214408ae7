//! A wake-up on the clock that runs on while the machine sleeps.
//!
//! The dashboard's event loop and `status --follow` wait on a channel, whose timeout is
//! on the monotonic clock, and that clock stops during a suspend: a routine due while
//! the laptop slept would be announced only when the rest of the timeout had passed
//! after the resume (up to an hour). A timer on CLOCK_BOOTTIME counts the sleep, so it
//! fires at the resume; a thread of its own waits for it and calls `fire`, which wakes
//! the waiting loop.

use std::time::Duration;

/// The armed wake-up; a no-op where the timer cannot be made.
pub struct Alarm {
    #[cfg(target_os = "linux")]
    timer: Option<std::sync::Arc<crate::os::sys::BootTimer>>,
}

impl Alarm {
    /// Makes the timer and the thread that waits for it and calls `fire` each time it
    /// goes off.
    pub fn start(fire: impl Fn() + Send + 'static) -> Alarm {
        #[cfg(target_os = "linux")]
        {
            let Ok(timer) = crate::os::sys::BootTimer::new() else {
                return Alarm { timer: None };
            };
            let timer = std::sync::Arc::new(timer);
            let held = timer.clone();
            let spawned = std::thread::Builder::new()
                .name("alarm".into())
                .spawn(move || {
                    loop {
                        match held.wait() {
                            Ok(()) => fire(),
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
            let _ = fire;
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

/// Calls `fire` each time the wall clock is set (stepped, not slewed), from a thread
/// of its own, so that a loop waiting on the monotonic clock works the day out again at
/// once. Says whether it watches: where it cannot, a step is noticed at the next wake.
pub fn on_clock_set(fire: impl Fn() + Send + 'static) -> bool {
    #[cfg(target_os = "linux")]
    {
        let Ok(watch) = crate::os::sys::ClockSet::new() else {
            return false;
        };
        std::thread::Builder::new()
            .name("clock-set".into())
            .spawn(move || {
                loop {
                    match watch.wait() {
                        Ok(()) => fire(),
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(_) => return,
                    }
                }
            })
            .is_ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = fire;
        false
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// The wall clock set to what it reads (a step of a few microseconds, harmless to
    /// the machine) wakes the watch. Whether it stays quiet without a step cannot be
    /// tested here: a virtual machine's host may set the guest's clock at any time.
    #[test]
    #[ignore = "needs root (sets the wall clock to itself)"]
    fn the_clock_set_watch_fires_when_the_clock_is_set() {
        let (tx, rx) = mpsc::channel();
        assert!(on_clock_set(move || {
            let _ = tx.send(());
        }));
        while rx.try_recv().is_ok() {}
        crate::os::sys::set_clock_to_itself().expect("clock_settime");
        assert!(rx.recv_timeout(Duration::from_secs(2)).is_ok());
    }

    #[test]
    fn it_fires_when_armed_and_not_once_disarmed() {
        let (tx, rx) = mpsc::channel();
        let alarm = Alarm::start(move || {
            let _ = tx.send(());
        });
        assert!(alarm.set(Some(Duration::from_millis(20))));
        rx.recv_timeout(Duration::from_secs(5)).expect("it fires");
        assert!(alarm.set(Some(Duration::from_millis(200))));
        assert!(!alarm.set(None), "disarmed");
        assert!(rx.recv_timeout(Duration::from_millis(400)).is_err());
    }
}
