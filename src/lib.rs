//! rollcoach: a terminal coach for a skincare routine, derma rolling included.

#![deny(unsafe_code)]

pub mod alarm;
pub mod alerts;
pub mod cli;
pub mod dashboard;
pub mod lock;
pub mod routine;
pub mod session;
pub mod sys;
