//! `idconn plan -f FILE`: what `apply` would do. Writes nothing.

use idconn::{Document, PlanOptions, plan};

use super::Ctx;
use crate::cli::{OutputFormat, PlanArgs};
use crate::error::{CliError, in_file};
use crate::output::{plan_table, print, read_report, structured};
use crate::providers::connect;

/// Prints the plan: per connection create / update (changed fields) / delete / unchanged /
/// skip, with every translation loss. A strict refusal exits with code 3, listing the losses.
pub async fn run(ctx: &Ctx, args: PlanArgs) -> Result<(), CliError> {
    let mut document = Document::read_within(&args.file, ctx.limits)?;
    super::resolve(args.resolve, &mut document.connections).await?;
    let target = connect(&ctx.target)?;
    let options = PlanOptions {
        policy: args.policy.policy(),
        prune: args.prune,
    };
    let plan = plan(&target.provider, &document.connections, options)
        .await
        .map_err(|e| in_file(e, &args.file))?;
    match ctx.output {
        OutputFormat::Table => print(&plan_table(&plan))?,
        format => print(&structured(&plan, format)?)?,
    }
    read_report(&target, [], &plan.skipped)
}
