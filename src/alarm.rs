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
    fd: Option<std::sync::Arc<std::os::fd::OwnedFd>>,
}

impl Alarm {
    /// Makes the timer and the thread that waits for it and calls `fire` each time it
    /// goes off.
    pub fn start(fire: impl Fn() + Send + 'static) -> Alarm {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
            // SAFETY: timerfd_create takes no pointers; the fd returned is ours alone.
            let raw = unsafe { libc::timerfd_create(libc::CLOCK_BOOTTIME, libc::TFD_CLOEXEC) };
            if raw < 0 {
                return Alarm { fd: None };
            }
            // SAFETY: `raw` is a new, valid fd owned by nothing else.
            let fd = std::sync::Arc::new(unsafe { OwnedFd::from_raw_fd(raw) });
            let held = fd.clone();
            let spawned = std::thread::Builder::new()
                .name("alarm".into())
                .spawn(move || {
                    loop {
                        let mut expirations = [0u8; 8];
                        // SAFETY: reads 8 bytes into a buffer of 8 from an fd this
                        // thread keeps open (it holds an Arc of it).
                        let n = unsafe {
                            libc::read(held.as_raw_fd(), expirations.as_mut_ptr().cast(), 8)
                        };
                        if n == 8 {
                            fire();
                        } else if std::io::Error::last_os_error().kind()
                            != std::io::ErrorKind::Interrupted
                        {
                            return;
                        }
                    }
                });
            Alarm {
                fd: spawned.ok().map(|_| fd),
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
            use std::os::fd::AsRawFd;
            let Some(fd) = &self.fd else { return false };
            // A zero it_value disarms; a wait of zero still fires, after a nanosecond.
            let value = after.map_or(
                libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                },
                |d| libc::timespec {
                    tv_sec: d.as_secs().min(i64::MAX as u64) as libc::time_t,
                    tv_nsec: libc::c_long::from(d.subsec_nanos().max(1)),
                },
            );
            let spec = libc::itimerspec {
                it_interval: libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                },
                it_value: value,
            };
            // SAFETY: a valid timer fd and a pointer to a live itimerspec; no old value.
            let r =
                unsafe { libc::timerfd_settime(fd.as_raw_fd(), 0, &spec, std::ptr::null_mut()) };
            r == 0 && after.is_some()
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = after;
            false
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::sync::mpsc;

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
