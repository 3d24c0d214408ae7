//! The terminal shell around a run.

pub mod app;
pub mod ctl;
mod disk;
pub mod inbox;
pub mod keymap;
pub mod messages;
mod occasions;
pub mod photos;
pub mod runtime;
pub mod ui;
mod watch;

pub use runtime::run;
