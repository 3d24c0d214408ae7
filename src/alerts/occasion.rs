//! An occasion: an event of a run or of the calendar with everything it is about named,
//! which is what notifications, spoken cues and hooks are made from. One variant per
//! event, each with the facts that event has.

use chrono::NaiveDate;

use crate::routine::config::{Direction, EventKind, StepKind};
use crate::routine::journal::StepOutcome;

/// An event of a routine, named.
#[derive(Debug, Clone, PartialEq)]
pub struct Occasion {
    /// The routine's name.
    pub routine: String,
    /// The day the session belongs to.
    pub day: Option<NaiveDate>,
    /// What happened.
    pub what: What,
}

/// The step an occasion is about.
#[derive(Debug, Clone, PartialEq)]
pub struct StepAt {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: StepKind,
    /// The step after it, with its length in seconds.
    pub next: Option<(String, u64)>,
    /// The next step starts by itself.
    pub auto_advance: bool,
    /// It ran alongside the step in hand (nothing comes after it in turn).
    pub alongside: bool,
}

/// What happened, with the facts of that event.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// A session began, at its first step (None: it has no steps).
    SessionStart { first: Option<StepAt> },
    /// A step's countdown began.
    StepStart { step: StepAt, remaining_secs: u64 },
    /// A step is about to end.
    StepWarning { step: StepAt, remaining_secs: u64 },
    /// A step ended, done or skipped.
    StepEnd { step: StepAt, outcome: StepOutcome },
    /// A zone of a Roll step began.
    ZoneStart {
        step: StepAt,
        zone: Option<String>,
        /// The step's technique line.
        technique: Option<String>,
        remaining_secs: u64,
    },
    /// A direction of a zone began.
    PassStart {
        step: StepAt,
        zone: Option<String>,
        direction: Direction,
        /// Its place among the zone's directions (0: the first, said with the zone).
        index: usize,
        /// The technique line of this direction.
        technique: String,
        remaining_secs: u64,
    },
    /// The last step ended.
    SessionComplete {
        /// Time taken, in seconds.
        secs: u64,
        done: usize,
        skipped: usize,
        /// The next rolling day.
        next_roll: Option<NaiveDate>,
    },
    /// A routine's time came.
    RoutineDue {
        /// When it is due ("21:00").
        at: String,
    },
    /// The roller has been used as often as it should.
    RollerWorn { uses: u32, limit: u32 },
}

impl Occasion {
    /// The kind of event, as the config's hooks name it.
    pub fn event(&self) -> EventKind {
        match self.what {
            What::SessionStart { .. } => EventKind::SessionStart,
            What::StepStart { .. } => EventKind::StepStart,
            What::StepWarning { .. } => EventKind::StepWarning,
            What::StepEnd { .. } => EventKind::StepEnd,
            What::ZoneStart { .. } => EventKind::ZoneStart,
            What::PassStart { .. } => EventKind::PassStart,
            What::SessionComplete { .. } => EventKind::SessionComplete,
            What::RoutineDue { .. } => EventKind::RoutineDue,
            What::RollerWorn { .. } => EventKind::RollerWorn,
        }
    }

    /// The step it is about, if any.
    pub fn step(&self) -> Option<&StepAt> {
        match &self.what {
            What::SessionStart { first } => first.as_ref(),
            What::StepStart { step, .. }
            | What::StepWarning { step, .. }
            | What::StepEnd { step, .. }
            | What::ZoneStart { step, .. }
            | What::PassStart { step, .. } => Some(step),
            _ => None,
        }
    }

    /// The zone it is about, if any.
    pub fn zone(&self) -> Option<&str> {
        match &self.what {
            What::ZoneStart { zone, .. } | What::PassStart { zone, .. } => zone.as_deref(),
            _ => None,
        }
    }

    /// Seconds left of the step (zero once the step or the session ended).
    pub fn remaining_secs(&self) -> Option<u64> {
        match self.what {
            What::StepStart { remaining_secs, .. }
            | What::StepWarning { remaining_secs, .. }
            | What::ZoneStart { remaining_secs, .. }
            | What::PassStart { remaining_secs, .. } => Some(remaining_secs),
            What::StepEnd { .. } | What::SessionComplete { .. } => Some(0),
            _ => None,
        }
    }
}
