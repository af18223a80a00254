//! `idconn demo`: the three simulators in process, no credentials, no network.

use super::Ctx;
use crate::error::CliError;

/// Runs the demo.
pub async fn run(_ctx: &Ctx) -> Result<(), CliError> {
    Err(CliError::failure(
        "the demo needs the simulators, which are not in this build yet",
    ))
}
