//! What today holds: the config, the plan for a day, and the journal of what was done.

pub mod actives;
#[cfg(test)]
mod actives_rules;
pub mod config;
pub mod history;
pub mod journal;
pub mod plan;
#[cfg(test)]
mod plan_rules;
pub mod prefs;
pub mod shelf;
pub mod when;
