//! `idconn export [-o FILE] [--include-secrets]`: the vendor's connections as a neutral document,
//! each with the names of the applications that may use it.

use std::io::{BufWriter, Write};

use futures::TryStreamExt;
use idconn::{
    ClientSecret, Connection, DEFAULT_READ_CONCURRENCY, DocumentWriter, Format,
    IdentityConnectionProvider, Record, Skipped, create_private, fill_applications,
    list_records_complete,
};

use super::Ctx;
use crate::cli::{ExportArgs, OutputFormat};
use crate::error::CliError;
use crate::output::{notes_of, read_report};
use crate::providers::connect;

/// Writes every connection to the file (or standard output) a page at a time as the pages
/// arrive, each connection whole (ezto's mappers, the applications that may use it), so
/// memory holds one page; secrets left out unless asked. Values kept verbatim and records
/// skipped are told on standard error; a skipped record makes the exit code 1.
pub async fn run(ctx: &Ctx, args: ExportArgs) -> Result<(), CliError> {
    let vendor = connect(&ctx.target)?;
    let (out, format, destination): (Box<dyn Write>, Format, String) = match &args.file {
        Some(path) => {
            // Owner-only: an export with --include-secrets holds secrets.
            let file = create_private(path)
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
    let mut export = Export {
        writer: DocumentWriter::new(out, format, args.include_secrets),
        destination,
        vendor: vendor.to_string(),
        masked: 0,
        skipped: Vec::new(),
    };
    let page_size = vendor.provider.capabilities().max_page_size;
    let mut records = std::pin::pin!(list_records_complete(
        &vendor.provider,
        Some(page_size),
        DEFAULT_READ_CONCURRENCY
    ));
    let mut page: Vec<Connection> = Vec::new();
    while let Some(record) = records.try_next().await? {
        match record {
            Record::Connection(connection) => page.push(connection),
            Record::Skipped(skipped) => export.skipped.push(skipped),
        }
        if page.len() >= page_size as usize
            && export.page(&vendor.provider, &mut page).await?.is_break()
        {
            return Ok(());
        }
    }
    if export.page(&vendor.provider, &mut page).await?.is_break() {
        return Ok(());
    }
    let Export {
        writer,
        destination,
        masked,
        skipped,
        ..
    } = export;
    let written = match writer.finish() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
        other => other.map_err(|e| write_error(&destination, e))?,
    };
    if args.file.is_some() {
        eprintln!("wrote {written} connection(s) from {vendor} to {destination}");
    }
    if args.include_secrets && masked > 0 {
        eprintln!(
            "note: {vendor} does not show the client secret of {masked} connection(s); they are written as {{\"masked\": true}}"
        );
    }
    read_report(&vendor, [], &skipped)
}

/// An export under way: where it writes, and what it has to tell at the end.
struct Export {
    writer: DocumentWriter<Box<dyn Write>>,
    destination: String,
    vendor: String,
    masked: usize,
    skipped: Vec<Skipped>,
}

impl Export {
    /// Reads the applications of a page's connections and writes them; `Break` when the reader
    /// went away (`| head`), which ends the export quietly.
    async fn page<P>(
        &mut self,
        provider: &P,
        page: &mut Vec<Connection>,
    ) -> Result<std::ops::ControlFlow<()>, CliError>
    where
        P: IdentityConnectionProvider + ?Sized,
    {
        fill_applications(provider, page).await?;
        // Values kept verbatim are told as they are read; the document holds them unchanged.
        read_report(&self.vendor, notes_of(page), &[])?;
        for connection in page.drain(..) {
            if *connection.settings.client_secret() == ClientSecret::Masked {
                self.masked += 1;
            }
            match self.writer.write(&connection) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(std::ops::ControlFlow::Break(()));
                }
                other => other.map_err(|e| write_error(&self.destination, e))?,
            }
        }
        Ok(std::ops::ControlFlow::Continue(()))
    }
}

fn write_error(destination: &str, error: std::io::Error) -> CliError {
    CliError::failure(format!("cannot write {destination}: {error}"))
}
