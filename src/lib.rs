//! rollcoach: a terminal coach for a skincare routine, derma rolling included.

pub mod cli;
pub mod routine;
