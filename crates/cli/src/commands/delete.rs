//! `idconn delete NAME [--yes]`.

use serde_json::json;

use idconn::IdentityConnectionProvider;

use super::Ctx;
use crate::cli::{DeleteArgs, OutputFormat};
use crate::confirm::confirm;
use crate::error::CliError;
use crate::output::{print, structured};
use crate::providers::connect;

/// Deletes the connection named `args.name`, after a confirmation unless `--yes`.
pub async fn run(ctx: &Ctx, args: DeleteArgs) -> Result<(), CliError> {
    let vendor = connect(&ctx.target)?;
    let provider = &vendor.provider;
    let connection = provider.find(&args.name).await?.ok_or_else(|| {
        CliError::failure(format!(
            "{vendor}: no connection is named \"{}\"",
            args.name
        ))
    })?;
    let id = connection.id.clone().ok_or_else(|| {
        CliError::failure(format!(
            "{vendor} returned connection \"{}\" without an id",
            args.name
        ))
    })?;
    if !args.yes {
        confirm(
            &format!("Delete connection \"{}\" ({id}) from {vendor}?", args.name),
            "delete",
        )?;
    }
    provider.delete(&id).await?;
    match ctx.output {
        OutputFormat::Table => print(&format!("- deleted {} ({id})\n", args.name)),
        format => print(&structured(
            &json!({"deleted": args.name, "id": id, "vendor": vendor.vendor}),
            format,
        )?),
    }
}
