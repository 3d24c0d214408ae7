//! rollcoach: a terminal coach for a skincare routine, derma rolling included.

pub mod alarm;
pub mod alerts;
pub mod atomic;
pub mod cli;
pub mod dashboard;
pub mod lock;
pub mod routine;
pub mod session;
