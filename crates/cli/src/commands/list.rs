//! `idconn list`: the vendor's connections.

use idconn::{Document, Listing, read_all};

use super::Ctx;
use crate::cli::{OutputFormat, VendorArgs};
use crate::error::CliError;
use crate::output::{connections_table, notes_of, print, read_report, structured};
use crate::providers::connect;

/// Lists every connection (secrets masked in every format). Values kept verbatim and records
/// skipped are told on standard error; a skipped record makes the exit code 1.
pub async fn run(ctx: &Ctx, args: VendorArgs) -> Result<(), CliError> {
    let provider = connect(args.vendor)?;
    let Listing {
        connections,
        skipped,
    } = read_all(&provider, None).await?;
    match ctx.output {
        OutputFormat::Table => print(&connections_table(&connections))?,
        format => print(&structured(
            &Document {
                connections: connections.clone(),
            },
            format,
        )?)?,
    }
    read_report(args.vendor, notes_of(&connections), &skipped)
}
