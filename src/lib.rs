//! rollcoach: a terminal coach for a skincare routine, derma rolling included.

#![deny(unsafe_code)]

pub mod alerts;
pub mod cli;
pub mod dashboard;
pub mod os;
pub mod routine;
pub mod session;
