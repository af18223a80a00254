//! `idconn export [-o FILE] [--include-secrets]`: the vendor's connections as a neutral document.

use std::fs::File;
use std::io::{BufWriter, Write};

use futures::TryStreamExt;
use idconn::{ClientSecret, DocumentWriter, Format, IdentityConnectionProvider, list_all};

use super::Ctx;
use crate::cli::{ExportArgs, OutputFormat};
use crate::error::CliError;
use crate::providers::connect;

/// Writes every connection to the file (or standard output) as each page arrives, so memory
/// holds one page; secrets left out unless asked.
pub async fn run(ctx: &Ctx, args: ExportArgs) -> Result<(), CliError> {
    let vendor = connect(&ctx.target)?;
    let (out, format, destination): (Box<dyn Write>, Format, String) = match &args.file {
        Some(path) => {
            let file = File::create(path)
                .map_err(|e| CliError::failure(format!("cannot write {}: {e}", path.display())))?;
            (
                Box::new(BufWriter::new(file)),
                Format::from_path(path),
                path.display().to_string(),
            )
        }
        None => {
            let format = match ctx.output {
                OutputFormat::Yaml => Format::Yaml,
                _ => Format::Json,
            };
            let stdout = std::io::stdout().lock();
            (
                Box::new(BufWriter::new(stdout)),
                format,
                "standard output".into(),
            )
        }
    };
    let write_error =
        |e: std::io::Error| CliError::failure(format!("cannot write {destination}: {e}"));
    let mut writer = DocumentWriter::new(out, format, args.include_secrets);
    let page_size = vendor.provider.capabilities().max_page_size;
    let mut connections = std::pin::pin!(list_all(&vendor.provider, Some(page_size)));
    let mut masked = 0;
    while let Some(connection) = connections.try_next().await? {
        if *connection.settings.client_secret() == ClientSecret::Masked {
            masked += 1;
        }
        match writer.write(&connection) {
            // A reader that went away (`| head`) ends the export quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            other => other.map_err(write_error)?,
        }
    }
    let written = match writer.finish() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        other => other.map_err(write_error)?,
    };
    if args.file.is_some() {
        eprintln!("wrote {written} connection(s) from {vendor} to {destination}");
    }
    if args.include_secrets && masked > 0 {
        eprintln!(
            "note: {vendor} does not show the client secret of {masked} connection(s); they are written as {{\"masked\": true}}"
        );
    }
    Ok(())
}
