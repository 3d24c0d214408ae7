//! The few operating-system calls the standard library has no safe form of, each
//! wrapped once in a safe function. This is the only module with `unsafe` code (the
//! crate denies it everywhere else): each call takes plain integers or a pointer to a
//! value that lives across the call, and each block says why it is sound.
//!
//! Used by the shell: hooks (ending a hook's whole process tree and group, adopting
//! orphans, waiting for an exit without a SIGCHLD handler and without reaping it), the
//! permission guard (who we are), spoken cues (ending a speech process group), the
//! dashboard's suspend-aware alarm and clock-step watch, and who is at the other end of
//! the control socket.

#![allow(unsafe_code)]

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

/// The effective user id of this process.
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Sends `signal` to process `pid` (a negative pid: to its process group). Whether it
/// was delivered; signal 0 only asks whether the process exists.
pub fn kill(pid: i32, signal: libc::c_int) -> bool {
    // SAFETY: kill(2) takes two integers and touches no memory of ours.
    unsafe { libc::kill(pid, signal) == 0 }
}

/// Reaps the exited child `pid` if it has exited, without blocking.
pub fn reap(pid: i32) {
    // SAFETY: a null status pointer is allowed; WNOHANG never blocks.
    unsafe { libc::waitpid(pid, std::ptr::null_mut(), libc::WNOHANG) };
}

/// Whether the child `pid` has exited, without reaping it (waitid with WNOWAIT): while
/// it stays a zombie its pid, and so its process group's id, cannot be taken by another
/// process, and the group can be signalled safely. Err: no such child of ours.
pub fn exited_unreaped(pid: i32) -> io::Result<bool> {
    let id = libc::id_t::try_from(pid)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "not a pid"))?;
    // SAFETY: siginfo_t is plain data, valid when zeroed.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: a pointer to a live siginfo_t; WNOHANG never blocks, WNOWAIT reaps nothing.
    let r = unsafe {
        libc::waitid(
            libc::P_PID,
            id,
            &raw mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        )
    };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: waitid filled `info` in (or left it zeroed: nothing has exited).
    Ok(unsafe { info.si_pid() } != 0)
}

/// Makes this process the reaper of its orphaned descendants (Linux 3.4).
#[cfg(target_os = "linux")]
pub fn become_subreaper() -> io::Result<()> {
    // SAFETY: prctl with integer arguments changes only this process's attributes.
    match unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

/// A descriptor that becomes readable when process `pid` exits (Linux 5.3), if the
/// kernel has pidfds.
pub fn pidfd_open(pid: u32) -> Option<OwnedFd> {
    let pid = libc::pid_t::try_from(pid).ok()?;
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    let fd = i32::try_from(fd).ok().filter(|fd| *fd >= 0)?;
    // SAFETY: a descriptor just returned to us, owned by nothing else.
    Some(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Waits until `fd` is readable (or at its end, or broken) or `most` has passed: true
/// when a read would not block.
pub fn wait_readable(fd: BorrowedFd<'_>, most: Duration) -> bool {
    let mut poll = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = most.as_millis().clamp(1, i32::MAX as u128) as i32;
    // SAFETY: one pollfd that lives across the call.
    let n = unsafe { libc::poll(&mut poll, 1, ms) };
    n > 0 && poll.revents != 0
}

/// Blocks until `fd` reports an error or a hangup (a pipe whose reader has gone, a
/// terminal closed); Err when it cannot be watched.
pub fn wait_hangup(fd: BorrowedFd<'_>) -> io::Result<()> {
    loop {
        let mut poll = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: 0,
            revents: 0,
        };
        // SAFETY: one pollfd that lives across the call; the descriptor is only looked at.
        let n = unsafe { libc::poll(&mut poll, 1, -1) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if poll.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
            return Ok(());
        }
        // Anything else (POLLNVAL: no such descriptor) is not watched further.
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "cannot be watched",
        ));
    }
}

/// Wakes when the wall clock is set (NTP stepping it, `date -s`, a resumed VM put
/// right): a CLOCK_REALTIME timer armed far ahead with TFD_TIMER_CANCEL_ON_SET, whose
/// read ends with ECANCELED at each such step. The monotonic clock does not see it.
#[cfg(target_os = "linux")]
pub struct ClockSet(OwnedFd);

