//! `idconn list`: the vendor's connections.

use futures::TryStreamExt;
use idconn::Document;
use idconn::{Connection, list_all};

use super::Ctx;
use crate::cli::OutputFormat;
use crate::error::CliError;
use crate::output::{connections_table, print, structured};
use crate::providers::connect;

/// Lists every connection (secrets masked in every format).
pub async fn run(ctx: &Ctx) -> Result<(), CliError> {
    let target = connect(&ctx.target)?;
    let connections: Vec<Connection> = list_all(&target.provider, None).try_collect().await?;
    match ctx.output {
        OutputFormat::Table => print(&connections_table(&connections)),
        format => print(&structured(&Document { connections }, format)?),
    }
}
