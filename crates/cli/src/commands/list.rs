//! `idconn list`: the vendor's connections.

use futures::TryStreamExt;
use idconn::{
    Connection, DocumentWriter, Format, IdentityConnectionProvider, Record, list_records,
};

use super::Ctx;
use crate::cli::OutputFormat;
use crate::error::CliError;
use crate::output::{CONNECTION_HEADER, connection_rows, notes_of, print, read_report, table_rows};
use crate::providers::connect;

/// Lists every connection (secrets masked in every format), writing each page as it arrives.
/// A table's columns are aligned within each page. Values kept verbatim and records skipped
/// are told on standard error; a skipped record makes the exit code 1.
pub async fn run(ctx: &Ctx) -> Result<(), CliError> {
    let target = connect(&ctx.target)?;
    let page_size = target.provider.capabilities().max_page_size;
    let mut records = std::pin::pin!(list_records(&target.provider, Some(page_size)));
    let format = match ctx.output {
        OutputFormat::Table => None,
        OutputFormat::Json => Some(Format::Json),
        OutputFormat::Yaml => Some(Format::Yaml),
    };
    let mut writer =
        format.map(|format| DocumentWriter::new(std::io::stdout().lock(), format, false));
    let mut count = 0usize;
    let mut page: Vec<Connection> = Vec::new();
    let mut skipped = Vec::new();
    while let Some(record) = records.try_next().await? {
        let connection = match record {
            Record::Connection(connection) => connection,
            Record::Skipped(record) => {
                skipped.push(record);
                continue;
            }
        };
        count += 1;
        read_report(&target, notes_of(std::slice::from_ref(&connection)), &[])?;
        match writer.as_mut() {
            Some(writer) => stdout_result(writer.write(&connection))?,
            None => {
                page.push(connection);
                if page.len() >= page_size as usize {
                    let first = count == page.len();
                    print(&table_rows(
                        &CONNECTION_HEADER,
                        &connection_rows(&page),
                        first,
                    ))?;
                    page.clear();
                }
            }
        }
    }
    match writer {
        Some(writer) => stdout_result(writer.finish().map(drop))?,
        None => {
            if count == 0 || !page.is_empty() {
                let first = count == page.len();
                print(&table_rows(
                    &CONNECTION_HEADER,
                    &connection_rows(&page),
                    first,
                ))?;
            }
            print(&format!("{count} connection(s)\n"))?;
        }
    }
    read_report(&target, [], &skipped)
}

/// A reader that went away (`| head`) ends the listing quietly; other write errors fail.
fn stdout_result(result: std::io::Result<()>) -> Result<(), CliError> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::failure(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}
