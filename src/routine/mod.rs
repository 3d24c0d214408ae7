//! What today holds: the config, the plan for a day, and the journal of what was done.

pub mod actives;
#[cfg(test)]
mod actives_rules;
pub mod atomic;
pub mod calendar;
pub mod config;
pub mod history;
pub mod journal;
pub mod keys;
pub mod plan;
#[cfg(test)]
mod plan_rules;
pub mod prefs;
pub mod private;
#[cfg(test)]
mod safety_rules;
pub mod shelf;
pub mod values;
pub mod when;
pub mod words;
