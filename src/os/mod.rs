//! The operating system under the shell: the data dir's lock (one dashboard owns a
//! session), a wake-up that counts time while the machine sleeps, and the few system
//! calls std has no safe form of (`sys`, the only module with `unsafe` code). The core
//! (routine and session) never uses these.

pub mod alarm;
pub mod lock;
pub mod sys;
