//! What happened in a run: fed to the bell, notifications and hooks.

use std::time::Duration;

use crate::routine::journal::StepOutcome;

/// One thing that happened in a run; step and zone are indexes into the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The first step started.
    SessionStart,
    /// A step started counting down.
    StepStart { step: usize },
    /// A step is about to end (`notify.warn_before`).
    StepWarning { step: usize, left: Duration },
    /// A step was done or skipped.
    StepEnd { step: usize, outcome: StepOutcome },
    /// A zone of a Roll step started.
    ZoneStart { step: usize, zone: usize },
    /// A direction of a zone started (`pass` indexes the zone's directions); the first
    /// comes right after its ZoneStart.
    PassStart {
        step: usize,
        zone: usize,
        pass: usize,
    },
    /// Every step is done or skipped.
    SessionComplete,
}
