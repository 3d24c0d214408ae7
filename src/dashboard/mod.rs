//! The terminal shell around a run.

pub mod app;
mod disk;
pub mod keymap;
mod occasions;
pub mod runtime;
pub mod ui;
mod watch;

pub use runtime::run;
