//! `idconn get NAME`: one connection.

use idconn::IdentityConnectionProvider;

use super::Ctx;
use crate::cli::{GetArgs, OutputFormat};
use crate::error::CliError;
use crate::output::{connection_detail, print, read_report, structured};
use crate::providers::connect;

/// Shows the connection named `args.name` (its secret described, never shown).
pub async fn run(ctx: &Ctx, args: GetArgs) -> Result<(), CliError> {
    let target = connect(&ctx.target)?;
    let connection = target.provider.find(&args.name).await?.ok_or_else(|| {
        CliError::failure(format!(
            "{target}: no connection is named \"{}\"",
            args.name
        ))
    })?;
    match ctx.output {
        OutputFormat::Table => print(&connection_detail(&connection))?,
        format => print(&structured(&connection, format)?)?,
    }
    read_report(
        &target,
        [(connection.name.as_str(), connection.read_notes.as_slice())],
        &[],
    )
}
