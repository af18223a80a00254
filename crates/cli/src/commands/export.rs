//! `idconn export [-o FILE] [--include-secrets]`: the vendor's connections as a neutral document,
//! each with the names of the applications that may use it.

use idconn::{
    ClientSecret, DEFAULT_READ_CONCURRENCY, Listing, fill_applications, read_all_complete,
};
use idconn::{Document, Format};

use super::Ctx;
use crate::cli::{ExportArgs, OutputFormat};
use crate::error::CliError;
use crate::output::{notes_of, print, read_report};
use crate::providers::connect;

/// Writes every connection to the file (or standard output), secrets left out unless asked.
pub async fn run(ctx: &Ctx, args: ExportArgs) -> Result<(), CliError> {
    let vendor = args.vendor.vendor;
    let provider = connect(vendor)?;
    // Whole connections: ezto's list leaves out each provider's mappers.
    let Listing {
        mut connections,
        skipped,
    } = read_all_complete(&provider, None, DEFAULT_READ_CONCURRENCY).await?;
    fill_applications(&provider, &mut connections).await?;
    let masked = connections
        .iter()
        .filter(|c| *c.settings.client_secret() == ClientSecret::Masked)
        .count();
    let document = Document { connections };
    match &args.file {
        Some(path) => {
            document.write(path, args.include_secrets)?;
            eprintln!(
                "wrote {} connection(s) from {vendor} to {}",
                document.connections.len(),
                path.display()
            );
        }
        None => {
            let format = match ctx.output {
                OutputFormat::Yaml => Format::Yaml,
                _ => Format::Json,
            };
            print(&document.render(format, args.include_secrets)?)?;
        }
    }
    if args.include_secrets && masked > 0 {
        eprintln!(
            "note: {vendor} does not show the client secret of {masked} connection(s); they are written as {{\"masked\": true}}"
        );
    }
    read_report(vendor, notes_of(&document.connections), &skipped)
}
