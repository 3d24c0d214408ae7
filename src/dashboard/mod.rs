//! The terminal shell around a run.

use anyhow::Result;

use crate::cli::Cli;

/// Opens the dashboard.
pub fn run(_cli: &Cli) -> Result<()> {
    anyhow::bail!("the dashboard is not built yet")
}