/// Sets the wall clock to what it reads (a step of microseconds): for the test that a
/// step wakes a `ClockSet`. Needs CAP_SYS_TIME.
#[cfg(all(test, target_os = "linux"))]
pub fn set_clock_to_itself() -> io::Result<()> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: pointers to a live timespec, read then written back.
    let r = unsafe {
        if libc::clock_gettime(libc::CLOCK_REALTIME, &mut now) != 0 {
            -1
        } else {
            libc::clock_settime(libc::CLOCK_REALTIME, &now)
        }
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(target_os = "linux")]
impl ClockSet {
    /// A new watch, armed.
    pub fn new() -> io::Result<ClockSet> {
        // SAFETY: timerfd_create takes no pointers; the fd returned is ours alone.
        let raw = unsafe { libc::timerfd_create(libc::CLOCK_REALTIME, libc::TFD_CLOEXEC) };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a new, valid fd owned by nothing else.
        let watch = ClockSet(unsafe { OwnedFd::from_raw_fd(raw) });
        watch.arm()?;
        Ok(watch)
    }

    fn arm(&self) -> io::Result<()> {
        let zero = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // An absolute time no clock reaches (the year 2096): only a step wakes it.
        let far = libc::timespec {
            tv_sec: 4_000_000_000,
            tv_nsec: 0,
        };
        let spec = libc::itimerspec {
            it_interval: zero,
            it_value: far,
        };
        let flags = libc::TFD_TIMER_ABSTIME | libc::TFD_TIMER_CANCEL_ON_SET;
        // SAFETY: a valid timer fd and a pointer to a live itimerspec; no old value.
        let r = unsafe {
            libc::timerfd_settime(self.0.as_raw_fd(), flags, &spec, std::ptr::null_mut())
        };
        if r == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }

    /// Blocks until the wall clock is set, then arms itself for the next step.
    pub fn wait(&self) -> io::Result<()> {
        let mut expirations = [0u8; 8];
        // SAFETY: reads at most 8 bytes into a buffer of 8 from a descriptor we own.
        let n = unsafe { libc::read(self.0.as_raw_fd(), expirations.as_mut_ptr().cast(), 8) };
        if n == 8 {
            return self.arm();
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() == Some(libc::ECANCELED) {
            self.arm()
        } else {
            Err(e)
        }
    }
}

/// The user id of the process at the other end of a connected Unix socket
/// (SO_PEERCRED): who answers on the control socket, or who asks on it.
#[cfg(target_os = "linux")]
pub fn peer_uid(fd: BorrowedFd<'_>) -> io::Result<u32> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: a valid socket fd, and pointers to a live ucred and its length that
    // outlive the call; the kernel writes at most `len` bytes.
    let r = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&raw mut cred).cast(),
            &raw mut len,
        )
    };
    if r == 0 {
        Ok(cred.uid)
    } else {
        Err(io::Error::last_os_error())
    }
}

/// A timer on the clock that keeps counting while the machine is suspended
/// (CLOCK_BOOTTIME): it fires at a resume when its time passed during the sleep.
#[cfg(target_os = "linux")]
pub struct BootTimer(OwnedFd);

#[cfg(target_os = "linux")]
impl BootTimer {
    /// A new, disarmed timer.
    pub fn new() -> io::Result<BootTimer> {
        // SAFETY: timerfd_create takes no pointers; the fd returned is ours alone.
        let raw = unsafe { libc::timerfd_create(libc::CLOCK_BOOTTIME, libc::TFD_CLOEXEC) };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a new, valid fd owned by nothing else.
        Ok(BootTimer(unsafe { OwnedFd::from_raw_fd(raw) }))
    }

    /// Blocks until the timer fires.
    pub fn wait(&self) -> io::Result<()> {
        let mut expirations = [0u8; 8];
        // SAFETY: reads at most 8 bytes into a buffer of 8 from a descriptor we own.
        let n = unsafe { libc::read(self.0.as_raw_fd(), expirations.as_mut_ptr().cast(), 8) };
        match n {
            8 => Ok(()),
            _ => Err(io::Error::last_os_error()),
        }
    }

    /// Arms the timer to fire `after` from now, or disarms it (None). Whether it is armed.
    pub fn set(&self, after: Option<Duration>) -> bool {
        let zero = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // A zero it_value disarms; a wait of zero still fires, after a nanosecond.
        let value = after.map_or(zero, |d| libc::timespec {
            tv_sec: d.as_secs().min(i64::MAX as u64) as libc::time_t,
            tv_nsec: libc::c_long::from(d.subsec_nanos().max(1)),
        });
        let spec = libc::itimerspec {
            it_interval: zero,
            it_value: value,
        };
        // SAFETY: a valid timer fd and a pointer to a live itimerspec; no old value.
        let r =
            unsafe { libc::timerfd_settime(self.0.as_raw_fd(), 0, &spec, std::ptr::null_mut()) };
        r == 0 && after.is_some()
    }
}
