//! `idconn migrate --from VENDOR --to VENDOR`: every connection of one vendor onto another.

use idconn::{Format, MigrateOptions, Secrets, migrate_with_progress, read_application_names};

use super::Ctx;
use crate::cli::{MigrateArgs, OutputFormat};
use crate::error::CliError;
use crate::interrupt::CtrlC;
use crate::output::{migration_table, print, read_report, structured};
use crate::progress::Reporter;
use crate::providers::connect_pair;

/// Reads every connection of `--from`, creates or updates each on `--to`, and reports each.
/// Masked secrets come from `--secrets`; a connection whose secret is unknown is skipped.
/// Ctrl-C stops new writes: those in flight finish, the report so far is printed (and written
/// to `--report`), and the exit code is 130.
pub async fn run(ctx: &Ctx, args: MigrateArgs) -> Result<(), CliError> {
    if args.from == args.to {
        return Err(CliError::usage(format!(
            "--from and --to both name {}; a migration moves connections between two vendors or tenants",
            args.from
        )));
    }
    let secrets = match &args.secrets {
        Some(path) => Secrets::read_within(path, ctx.limits)?,
        None => Secrets::new(),
    };
    let application_names = match &args.map_applications {
        Some(path) => read_application_names(path)?,
        None => Default::default(),
    };
    let (from, to) = connect_pair(&ctx.target, &args.from, &args.to)?;
    let ctrl_c = CtrlC::watch();
    let options = MigrateOptions {
        secrets,
        policy: args.policy.policy(),
        concurrency: usize::from(args.concurrency),
        dry_run: args.dry_run,
        resolve_discovery: args.resolve.resolve_discovery,
        application_names,
        stop: ctrl_c.stop(),
    };
    let report =
        migrate_with_progress(&from.provider, &to.provider, &options, &mut Reporter::new()).await?;
    drop(ctrl_c);
    if let Some(path) = &args.report {
        let format = match Format::from_path(path) {
            Format::Yaml => OutputFormat::Yaml,
            Format::Json => OutputFormat::Json,
        };
        idconn::write_private(path, structured(&report, format)?.as_bytes()).map_err(|e| {
            CliError::failure(format!(
                "cannot write the report to {}: {e}",
                path.display()
            ))
        })?;
    }
    match ctx.output {
        OutputFormat::Table => print(&migration_table(&report))?,
        format => print(&structured(&report, format)?)?,
    }
    for (name, notes) in &report.read_notes {
        for note in notes {
            eprintln!("note: {from}: connection \"{name}\": {note}");
        }
    }
    let counts = report.counts();
    if report.interrupted {
        // The skipped records are still told; the interrupt is what the exit code reports.
        let _ = read_report(format!("{from} or {to}"), [], &report.skipped);
        return Err(CliError::interrupted(
            counts.written(),
            counts.writes(),
            counts.failed,
        ));
    }
    let failed = counts.failed;
    if failed > 0 {
        return Err(CliError::failure(format!(
            "{failed} of {} connection(s) failed to migrate from {} to {}; re-run to retry them",
            report.connections.len(),
            from,
            to
        )));
    }
    read_report(format!("{from} or {to}"), [], &report.skipped)
}
