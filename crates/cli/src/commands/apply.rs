//! `idconn apply -f FILE`: makes the vendor hold the file's connections.

use std::io::IsTerminal;

use idconn::{
    AnyProvider, ApplyOptions, Connection, Document, PlanOptions, Vendor, apply_with_options, plan,
};

use super::Ctx;
use crate::cli::{ApplyArgs, OutputFormat};
use crate::confirm::confirm;
use crate::error::{CliError, in_file};
use crate::interrupt::CtrlC;
use crate::output::{apply_table, plan_table, print, read_report, structured};
use crate::progress::Reporter;
use crate::providers::connect;

/// Plans, shows the plan, asks (unless `--yes`), then writes with bounded concurrency.
/// Strict by default: if any connection cannot be represented nothing is written (exit 3).
pub async fn run(ctx: &Ctx, args: ApplyArgs) -> Result<(), CliError> {
    let spec = args.plan;
    let mut document = Document::read_within(&spec.file, ctx.limits)?;
    super::resolve(spec.resolve, &mut document.connections).await?;
    let target = connect(&ctx.target)?;
    let provider = &target.provider;
    let options = PlanOptions {
        policy: spec.policy.policy(),
        prune: spec.prune,
    };
    write(
        ctx,
        provider,
        &document.connections,
        options,
        args.yes,
        usize::from(args.concurrency),
        Shown::AsAsked,
        Some(&spec.file),
    )
    .await
}

/// Where [`write()`] shows its plan and report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shown {
    /// On standard output, in the asked format (`apply`).
    AsAsked,
    /// As tables on standard error, when standard output carries something else (`onboard
    /// --output json` prints the document there).
    OnStderr,
}

/// Plans `connections` on `provider`, shows the plan (tables only), asks unless `yes`, then
/// writes and reports. Exit codes: 3 when a strict translation refuses (nothing written), 1
/// when a write fails, 130 when Ctrl-C stopped the writing (the writes in flight finish and
/// the report so far is shown). `apply` and `onboard` both write through here.
// One writer for `apply` and `onboard`: each argument is one of their flags or outputs.
#[allow(clippy::too_many_arguments)]
pub(super) async fn write(
    ctx: &Ctx,
    provider: &AnyProvider,
    connections: &[Connection],
    options: PlanOptions,
    yes: bool,
    concurrency: usize,
    shown: Shown,
    source: Option<&std::path::Path>,
) -> Result<(), CliError> {
    let show = |text: &str| match shown {
        Shown::AsAsked => print(text),
        Shown::OnStderr => {
            eprint!("{text}");
            Ok(())
        }
    };
    let vendor: Vendor = idconn::IdentityConnectionProvider::vendor(provider);
    // Refusals and invalid connections come from the file's content: they name it.
    let plan = plan(provider, connections, options)
        .await
        .map_err(|e| match source {
            Some(file) => in_file(e, file),
            None => e.into(),
        })?;
    let table = shown == Shown::OnStderr || ctx.output == OutputFormat::Table;
    // The plan is for a person about to confirm; without a terminal the report that follows
    // names each connection once.
    if table && (std::io::stdout().is_terminal() || !plan.has_writes()) {
        show(&plan_table(&plan))?;
    }
    if table && !plan.has_writes() {
        show(&format!("Nothing to change on {vendor}.\n"))?;
        return read_report(vendor, [], &plan.skipped);
    }
    if plan.has_writes() && !yes {
        confirm(&format!("Apply these changes to {vendor}?"), "apply")?;
    }
    // Watched only while writing: at the prompt above, Ctrl-C still ends the process at once.
    let ctrl_c = CtrlC::watch();
    let options = ApplyOptions::default()
        .with_concurrency(concurrency)
        .with_stop(ctrl_c.stop());
    let report = apply_with_options(provider, &plan, &options, &mut Reporter::new()).await?;
    drop(ctrl_c);
    match ctx.output {
        _ if table => show(&apply_table(&report))?,
        format => print(&structured(&report, format)?)?,
    }
    let counts = report.counts();
    if report.interrupted {
        return Err(CliError::interrupted(
            counts.written(),
            counts.writes(),
            counts.failed,
        ));
    }
    if counts.failed > 0 {
        return Err(CliError::failure(format!(
            "{} of {} write(s) to {vendor} failed; see the report above",
            counts.failed,
            counts.writes()
        )));
    }
    read_report(vendor, [], &plan.skipped)
}
