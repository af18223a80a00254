//! `idconn apply -f FILE`: makes the vendor hold the file's connections.

use idconn::{Document, PlanOptions, apply_with_progress, plan};

use super::Ctx;
use crate::cli::{ApplyArgs, OutputFormat};
use crate::confirm::confirm;
use crate::error::{CliError, in_file};
use crate::output::{apply_table, plan_table, print, structured};
use crate::progress::Reporter;
use crate::providers::connect;

/// Plans, shows the plan, asks (unless `--yes`), then writes with bounded concurrency.
/// Strict by default: if any connection cannot be represented nothing is written (exit 3).
pub async fn run(ctx: &Ctx, args: ApplyArgs) -> Result<(), CliError> {
    let spec = args.plan;
    let document = Document::read_within(&spec.file, ctx.limits)?;
    let vendor = spec.vendor.vendor;
    let provider = connect(vendor)?;
    let options = PlanOptions {
        policy: spec.policy.policy(),
        prune: spec.prune,
    };
    let plan = plan(&provider, &document.connections, options)
        .await
        .map_err(|e| in_file(e, &spec.file))?;
    let table = ctx.output == OutputFormat::Table;
    if table {
        print(&plan_table(&plan))?;
    }
    if table && !plan.has_writes() {
        return print(&format!("Nothing to change on {vendor}.\n"));
    }
    if plan.has_writes() && !args.yes {
        confirm(&format!("Apply these changes to {vendor}?"), "apply")?;
    }
    let report = apply_with_progress(
        &provider,
        &plan,
        usize::from(args.concurrency),
        &mut Reporter::new(),
    )
    .await?;
    match ctx.output {
        OutputFormat::Table => print(&apply_table(&report))?,
        format => print(&structured(&report, format)?)?,
    }
    let failed = report.count("failed");
    if failed > 0 {
        return Err(CliError::failure(format!(
            "{failed} of {} write(s) to {vendor} failed; see the report above",
            report
                .connections
                .iter()
                .filter(|c| c.outcome.label() != "unchanged" && c.outcome.label() != "skipped")
                .count()
        )));
    }
    Ok(())
}
